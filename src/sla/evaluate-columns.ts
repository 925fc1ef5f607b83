import { SlaState } from '../domain/words.ts';
import { AppError } from '../errors/app-error.ts';
import { addBusinessTime, type BusinessCalendar } from './business-hours.ts';
import type { SlaRule } from './evaluate.ts';
import type { LeadColumns } from './lead-columns.ts';
import { calendarFor, type PolicyMatch, type SlaPolicy } from './policy.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export const slaStateNames = SlaState.options;
const PENDING = slaStateNames.indexOf('pending');
const AT_RISK = slaStateNames.indexOf('at_risk');
const BREACHED = slaStateNames.indexOf('breached');
const MET = slaStateNames.indexOf('met');
const NOT_APPLICABLE = slaStateNames.indexOf('not_applicable');

/** Rule codes: at-risk rule index, and bit (1 << code) in `breaches`, in evaluateSla's rule order. */
export const slaRuleNames: readonly SlaRule[] = ['first_touch', 'attempts', 'max_gap'];

/**
 * evaluateSla's answers for every lead, as columns (see evaluateSla for the rules). Null is NaN in the
 * Float64Arrays and -1 in the Int8Arrays.
 */
export type SlaColumns = {
  /** Index into the policies. */
  policy: Uint8Array;
  /** Index into slaStateNames. */
  state: Uint8Array;
  attemptsMet: Uint8Array;
  /** 1 on time, 0 late, -1 null (deadline ahead and no touch yet, or not applicable). */
  firstTouchWithinSla: Int8Array;
  firstTouchDueAt: Float64Array;
  /** Index into slaRuleNames, -1 when not at risk. */
  atRiskRule: Int8Array;
  atRiskDueAt: Float64Array;
  /** Bit 1 << rule for each rule breached. */
  breaches: Uint8Array;
  prematureClose: Uint8Array;
  neverWorked: Uint8Array;
  lateByMs: Float64Array;
};

const closedStatuses = ['qualified', 'disqualified', 'unresponsive', 'recycled', 'rejected', 'nurture'];

type CompiledMatch = {
  sources: Uint8Array | null;
  campaigns: Uint8Array | null;
  segments: Uint8Array | null;
  scoreMin: number | undefined;
  scoreMax: number | undefined;
};

/** The columns policy selection and the rules read. */
type SelectionColumns = Pick<
  LeadColumns,
  'strings' | 'source' | 'campaign' | 'segment' | 'score' | 'status' | 'dispositionReason' | 'ownerRepId'
>;

/**
 * The policies compiled against a column set's strings: policy selection, reason lists and statuses
 * resolved once per distinct string, calendars once per policy and rep.
 */
function compilePolicies(options: {
  cols: SelectionColumns;
  policies: readonly SlaPolicy[];
  repTimeZone: (repId: number) => string | null;
}) {
  const { cols, policies } = options;
  const strings = cols.strings;
  const lowerTrim = strings.map((s) => s.toLowerCase().trim());
  // inList of policy.ts: the list entries lower-cased, the value lower-cased and trimmed.
  const membership = (list: readonly string[] | undefined): Uint8Array | null => {
    if (list === undefined) return null;
    const wanted = new Set(list.map((x) => x.toLowerCase()));
    return Uint8Array.from(lowerTrim, (v) => (wanted.has(v) ? 1 : 0));
  };
  const compiled = policies.map((p) => ({
    isDefault: p.match === undefined,
    matches: (p.match === undefined ? [] : Array.isArray(p.match) ? p.match : [p.match]).map(
      (m: PolicyMatch): CompiledMatch => ({
        sources: membership(m.sources),
        campaigns: membership(m.campaigns),
        segments: membership(m.segments),
        scoreMin: m.score_min,
        scoreMax: m.score_max,
      }),
    ),
  }));
  const inList = (list: Uint8Array | null, code: number): boolean =>
    list === null || (code >= 0 && list[code] === 1);
  const policyOf = (i: number): number => {
    for (let k = 0; k < compiled.length; k++) {
      const c = compiled[k]!;
      if (c.isDefault) return k;
      for (const m of c.matches) {
        if (!inList(m.sources, cols.source[i]!)) continue;
        if (!inList(m.campaigns, cols.campaign[i]!)) continue;
        if (!inList(m.segments, cols.segment[i]!)) continue;
        const score = cols.score[i]!;
        if (m.scoreMin !== undefined && (Number.isNaN(score) || score < m.scoreMin)) continue;
        if (m.scoreMax !== undefined && (Number.isNaN(score) || score >= m.scoreMax)) continue;
        return k;
      }
    }
    throw new AppError('internal', 'SLA policy set has no default policy');
  };
  // Reason lists per policy, by string code; a null reason compares as ''.
  const reasonIn = (lists: (p: SlaPolicy) => readonly string[]) =>
    policies.map((p) => {
      const wanted = new Set(lists(p).map((r) => r.toLowerCase()));
      return { byCode: Uint8Array.from(lowerTrim, (v) => (wanted.has(v) ? 1 : 0)), ofNull: wanted.has('') };
    });
  const hasReason = (r: { byCode: Uint8Array; ofNull: boolean }, code: number): boolean =>
    code < 0 ? r.ofNull : r.byCode[code] === 1;
  const statusIs = (name: string) => Uint8Array.from(strings, (s) => (s === name ? 1 : 0));
  // The first-touch calendar per policy and rep (policy.ts caches calendars per policy and zone).
  const calendars = new Map<number, BusinessCalendar>();
  const calendarOf = (k: number, repId: number): BusinessCalendar => {
    const key = Number.isNaN(repId) ? -1 - k : repId * policies.length + k;
    let cal = calendars.get(key);
    if (!cal) {
      cal = calendarFor(policies[k]!, Number.isNaN(repId) ? null : options.repTimeZone(repId));
      calendars.set(key, cal);
    }
    return cal;
  };
  // The first-touch deadline of lead i under policy k, handed over at `handedOver`.
  const firstDueOf = (i: number, k: number, handedOver: number): number => {
    const policy = policies[k]!;
    return policy.first_touch.clock === 'wall'
      ? handedOver + policy.first_touch.within_hours * HOUR
      : addBusinessTime(
          handedOver,
          policy.first_touch.within_hours * HOUR,
          calendarOf(k, cols.ownerRepId[i]!),
        );
  };
  return {
    policyOf,
    hasReason,
    statusIs,
    firstDueOf,
    notApplicableReason: reasonIn((p) => p.not_applicable_reasons),
    noResponseReason: reasonIn((p) => p.no_response_reasons),
  };
}

