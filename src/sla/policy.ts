import { readFileSync } from 'node:fs';
import { IANAZone } from 'luxon';
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { AppError, badInput } from '../errors/app-error.ts';
import { projectPath } from '../runtime/project-paths.ts';
import type { BusinessCalendar } from './business-hours.ts';

const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const Weekday = z.enum(weekdays);
const ClockTime = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, { message: 'expected a time "HH:MM" such as "09:00"' });
const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'expected a date "YYYY-MM-DD"' });
const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

export const BusinessHours = z
  .strictObject({
    /** "rep" (the owner rep's time zone) or an IANA zone such as "Europe/Berlin". */
    time_zone: z
      .string()
      .refine((zone) => zone === 'rep' || IANAZone.isValidZone(zone), {
        message: 'expected "rep" or an IANA time zone such as "Europe/Berlin"',
      })
      .default('rep'),
    working_days: z.array(Weekday).min(1).default(['mon', 'tue', 'wed', 'thu', 'fri']),
    start: ClockTime.default('09:00'),
    end: ClockTime.default('17:00'),
    holidays: z.array(IsoDate).default([]),
  })
  .refine((b) => minutesOf(b.end) > minutesOf(b.start), {
    message: 'end must be later than start (e.g. start "09:00", end "17:00")',
    path: ['end'],
  });
export type BusinessHours = z.infer<typeof BusinessHours>;

const Names = z.array(z.string().min(1)).min(1);
export const PolicyMatch = z
  .strictObject({
    sources: Names.optional(),
    campaigns: Names.optional(),
    segments: Names.optional(),
    /** Score band: score ≥ score_min and score < score_max. */
    score_min: z.number().optional(),
    score_max: z.number().optional(),
  })
  .refine((m) => Object.keys(m).length > 0, {
    message: 'a match needs at least one of sources, campaigns, segments, score_min, score_max',
  });
export type PolicyMatch = z.infer<typeof PolicyMatch>;

/** How a lead's life can end; `ends_on` lists those that end the SLA as met. */
export const SlaOutcome = z.enum(['qualified', 'disqualified_after_contact', 'rejected']);
export type SlaOutcome = z.infer<typeof SlaOutcome>;

export const SlaPolicy = z
  .strictObject({
    name: z.string().min(1),
    description: z.string().optional(),
    /** One match (all given criteria must hold) or a list (any one must hold). Absent: the default policy. */
    match: z.union([PolicyMatch, z.array(PolicyMatch).min(1)]).optional(),
    first_touch: z.strictObject({
      within_hours: z.number().positive(),
      clock: z.enum(['wall', 'business']).default('wall'),
    }),
    business_hours: BusinessHours.optional(),
    attempts: z.strictObject({
      touches: z.int().min(0),
      calls: z.int().min(0).default(0),
      emails: z.int().min(0).default(0),
      meetings: z.int().min(0).default(0),
    }),
    max_gap_days: z.number().positive().optional(),
    window_days: z.number().positive(),
    warning_hours: z.number().min(0).default(4),
    ends_on: z.array(SlaOutcome).default(['qualified', 'disqualified_after_contact', 'rejected']),
    /** Rejection reasons that make the SLA not applicable (procedural: duplicate, wrong territory …). */
    not_applicable_reasons: z
      .array(z.string())
      .default(['duplicate', 'wrong_territory', 'existing_customer', 'existing_opportunity', 'test']),
    /** Disqualification reasons that mean "never reached": such a close counts as no-response. */
    no_response_reasons: z.array(z.string()).default(['no_response', 'unresponsive', 'no_contact']),
  })
  .refine((p) => p.attempts.calls + p.attempts.emails + p.attempts.meetings <= p.attempts.touches, {
    message: 'calls + emails + meetings minimums must not exceed the touches minimum',
    path: ['attempts', 'touches'],
  });
export type SlaPolicy = z.infer<typeof SlaPolicy>;

export const SlaPolicySet = z
  .strictObject({
    version: z.literal(1).default(1),
    policies: z.array(SlaPolicy).min(1),
  })
  .superRefine((set, ctx) => {
    const seen = new Set<string>();
    set.policies.forEach((p, i) => {
      if (seen.has(p.name))
        ctx.addIssue({
          code: 'custom',
          message: `duplicate policy name "${p.name}"`,
          path: ['policies', i, 'name'],
        });
      seen.add(p.name);
      if (p.match === undefined && i !== set.policies.length - 1)
        ctx.addIssue({
          code: 'custom',
          message: 'only the last policy may omit "match" (it is the default); add a match or move it last',
          path: ['policies', i, 'name'],
        });
    });
    const last = set.policies.length - 1;
    if (set.policies[last]?.match !== undefined)
      ctx.addIssue({
        code: 'custom',
        message: 'the last policy must be the default: remove its "match" or add a policy without one',
        path: ['policies', last, 'match'],
      });
  });
export type SlaPolicySet = z.infer<typeof SlaPolicySet>;

