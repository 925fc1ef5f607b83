import { policyDefinitions } from './classify.ts';
import { inputsOf } from './coverage.ts';
import type { ReportData, ReportResult, ReportSettings } from './report-types.ts';
import { groupBy, groupKey, hours, percentile, round, share } from './stats.ts';

export const touchBuckets: Array<[string, number, number]> = [
  ['t0', 0, 0],
  ['t1', 1, 1],
  ['t2', 2, 2],
  ['t3_4', 3, 4],
  ['t5_7', 5, 7],
  ['t8_12', 8, 12],
  ['t13_plus', 13, Number.POSITIVE_INFINITY],
];

/** Response: time to first touch, share within the SLA, touches per lead, and the call/email/meeting mix. */
export function responseReport(data: ReportData, settings: ReportSettings): ReportResult {
  const key = settings.by ?? 'group';
  const groups = groupBy(
    data.leads.filter((l) => l.mql),
    (l) => groupKey(l, settings.by),
  );
  const rows = groups.map(([group, leads]) => {
    const ttft = leads
      .map((l) => l.time_to_first_touch_ms)
      .filter((x): x is number => x !== null)
      .sort((a, b) => a - b);
    const decided = leads.filter((l) => l.first_touch_within_sla !== null);
    const within = decided.filter((l) => l.first_touch_within_sla === true).length;
    const touches = leads.map((l) => l.touches).sort((a, b) => a - b);
    const sum = (f: (x: (typeof leads)[number]) => number) => leads.reduce((s, l) => s + f(l), 0);
    const calls = sum((l) => l.calls);
    const emails = sum((l) => l.emails);
    const meetings = sum((l) => l.meetings);
    const all = calls + emails + meetings;
    return {
      [key]: group,
      mqls: leads.length,
      touched: ttft.length,
      ttft_median_h: hours(percentile(ttft, 0.5)),
      ttft_p75_h: hours(percentile(ttft, 0.75)),
      ttft_p90_h: hours(percentile(ttft, 0.9)),
      first_touch_decided: decided.length,
      within_sla: within,
      within_sla_pct: share(within, decided.length),
      touches_mean: round(sum((l) => l.touches) / leads.length, 2),
      touches_median: percentile(touches, 0.5),
      calls,
      emails,
      meetings,
      call_pct: share(calls, all),
      email_pct: share(emails, all),
      meeting_pct: share(meetings, all),
    };
  });
  const distribution = groups.map(([group, leads]) => {
    const row: Record<string, string | number> = { [key]: group };
    for (const [name, lo, hi] of touchBuckets)
      row[name] = leads.filter((l) => l.touches >= lo && l.touches <= hi).length;
    return row;
  });
  return {
    report: 'response',
    title: 'Response: how fast and how often MQLs are touched',
    definitions: [
      'time to first touch (ttft): first touch − hand-over, wall-clock hours, over touched MQLs; median/p75/p90 interpolate between ranks (numpy default).',
      "within SLA: first touch by the policy's deadline, among MQLs whose deadline has passed or who were touched (first_touch_decided).",
      'touches: outbound emails, call attempts and meetings from lead_stats; mix = share of each kind among all touches.',
      'touch distribution: MQLs by number of touches (t3_4 = 3 or 4 touches …).',
      ...policyDefinitions(data.policies),
    ],
    inputs: inputsOf(data, settings),
    tables: [
      { name: 'response', title: 'Response', rows },
      { name: 'touch-distribution', title: 'Touches per lead', rows: distribution },
    ],
    notes: [],
  };
}
