// Migration 2026-12-03-0013 drops the foreign keys of activity_participants.activity_id and
// lead_stats.lead_id (capture writes both rows with their parent, in one transaction) and keeps
// every other one. Run down and up again on a store that holds rows: they and the tables' indexes
// survive both ways (SQLite rebuilds the tables).
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { testEngines } from '../testing/engines.ts';
import { down, up } from './migrations/2026-12-03-0013-derived-row-fks.ts';
import type { Store } from './open-store.ts';

async function foreignKeys(store: Store, table: string): Promise<string[]> {
  if (store.engine === 'sqlite') {
    const rows = await sql<{ from: string; table: string }>`
      select "from", "table" from pragma_foreign_key_list(${table})`.execute(store.db);
    return rows.rows.map((r) => `${r.from}->${r.table}`).sort();
  }
  const rows = await sql<{ def: string }>`
    select pg_get_constraintdef(oid) as def from pg_constraint
    where contype = 'f' and conrelid = ${table}::regclass`.execute(store.db);
  return rows.rows
    .map((r) => {
      const m = /FOREIGN KEY \((\w+)\) REFERENCES (\w+)/.exec(r.def);
      return `${m?.[1]}->${m?.[2]}`;
    })
    .sort();
}

async function indexNames(store: Store, table: string): Promise<string[]> {
  const rows =
    store.engine === 'sqlite'
      ? await sql<{ name: string }>`select name from pragma_index_list(${table})`.execute(store.db)
      : await sql<{
          name: string;
        }>`select indexname as name from pg_indexes where tablename = ${table}`.execute(store.db);
  return rows.rows.map((r) => r.name).sort();
}

async function seed(store: Store): Promise<number> {
  const db = store.db;
  const rep = await db
    .insertInto('reps')
    .values({ external_id: 'r1', name: 'Rep', email: 'rep@ours.example', created_at: 1, updated_at: 1 })
    .returning('id')
    .executeTakeFirstOrThrow();
  const lead = await db
    .insertInto('leads')
    .values({ external_id: 'l1', email: 'lead@theirs.example', status: 'mql', created_at: 1, updated_at: 1 })
    .returning('id')
    .executeTakeFirstOrThrow();
  const activity = await db
    .insertInto('activities')
    .values({
      kind: 'email',
      direction: 'outbound',
      occurred_at: 1000,
      rep_id: rep.id,
      lead_id: lead.id,
      source: 'mail',
      source_key: 'k1',
      created_at: 1,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('activity_participants')
    .values([
      { activity_id: activity.id, role: 'from', email: 'rep@ours.example', rep_id: rep.id },
      {
        activity_id: activity.id,
        role: 'to',
        email: 'lead@theirs.example',
        lead_id: lead.id,
        match_rule: 'email',
      },
    ])
    .execute();
  await db
    .insertInto('lead_stats')
    .values({ lead_id: lead.id, touches: 1, emails: 1, updated_at: 1 })
    .execute();
  return lead.id;
}

async function snapshot(store: Store) {
  return {
    participants: await store.db
      .selectFrom('activity_participants')
      .select(['id', 'activity_id', 'role', 'email', 'lead_id', 'match_rule'])
      .orderBy('id')
      .execute(),
    stats: await store.db.selectFrom('lead_stats').select(['lead_id', 'touches', 'emails']).execute(),
    participantIndexes: await indexNames(store, 'activity_participants'),
    statsIndexes: await indexNames(store, 'lead_stats'),
  };
}

describe.each(testEngines())('migration 0013 (derived-row foreign keys) on $name', (engine) => {
  it('drops only the two foreign keys, keeps rows and indexes, and goes down and up again', async () => {
    const store = await engine.open();
    try {
      expect(await foreignKeys(store, 'activity_participants')).toEqual([]);
      expect(await foreignKeys(store, 'lead_stats')).toEqual([]);
      expect(await foreignKeys(store, 'activities')).toEqual([
        'account_id->accounts',
        'contact_id->contacts',
        'lead_id->leads',
        'rep_id->reps',
      ]);
      await seed(store);
      const before = await snapshot(store);
      expect(before.participants).toHaveLength(2);

      await down(store.db);
      expect(await foreignKeys(store, 'activity_participants')).toEqual(['activity_id->activities']);
      expect(await foreignKeys(store, 'lead_stats')).toEqual(['lead_id->leads']);
      expect(await snapshot(store)).toEqual(before);

      await up(store.db);
      await up(store.db); // a second run changes nothing
      expect(await foreignKeys(store, 'activity_participants')).toEqual([]);
      expect(await foreignKeys(store, 'lead_stats')).toEqual([]);
      expect(await snapshot(store)).toEqual(before);
      // Ids go on after the rebuilt table's last one.
      const next = await store.db
        .insertInto('activity_participants')
        .values({ activity_id: before.participants[0]?.activity_id ?? 0, role: 'cc' })
        .returning('id')
        .executeTakeFirstOrThrow();
      expect(next.id).toBeGreaterThan(Math.max(...before.participants.map((p) => p.id)));
    } finally {
      await store.close();
    }
  });
});
