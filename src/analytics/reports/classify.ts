import { type SlaColumns, slaStateNames } from '../../sla/evaluate-columns.ts';
import { describePolicy } from '../../sla/explain.ts';
import { type LeadColumns, orNull } from '../../sla/lead-columns.ts';
import type { OpportunityFacts, RepFacts } from '../../sla/lead-facts.ts';
import type { SlaPolicy } from '../../sla/policy.ts';
import type { EvaluatedLead } from './report-types.ts';
import { isoMonth } from './stats.ts';

/**
 * The coverage partition of an MQL: properly followed up (SLA met, or converted: qualified, a conversion
 * time or an opportunity of its own); in progress (clock running: pending or at risk); never worked
 * (no touch); worked but short (touched, neither).
 */
export type FollowUp = 'properly' | 'in_progress' | 'never_worked' | 'worked_but_short';

export const closedForNoResult = (l: EvaluatedLead): boolean =>
  l.status === 'disqualified' || l.status === 'unresponsive';

/** The active policies as definitions: what "properly followed up" means here. */
export const policyDefinitions = (policies: readonly SlaPolicy[]): string[] =>
  policies.map(
    (p) =>
      `policy "${p.name}"${p.match === undefined ? ' (default)' : ` for ${JSON.stringify(p.match)}`}: ${describePolicy(p)}`,
  );

/** The object the reports read for every lead of the columns and their SLA columns (one shape). */
export function buildReportLeads(options: {
  cols: LeadColumns;
  sla: SlaColumns;
  policies: readonly SlaPolicy[];
  reps: Map<number, RepFacts>;
  opportunityOf: (r: {
    lead_id: number;
    status: string;
    opportunity_ref: number | null;
  }) => OpportunityFacts | undefined;
}): EvaluatedLead[] {
  const { cols, sla, reps } = options;
  const str = (code: number): string | null => (code < 0 ? null : cols.strings[code]!);
  const policyNames = options.policies.map((p) => p.name);
  // The month of an instant depends only on its UTC day: one date formatting per day, not per lead.
  const months = new Map<number, string>();
  const monthOf = (ms: number): string => {
    const day = Math.floor(ms / 86_400_000);
    let m = months.get(day);
    if (m === undefined) {
      m = isoMonth(ms);
      months.set(day, m);
    }
    return m;
  };
  const out: EvaluatedLead[] = new Array(cols.n);
  for (let i = 0; i < cols.n; i++) {
    const repId = orNull(cols.ownerRepId[i]!);
    const rep = repId === null ? undefined : reps.get(repId);
    const leadId = cols.leadId[i]!;
    const status = str(cols.status[i]!)!;
    const handedOverAt = orNull(cols.handedOverAt[i]!);
    const convertedAt = orNull(cols.convertedAt[i]!);
    const firstTouchAt = orNull(cols.firstTouchAt[i]!);
    const o = options.opportunityOf({
      lead_id: leadId,
      status,
      opportunity_ref: orNull(cols.opportunityRef[i]!),
    });
    const state = slaStateNames[sla.state[i]!]!;
    const applies = state !== 'not_applicable';
    const touches = cols.touches[i]!;
    const converted = status === 'qualified' || convertedAt !== null || o !== undefined;
    const category: FollowUp =
      state === 'met' || converted
        ? 'properly'
        : state === 'pending' || state === 'at_risk'
          ? 'in_progress'
          : touches === 0
            ? 'never_worked'
            : 'worked_but_short';
    const within = sla.firstTouchWithinSla[i]!;
    out[i] = {
      lead_id: leadId,
      source: str(cols.source[i]!),
      campaign: str(cols.campaign[i]!),
      status,
      disposition_reason: str(cols.dispositionReason[i]!),
      handed_over_at: handedOverAt,
      created_at: cols.createdAt[i]!,
      converted_at: convertedAt,
      closed_at: orNull(cols.closedAt[i]!),
      owner_rep_id: repId,
      rep_name: rep?.name ?? null,
      rep_capacity_hours: rep?.monthly_capacity_hours ?? null,
      team_id: rep?.team_id ?? null,
      team_name: rep?.team_name ?? null,
      touches,
      calls: cols.calls[i]!,
      emails: cols.emails[i]!,
      meetings: cols.meetings[i]!,
      effort_minutes: cols.effortMinutes[i]!,
      opportunity_closed_at: o?.closed_at ?? null,
      policy: policyNames[sla.policy[i]!]!,
      state,
      attempts_met: sla.attemptsMet[i] === 1,
      first_touch_within_sla: within < 0 ? null : within === 1,
      time_to_first_touch_ms:
        applies && firstTouchAt !== null && handedOverAt !== null ? firstTouchAt - handedOverAt : null,
      premature_close: sla.prematureClose[i] === 1,
      mql: handedOverAt !== null && applies,
      category,
      converted,
      won: o?.won === 1,
      month: monthOf(handedOverAt ?? cols.createdAt[i]!),
    };
  }
  return out;
}