/**
 * The SLA state of every lead in `cols` at `now`, in one pass over the columns: policy selection, the
 * string comparisons and the time zones are resolved once per distinct value, not once per lead. Gives
 * exactly what evaluateSla gives lead by lead (an equivalence test pins it).
 */
export function evaluateSlaColumns(options: {
  cols: LeadColumns;
  policies: readonly SlaPolicy[];
  now: number;
  /** The owner rep's time zone (business-hours clocks), by rep id. */
  repTimeZone: (repId: number) => string | null;
}): SlaColumns {
  const { cols, policies, now } = options;
  const n = cols.n;
  const strings = cols.strings;
  const { policyOf, hasReason, statusIs, firstDueOf, notApplicableReason, noResponseReason } =
    compilePolicies(options);
  const isQualified = statusIs('qualified');
  const isRejected = statusIs('rejected');
  const isDisqualified = statusIs('disqualified');
  const closedSet = new Set(closedStatuses);
  const isClosed = Uint8Array.from(strings, (s) => (closedSet.has(s) ? 1 : 0));
  const noResponseStatus = Uint8Array.from(strings, (s) =>
    s === 'unresponsive' || s === 'recycled' || s === 'nurture' ? 1 : 0,
  );

  const out: SlaColumns = {
    policy: new Uint8Array(n),
    state: new Uint8Array(n),
    attemptsMet: new Uint8Array(n),
    firstTouchWithinSla: new Int8Array(n).fill(-1),
    firstTouchDueAt: new Float64Array(n).fill(Number.NaN),
    atRiskRule: new Int8Array(n).fill(-1),
    atRiskDueAt: new Float64Array(n).fill(Number.NaN),
    breaches: new Uint8Array(n),
    prematureClose: new Uint8Array(n),
    neverWorked: new Uint8Array(n),
    lateByMs: new Float64Array(n).fill(Number.NaN),
  };
  for (let i = 0; i < n; i++) {
    const k = policyOf(i);
    const policy = policies[k]!;
    out.policy[i] = k;
    const status = cols.status[i]!;
    const reason = cols.dispositionReason[i]!;
    const touches = cols.touches[i]!;
    // outcomeOf: 1 qualified, 2 rejected, 3 disqualified after contact, 4 no-response close, 0 open.
    let outcome = 0;
    if (status >= 0) {
      if (isQualified[status]) outcome = 1;
      else if (isRejected[status]) outcome = 2;
      else if (isDisqualified[status]) {
        const contacted = cols.responses[i]! > 0 || cols.meetings[i]! > 0;
        outcome = contacted && !hasReason(noResponseReason[k]!, reason) ? 3 : 4;
      } else if (noResponseStatus[status]) outcome = 4;
    }
    const handedOver = cols.handedOverAt[i]!;
    if (Number.isNaN(handedOver) || (outcome === 2 && hasReason(notApplicableReason[k]!, reason))) {
      out.state[i] = NOT_APPLICABLE;
      continue;
    }
    const closed = status >= 0 && isClosed[status] === 1;
    const closedAt = cols.closedAt[i]!;
    const at = closed ? Math.min(Number.isNaN(closedAt) ? now : closedAt, now) : now;
    const endsSla =
      (outcome === 1 && policy.ends_on.includes('qualified')) ||
      (outcome === 2 && policy.ends_on.includes('rejected')) ||
      (outcome === 3 && policy.ends_on.includes('disqualified_after_contact'));

    const firstDue = firstDueOf(i, k, handedOver);
    out.firstTouchDueAt[i] = firstDue;
    const windowEnd = handedOver + policy.window_days * DAY;
    const a = policy.attempts;
    const attemptsMet =
      touches >= a.touches &&
      cols.calls[i]! >= a.calls &&
      cols.emails[i]! >= a.emails &&
      cols.meetings[i]! >= a.meetings;
    let breaches = 0;

    const firstAt = cols.firstTouchAt[i]!;
    const touched = !Number.isNaN(firstAt);
    let lateBy = Number.NaN;
    if (touched) {
      if (firstAt > firstDue) lateBy = firstAt - firstDue;
    } else if (at > firstDue) lateBy = at - firstDue;
    if (!Number.isNaN(lateBy)) breaches |= 1;

    const premature = closed && outcome === 4 && !attemptsMet;
    if (!endsSla && !attemptsMet && (closed || now > windowEnd)) breaches |= 2;

    let nextDue = Number.NaN;
    if (policy.max_gap_days !== undefined) {
      const gapMs = policy.max_gap_days * DAY;
      const maxGap = cols.maxGapMs[i]!;
      let gapOver = !Number.isNaN(maxGap) && maxGap > gapMs ? maxGap - gapMs : 0;
      const lastAt = cols.lastTouchAt[i]!;
      if (!closed && !attemptsMet && !Number.isNaN(lastAt)) {
        nextDue = lastAt + gapMs;
        if (now > nextDue) gapOver = Math.max(gapOver, now - nextDue);
      }
      if (gapOver > 0) breaches |= 4;
    }

    let state: number;
    if (breaches !== 0) state = BREACHED;
    else if (endsSla || attemptsMet) state = MET;
    else {
      // The soonest upcoming deadline; ties keep evaluateSla's order (first touch, max gap, attempts).
      let rule = 1;
      let due = windowEnd;
      if (!Number.isNaN(nextDue) && nextDue <= due) {
        rule = 2;
        due = nextDue;
      }
      if (!touched && firstDue <= due) {
        rule = 0;
        due = firstDue;
      }
      if (due - now <= policy.warning_hours * HOUR) {
        state = AT_RISK;
        out.atRiskRule[i] = rule;
        out.atRiskDueAt[i] = due;
      } else state = PENDING;
    }
    out.state[i] = state;
    out.attemptsMet[i] = attemptsMet ? 1 : 0;
    out.breaches[i] = breaches;
    out.firstTouchWithinSla[i] = touched ? (firstAt <= firstDue ? 1 : 0) : at > firstDue ? 0 : -1;
    out.prematureClose[i] = premature ? 1 : 0;
    out.neverWorked[i] = touches === 0 ? 1 : 0;
    out.lateByMs[i] = lateBy;
  }
  return out;
}

