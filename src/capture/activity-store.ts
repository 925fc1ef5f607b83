import { CompiledQuery, type Kysely, SqliteAdapter, type Transaction } from 'kysely';
import { openLeadStatuses } from '../domain/words.ts';
import type { DecidedActivity } from '../match/decide.ts';
import {
  addLeadsToIndex,
  buildMatchIndex,
  type MatchIndex,
  type MatchIndexInput,
  matchLeadColumns,
} from '../match/matcher.ts';
import { mergeTouchGap, refreshTouchGaps } from '../sla/lead-stats.ts';
import { bulkInsert, type PgColumnType, type BulkValue as Value } from '../store/bulk-insert.ts';
import type { CopyInto } from '../store/copy-rows.ts';
import type { Database } from '../store/schema.ts';
import type { CaptureSettings } from './capture-settings.ts';
import type { ReferencedIds } from './reference-check.ts';

/** Loads reps, leads, contacts and account domains once into in-memory match maps. */
export async function loadMatchIndex(db: Kysely<Database>, settings: CaptureSettings): Promise<MatchIndex> {
  const index = buildMatchIndex(await loadMatchIndexBase(db, settings));
  await forEachLeadPage(db, (page) => addLeadsToIndex(index, page, openLeadStatuses));
  return index;
}

/** Everything the match index is built from but the leads (forEachLeadPage reads those). */
export async function loadMatchIndexBase(
  db: Kysely<Database>,
  settings: CaptureSettings,
): Promise<MatchIndexInput> {
  const [repIdentities, reps, contacts, accountDomains] = await Promise.all([
    db.selectFrom('rep_identities').select(['rep_id', 'kind', 'value']).execute(),
    db.selectFrom('reps').select(['id', 'email']).execute(),
    db
      .selectFrom('contacts')
      .select(['id', 'email', 'phone', 'account_id', 'updated_at'])
      .where((eb) => eb.or([eb('email', 'is not', null), eb('phone', 'is not', null)]))
      .execute(),
    db.selectFrom('account_domains').select(['account_id', 'domain']).execute(),
  ]);
  return {
    repIdentities,
    reps,
    leads: [],
    contacts,
    accountDomains,
    ownDomains: settings.ownDomains,
    blocklist: settings.blocklist,
    defaultRegion: settings.defaultRegion,
    openStatuses: openLeadStatuses,
  };
}

/**
 * The leads the match index needs, a page at a time: at 100k+ leads the driver's row objects for
 * all of them at once would outweigh the index itself (peak RSS of a capture).
 */
export async function forEachLeadPage(
  db: Kysely<Database>,
  visit: (page: MatchIndexInput['leads']) => void,
): Promise<void> {
  for (let after = 0; ; ) {
    const page = await db
      .selectFrom('leads')
      .select(matchLeadColumns)
      .where((eb) => eb.or([eb('email', 'is not', null), eb('phone', 'is not', null)]))
      .where('id', '>', after)
      .orderBy('id')
      .limit(leadPageSize)
      .execute();
    visit(page);
    if (page.length < leadPageSize) return;
    after = page[page.length - 1]?.id ?? after;
  }
}

const leadPageSize = 10_000;

/** Per-lead counter increments for a set of stored activities. */
export type LeadStatsDelta = {
  lead_id: number;
  first_touch_at: number | null;
  last_touch_at: number | null;
  touches: number;
  calls: number;
  emails: number;
  meetings: number;
  responses: number;
  last_response_at: number | null;
  effort_minutes: number;
  /** Largest gap between consecutive touches summed here (null with < 2), while they come in time order. */
  gap_within: number | null;
  /** Every touch summed here came at or after the one before it. */
  in_order: boolean;
};

export type StatsInput = {
  leadId: number | null;
  kind: string;
  occurredAt: number;
  isTouch: boolean;
  isResponse: boolean;
  effortMinutes: number;
};

const minOf = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.min(a, b));
const maxOf = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));

/** Per-lead increments being summed (a run's segment, a rematch). */
export type LeadStatsByLead = Map<number, LeadStatsDelta>;

