import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { tempDbPath, testEngines } from '../testing/engines.ts';
import { deferIndexes, restoreIndexes } from './deferred-indexes.ts';
import { type Engine, openStore, type Store } from './open-store.ts';

async function indexNames(store: Store, table: string): Promise<string[]> {
  const engine: Engine = store.engine;
  const rows =
    engine === 'sqlite'
      ? await sql<{
          name: string;
        }>`select name from sqlite_master where type = 'index' and tbl_name = ${table} and sql is not null order by name`.execute(
          store.db,
        )
      : await sql<{
          name: string;
        }>`select indexname as name from pg_indexes where tablename = ${table} and schemaname = current_schema() and indexname not like '%pkey' and indexname not like '%_key' order by indexname`.execute(
          store.db,
        );
  return rows.rows.map((r) => r.name);
}

describe.each(testEngines())('deferred indexes on $name', (engine) => {
  it('drops the secondary indexes, keeps the unique key, and restores them once', async () => {
    const store = await engine.open();
    try {
      const before = await indexNames(store, 'leads');
      expect(before).toContain('leads_email');
      const dropped = await deferIndexes({ db: store.db, engine: store.engine, table: 'leads', now: 1 });
      expect(dropped).toEqual(before);
      expect(await indexNames(store, 'leads')).toEqual([]);
      // The unique external id still holds while the indexes are away.
      const lead = { external_id: 'D1', status: 'mql', created_at: 1, updated_at: 1 };
      await store.db.insertInto('leads').values(lead).execute();
      await expect(store.db.insertInto('leads').values(lead).execute()).rejects.toThrow();

      const progress: Array<{ built: number; total: number }> = [];
      expect(await restoreIndexes({ db: store.db, onProgress: (p) => progress.push(p) })).toEqual(before);
      // Heard before the first build and after each one.
      expect(progress).toEqual(
        before
          .map((_, i) => ({ built: i, total: before.length }))
          .concat([{ built: before.length, total: before.length }]),
      );
      expect(await indexNames(store, 'leads')).toEqual(before);
      expect(await store.db.selectFrom('deferred_indexes').selectAll().execute()).toEqual([]);
      const none: unknown[] = [];
      expect(await restoreIndexes({ db: store.db, onProgress: (p) => none.push(p) })).toEqual([]);
      expect(none).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('rebuilds an index whose record survived a crash even if another process rebuilt it first', async () => {
    const store = await engine.open();
    try {
      await deferIndexes({ db: store.db, engine: store.engine, table: 'leads', now: 1 });
      const definition = await store.db
        .selectFrom('deferred_indexes')
        .select('definition')
        .where('name', '=', 'leads_email')
        .executeTakeFirstOrThrow();
      await sql.raw(definition.definition).execute(store.db);
      await restoreIndexes({ db: store.db, table: 'leads' });
      expect(await indexNames(store, 'leads')).toContain('leads_phone');
      expect(await indexNames(store, 'leads')).toContain('leads_email');
    } finally {
      await store.close();
    }
  });
});

describe('a store left by a killed bulk import', () => {
  it('gets its indexes back when it is opened again', async () => {
    const { path, cleanup } = tempDbPath();
    try {
      const first = await openStore({ url: path });
      const before = await indexNames(first, 'leads');
      await deferIndexes({ db: first.db, engine: first.engine, table: 'leads', now: 1 });
      await first.close(); // as if killed: the import never restored them
      const again = await openStore({ url: path });
      try {
        expect(await indexNames(again, 'leads')).toEqual(before);
      } finally {
        await again.close();
      }
    } finally {
      cleanup();
    }
  });
});
