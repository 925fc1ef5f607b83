import { type Kysely, sql } from 'kysely';
import type { Database } from '../store/schema.ts';

/**
 * Recomputes the lead_stats rows of the given leads from their activities (touch counts by kind,
 * first/last touch, responses, effort, max gap between consecutive touches). Writers of activities
 * call it for the leads a batch touched; reports then read lead_stats only and never rescan activities.
 * Same SQL on SQLite and PostgreSQL (window functions, upsert).
 */
export async function refreshLeadStats(
  db: Kysely<Database>,
  options: { leadIds: readonly number[]; now: number },
): Promise<void> {
  const chunk = 500;
  for (let i = 0; i < options.leadIds.length; i += chunk) {
    const ids = [...new Set(options.leadIds.slice(i, i + chunk))];
    if (ids.length === 0) continue;
    const counts = await db
      .selectFrom('activities')
      .where('lead_id', 'in', ids)
      .select((eb) => [
        'lead_id',
        eb.fn.min(sql<number | null>`case when is_touch = 1 then occurred_at end`).as('first_touch_at'),
        eb.fn.max(sql<number | null>`case when is_touch = 1 then occurred_at end`).as('last_touch_at'),
        eb.fn.sum<number>(sql`case when is_touch = 1 then 1 else 0 end`).as('touches'),
        eb.fn.sum<number>(sql`case when is_touch = 1 and kind = 'call' then 1 else 0 end`).as('calls'),
        eb.fn.sum<number>(sql`case when is_touch = 1 and kind = 'email' then 1 else 0 end`).as('emails'),
        eb.fn.sum<number>(sql`case when is_touch = 1 and kind = 'meeting' then 1 else 0 end`).as('meetings'),
        eb.fn.sum<number>(sql`case when is_response = 1 then 1 else 0 end`).as('responses'),
        eb.fn.max(sql<number | null>`case when is_response = 1 then occurred_at end`).as('last_response_at'),
        eb.fn.sum<number>('effort_minutes').as('effort_minutes'),
      ])
      .groupBy('lead_id')
      .execute();
    const gapOf = await maxTouchGaps(db, ids);
    const byLead = new Map(counts.map((c) => [Number(c.lead_id), c]));
    const rows = ids.map((leadId) => {
      const c = byLead.get(leadId);
      return {
        lead_id: leadId,
        first_touch_at: c?.first_touch_at == null ? null : Number(c.first_touch_at),
        last_touch_at: c?.last_touch_at == null ? null : Number(c.last_touch_at),
        touches: Number(c?.touches ?? 0),
        calls: Number(c?.calls ?? 0),
        emails: Number(c?.emails ?? 0),
        meetings: Number(c?.meetings ?? 0),
        responses: Number(c?.responses ?? 0),
        last_response_at: c?.last_response_at == null ? null : Number(c.last_response_at),
        effort_minutes: Number(c?.effort_minutes ?? 0),
        max_gap_ms: gapOf.get(leadId) ?? null,
        updated_at: options.now,
      };
    });
    await db
      .insertInto('lead_stats')
      .values(rows)
      .onConflict((oc) =>
        oc.column('lead_id').doUpdateSet((eb) => ({
          first_touch_at: eb.ref('excluded.first_touch_at'),
          last_touch_at: eb.ref('excluded.last_touch_at'),
          touches: eb.ref('excluded.touches'),
          calls: eb.ref('excluded.calls'),
          emails: eb.ref('excluded.emails'),
          meetings: eb.ref('excluded.meetings'),
          responses: eb.ref('excluded.responses'),
          last_response_at: eb.ref('excluded.last_response_at'),
          effort_minutes: eb.ref('excluded.effort_minutes'),
          max_gap_ms: eb.ref('excluded.max_gap_ms'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
  }
}

/** Longest gap between consecutive touches per lead (null with fewer than two touches), by a window query. */
async function maxTouchGaps(
  db: Kysely<Database>,
  ids: readonly number[],
): Promise<Map<number, number | null>> {
  const gaps = await db
    .selectFrom(
      db
        .selectFrom('activities')
        .where('lead_id', 'in', ids)
        .where('is_touch', '=', 1)
        .select([
          'lead_id',
          sql<number>`occurred_at - lag(occurred_at) over (partition by lead_id order by occurred_at)`.as(
            'gap',
          ),
        ])
        .as('g'),
    )
    .select((eb) => ['g.lead_id', eb.fn.max('g.gap').as('max_gap_ms')])
    .groupBy('g.lead_id')
    .execute();
  return new Map(gaps.map((g) => [Number(g.lead_id), g.max_gap_ms === null ? null : Number(g.max_gap_ms)]));
}

/**
 * Recomputes only lead_stats.max_gap_ms for the given leads. Capture adds counters incrementally but
 * touches arrive out of order (mail folders, calendars), so the gap is recomputed for the leads a batch
 * touched: one set-based UPDATE … FROM per chunk of leads (both engines), not one statement per lead.
 */
export async function refreshTouchGaps(db: Kysely<Database>, leadIds: readonly number[]): Promise<void> {
  const unique = [...new Set(leadIds)];
  for (let i = 0; i < unique.length; i += 500) {
    const ids = unique.slice(i, i + 500);
    await sql`update lead_stats set max_gap_ms = g.max_gap_ms
      from (
        select lead_id, max(gap) as max_gap_ms from (
          select lead_id, occurred_at - lag(occurred_at) over (partition by lead_id order by occurred_at) as gap
          from activities where lead_id in (${sql.join(ids)}) and is_touch = 1
        ) as t group by lead_id
      ) as g
      where lead_stats.lead_id = g.lead_id`.execute(db);
  }
}

/** The incremental rule for one new touch at `at` (in time order); out-of-order touches need refreshLeadStats. */
export function nextMaxGap(options: {
  maxGapMs: number | null;
  lastTouchAt: number | null;
  at: number;
}): number | null {
  const { maxGapMs, lastTouchAt, at } = options;
  if (lastTouchAt === null || at < lastTouchAt) return maxGapMs;
  return Math.max(maxGapMs ?? 0, at - lastTouchAt);
}

/** A lead's new touches since the last flush, as capture sums them. */
export type NewTouches = {
  firstAt: number | null;
  /** Largest gap between consecutive new touches (null with < 2). */
  gapWithin: number | null;
  /** Every new touch came at or after the one before it. */
  inOrder: boolean;
};

/**
 * The lead's max_gap_ms after new touches, from what is stored (last touch, max gap) and the new
 * touches alone, or `exact: false` when that cannot be known without the lead's whole touch sequence
 * (a touch earlier than one already counted): then refreshTouchGaps must recompute it.
 */
export function mergeTouchGap(
  stored: { lastTouchAt: number | null; maxGapMs: number | null } | undefined,
  touches: NewTouches,
): { maxGapMs: number | null; exact: boolean } {
  const before = stored?.maxGapMs ?? null;
  if (touches.firstAt === null) return { maxGapMs: before, exact: true };
  if (!touches.inOrder) return { maxGapMs: before, exact: false };
  const last = stored?.lastTouchAt ?? null;
  if (last === null) return { maxGapMs: touches.gapWithin, exact: true };
  if (touches.firstAt < last) return { maxGapMs: before, exact: false };
  let gap = touches.firstAt - last;
  if (before !== null && before > gap) gap = before;
  if (touches.gapWithin !== null && touches.gapWithin > gap) gap = touches.gapWithin;
  return { maxGapMs: gap, exact: true };
}
