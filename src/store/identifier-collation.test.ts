// Migration 2026-12-03-0014: on PostgreSQL the indexed identifier columns compare byte by byte
// (collation "C"), as SQLite's do, so both engines order them alike and PostgreSQL sorts and looks
// them up without strcoll. Down and up again keep the rows, and lookups keep using the indexes.
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { testEngines } from '../testing/engines.ts';
import { down, up } from './migrations/2026-12-03-0014-identifier-collation.ts';
import type { Store } from './open-store.ts';

const identifierColumns = [
  'account_domains.domain',
  'accounts.domain',
  'accounts.external_id',
  'activities.source',
  'activities.source_key',
  'contacts.email',
  'contacts.external_id',
  'contacts.phone',
  'lead_events.kind',
  'lead_events.source_key',
  'leads.company_domain',
  'leads.email',
  'leads.external_id',
  'leads.phone',
  'leads.status',
  'opportunities.external_id',
  'rep_identities.kind',
  'rep_identities.value',
  'reps.email',
  'reps.external_id',
];

/** `table.column` of the public text columns whose collation is "C" (PostgreSQL). */
async function byteOrderColumns(store: Store): Promise<string[]> {
  const rows = await sql<{ name: string }>`
    select c.relname || '.' || a.attname as name
    from pg_attribute a
      join pg_class c on c.oid = a.attrelid
      join pg_namespace n on n.oid = c.relnamespace
      join pg_collation k on k.oid = a.attcollation
    where n.nspname = current_schema() and c.relkind = 'r' and a.attnum > 0 and not a.attisdropped
      and k.collname = 'C'
    order by 1`.execute(store.db);
  return rows.rows.map((r) => r.name);
}

async function usesEmailIndex(store: Store): Promise<boolean> {
  return store.db.transaction().execute(async (trx) => {
    await sql`set local enable_seqscan = off`.execute(trx);
    const plan = await sql<{ 'QUERY PLAN': string }>`
      explain select id from leads where email = ${'ana@acme.example'}`.execute(trx);
    return plan.rows.some((r) => r['QUERY PLAN'].includes('leads_email'));
  });
}

const externalIds = ['a-7', 'Ä-1', 'B-2', 'b-3', 'Z-9'];

async function seed(store: Store): Promise<void> {
  await store.db
    .insertInto('leads')
    .values(
      externalIds.map((id, i) => ({
        external_id: id,
        email: `${id.toLowerCase()}@acme.example`,
        status: 'mql',
        created_at: i,
        updated_at: i,
      })),
    )
    .execute();
}

const orderedIds = async (store: Store) =>
  (await store.db.selectFrom('leads').select('external_id').orderBy('external_id').execute()).map(
    (r) => r.external_id,
  );

describe.each(testEngines())('identifier columns on $name', (engine) => {
  it('order byte by byte, as on SQLite (uppercase, then lowercase, then accented letters)', async () => {
    const store = await engine.open();
    try {
      await seed(store);
      expect(await orderedIds(store)).toEqual(['B-2', 'Z-9', 'a-7', 'b-3', 'Ä-1']);
    } finally {
      await store.close();
    }
  });

  it.runIf(engine.name !== 'sqlite')(
    'have collation "C" on PostgreSQL; down and up keep rows and index lookups',
    async () => {
      const store = await engine.open();
      try {
        expect(await byteOrderColumns(store)).toEqual(identifierColumns);
        await seed(store);
        expect(await usesEmailIndex(store)).toBe(true);

        await down(store.db);
        expect(await byteOrderColumns(store)).toEqual([]);
        expect((await orderedIds(store)).sort()).toEqual([...externalIds].sort());

        await up(store.db);
        await up(store.db); // a second run changes nothing
        expect(await byteOrderColumns(store)).toEqual(identifierColumns);
        expect(await orderedIds(store)).toEqual(['B-2', 'Z-9', 'a-7', 'b-3', 'Ä-1']);
        expect(await usesEmailIndex(store)).toBe(true);
        const found = await store.db
          .selectFrom('leads')
          .select('external_id')
          .where('email', '=', 'b-2@acme.example')
          .execute();
        expect(found).toEqual([{ external_id: 'B-2' }]);
      } finally {
        await store.close();
      }
    },
  );
});
