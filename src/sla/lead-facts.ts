import { type Kysely, sql } from 'kysely';
import type { Database } from '../store/schema.ts';

/** One handed-over lead with everything the SLA and the reports need: a row of leads ⨝ lead_stats ⨝ rep. */
export type LeadFacts = {
  lead_id: number;
  source: string | null;
  campaign: string | null;
  segment: string | null;
  score: number | null;
  status: string;
  disposition_reason: string | null;
  handed_over_at: number | null;
  created_at: number;
  converted_at: number | null;
  closed_at: number | null;
  account_id: number | null;
  owner_rep_id: number | null;
  rep_name: string | null;
  rep_time_zone: string | null;
  rep_capacity_hours: number | null;
  team_id: number | null;
  team_name: string | null;
  first_touch_at: number | null;
  last_touch_at: number | null;
  touches: number;
  calls: number;
  emails: number;
  meetings: number;
  responses: number;
  effort_minutes: number;
  max_gap_ms: number | null;
  opportunity_id: number | null;
  opportunity_won: number | null;
  opportunity_amount: number | null;
  opportunity_closed_at: number | null;
};

export type LeadFactsFilter = {
  /** Hand-over time (creation time for leads never handed over) ≥ since, epoch ms. */
  since?: number | undefined;
  /** Hand-over time (or creation time) < until, epoch ms. */
  until?: number | undefined;
  leadIds?: readonly number[] | undefined;
  /** Include leads never handed over (nurture); off by default. */
  includeNurture?: boolean;
  /** Columns the caller does not need, read as null (strings cost the most to read at 100k+ leads). */
  omit?: ReadonlyArray<'campaign' | 'segment'>;
};

const closingKinds = ['qualified', 'disqualified', 'unresponsive', 'recycled', 'rejected', 'converted'];

/**
 * Reads the per-lead facts in one query (ordered by lead id so every engine sums in the same order).
 * Close time: the latest closing lead event, else converted_at, else the lead's updated_at.
 */
/** A lead's facts as read, before the rep fields are looked up. */
export type LeadFactsRow = Omit<
  LeadFacts,
  | 'rep_name'
  | 'rep_time_zone'
  | 'rep_capacity_hours'
  | 'team_id'
  | 'team_name'
  | 'opportunity_id'
  | 'opportunity_won'
  | 'opportunity_amount'
  | 'opportunity_closed_at'
> & { opportunity_ref: number | null };
export type OpportunityFacts = {
  id: number;
  won: number | null;
  amount: number | null;
  closed_at: number | null;
};
export type RepFacts = {
  name: string;
  time_zone: string;
  monthly_capacity_hours: number;
  team_id: number | null;
  team_name: string | null;
};

export async function loadLeadFacts(
  db: Kysely<Database>,
  filter: LeadFactsFilter = {},
): Promise<LeadFacts[]> {
  const { rows, reps, opportunityOf } = await readLeadFacts(db, filter);
  // One literal shape for every lead keeps property access monomorphic in later passes.
  return rows.map((r): LeadFacts => {
    const rep = r.owner_rep_id === null ? undefined : reps.get(r.owner_rep_id);
    const o = opportunityOf(r);
    return {
      lead_id: r.lead_id,
      source: r.source,
      campaign: r.campaign,
      segment: r.segment,
      score: r.score,
      status: r.status,
      disposition_reason: r.disposition_reason,
      handed_over_at: r.handed_over_at,
      created_at: r.created_at,
      converted_at: r.converted_at,
      closed_at: r.closed_at,
      account_id: r.account_id,
      owner_rep_id: r.owner_rep_id,
      rep_name: rep?.name ?? null,
      rep_time_zone: rep?.time_zone ?? null,
      rep_capacity_hours: rep?.monthly_capacity_hours ?? null,
      team_id: rep?.team_id ?? null,
      team_name: rep?.team_name ?? null,
      first_touch_at: r.first_touch_at,
      last_touch_at: r.last_touch_at,
      touches: r.touches,
      calls: r.calls,
      emails: r.emails,
      meetings: r.meetings,
      responses: r.responses,
      effort_minutes: r.effort_minutes,
      max_gap_ms: r.max_gap_ms,
      opportunity_id: o?.id ?? null,
      opportunity_won: o?.won ?? null,
      opportunity_amount: o?.amount ?? null,
      opportunity_closed_at: o?.closed_at ?? null,
    };
  });
}

