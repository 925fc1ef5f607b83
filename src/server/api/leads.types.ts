import { z } from 'zod';
import { ActivityDirection, ActivityKind, LeadStatus, SlaState } from '../../domain/words.ts';
import { EpochMs } from './common.types.ts';

const csv = <T extends z.ZodType<unknown, string>>(item: T) =>
  z
    .string()
    .transform((s) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    )
    .pipe(z.array(item).min(1));

/** A time in a query string: epoch milliseconds or an ISO date/time. */
export const QueryTime = z.union([
  z.string().regex(/^\d+$/).transform(Number),
  z.iso.date().transform((d) => Date.parse(`${d}T00:00:00Z`)),
  z.iso.datetime({ offset: true }).transform((d) => Date.parse(d)),
]);

export const leadSortKeys = ['score', 'handed_over_at', 'updated_at', 'name', 'company', 'status'] as const;

/** GET /api/leads query. `sort` is a key, prefixed with `-` for descending (default `-handed_over_at`). */
export const LeadListQuery = z.object({
  status: csv(LeadStatus).optional(),
  owner: z.coerce.number().int().positive().optional(),
  team: z.coerce.number().int().positive().optional(),
  source: z.string().min(1).optional(),
  campaign: z.string().min(1).optional(),
  /** Handed over at or after this time. */
  since: QueryTime.optional(),
  until: QueryTime.optional(),
  q: z.string().min(1).max(200).optional(),
  sort: z
    .enum([...leadSortKeys, ...leadSortKeys.map((k) => `-${k}` as const)] as [string, ...string[]])
    .default('-handed_over_at'),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
});
export type LeadListQuery = z.infer<typeof LeadListQuery>;

export const LeadSummary = z
  .object({
    id: z.number().int(),
    externalId: z.string(),
    name: z.string().nullable(),
    email: z.string().nullable(),
    title: z.string().nullable(),
    company: z.string().nullable(),
    source: z.string().nullable(),
    campaign: z.string().nullable(),
    score: z.number().nullable(),
    status: LeadStatus,
    ownerRepId: z.number().int().nullable(),
    ownerRepName: z.string().nullable(),
    handedOverAt: EpochMs.nullable(),
    touches: z.number().int(),
    firstTouchAt: EpochMs.nullable(),
    lastTouchAt: EpochMs.nullable(),
  })
  .meta({ id: 'LeadSummary' });
export type LeadSummary = z.infer<typeof LeadSummary>;

export const LeadList = z
  .object({
    items: z.array(LeadSummary),
    total: z.number().int(),
    page: z.number().int(),
    pageSize: z.number().int(),
  })
  .meta({ id: 'LeadList' });
export type LeadList = z.infer<typeof LeadList>;

export const Lead = LeadSummary.extend({
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  phone: z.string().nullable(),
  companyDomain: z.string().nullable(),
  industry: z.string().nullable(),
  employees: z.number().nullable(),
  annualRevenue: z.number().nullable(),
  country: z.string().nullable(),
  region: z.string().nullable(),
  segment: z.string().nullable(),
  landingPage: z.string().nullable(),
  fitScore: z.number().nullable(),
  behaviourScore: z.number().nullable(),
  predictedScore: z.number().nullable(),
  accountId: z.number().int().nullable(),
  dispositionReason: z.string().nullable(),
  convertedAt: EpochMs.nullable(),
  opportunityId: z.number().int().nullable(),
  flags: z.array(z.string()),
  createdAt: EpochMs,
  updatedAt: EpochMs,
}).meta({ id: 'Lead' });
export type Lead = z.infer<typeof Lead>;

export const LeadStats = z
  .object({
    firstTouchAt: EpochMs.nullable(),
    lastTouchAt: EpochMs.nullable(),
    touches: z.number().int(),
    calls: z.number().int(),
    emails: z.number().int(),
    meetings: z.number().int(),
    responses: z.number().int(),
    lastResponseAt: EpochMs.nullable(),
    effortMinutes: z.number(),
  })
  .meta({ id: 'LeadStats' });
export type LeadStats = z.infer<typeof LeadStats>;

