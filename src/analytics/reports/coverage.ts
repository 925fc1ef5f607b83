import { closedForNoResult, policyDefinitions } from './classify.ts';
import type { ReportData, ReportResult, ReportSettings } from './report-types.ts';
import { groupBy, groupKey, share } from './stats.ts';

/** Coverage: of the MQLs handed over in the period, how many were followed up as the SLA demands. */
export function coverageReport(data: ReportData, settings: ReportSettings): ReportResult {
  const mqls = data.leads.filter((l) => l.mql);
  const rows = groupBy(mqls, (l) => groupKey(l, settings.by)).map(([group, leads]) => {
    const counts = { properly: 0, in_progress: 0, never_worked: 0, worked_but_short: 0 };
    let premature = 0;
    let thorough = 0;
    let disqNever = 0;
    for (const l of leads) {
      counts[l.category] += 1;
      if (l.premature_close) premature += 1;
      if (closedForNoResult(l) && l.attempts_met) thorough += 1;
      if (closedForNoResult(l) && l.touches === 0) disqNever += 1;
    }
    const n = leads.length;
    return {
      [settings.by ?? 'group']: group,
      mqls: n,
      properly_followed_up: counts.properly,
      properly_pct: share(counts.properly, n),
      in_progress: counts.in_progress,
      never_worked: counts.never_worked,
      never_worked_pct: share(counts.never_worked, n),
      worked_but_short: counts.worked_but_short,
      worked_but_short_pct: share(counts.worked_but_short, n),
      closed_prematurely: premature,
      closed_prematurely_pct: share(premature, n),
      disq_after_thorough: thorough,
      disq_never_worked: disqNever,
    };
  });
  const total = rows.reduce((s, r) => s + r.mqls, 0);
  const properly = rows.reduce((s, r) => s + r.properly_followed_up, 0);
  const notes = [
    `${share(properly, total) === null ? 'no' : `${Math.round((properly / total) * 1000) / 10} %`} of ${total} MQLs were properly followed up.`,
  ];
  return {
    report: 'coverage',
    title: 'Coverage: were the MQLs worked?',
    definitions: [
      'MQL: a lead handed over in the period whose SLA applies (procedural rejections excluded).',
      'properly followed up: SLA met (first touch on time, the attempt minimums, no gap too long — or an outcome that ends the SLA) or converted (qualified / opportunity).',
      'in progress: the SLA clock is still running (pending or at risk).',
      'never worked: no touch at all; worked but short: touched, but neither properly followed up nor in progress.',
      'closed prematurely: closed unresponsive, recycled or disqualified without contact before the attempt minimums (overlaps the groups above).',
      'disq after thorough: disqualified/unresponsive after the attempt minimums; disq never worked: disqualified/unresponsive with no touch.',
      ...policyDefinitions(data.policies),
    ],
    inputs: inputsOf(data, settings),
    tables: [{ name: 'coverage', title: 'Coverage', rows }],
    notes,
  };
}

export function inputsOf(data: ReportData, settings: ReportSettings): Record<string, string | number | null> {
  return {
    evaluated_at: new Date(settings.now).toISOString(),
    since: settings.since === undefined ? null : new Date(settings.since).toISOString(),
    until: settings.until === undefined ? null : new Date(settings.until).toISOString(),
    by: settings.by ?? null,
    policies: `${data.policies.length} (${data.policyOrigin})`,
    leads_loaded: data.leads.length,
  };
}
