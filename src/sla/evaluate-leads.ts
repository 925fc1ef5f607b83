import type { Kysely } from 'kysely';
import type { SlaState } from '../domain/words.ts';
import type { Database } from '../store/schema.ts';
import { evaluateSla, type SlaEvaluation, type SlaRule } from './evaluate.ts';
import { evaluateSlaColumns, type SlaColumns, slaRuleNames, slaStateNames } from './evaluate-columns.ts';
import { type LeadColumns, orNull, readLeadColumns } from './lead-columns.ts';
import { type LeadFacts, type LeadFactsFilter, readReps } from './lead-facts.ts';
import { type SlaPolicy, selectPolicy } from './policy.ts';
import { loadActivePolicies } from './policy-store.ts';

/** One lead's SLA evaluation in the flat form other capabilities (cherry-pick, scoring, routing) use. */
export type LeadSlaRow = {
  lead_id: number;
  policy: string;
  state: SlaState;
  /** at_risk: which deadline and when. */
  at_risk_rule: SlaRule | null;
  at_risk_due_at: number | null;
  /** breached: the rules broken, comma-separated, in rule order. */
  breached_rules: string | null;
  first_touch_due_at: number | null;
  /** The lead got the policy's attempt minimums (touches, calls, emails, meetings). */
  worked_attempts_met: boolean;
  /** First touch by the deadline; null while the deadline is still ahead and nothing happened. */
  first_touch_within_sla: boolean | null;
  time_to_first_touch_ms: number | null;
  /** Cherry-pick's "worked": attempts met, or first touch within the SLA. */
  worked: boolean;
  /** Scoring's "properly worked": SLA met, or converted (qualified). */
  properly_worked: boolean;
  never_worked: boolean;
  premature_close: boolean;
  late_first_touch: boolean;
  late_by_ms: number | null;
};

/** Pure: evaluate already-loaded lead facts against a policy list. */
export function evaluateLeadFacts(options: {
  facts: readonly LeadFacts[];
  policies: readonly SlaPolicy[];
  now: number;
}): Array<{ facts: LeadFacts; evaluation: SlaEvaluation; row: LeadSlaRow }> {
  return options.facts.map((f) => {
    const policy = selectPolicy(options.policies, f);
    const evaluation = evaluateSla({
      lead: f,
      policy,
      touches: {
        first_at: f.first_touch_at,
        last_at: f.last_touch_at,
        touches: f.touches,
        calls: f.calls,
        emails: f.emails,
        meetings: f.meetings,
        responses: f.responses,
        max_gap_ms: f.max_gap_ms,
      },
      now: options.now,
      repTimeZone: f.rep_time_zone,
    });
    return { facts: f, evaluation, row: toRow(f, evaluation) };
  });
}

export function toRow(f: LeadFacts, e: SlaEvaluation): LeadSlaRow {
  return {
    lead_id: f.lead_id,
    policy: e.policy,
    state: e.state,
    at_risk_rule: e.at_risk?.rule ?? null,
    at_risk_due_at: e.at_risk?.due_at ?? null,
    breached_rules: e.breaches.length ? e.breaches.map((b) => b.rule).join(',') : null,
    first_touch_due_at: e.first_touch_due_at,
    worked_attempts_met: e.attempts_met,
    first_touch_within_sla: e.first_touch_within_sla,
    time_to_first_touch_ms: e.time_to_first_touch_ms,
    worked: e.attempts_met || e.first_touch_within_sla === true,
    properly_worked: e.state === 'met' || f.status === 'qualified' || f.converted_at !== null,
    never_worked: e.flags.never_worked,
    premature_close: e.flags.premature_close,
    late_first_touch: e.flags.late_first_touch,
    late_by_ms: e.flags.late_by_ms,
  };
}

/**
 * Every handed-over lead's SLA state under the workspace's active policies, from lead_stats (never
 * rescanning activities). `leadIds` narrows it; `since`/`until` filter on hand-over time. Reads the
 * facts as columns and evaluates them in one pass (evaluateSlaColumns), the same answers as
 * evaluateLeadFacts without an object per lead on the way.
 */
export async function evaluateLeads(
  db: Kysely<Database>,
  options: { now: number } & LeadFactsFilter,
): Promise<LeadSlaRow[]> {
  const { policies } = await loadActivePolicies(db);
  const { cols, sla } = await evaluateLeadColumns(db, { ...options, policies });
  const rows: LeadSlaRow[] = new Array(cols.n);
  for (let i = 0; i < cols.n; i++) {
    const state = slaStateNames[sla.state[i]!]!;
    const applies = state !== 'not_applicable';
    const breaches = sla.breaches[i]!;
    const within = sla.firstTouchWithinSla[i]!;
    const first = cols.firstTouchAt[i]!;
    const status = cols.status[i]! < 0 ? null : cols.strings[cols.status[i]!];
    rows[i] = {
      lead_id: cols.leadId[i]!,
      policy: policies[sla.policy[i]!]!.name,
      state,
      at_risk_rule: sla.atRiskRule[i]! < 0 ? null : slaRuleNames[sla.atRiskRule[i]!]!,
      at_risk_due_at: orNull(sla.atRiskDueAt[i]!),
      breached_rules: breaches ? slaRuleNames.filter((_, r) => breaches & (1 << r)).join(',') : null,
      first_touch_due_at: applies ? orNull(sla.firstTouchDueAt[i]!) : null,
      worked_attempts_met: sla.attemptsMet[i] === 1,
      first_touch_within_sla: within < 0 ? null : within === 1,
      time_to_first_touch_ms: applies && !Number.isNaN(first) ? first - cols.handedOverAt[i]! : null,
      worked: sla.attemptsMet[i] === 1 || within === 1,
      properly_worked: state === 'met' || status === 'qualified' || !Number.isNaN(cols.convertedAt[i]!),
      never_worked: applies && sla.neverWorked[i] === 1,
      premature_close: sla.prematureClose[i] === 1,
      late_first_touch: !Number.isNaN(sla.lateByMs[i]!),
      late_by_ms: orNull(sla.lateByMs[i]!),
    };
  }
  return rows;
}

/** The facts of the leads `options` selects, as columns, and their SLA state at `now`, as columns. */
export async function evaluateLeadColumns(
  db: Kysely<Database>,
  options: { now: number; policies: readonly SlaPolicy[] } & LeadFactsFilter,
): Promise<{ cols: LeadColumns; sla: SlaColumns }> {
  const { now, policies, ...filter } = options;
  const cols = await readLeadColumns(db, filter);
  const reps = await readReps(db);
  const sla = evaluateSlaColumns({
    cols,
    policies,
    now,
    repTimeZone: (id) => reps.get(id)?.time_zone ?? null,
  });
  return { cols, sla };
}
