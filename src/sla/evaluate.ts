import type { SlaState } from '../domain/words.ts';
import { addBusinessTime } from './business-hours.ts';
import { calendarFor, type SlaOutcome, type SlaPolicy } from './policy.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** What the SLA needs to know about a lead. `closed_at`: when it reached its current closed status. */
export type SlaLead = {
  status: string;
  handed_over_at: number | null;
  disposition_reason: string | null;
  closed_at: number | null;
};

/** One touch (outbound email, call attempt, meeting) by a rep towards the lead. */
export type Touch = { at: number; kind: 'email' | 'call' | 'meeting' };

/**
 * The per-lead touch summary the SLA needs — exactly what lead_stats keeps (first_touch_at,
 * last_touch_at, counts by kind, responses, max_gap_ms), so reports never rescan activities.
 */
export type TouchSummary = {
  first_at: number | null;
  last_at: number | null;
  touches: number;
  calls: number;
  emails: number;
  meetings: number;
  /** Inbound replies from the lead: the lead was reached. */
  responses: number;
  /** Largest gap between consecutive touches (null with fewer than two touches). */
  max_gap_ms: number | null;
};

export type SlaRule = 'first_touch' | 'attempts' | 'max_gap';

export type SlaBreach = {
  rule: SlaRule;
  /** How far past the deadline (first_touch, max_gap) or since the window closed (attempts), in ms. */
  by_ms: number;
  /** attempts: how many of each kind were still missing. */
  missing?: { touches: number; calls: number; emails: number; meetings: number };
};

export type SlaEvaluation = {
  state: SlaState;
  policy: string;
  /** Why the SLA does not apply (state not_applicable). */
  not_applicable_reason: string | null;
  /** How the lead ended, if it is closed. */
  outcome: SlaOutcome | 'no_response_close' | null;
  first_touch_due_at: number | null;
  window_ends_at: number | null;
  /** When the next touch is due under the max-gap rule (open leads with attempts still to make). */
  next_touch_due_at: number | null;
  /** at_risk: the deadline that falls within the warning window. */
  at_risk: { rule: SlaRule; due_at: number } | null;
  breaches: SlaBreach[];
  attempts_met: boolean;
  first_touch_within_sla: boolean | null;
  time_to_first_touch_ms: number | null;
  flags: {
    premature_close: boolean;
    never_worked: boolean;
    late_first_touch: boolean;
    late_by_ms: number | null;
  };
};

export function summarizeTouches(touches: readonly Touch[]): TouchSummary {
  const sorted = [...touches].sort((a, b) => a.at - b.at);
  let maxGap: number | null = null;
  for (let i = 1; i < sorted.length; i += 1) {
    const gap = sorted[i]!.at - sorted[i - 1]!.at;
    if (maxGap === null || gap > maxGap) maxGap = gap;
  }
  return {
    first_at: sorted[0]?.at ?? null,
    last_at: sorted.at(-1)?.at ?? null,
    touches: sorted.length,
    calls: sorted.filter((t) => t.kind === 'call').length,
    emails: sorted.filter((t) => t.kind === 'email').length,
    meetings: sorted.filter((t) => t.kind === 'meeting').length,
    responses: 0,
    max_gap_ms: maxGap,
  };
}

const closedStatuses = new Set([
  'qualified',
  'disqualified',
  'unresponsive',
  'recycled',
  'rejected',
  'nurture',
]);

function outcomeOf(
  lead: SlaLead,
  policy: SlaPolicy,
  touches: TouchSummary,
): SlaOutcome | 'no_response_close' | null {
  const reason = lead.disposition_reason?.toLowerCase().trim() ?? '';
  switch (lead.status) {
    case 'qualified':
      return 'qualified';
    case 'rejected':
      return 'rejected';
    case 'disqualified': {
      const contacted = touches.responses > 0 || touches.meetings > 0;
      const noResponseReason = policy.no_response_reasons.some((r) => r.toLowerCase() === reason);
      return contacted && !noResponseReason ? 'disqualified_after_contact' : 'no_response_close';
    }
    case 'unresponsive':
    case 'recycled':
    case 'nurture':
      return 'no_response_close';
    default:
      return null;
  }
}

/** The first-touch deadline of a lead handed over at `handedOverAt` under `policy`. */
export function firstTouchDeadline(options: {
  policy: SlaPolicy;
  handedOverAt: number;
  repTimeZone: string | null;
}): number {
  const { policy, handedOverAt } = options;
  const ms = policy.first_touch.within_hours * HOUR;
  if (policy.first_touch.clock === 'wall') return handedOverAt + ms;
  return addBusinessTime(handedOverAt, ms, calendarFor(policy, options.repTimeZone));
}

const notApplicable = (
  policy: SlaPolicy,
  reason: string,
  outcome: SlaEvaluation['outcome'],
): SlaEvaluation => ({
  state: 'not_applicable',
  policy: policy.name,
  not_applicable_reason: reason,
  outcome,
  first_touch_due_at: null,
  window_ends_at: null,
  next_touch_due_at: null,
  at_risk: null,
  breaches: [],
  attempts_met: false,
  first_touch_within_sla: null,
  time_to_first_touch_ms: null,
  flags: { premature_close: false, never_worked: false, late_first_touch: false, late_by_ms: null },
});