/** Parses and validates a policy file (YAML or JSON); errors name the file, line and field. */
export function parsePolicySet(text: string, file: string): SlaPolicySet {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  const yamlError = doc.errors[0];
  if (yamlError) {
    const pos = yamlError.linePos?.[0];
    throw badInput(`not valid YAML/JSON: ${yamlError.message.split('\n')[0]}`, {
      file,
      ...(pos ? { line: pos.line, column: pos.col } : {}),
    });
  }
  const parsed = SlaPolicySet.safeParse(doc.toJS());
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
  // Point at the deepest node that exists (a missing field points at its parent).
  let line: number | undefined;
  let column: number | undefined;
  for (let depth = path.length; depth >= 0 && line === undefined; depth -= 1) {
    const node = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true);
    const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
    if (range) {
      const pos = lineCounter.linePos(range[0]);
      line = pos.line;
      column = pos.col;
    }
  }
  const field = path.join('.') || '(top level)';
  throw badInput(issue.message, {
    file,
    ...(line !== undefined ? { line } : {}),
    ...(column !== undefined ? { column } : {}),
    field,
  });
}

export function loadPolicyFile(path: string): SlaPolicySet {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new AppError('bad_input', `cannot read SLA policy file ${path}: ${(error as Error).message}`, {
      location: { file: path },
    });
  }
  return parsePolicySet(text, path);
}

const defaultPolicyPath = projectPath('src/sla/default-policies.yaml');
let defaultSet: SlaPolicySet | undefined;

/** The policy set Gleaner ships (src/sla/default-policies.yaml), used until `gleaner sla set`. */
export function defaultPolicySet(): SlaPolicySet {
  defaultSet ??= loadPolicyFile(defaultPolicyPath);
  return defaultSet;
}

/** The fields a policy can be selected by. */
export type PolicySubject = {
  source: string | null;
  campaign: string | null;
  segment: string | null;
  score: number | null;
};

const inList = (list: readonly string[] | undefined, value: string | null): boolean =>
  list === undefined || (value !== null && list.some((x) => x.toLowerCase() === value.toLowerCase().trim()));

function matchesOne(m: PolicyMatch, s: PolicySubject): boolean {
  if (!inList(m.sources, s.source) || !inList(m.campaigns, s.campaign) || !inList(m.segments, s.segment))
    return false;
  if (m.score_min !== undefined && (s.score === null || s.score < m.score_min)) return false;
  if (m.score_max !== undefined && (s.score === null || s.score >= m.score_max)) return false;
  return true;
}

/** The lead fields no policy matches on: readers can skip them (strings cost the most to read). */
export function unmatchedFields(policies: readonly SlaPolicy[]): Array<'campaign' | 'segment'> {
  return [
    ...(policiesMatchOn(policies, 'campaigns') ? [] : ['campaign' as const]),
    ...(policiesMatchOn(policies, 'segments') ? [] : ['segment' as const]),
  ];
}

/** Whether some policy selects leads by `field` (else the field plays no part in selecting one). */
export function policiesMatchOn(
  policies: readonly SlaPolicy[],
  field: 'sources' | 'campaigns' | 'segments',
): boolean {
  return policies.some(
    (p) => p.match !== undefined && (Array.isArray(p.match) ? p.match : [p.match]).some((m) => m[field]),
  );
}

/** First match wins; the last policy (no match) is the default. */
export function selectPolicy(policies: readonly SlaPolicy[], subject: PolicySubject): SlaPolicy {
  for (const p of policies) {
    if (p.match === undefined) return p;
    const list = Array.isArray(p.match) ? p.match : [p.match];
    if (list.some((m) => matchesOne(m, subject))) return p;
  }
  // Validation makes the last policy a catch-all; a hand-built list may not have one.
  throw new AppError('internal', 'SLA policy set has no default policy');
}

const weekdayNumber: Record<(typeof weekdays)[number], number> = {
  mon: 1,
  tue: 2,
  wed: 3,
  thu: 4,
  fri: 5,
  sat: 6,
  sun: 7,
};

const defaultBusinessHours = BusinessHours.parse({});
// Checking a zone builds an Intl formatter: remember the answer, and one calendar per policy and zone.
const zoneValidity = new Map<string, boolean>();
const validZone = (zone: string): boolean => {
  let ok = zoneValidity.get(zone);
  if (ok === undefined) {
    ok = IANAZone.isValidZone(zone);
    zoneValidity.set(zone, ok);
  }
  return ok;
};
const calendars = new WeakMap<SlaPolicy, Map<string, BusinessCalendar>>();

/** The business calendar of a policy for a lead whose rep works in `repTimeZone`. */
export function calendarFor(policy: SlaPolicy, repTimeZone: string | null): BusinessCalendar {
  const b = policy.business_hours ?? defaultBusinessHours;
  const wanted = b.time_zone === 'rep' ? repTimeZone || 'UTC' : b.time_zone;
  const zone = validZone(wanted) ? wanted : 'UTC';
  let byZone = calendars.get(policy);
  if (!byZone) {
    byZone = new Map();
    calendars.set(policy, byZone);
  }
  let cal = byZone.get(zone);
  if (!cal) {
    cal = {
      timeZone: zone,
      workingDays: b.working_days.map((d) => weekdayNumber[d]),
      startMinute: minutesOf(b.start),
      endMinute: minutesOf(b.end),
      holidays: b.holidays,
    };
    byZone.set(zone, cal);
  }
  return cal;
}