/** Adds one activity to the per-lead increments (pure apart from the map it fills). */
export function addLeadStats(byLead: LeadStatsByLead, a: StatsInput): void {
  if (a.leadId === null) return;
  let d = byLead.get(a.leadId);
  if (!d) {
    d = {
      lead_id: a.leadId,
      first_touch_at: null,
      last_touch_at: null,
      touches: 0,
      calls: 0,
      emails: 0,
      meetings: 0,
      responses: 0,
      last_response_at: null,
      effort_minutes: 0,
      gap_within: null,
      in_order: true,
    };
    byLead.set(a.leadId, d);
  }
  d.effort_minutes += a.effortMinutes;
  if (a.isTouch) {
    d.touches++;
    if (a.kind === 'call') d.calls++;
    else if (a.kind === 'email') d.emails++;
    else if (a.kind === 'meeting') d.meetings++;
    const previous = d.last_touch_at;
    if (previous !== null) {
      if (a.occurredAt < previous) d.in_order = false;
      else if (d.gap_within === null || a.occurredAt - previous > d.gap_within)
        d.gap_within = a.occurredAt - previous;
    }
    d.first_touch_at = minOf(d.first_touch_at, a.occurredAt);
    d.last_touch_at = maxOf(d.last_touch_at, a.occurredAt);
  }
  if (a.isResponse) {
    d.responses++;
    d.last_response_at = maxOf(d.last_response_at, a.occurredAt);
  }
}

/** Sums activities into per-lead increments (pure). */
export function leadStatsDeltas(activities: readonly StatsInput[]): LeadStatsDelta[] {
  const byLead: LeadStatsByLead = new Map();
  for (const a of activities) addLeadStats(byLead, a);
  return [...byLead.values()];
}

/**
 * Applies summed increments, then clears them. The touch gap of a lead whose new touches all come
 * at or after its stored last touch follows from the stored row (mergeTouchGap); only leads with
 * earlier touches are recomputed from their activities (refreshTouchGaps).
 */
export async function flushLeadStats(
  trx: Transaction<Database>,
  byLead: LeadStatsByLead,
  now: number,
): Promise<void> {
  if (byLead.size === 0) return;
  const deltas = [...byLead.values()];
  byLead.clear();
  const stored = await storedTouches(
    trx,
    deltas.map((d) => d.lead_id),
  );
  const gaps: Array<number | null> = [];
  const refresh: number[] = [];
  for (const d of deltas) {
    const merged = mergeTouchGap(stored.get(d.lead_id), {
      firstAt: d.first_touch_at,
      gapWithin: d.gap_within,
      inOrder: d.in_order,
    });
    gaps.push(merged.maxGapMs);
    if (!merged.exact) refresh.push(d.lead_id);
  }
  await applyLeadStats(trx, deltas, now, gaps);
  if (refresh.length > 0) await refreshTouchGaps(trx, refresh);
}

/**
 * The stored last touch and max gap of the given leads. On PostgreSQL the rows are locked until
 * the transaction ends, so a concurrent capture cannot change them between this read and the
 * upsert that builds on it (a SQLite writer holds the whole database). The ids go in as one
 * parameter (a JSON array on SQLite, an array on PostgreSQL): one short statement per 10,000
 * leads instead of a query built with 500 placeholders per 500.
 */
async function storedTouches(
  trx: Transaction<Database>,
  leadIds: readonly number[],
): Promise<Map<number, { lastTouchAt: number | null; maxGapMs: number | null }>> {
  const out = new Map<number, { lastTouchAt: number | null; maxGapMs: number | null }>();
  const sqlite = trx.getExecutor().adapter instanceof SqliteAdapter;
  const text = sqlite
    ? 'select lead_id, last_touch_at, max_gap_ms from lead_stats where lead_id in (select value from json_each(?))'
    : 'select lead_id, last_touch_at, max_gap_ms from lead_stats where lead_id = any($1::bigint[]) for update';
  for (let i = 0; i < leadIds.length; i += 10_000) {
    const ids = leadIds.slice(i, i + 10_000);
    const param = sqlite ? JSON.stringify(ids) : `{${ids.join(',')}}`;
    const result = await trx.executeQuery<{
      lead_id: number;
      last_touch_at: number | null;
      max_gap_ms: number | null;
    }>(CompiledQuery.raw(text, [param]));
    for (const r of result.rows)
      out.set(Number(r.lead_id), {
        lastTouchAt: r.last_touch_at === null ? null : Number(r.last_touch_at),
        maxGapMs: r.max_gap_ms === null ? null : Number(r.max_gap_ms),
      });
  }
  return out;
}

// Portable least/greatest that ignore nulls (SQLite's min(a,b) returns null if either is null).
const least = (col: string) =>
  `case when lead_stats."${col}" is null then excluded."${col}" when excluded."${col}" is null then lead_stats."${col}" when excluded."${col}" < lead_stats."${col}" then excluded."${col}" else lead_stats."${col}" end`;
const greatest = (col: string) =>
  `case when lead_stats."${col}" is null then excluded."${col}" when excluded."${col}" is null then lead_stats."${col}" when excluded."${col}" > lead_stats."${col}" then excluded."${col}" else lead_stats."${col}" end`;
