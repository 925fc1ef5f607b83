import { policyDefinitions } from './classify.ts';
import { inputsOf } from './coverage.ts';
import type { ReportData, ReportResult, ReportSettings } from './report-types.ts';
import { groupBy, groupKey, round, share } from './stats.ts';

/**
 * Revenue left on the vine: unworked and under-worked MQLs × the won rate of properly worked leads
 * of the same source × the average won deal size.
 */
export function gapReport(data: ReportData, settings: ReportSettings): ReportResult {
  const avgDeal = data.wonDeals.count ? data.wonDeals.amount / data.wonDeals.count : 0;
  const mqls = data.leads.filter((l) => l.mql);
  // The won rate is measured per source (a campaign's leads convert like its source's).
  const rateBySource = new Map<string, { properly: number; won: number }>();
  for (const l of mqls) {
    if (l.category !== 'properly') continue;
    const s = l.source ?? '(none)';
    const r = rateBySource.get(s) ?? { properly: 0, won: 0 };
    r.properly += 1;
    if (l.won) r.won += 1;
    rateBySource.set(s, r);
  }
  const rateOf = (source: string) => {
    const r = rateBySource.get(source);
    return r && r.properly > 0 ? r.won / r.properly : 0;
  };
  const key = settings.by ?? 'source';
  const rows = groupBy(mqls, (l) => `${groupKey(l, key)}\u0000${l.source ?? '(none)'}`).map(([k, leads]) => {
    const [group, source] = k.split('\u0000');
    const under = leads.filter((l) => {
      const f = l.category;
      return f === 'never_worked' || f === 'worked_but_short';
    }).length;
    const r = rateBySource.get(source!) ?? { properly: 0, won: 0 };
    const rate = rateOf(source!);
    const row: Record<string, string | number | null> =
      key === 'source' ? { source: source! } : { [key]: group!, source: source! };
    return {
      ...row,
      mqls: leads.length,
      under_worked: under,
      source_properly_worked: r.properly,
      source_properly_won: r.won,
      won_rate_properly_worked: share(r.won, r.properly),
      avg_won_deal: round(avgDeal, 2),
      expected_revenue: round(under * rate * avgDeal, 2),
    };
  });
  const total = round(
    rows.reduce((s, r) => s + (r.expected_revenue ?? 0), 0),
    2,
  );
  const notes = [
    `Revenue left on the vine: ${(total ?? 0).toLocaleString('en-US', { maximumFractionDigits: 0 })} (expected revenue summed over the rows below).`,
  ];
  for (const [source, r] of [...rateBySource.entries()].sort())
    if (r.properly < 30)
      notes.push(
        `source ${source}: the won rate rests on only ${r.properly} properly worked leads — treat it as rough.`,
      );
  return {
    report: 'gap',
    title: 'Revenue left on the vine',
    definitions: [
      'under-worked: MQLs never worked or worked but short of the SLA (not properly followed up, clock no longer running).',
      'won rate of properly worked leads: among MQLs of the same source (in the period) that were properly followed up, the share whose opportunity was won.',
      'avg won deal: mean amount of all won opportunities in the workspace with an amount.',
      'expected revenue = under_worked × won_rate_properly_worked × avg_won_deal.',
      ...policyDefinitions(data.policies),
    ],
    inputs: {
      ...inputsOf(data, settings),
      won_deals: data.wonDeals.count,
      won_amount_total: round(data.wonDeals.amount, 2),
      avg_won_deal: round(avgDeal, 2),
      revenue_left: total,
    },
    tables: [{ name: 'gap', title: 'Revenue gap', rows }],
    notes,
  };
}
