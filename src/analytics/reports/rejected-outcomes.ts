import { inputsOf } from './coverage.ts';
import type {
  EvaluatedLead,
  LaterOpportunity,
  ReportData,
  ReportResult,
  ReportSettings,
} from './report-types.ts';
import { groupBy, groupKey, share } from './stats.ts';

/** The instant `months` calendar months (UTC) after `ms`. */
export function addMonths(ms: number, months: number): number {
  const d = new Date(ms);
  return Date.UTC(
    d.getUTCFullYear(),
    d.getUTCMonth() + months,
    d.getUTCDate(),
    d.getUTCHours(),
    d.getUTCMinutes(),
    d.getUTCSeconds(),
    d.getUTCMilliseconds(),
  );
}

const horizons = [6, 12, 24] as const;

/** What became of rejected and disqualified leads: a later opportunity or won deal at the same person or account. */
export function rejectedOutcomesReport(data: ReportData, settings: ReportSettings): ReportResult {
  const closed = data.leads.filter(
    (l) => (l.status === 'rejected' || l.status === 'disqualified') && l.closed_at !== null,
  );
  const later = new Map<number, LaterOpportunity[]>();
  for (const o of data.laterOpportunities) {
    const list = later.get(o.lead_id) ?? [];
    list.push(o);
    later.set(o.lead_id, list);
  }
  // The earliest opportunity opened, and the earliest deal won, at or after the close.
  const firstAfter = (l: EvaluatedLead) => {
    let opp: number | null = null;
    let won: number | null = null;
    for (const o of later.get(l.lead_id) ?? []) {
      const opened = o.opened_at ?? o.closed_at;
      if (opened !== null && opened >= l.closed_at! && (opp === null || opened < opp)) opp = opened;
      const wonAt = o.won === 1 ? (o.closed_at ?? o.opened_at) : null;
      if (wonAt !== null && wonAt >= l.closed_at! && (won === null || wonAt < won)) won = wonAt;
    }
    return { opp, won };
  };
  const key = settings.by ?? 'rep';
  const rows = groupBy(
    closed,
    (l) => `${l.status}\u0000${l.disposition_reason ?? '(none)'}\u0000${groupKey(l, key)}`,
  ).map(([k, leads]) => {
    const [status, reason, group] = k.split('\u0000');
    const row: Record<string, string | number | null> = {
      status: status!,
      reason: reason!,
      [key]: group!,
      leads: leads.length,
    };
    // Each lead's horizons are computed once, for its opportunity and its won deal alike.
    const opps = new Array<number>(horizons.length).fill(0);
    const wins = new Array<number>(horizons.length).fill(0);
    for (const l of leads) {
      const { opp, won } = firstAfter(l);
      if (opp === null && won === null) continue;
      horizons.forEach((m, h) => {
        const limit = addMonths(l.closed_at!, m);
        if (opp !== null && opp <= limit) opps[h]! += 1;
        if (won !== null && won <= limit) wins[h]! += 1;
      });
    }
    horizons.forEach((m, h) => {
      row[`later_opp_${m}m`] = opps[h]!;
    });
    horizons.forEach((m, h) => {
      row[`later_won_${m}m`] = wins[h]!;
    });
    row.later_opp_24m_pct = share(row.later_opp_24m as number, leads.length);
    return row;
  });
  return {
    report: 'rejected-outcomes',
    title: 'Rejected and disqualified leads: did they buy later?',
    definitions: [
      'leads: rejected or disqualified leads handed over (cold leads: created) in the period, by status, reason and group.',
      'later opportunity: an opportunity of the lead itself, of a contact with the same e-mail, or at the same account, opened at or after the rejection/disqualification.',
      'within N months: opened (won: closed won) no later than N calendar months (UTC) after the close.',
    ],
    inputs: { ...inputsOf(data, settings), later_opportunity_links: data.laterOpportunities.length },
    tables: [{ name: 'rejected-outcomes', title: 'Rejected/disqualified outcomes', rows }],
    notes: [],
  };
}