const add = (col: string) => `lead_stats."${col}" + excluded."${col}"`;

// Column → PostgreSQL type, in the order values are pushed.
const leadStatsSpec = {
  lead_id: 'bigint',
  first_touch_at: 'bigint',
  last_touch_at: 'bigint',
  touches: 'integer',
  calls: 'integer',
  emails: 'integer',
  meetings: 'integer',
  responses: 'integer',
  last_response_at: 'bigint',
  effort_minutes: 'double precision',
  updated_at: 'bigint',
} as const satisfies Record<string, PgColumnType>;
const leadStatsColumns = Object.keys(leadStatsSpec);
const leadStatsTypes: PgColumnType[] = Object.values(leadStatsSpec);
// The counters add up; the times keep the earliest/latest; updated_at takes the new value.
const leadStatsSet = [
  `"first_touch_at" = ${least('first_touch_at')}`,
  `"last_touch_at" = ${greatest('last_touch_at')}`,
  `"last_response_at" = ${greatest('last_response_at')}`,
  ...(['touches', 'calls', 'emails', 'meetings', 'responses', 'effort_minutes'] as const).map(
    (col) => `"${col}" = ${add(col)}`,
  ),
  `"updated_at" = excluded."updated_at"`,
];
const leadStatsUpsert = `on conflict ("lead_id") do update set ${leadStatsSet.join(', ')}`;
// With the new max gap of each lead (worked out by the caller), which replaces the stored one.
const leadStatsGapColumns = [...leadStatsColumns, 'max_gap_ms'];
const leadStatsGapTypes: PgColumnType[] = [...leadStatsTypes, 'bigint'];
const leadStatsGapUpsert = `on conflict ("lead_id") do update set ${[...leadStatsSet, `"max_gap_ms" = excluded."max_gap_ms"`].join(', ')}`;

/**
 * Adds increments to lead_stats (insert or add), in one statement per chunk; with `maxGaps` (one
 * per delta) each lead's max_gap_ms is set too. The statement is written by hand (bulkInsert):
 * Kysely's builder costs more than the database at capture volumes.
 */
export async function applyLeadStats(
  trx: Kysely<Database> | Transaction<Database>,
  deltas: readonly LeadStatsDelta[],
  now: number,
  maxGaps?: ReadonlyArray<number | null>,
): Promise<void> {
  for (let i = 0; i < deltas.length; i += 500) {
    const values: Value[] = [];
    for (let k = i; k < Math.min(deltas.length, i + 500); k++) {
      const d = deltas[k] as LeadStatsDelta;
      values.push(
        d.lead_id,
        d.first_touch_at,
        d.last_touch_at,
        d.touches,
        d.calls,
        d.emails,
        d.meetings,
        d.responses,
        d.last_response_at,
        d.effort_minutes,
        now,
      );
      if (maxGaps) values.push(maxGaps[k] ?? null);
    }
    await bulkInsert(trx, {
      table: 'lead_stats',
      columns: maxGaps ? leadStatsGapColumns : leadStatsColumns,
      types: maxGaps ? leadStatsGapTypes : leadStatsTypes,
      values,
      onConflict: maxGaps ? leadStatsGapUpsert : leadStatsUpsert,
    });
  }
}

export type WriteResult = { inserted: number; duplicates: number };

// One SQLite statement size (bulk-insert.ts), so a chunk's values go to the database as they are.
const ACTIVITY_CHUNK = 512;
// Column → PostgreSQL type, in the order values are pushed.
const activitySpec = {
  kind: 'text',
  direction: 'text',
  occurred_at: 'bigint',
  ended_at: 'bigint',
  duration_seconds: 'bigint',
  effort_minutes: 'double precision',
  rep_id: 'bigint',
  lead_id: 'bigint',
  contact_id: 'bigint',
  account_id: 'bigint',
  source: 'text',
  source_key: 'text',
  message_id: 'text',
  in_reply_to: 'text',
  thread_key: 'text',
  subject: 'text',
  disposition: 'text',
  is_touch: 'integer',
  is_response: 'integer',
  origin: 'text',
  created_at: 'bigint',
} as const satisfies Record<string, PgColumnType>;
const activityColumns = Object.keys(activitySpec);
const activityTypes: PgColumnType[] = Object.values(activitySpec);
// Column → PostgreSQL type, in the order values are pushed.
const participantSpec = {
  activity_id: 'bigint',
  role: 'text',
  email: 'text',
  phone: 'text',
  name: 'text',
  rep_id: 'bigint',
  lead_id: 'bigint',
  contact_id: 'bigint',
  account_id: 'bigint',
  match_rule: 'text',
  match_note: 'text',
  response: 'text',
} as const satisfies Record<string, PgColumnType>;
const participantColumns = Object.keys(participantSpec);
const participantTypes: PgColumnType[] = Object.values(participantSpec);

