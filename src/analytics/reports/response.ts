import { sortedCopy } from '../radix-sort.ts';
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
  // One pass per group gathers everything both tables need (sums in lead order, as before).
  const stats = groups.map(([group, leads]) => {
    const ttft: number[] = [];
    const touches = new Float64Array(leads.length);
    const buckets = new Array<number>(touchBuckets.length).fill(0);
    let decided = 0;
    let within = 0;
    let touchSum = 0;
    let calls = 0;
    let emails = 0;
    let meetings = 0;
    for (let i = 0; i < leads.length; i++) {
      const l = leads[i]!;
      if (l.time_to_first_touch_ms !== null) ttft.push(l.time_to_first_touch_ms);
      if (l.first_touch_within_sla !== null) {
        decided += 1;
        if (l.first_touch_within_sla === true) within += 1;
      }
      const t = l.touches;
      touches[i] = t;
      touchSum += t;
      calls += l.calls;
      emails += l.emails;
      meetings += l.meetings;
      for (let b = 0; b < touchBuckets.length; b++) {
        const [, lo, hi] = touchBuckets[b]!;
        if (t >= lo && t <= hi) buckets[b]! += 1;
      }
    }
    // Numeric sorts (radix) on typed arrays: the same order (no NaN, no -0 among differences and counts).
    return {
      group,
      n: leads.length,
      ttft: sortedCopy(Float64Array.from(ttft)),
      touches: sortedCopy(touches),
      buckets,
      decided,
      within,
      touchSum,
      calls,
      emails,
      meetings,
    };
  });
  const rows = stats.map((g) => {
    const { ttft, calls, emails, meetings } = g;
    const all = calls + emails + meetings;
    return {
      [key]: g.group,
      mqls: g.n,
      touched: ttft.length,
      ttft_median_h: hours(percentile(ttft, 0.5)),
      ttft_p75_h: hours(percentile(ttft, 0.75)),
      ttft_p90_h: hours(percentile(ttft, 0.9)),
      first_touch_decided: g.decided,
      within_sla: g.within,
      within_sla_pct: share(g.within, g.decided),
      touches_mean: round(g.touchSum / g.n, 2),
      touches_median: percentile(g.touches, 0.5),
      calls,
      emails,
      meetings,
      call_pct: share(calls, all),
      email_pct: share(emails, all),
      meeting_pct: share(meetings, all),
    };
  });
  const distribution = stats.map((g) => {
    const row: Record<string, string | number> = { [key]: g.group };
    touchBuckets.forEach(([name], b) => {
      row[name] = g.buckets[b]!;
    });
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
