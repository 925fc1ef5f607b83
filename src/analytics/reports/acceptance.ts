import { inputsOf } from './coverage.ts';
import type { EvaluatedLead, ReportBy, ReportData, ReportResult, ReportSettings } from './report-types.ts';
import { groupBy, groupKey, share } from './stats.ts';

const decision = (l: EvaluatedLead): 'accepted' | 'rejected' | 'awaiting' =>
  l.status === 'rejected' ? 'rejected' : l.status === 'mql' ? 'awaiting' : 'accepted';

/** Lead acceptance per rep and source (or one --by), and rejections vs disqualifications by reason code. */
export function acceptanceReport(data: ReportData, settings: ReportSettings): ReportResult {
  const handed = data.leads.filter((l) => l.handed_over_at !== null);
  const table = (by: ReportBy) => ({
    name: `by-${by}`,
    title: `Acceptance by ${by}`,
    rows: groupBy(handed, (l) => groupKey(l, by)).map(([group, leads]) => {
      let accepted = 0;
      let rejected = 0;
      for (const l of leads) {
        const d = decision(l);
        if (d === 'accepted') accepted += 1;
        else if (d === 'rejected') rejected += 1;
      }
      return {
        [by]: group,
        handed_over: leads.length,
        accepted,
        rejected,
        awaiting_decision: leads.length - accepted - rejected,
        acceptance_rate: share(accepted, accepted + rejected),
      };
    }),
  });
  const closed = handed.filter((l) => l.status === 'rejected' || l.status === 'disqualified');
  const perStatus = new Map<string, number>();
  for (const l of closed) perStatus.set(l.status, (perStatus.get(l.status) ?? 0) + 1);
  const reasons = groupBy(closed, (l) => `${l.status}\u0000${l.disposition_reason ?? '(none)'}`).map(
    ([k, leads]) => {
      const [status, reason] = k.split('\u0000');
      return {
        status: status!,
        reason: reason!,
        leads: leads.length,
        share_of_status: share(leads.length, perStatus.get(status!) ?? 0),
        never_touched: leads.filter((l) => l.touches === 0).length,
      };
    },
  );
  return {
    report: 'acceptance',
    title: 'Lead acceptance, rejections and disqualifications',
    definitions: [
      'handed over: leads handed to sales in the period (all, including procedural rejections).',
      'rejected: status rejected (sales refused the lead before working it); awaiting decision: still mql; accepted: every other status.',
      'acceptance rate: accepted ÷ (accepted + rejected).',
      'reasons: rejections (before any touch) vs disqualifications (after contact) by reason code.',
    ],
    inputs: inputsOf(data, settings),
    tables: [
      ...(settings.by ? [table(settings.by)] : [table('rep'), table('source')]),
      { name: 'reasons', title: 'Rejections vs disqualifications by reason', rows: reasons },
    ],
    notes: [],
  };
}