/** The columns evaluateWorkedColumns reads: no close time, conversion, last touch, gap or responses. */
export type WorkedInputColumns = SelectionColumns &
  Pick<LeadColumns, 'n' | 'handedOverAt' | 'firstTouchAt' | 'touches' | 'calls' | 'emails' | 'meetings'>;

/**
 * Cherry-pick's "worked" for every lead: the SLA's attempts met, or the first touch within the SLA
 * (evaluateSlaColumns' attemptsMet || firstTouchWithinSla === 1, pinned by a test). Neither depends on
 * the close time, the conversion, the last touch, the gaps or the responses, so those are not read, and
 * the first-touch deadline is computed only for touched leads short of the attempts.
 */
export function evaluateWorkedColumns(options: {
  cols: WorkedInputColumns;
  policies: readonly SlaPolicy[];
  repTimeZone: (repId: number) => string | null;
}): Uint8Array {
  const { cols, policies } = options;
  const { policyOf, hasReason, statusIs, firstDueOf, notApplicableReason } = compilePolicies(options);
  const isRejected = statusIs('rejected');
  const worked = new Uint8Array(cols.n);
  for (let i = 0; i < cols.n; i++) {
    const handedOver = cols.handedOverAt[i]!;
    if (Number.isNaN(handedOver)) continue;
    const k = policyOf(i);
    const status = cols.status[i]!;
    // Not applicable: a rejection with one of the policy's procedural reasons.
    if (
      status >= 0 &&
      isRejected[status] === 1 &&
      hasReason(notApplicableReason[k]!, cols.dispositionReason[i]!)
    )
      continue;
    const a = policies[k]!.attempts;
    if (
      cols.touches[i]! >= a.touches &&
      cols.calls[i]! >= a.calls &&
      cols.emails[i]! >= a.emails &&
      cols.meetings[i]! >= a.meetings
    ) {
      worked[i] = 1;
      continue;
    }
    const firstAt = cols.firstTouchAt[i]!;
    if (!Number.isNaN(firstAt) && firstAt <= firstDueOf(i, k, handedOver)) worked[i] = 1;
  }
  return worked;
}