/**
 * A lead's SLA state at `now` — a pure function of the lead, its policy, its touches and the time.
 * Rules: first touch by the deadline (wall-clock or business hours in the rep's zone); the attempt
 * minimums within the window unless an `ends_on` outcome ends the SLA first; no gap between touches
 * longer than max_gap_days (and, while open and short of attempts, none since the last touch).
 * A lead closed for no response (unresponsive, recycled, or disqualified without contact) before
 * the attempts were met is a premature close.
 */
export function evaluateSla(options: {
  lead: SlaLead;
  policy: SlaPolicy;
  touches: TouchSummary;
  now: number;
  repTimeZone?: string | null;
}): SlaEvaluation {
  const { lead, policy, touches, now } = options;
  const outcome = outcomeOf(lead, policy, touches);
  const handedOver = lead.handed_over_at;
  if (handedOver === null) return notApplicable(policy, 'never handed over (not an MQL)', outcome);
  const reason = lead.disposition_reason?.toLowerCase().trim() ?? '';
  if (lead.status === 'rejected' && policy.not_applicable_reasons.some((r) => r.toLowerCase() === reason))
    return notApplicable(policy, `rejected for a procedural reason (${lead.disposition_reason})`, outcome);

  const closed = closedStatuses.has(lead.status);
  // A closed lead is judged as of its close; a missing close time falls back to now.
  const at = closed ? Math.min(lead.closed_at ?? now, now) : now;
  const endsSla = outcome !== null && outcome !== 'no_response_close' && policy.ends_on.includes(outcome);

  const firstDue = firstTouchDeadline({
    policy,
    handedOverAt: handedOver,
    repTimeZone: options.repTimeZone ?? null,
  });
  const windowEnd = handedOver + policy.window_days * DAY;
  const a = policy.attempts;
  const missing = {
    touches: Math.max(0, a.touches - touches.touches),
    calls: Math.max(0, a.calls - touches.calls),
    emails: Math.max(0, a.emails - touches.emails),
    meetings: Math.max(0, a.meetings - touches.meetings),
  };
  const attemptsMet = missing.touches + missing.calls + missing.emails + missing.meetings === 0;
  const breaches: SlaBreach[] = [];

  // Rule 1: first touch.
  let lateBy: number | null = null;
  if (touches.first_at !== null) {
    if (touches.first_at > firstDue) lateBy = touches.first_at - firstDue;
  } else if (at > firstDue) {
    lateBy = at - firstDue;
  }
  if (lateBy !== null) breaches.push({ rule: 'first_touch', by_ms: lateBy });

  // Rule 2: attempts (a closing outcome that ends the SLA waives them).
  const premature = closed && outcome === 'no_response_close' && !attemptsMet;
  if (!endsSla && !attemptsMet) {
    if (closed) breaches.push({ rule: 'attempts', by_ms: Math.max(0, at - windowEnd), missing });
    else if (now > windowEnd) breaches.push({ rule: 'attempts', by_ms: now - windowEnd, missing });
  }

  // Rule 3: max gap between touches.
  let nextDue: number | null = null;
  if (policy.max_gap_days !== undefined) {
    const gapMs = policy.max_gap_days * DAY;
    let gapOver = touches.max_gap_ms !== null && touches.max_gap_ms > gapMs ? touches.max_gap_ms - gapMs : 0;
    if (!closed && !attemptsMet && touches.last_at !== null) {
      nextDue = touches.last_at + gapMs;
      if (now > nextDue) gapOver = Math.max(gapOver, now - nextDue);
    }
    if (gapOver > 0) breaches.push({ rule: 'max_gap', by_ms: gapOver });
  }

  let state: SlaState;
  let atRisk: SlaEvaluation['at_risk'] = null;
  if (breaches.length > 0) state = 'breached';
  else if (endsSla || attemptsMet) state = 'met';
  else {
    const upcoming: Array<{ rule: SlaRule; due_at: number }> = [];
    if (touches.first_at === null) upcoming.push({ rule: 'first_touch', due_at: firstDue });
    if (nextDue !== null) upcoming.push({ rule: 'max_gap', due_at: nextDue });
    upcoming.push({ rule: 'attempts', due_at: windowEnd });
    upcoming.sort((x, y) => x.due_at - y.due_at);
    const soonest = upcoming[0]!;
    if (soonest.due_at - now <= policy.warning_hours * HOUR) {
      state = 'at_risk';
      atRisk = soonest;
    } else state = 'pending';
  }

  return {
    state,
    policy: policy.name,
    not_applicable_reason: null,
    outcome,
    first_touch_due_at: firstDue,
    window_ends_at: windowEnd,
    next_touch_due_at: nextDue,
    at_risk: atRisk,
    breaches,
    attempts_met: attemptsMet,
    first_touch_within_sla:
      touches.first_at === null ? (at > firstDue ? false : null) : touches.first_at <= firstDue,
    time_to_first_touch_ms: touches.first_at === null ? null : touches.first_at - handedOver,
    flags: {
      premature_close: premature,
      never_worked: touches.touches === 0,
      late_first_touch: lateBy !== null,
      late_by_ms: lateBy,
    },
  };
}
