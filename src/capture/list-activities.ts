import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';

export type ActivityListRow = {
  id: number;
  occurred_at: number;
  kind: string;
  direction: string;
  rep_id: number | null;
  lead_id: number | null;
  contact_id: number | null;
  account_id: number | null;
  touch: number;
  response: number;
  effort_minutes: number;
  source: string;
  /** Each participant as `role address → target (rule; note)`. */
  participants: string;
};

/** Activities with how each participant matched, newest first. */
export async function listActivities(
  db: Kysely<Database>,
  filter: {
    leadId?: number | undefined;
    repId?: number | undefined;
    kind?: string | undefined;
    since?: number | undefined;
    unmatched?: boolean | undefined;
    limit: number;
  },
): Promise<ActivityListRow[]> {
  let q = db
    .selectFrom('activities')
    .select([
      'id',
      'occurred_at',
      'kind',
      'direction',
      'rep_id',
      'lead_id',
      'contact_id',
      'account_id',
      'is_touch',
      'is_response',
      'effort_minutes',
      'source',
    ]);
  if (filter.leadId !== undefined) q = q.where('lead_id', '=', filter.leadId);
  if (filter.repId !== undefined) q = q.where('rep_id', '=', filter.repId);
  if (filter.kind !== undefined) q = q.where('kind', '=', filter.kind);
  if (filter.since !== undefined) q = q.where('occurred_at', '>=', filter.since);
  if (filter.unmatched) q = q.where('lead_id', 'is', null).where('contact_id', 'is', null);
  const rows = await q.orderBy('occurred_at', 'desc').orderBy('id', 'desc').limit(filter.limit).execute();
  const ids = rows.map((r) => r.id);
  const parts =
    ids.length === 0
      ? []
      : await db
          .selectFrom('activity_participants')
          .selectAll()
          .where('activity_id', 'in', ids)
          .orderBy('id')
          .execute();
  const byActivity = new Map<number, string[]>();
  for (const p of parts) {
    const who = p.email ?? p.phone ?? '?';
    const target =
      p.rep_id !== null
        ? `rep ${p.rep_id}`
        : p.lead_id !== null
          ? `lead ${p.lead_id}`
          : p.contact_id !== null
            ? `contact ${p.contact_id}`
            : p.account_id !== null
              ? `account ${p.account_id}`
              : 'unmatched';
    const why = p.match_rule ? ` (${p.match_rule}${p.match_note ? `; ${p.match_note}` : ''})` : '';
    const list = byActivity.get(p.activity_id) ?? [];
    list.push(`${p.role} ${who} → ${target}${why}`);
    byActivity.set(p.activity_id, list);
  }
  return rows.map((r) => ({
    id: r.id,
    occurred_at: r.occurred_at,
    kind: r.kind,
    direction: r.direction,
    rep_id: r.rep_id,
    lead_id: r.lead_id,
    contact_id: r.contact_id,
    account_id: r.account_id,
    touch: r.is_touch,
    response: r.is_response,
    effort_minutes: r.effort_minutes,
    source: r.source,
    participants: (byActivity.get(r.id) ?? []).join('; '),
  }));
}

export type EffortRow = {
  id: number | null;
  name: string | null;
  activities: number;
  touches: number;
  responses: number;
  effort_minutes: number;
};

/**
 * Effort in rep minutes per rep (summed over activities) or per lead (read from lead_stats, so
 * no rescan of activities), largest first.
 */
export async function effortSummary(
  db: Kysely<Database>,
  options: { by: 'rep' | 'lead'; limit: number },
): Promise<EffortRow[]> {
  if (options.by === 'lead') {
    const rows = await db
      .selectFrom('lead_stats as s')
      .innerJoin('leads as l', 'l.id', 's.lead_id')
      .select([
        's.lead_id as id',
        'l.name',
        'l.email',
        's.touches',
        's.responses',
        's.effort_minutes',
        's.calls',
        's.emails',
        's.meetings',
      ])
      .orderBy('s.effort_minutes', 'desc')
      .limit(options.limit)
      .execute();
    return rows.map((r) => ({
      id: r.id,
      name: r.name ?? r.email,
      activities: r.calls + r.emails + r.meetings,
      touches: r.touches,
      responses: r.responses,
      effort_minutes: Math.round(r.effort_minutes * 100) / 100,
    }));
  }
  const rows = await db
    .selectFrom('activities as a')
    .leftJoin('reps as r', 'r.id', 'a.rep_id')
    .select((eb) => [
      'a.rep_id as id',
      'r.name',
      eb.fn.countAll<number>().as('activities'),
      eb.fn.sum<number>('a.is_touch').as('touches'),
      eb.fn.sum<number>('a.is_response').as('responses'),
      eb.fn.sum<number>('a.effort_minutes').as('effort_minutes'),
    ])
    .groupBy(['a.rep_id', 'r.name'])
    .orderBy('effort_minutes', 'desc')
    .limit(options.limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    activities: Number(r.activities),
    touches: Number(r.touches),
    responses: Number(r.responses),
    effort_minutes: Math.round(Number(r.effort_minutes) * 100) / 100,
  }));
}
