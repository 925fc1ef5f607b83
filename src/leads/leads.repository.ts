import type { Kysely } from 'kysely';
import type { LeadStatus } from '../domain/words.ts';
import type { Database, LeadEventRow, LeadRow, LeadStatsRow, OpportunityRow } from '../store/schema.ts';

type Db = Kysely<Database>;

export type LeadFilter = {
  /** Nurture (and recycled, back in nurture) leads are listed only when asked for by status: reps never see the pool. */
  status?: readonly LeadStatus[];
  /** Rep id, external id, e-mail or exact name. */
  owner?: string;
  source?: string;
  campaign?: string;
  /** Handed over at or after (epoch ms). */
  since?: number;
  limit?: number;
  offset?: number;
};

export type LeadListRow = Pick<
  LeadRow,
  | 'id'
  | 'external_id'
  | 'name'
  | 'company'
  | 'title'
  | 'source'
  | 'campaign'
  | 'score'
  | 'status'
  | 'handed_over_at'
  | 'owner_rep_id'
  | 'flags'
> & { owner_name: string | null };

/** Finds a rep by numeric id, external id, e-mail (also aliases) or exact name. */
export async function findRepId(db: Db, ref: string): Promise<number | undefined> {
  const byKey = await db
    .selectFrom('reps')
    .select('id')
    .where((eb) =>
      eb.or([
        eb('external_id', '=', ref),
        eb('name', '=', ref),
        eb('email', '=', ref.toLowerCase()),
        ...(/^\d+$/.test(ref) ? [eb('id', '=', Number(ref))] : []),
      ]),
    )
    .executeTakeFirst();
  if (byKey) return byKey.id;
  const alias = await db
    .selectFrom('rep_identities')
    .select('rep_id')
    .where('kind', '=', 'email')
    .where('value', '=', ref.toLowerCase())
    .executeTakeFirst();
  return alias?.rep_id;
}

/** Leads matching the filter, newest hand-over first. An unknown owner matches nothing. */
export async function listLeads(db: Db, filter: LeadFilter = {}): Promise<LeadListRow[]> {
  let q = db
    .selectFrom('leads')
    .leftJoin('reps', 'reps.id', 'leads.owner_rep_id')
    .select([
      'leads.id',
      'leads.external_id',
      'leads.name',
      'leads.company',
      'leads.title',
      'leads.source',
      'leads.campaign',
      'leads.score',
      'leads.status',
      'leads.handed_over_at',
      'leads.owner_rep_id',
      'leads.flags',
      'reps.name as owner_name',
    ]);
  if (filter.status && filter.status.length > 0) q = q.where('leads.status', 'in', [...filter.status]);
  else q = q.where('leads.status', 'not in', ['nurture', 'recycled']);
  if (filter.owner !== undefined) {
    const repId = await findRepId(db, filter.owner);
    if (repId === undefined) return [];
    q = q.where('leads.owner_rep_id', '=', repId);
  }
  if (filter.source !== undefined) q = q.where('leads.source', '=', filter.source);
  if (filter.campaign !== undefined) q = q.where('leads.campaign', '=', filter.campaign);
  if (filter.since !== undefined) q = q.where('leads.handed_over_at', '>=', filter.since);
  return q
    .orderBy('leads.handed_over_at', 'desc')
    .orderBy('leads.id', 'desc')
    .limit(filter.limit ?? 100)
    .offset(filter.offset ?? 0)
    .execute();
}

/** Finds a lead by its CRM external id, or by Gleaner's numeric id. */
export async function findLead(db: Db, ref: string): Promise<LeadRow | undefined> {
  const byExternal = await db
    .selectFrom('leads')
    .selectAll()
    .where('external_id', '=', ref)
    .executeTakeFirst();
  if (byExternal || !/^\d+$/.test(ref)) return byExternal;
  return db.selectFrom('leads').selectAll().where('id', '=', Number(ref)).executeTakeFirst();
}

export type LeadDetail = {
  lead: LeadRow;
  owner: { id: number; external_id: string; name: string; email: string | null } | null;
  account: { id: number; external_id: string; name: string; domain: string | null } | null;
  opportunity: OpportunityRow | null;
  events: LeadEventRow[];
  stats: LeadStatsRow | null;
};

/**
 * Everything `gleaner leads show` and the API show for one lead. Other capabilities (SLA, scoring)
 * add their own sections beside it rather than growing this query.
 */
export async function loadLeadDetail(db: Db, ref: string): Promise<LeadDetail | undefined> {
  const lead = await findLead(db, ref);
  if (!lead) return undefined;
  const [owner, account, opportunity, events, stats] = await Promise.all([
    lead.owner_rep_id === null
      ? undefined
      : db
          .selectFrom('reps')
          .select(['id', 'external_id', 'name', 'email'])
          .where('id', '=', lead.owner_rep_id)
          .executeTakeFirst(),
    lead.account_id === null
      ? undefined
      : db
          .selectFrom('accounts')
          .select(['id', 'external_id', 'name', 'domain'])
          .where('id', '=', lead.account_id)
          .executeTakeFirst(),
    lead.opportunity_id === null
      ? undefined
      : db.selectFrom('opportunities').selectAll().where('id', '=', lead.opportunity_id).executeTakeFirst(),
    db
      .selectFrom('lead_events')
      .selectAll()
      .where('lead_id', '=', lead.id)
      .orderBy('occurred_at')
      .orderBy('id')
      .execute(),
    db.selectFrom('lead_stats').selectAll().where('lead_id', '=', lead.id).executeTakeFirst(),
  ]);
  return {
    lead,
    owner: owner ?? null,
    account: account ?? null,
    opportunity: opportunity ?? null,
    events,
    stats: stats ?? null,
  };
}

export type LeadCounts = {
  byStatus: Record<string, number>;
  bySource: Record<string, number>;
  total: number;
};

/** Lead counts by status and by source (empty source as "(none)"). */
export async function countLeads(db: Db): Promise<LeadCounts> {
  const statuses = await db
    .selectFrom('leads')
    .select(['status', db.fn.countAll<number>().as('n')])
    .groupBy('status')
    .orderBy('status')
    .execute();
  const sources = await db
    .selectFrom('leads')
    .select(['source', db.fn.countAll<number>().as('n')])
    .groupBy('source')
    .orderBy('source')
    .execute();
  const byStatus = Object.fromEntries(statuses.map((s) => [s.status, Number(s.n)]));
  return {
    byStatus,
    bySource: Object.fromEntries(sources.map((s) => [s.source ?? '(none)', Number(s.n)])),
    total: Object.values(byStatus).reduce((a, b) => a + b, 0),
  };
}