// Where a value sits in an activity row (all its columns) and in a participant row (all but
// activity_id, which is known only once the activity is stored).
const A = Object.fromEntries(activityColumns.map((c, i) => [c, i])) as Record<
  keyof typeof activitySpec,
  number
>;
const ACTIVITY_WIDTH = activityColumns.length;
const PARTICIPANT_WIDTH = participantColumns.length - 1;
const P_CONTACT = participantColumns.indexOf('contact_id') - 1;

/**
 * Decided activities as the rows they are stored as: each activity's values one after another (its
 * created_at left null until it is written), and its participants' after theirs. Flat arrays of
 * plain values: built as activities are decided, they cross from a worker thread as one JSON text
 * and go to the database without another object per row.
 */
export type ActivityRows = {
  activities: Value[];
  participantCounts: number[];
  participants: Value[];
};

export const emptyActivityRows = (): ActivityRows => ({
  activities: [],
  participantCounts: [],
  participants: [],
});

/** Appends a decided activity's rows (the subject only when the workspace keeps subjects). */
export function addActivityRows(rows: ActivityRows, d: DecidedActivity, keepSubjects: boolean): void {
  const a = d.captured;
  rows.activities.push(
    a.kind,
    d.direction,
    a.occurredAt,
    a.endedAt ?? null,
    a.durationSeconds ?? null,
    d.effortMinutes,
    d.repId,
    d.leadId,
    d.contactId,
    d.accountId,
    a.source,
    a.sourceKey,
    a.messageId ?? null,
    a.inReplyTo ?? null,
    a.threadKey ?? null,
    keepSubjects ? (a.subject ?? null) : null,
    a.disposition ?? null,
    d.isTouch ? 1 : 0,
    d.isResponse ? 1 : 0,
    a.origin ? JSON.stringify(a.origin) : null,
    null,
  );
  rows.participantCounts.push(d.participants.length);
  for (const p of d.participants)
    rows.participants.push(
      p.role,
      p.email,
      p.phone,
      p.name,
      p.repId,
      p.leadId,
      p.contactId,
      p.accountId,
      p.rule,
      p.note,
      p.response,
    );
}

/** Adds the leads, reps, contacts and accounts `rows`' activities refer to (reference-check.ts). */
export function addReferencedIds(rows: ActivityRows, ids: ReferencedIds): void {
  const add = (set: Set<number>, value: Value | undefined) => {
    if (typeof value === 'number') set.add(value);
  };
  for (let at = 0; at < rows.activities.length; at += ACTIVITY_WIDTH) {
    add(ids.leads, rows.activities[at + A.lead_id]);
    add(ids.reps, rows.activities[at + A.rep_id]);
    add(ids.contacts, rows.activities[at + A.contact_id]);
    add(ids.accounts, rows.activities[at + A.account_id]);
  }
}

/** Replaces the contact ids in `rows` that `replace` maps (auto-created contacts' placeholders). */
export function replaceContactIds(rows: ActivityRows, replace: (id: number) => number | undefined): void {
  const swap = (values: Value[], at: number) => {
    const id = values[at];
    if (typeof id !== 'number') return;
    const to = replace(id);
    if (to !== undefined) values[at] = to;
  };
  for (let i = A.contact_id; i < rows.activities.length; i += ACTIVITY_WIDTH) swap(rows.activities, i);
  for (let i = P_CONTACT; i < rows.participants.length; i += PARTICIPANT_WIDTH) swap(rows.participants, i);
}

/**
 * Stores decided activities in one transaction: activities (a duplicate source + source_key is
 * skipped), their participants, and the lead counters for the ones that were new.
 */
export async function writeActivities(input: {
  db: Kysely<Database>;
  activities: readonly DecidedActivity[];
  keepSubjects: boolean;
  now?: number;
}): Promise<WriteResult> {
  const now = input.now ?? Date.now();
  const rows = emptyActivityRows();
  for (const d of input.activities) addActivityRows(rows, d, input.keepSubjects);
  return input.db.transaction().execute(async (trx) => {
    const stats: LeadStatsByLead = new Map();
    const result = await insertActivities({ trx, rows, now, stats });
    await flushLeadStats(trx, stats, now);
    return result;
  });
}

