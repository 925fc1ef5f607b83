import type { Principal } from '../auth/principal.ts';
import { scopeLeads } from '../lead-scope.ts';
import type { ServerDeps } from '../route.ts';
import { toLeadSummary } from './lead-mappers.ts';
import type { LeadList, LeadListQuery, LeadSummary } from './leads.types.ts';

const sortColumns = {
  score: 'leads.score',
  handed_over_at: 'leads.handed_over_at',
  updated_at: 'leads.updated_at',
  name: 'leads.name',
  company: 'leads.company',
  status: 'leads.status',
} as const;

const summaryColumns = [
  'leads.id',
  'leads.external_id',
  'leads.name',
  'leads.first_name',
  'leads.last_name',
  'leads.email',
  'leads.title',
  'leads.company',
  'leads.source',
  'leads.campaign',
  'leads.score',
  'leads.status',
  'leads.owner_rep_id',
  'leads.handed_over_at',
  'reps.name as owner_rep_name',
  'lead_stats.touches',
  'lead_stats.first_touch_at',
  'lead_stats.last_touch_at',
] as const;

/** The summaries of the given leads (at most a page of them), by id. */
export async function leadSummariesById(
  deps: ServerDeps,
  ids: readonly number[],
): Promise<Map<number, LeadSummary>> {
  if (ids.length === 0) return new Map();
  const rows = await deps.store.db
    .selectFrom('leads')
    .leftJoin('reps', 'reps.id', 'leads.owner_rep_id')
    .leftJoin('lead_stats', 'lead_stats.lead_id', 'leads.id')
    .select(summaryColumns)
    .where('leads.id', 'in', [...ids])
    .execute();
  return new Map(rows.map((r) => [r.id, toLeadSummary(r)]));
}

/**
 * The caller's visible leads (lead-scope.ts) narrowed by status, owner, team and source: the
 * filters the leads list and the SLA board share. A filter never widens the caller's view.
 */
export function visibleLeads(
  deps: ServerDeps,
  principal: Principal,
  q: {
    status?: readonly string[] | undefined;
    owner?: number | undefined;
    team?: number | undefined;
    source?: string | undefined;
  },
) {
  let base = scopeLeads(deps.store.db.selectFrom('leads'), principal);
  if (q.status) base = base.where('leads.status', 'in', [...q.status]);
  if (q.owner !== undefined) base = base.where('leads.owner_rep_id', '=', q.owner);
  if (q.team !== undefined) {
    const team = q.team;
    base = base.where((eb) =>
      eb(
        'leads.owner_rep_id',
        'in',
        eb.selectFrom('reps').select('reps.id').where('reps.team_id', '=', team),
      ),
    );
  }
  if (q.source) base = base.where('leads.source', '=', q.source);
  return base;
}

/** The caller's visible leads, filtered, sorted and paged (ties broken by id). */
export async function listLeads(
  deps: ServerDeps,
  options: { principal: Principal; query: LeadListQuery },
): Promise<LeadList> {
  const q = options.query;
  let base = visibleLeads(deps, options.principal, q);
  if (q.campaign) base = base.where('leads.campaign', '=', q.campaign);
  if (q.since !== undefined) base = base.where('leads.handed_over_at', '>=', q.since);
  if (q.until !== undefined) base = base.where('leads.handed_over_at', '<', q.until);
  if (q.q) {
    const like = `%${q.q.toLowerCase().replace(/[%_\\]/g, (ch) => `\\${ch}`)}%`;
    base = base.where((eb) =>
      eb.or(
        ['leads.name', 'leads.email', 'leads.company', 'leads.external_id'].map((col) =>
          eb(eb.fn('lower', [eb.ref(col as 'leads.name')]), 'like', like),
        ),
      ),
    );
  }

  const desc = q.sort.startsWith('-');
  const key = (desc ? q.sort.slice(1) : q.sort) as keyof typeof sortColumns;
  const [countRow, rows] = await Promise.all([
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst(),
    base
      .leftJoin('reps', 'reps.id', 'leads.owner_rep_id')
      .leftJoin('lead_stats', 'lead_stats.lead_id', 'leads.id')
      .select(summaryColumns)
      .orderBy(sortColumns[key], (ob) => (desc ? ob.desc().nullsLast() : ob.asc().nullsLast()))
      .orderBy('leads.id', desc ? 'desc' : 'asc')
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize)
      .execute(),
  ]);
  return {
    items: rows.map(toLeadSummary),
    total: Number(countRow?.n ?? 0),
    page: q.page,
    pageSize: q.pageSize,
  };
}