/** One participant of a captured activity and why it matched ("matched because …"). */
export const TimelineParticipant = z
  .object({
    role: z.string(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    name: z.string().nullable(),
    repId: z.number().int().nullable(),
    leadId: z.number().int().nullable(),
    contactId: z.number().int().nullable(),
    accountId: z.number().int().nullable(),
    matchRule: z.string().nullable(),
    matchNote: z.string().nullable(),
    response: z.string().nullable(),
  })
  .meta({ id: 'TimelineParticipant' });
export type TimelineParticipant = z.infer<typeof TimelineParticipant>;

export const TimelineActivity = z
  .object({
    id: z.number().int(),
    kind: ActivityKind,
    direction: ActivityDirection,
    occurredAt: EpochMs,
    endedAt: EpochMs.nullable(),
    durationSeconds: z.number().nullable(),
    effortMinutes: z.number(),
    repId: z.number().int().nullable(),
    source: z.string(),
    subject: z.string().nullable(),
    disposition: z.string().nullable(),
    isTouch: z.boolean(),
    isResponse: z.boolean(),
    participants: z.array(TimelineParticipant),
  })
  .meta({ id: 'TimelineActivity' });
export type TimelineActivity = z.infer<typeof TimelineActivity>;

export const LeadEvent = z
  .object({
    id: z.number().int(),
    kind: z.string(),
    fromStatus: z.string().nullable(),
    toStatus: z.string().nullable(),
    occurredAt: EpochMs,
    actor: z.string(),
    reasonCode: z.string().nullable(),
    reasonText: z.string().nullable(),
  })
  .meta({ id: 'LeadEvent' });
export type LeadEvent = z.infer<typeof LeadEvent>;

/** The lead's SLA state in words; null until the SLA engine is wired (see the server README section). */
export const SlaExplanation = z
  .object({
    state: SlaState,
    policy: z.string().nullable(),
    /** Plain-language lines: which deadline, met or missed by how much. */
    reasons: z.array(z.string()),
    /** The SLA engine's full evaluation, as it returns it. */
    detail: z.unknown(),
  })
  .meta({ id: 'SlaExplanation' });
export type SlaExplanation = z.infer<typeof SlaExplanation>;

export const LeadDetail = z
  .object({
    lead: Lead,
    stats: LeadStats.nullable(),
    timeline: z.array(TimelineActivity),
    events: z.array(LeadEvent),
    sla: SlaExplanation.nullable(),
  })
  .meta({ id: 'LeadDetail' });
export type LeadDetail = z.infer<typeof LeadDetail>;

/** GET /api/sla-board query: open leads at risk or breached, in the caller's view. */
export const SlaBoardQuery = z.object({
  state: z.enum(['at_risk', 'breached', 'both']).default('both'),
  owner: z.coerce.number().int().positive().optional(),
  team: z.coerce.number().int().positive().optional(),
  source: z.string().min(1).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
});
export type SlaBoardQuery = z.infer<typeof SlaBoardQuery>;

export const SlaBoardItem = z
  .object({
    lead: LeadSummary,
    state: z.enum(['at_risk', 'breached']),
    policy: z.string(),
    /** at_risk: the deadline coming up; breached: the deadline of the first rule broken. */
    deadlineAt: EpochMs.nullable(),
    /** The rule the deadline belongs to (first_touch, attempts, max_gap). */
    rule: z.string().nullable(),
    /** breached: each rule broken and how late, in words ("first touch 2 d late"). */
    breaches: z.array(z.object({ rule: z.string(), byMs: z.number(), text: z.string() })),
  })
  .meta({ id: 'SlaBoardItem' });
export type SlaBoardItem = z.infer<typeof SlaBoardItem>;

export const SlaBoard = z
  .object({
    items: z.array(SlaBoardItem),
    /** Counts in the caller's view with the filters applied (whatever `state` shows). */
    atRisk: z.number().int(),
    breached: z.number().int(),
    /** The sources of the open leads in view (state and source filters aside), for the filter. */
    sources: z.array(z.string()),
    total: z.number().int(),
    page: z.number().int(),
    pageSize: z.number().int(),
    /** The moment the states were evaluated (at most a minute before the request). */
    now: EpochMs,
  })
  .meta({ id: 'SlaBoard' });
export type SlaBoard = z.infer<typeof SlaBoard>;