/**
 * Inserts activity rows (a duplicate source + source_key is skipped) and their participants
 * within the caller's transaction, and adds the new ones to `stats` for flushLeadStats.
 */
export async function insertActivities(input: {
  trx: Transaction<Database>;
  rows: ActivityRows;
  stats: LeadStatsByLead;
  now?: number;
  /**
   * COPY on the transaction's own PostgreSQL connection, for the participants (new rows whose ids
   * nothing reads): the server takes them for ~half the CPU of an INSERT over unnest arrays.
   */
  copy?: CopyInto;
}): Promise<WriteResult> {
  const now = input.now ?? Date.now();
  const { trx, rows } = input;
  const count = rows.participantCounts.length;
  const firstParticipant = new Array<number>(count);
  for (let i = 0, at = 0; i < count; i++) {
    firstParticipant[i] = at;
    at += rows.participantCounts[i] as number;
  }
  // The same message twice in one batch (copies in several folders) is folded here. Keys are
  // looked up by source, then source key: no composite key string per activity.
  const unique = new Map<Value, Set<Value>>();
  const list: number[] = [];
  for (let i = 0; i < count; i++) {
    const source = rows.activities[i * ACTIVITY_WIDTH + A.source] as Value;
    const key = rows.activities[i * ACTIVITY_WIDTH + A.source_key] as Value;
    let bySource = unique.get(source);
    if (!bySource) {
      bySource = new Set();
      unique.set(source, bySource);
    }
    if (bySource.has(key)) continue;
    bySource.add(key);
    list.push(i);
  }
  let inserted = 0;
  const idOf = new Map<string, Map<string, number>>();
  for (let i = 0; i < list.length; i += ACTIVITY_CHUNK) {
    const end = Math.min(list.length, i + ACTIVITY_CHUNK);
    // Sized up front and filled by index: no regrowth (and copies) of a 10,000-value array.
    const values = new Array<Value>((end - i) * ACTIVITY_WIDTH);
    let v = 0;
    for (let k = i; k < end; k++) {
      const from = (list[k] as number) * ACTIVITY_WIDTH;
      for (let c = 0; c < ACTIVITY_WIDTH; c++) values[v++] = rows.activities[from + c] as Value;
      values[v - ACTIVITY_WIDTH + A.created_at] = now;
    }
    const returned = await bulkInsert<{ id: number; source: string; source_key: string }>(trx, {
      table: 'activities',
      columns: activityColumns,
      types: activityTypes,
      values,
      conflictDoNothing: ['source', 'source_key'],
      returning: ['id', 'source', 'source_key'],
    });
    idOf.clear();
    for (const r of returned) {
      let bySource = idOf.get(r.source);
      if (!bySource) {
        bySource = new Map();
        idOf.set(r.source, bySource);
      }
      bySource.set(r.source_key, Number(r.id));
    }
    const ids = new Array<number | undefined>(end - i);
    let width = 0;
    for (let k = i; k < end; k++) {
      const row = (list[k] as number) * ACTIVITY_WIDTH;
      const id = idOf
        .get(rows.activities[row + A.source] as string)
        ?.get(rows.activities[row + A.source_key] as string);
      ids[k - i] = id;
      if (id !== undefined) width += rows.participantCounts[list[k] as number] as number;
    }
    const participants = new Array<Value>(width * participantColumns.length);
    let w = 0;
    for (let k = i; k < end; k++) {
      const id = ids[k - i];
      if (id === undefined) continue;
      const n = list[k] as number;
      const row = n * ACTIVITY_WIDTH;
      inserted++;
      addLeadStats(input.stats, {
        leadId: rows.activities[row + A.lead_id] as number | null,
        kind: rows.activities[row + A.kind] as string,
        occurredAt: rows.activities[row + A.occurred_at] as number,
        isTouch: rows.activities[row + A.is_touch] === 1,
        isResponse: rows.activities[row + A.is_response] === 1,
        effortMinutes: rows.activities[row + A.effort_minutes] as number,
      });
      const first = (firstParticipant[n] as number) * PARTICIPANT_WIDTH;
      const last = first + (rows.participantCounts[n] as number) * PARTICIPANT_WIDTH;
      for (let at = first; at < last; at += PARTICIPANT_WIDTH) {
        participants[w++] = id;
        for (let c = 0; c < PARTICIPANT_WIDTH; c++) participants[w++] = rows.participants[at + c] as Value;
      }
    }
    const table = { table: 'activity_participants', columns: participantColumns, values: participants };
    if (input.copy) await input.copy(table);
    else await bulkInsert(trx, { ...table, types: participantTypes });
  }
  return { inserted, duplicates: count - inserted };
}