/** The facts query and the rep lookup, unmapped: reports build their own per-lead objects from it in one pass. */
export async function readLeadFacts(
  db: Kysely<Database>,
  filter: LeadFactsFilter = {},
): Promise<{
  rows: LeadFactsRow[];
  reps: Map<number, RepFacts>;
  opportunityOf: (row: LeadFactsRow) => OpportunityFacts | undefined;
}> {
  const rows: LeadFactsRow[] = await leadFactsQuery(db, filter).orderBy('l.id').execute();
  const reps = await readReps(db);
  const opportunityOf = await readOpportunities(db);
  return { rows, reps, opportunityOf };
}

/** Reps with their team, by id. */
export async function readReps(db: Kysely<Database>): Promise<Map<number, RepFacts>> {
  const reps = await db
    .selectFrom('reps as r')
    .leftJoin('teams as t', 't.id', 'r.team_id')
    .select(['r.id', 'r.name', 'r.time_zone', 'r.monthly_capacity_hours', 'r.team_id', 't.name as team_name'])
    .execute();
  return new Map(reps.map((r) => [Number(r.id), r]));
}

/**
 * A lead's opportunity: leads.opportunity_id, else (qualified leads) the first that names the lead.
 * Opportunities are far fewer than leads: one read and a lookup beat a join per lead.
 */
export async function readOpportunities(
  db: Kysely<Database>,
): Promise<
  (r: { lead_id: number; status: string; opportunity_ref: number | null }) => OpportunityFacts | undefined
> {
  const opps = await db
    .selectFrom('opportunities')
    .select(['id', 'lead_id', 'won', 'amount', 'closed_at'])
    .orderBy('id')
    .execute();
  const oppById = new Map<number, OpportunityFacts>();
  const firstByLead = new Map<number, OpportunityFacts>();
  for (const o of opps) {
    const facts = { id: o.id, won: o.won, amount: o.amount, closed_at: o.closed_at };
    oppById.set(o.id, facts);
    if (o.lead_id !== null && !firstByLead.has(o.lead_id)) firstByLead.set(o.lead_id, facts);
  }
  return (r) =>
    r.opportunity_ref !== null
      ? oppById.get(r.opportunity_ref)
      : r.status === 'qualified'
        ? firstByLead.get(r.lead_id)
        : undefined;
}

/**
 * The facts select (leads ⨝ lead_stats, one row per lead, unordered). Both engines return numbers here
 * (BIGINT is parsed as a number on PostgreSQL); reps, teams and opportunities are few, so their fields
 * come from lookups instead of joins and more columns per lead.
 */
export function leadFactsQuery(db: Kysely<Database>, filter: LeadFactsFilter = {}) {
  const closing = sql.join(closingKinds.map((k) => sql.lit(k)));
  let q = db
    .selectFrom('leads as l')
    .leftJoin('lead_stats as s', 's.lead_id', 'l.id')
    .select([
      'l.id as lead_id',
      'l.source',
      filter.omit?.includes('campaign') ? sql<string | null>`null`.as('campaign') : 'l.campaign',
      filter.omit?.includes('segment') ? sql<string | null>`null`.as('segment') : 'l.segment',
      'l.score',
      'l.status',
      'l.disposition_reason',
      'l.handed_over_at',
      'l.created_at',
      'l.converted_at',
      // Only closed leads need a close time: one index seek into their events each.
      sql<
        number | null
      >`case when l.status in ('qualified','disqualified','unresponsive','recycled','rejected','nurture')
        then coalesce((select max(e.occurred_at) from lead_events e where e.lead_id = l.id and e.kind in (${closing})),
          l.converted_at, l.updated_at) end`.as('closed_at'),
      'l.account_id',
      'l.owner_rep_id',
      's.first_touch_at',
      's.last_touch_at',
      sql<number>`coalesce(s.touches, 0)`.as('touches'),
      sql<number>`coalesce(s.calls, 0)`.as('calls'),
      sql<number>`coalesce(s.emails, 0)`.as('emails'),
      sql<number>`coalesce(s.meetings, 0)`.as('meetings'),
      sql<number>`coalesce(s.responses, 0)`.as('responses'),
      sql<number>`coalesce(s.effort_minutes, 0)`.as('effort_minutes'),
      's.max_gap_ms',
      'l.opportunity_id as opportunity_ref',
    ]);
  if (!filter.includeNurture) q = q.where('l.handed_over_at', 'is not', null);
  const started = sql<number>`coalesce(l.handed_over_at, l.created_at)`;
  if (filter.since !== undefined) q = q.where(started, '>=', filter.since);
  if (filter.until !== undefined) q = q.where(started, '<', filter.until);
  if (filter.leadIds) q = q.where('l.id', 'in', filter.leadIds.length ? [...filter.leadIds] : [-1]);
  return q;
}
