import { availableParallelism } from 'node:os';
import { type Kysely, SqliteAdapter, sql } from 'kysely';
import type { Engine } from './open-store.ts';
import type { Database } from './schema.ts';
import { setSqlitePragma } from './sqlite-pragma.ts';

// A bulk load into a table with many secondary indexes spends most of its time inserting random
// keys into those B-trees (on SQLite about 40 CPU s for a million leads, against 4 s to build the
// same indexes afterwards by sorting). So a large import drops them first and builds them at the
// end. Each dropped index is recorded (in the same transaction) with the statement that re-creates
// it: the import restores them when it ends, and opening the store restores any that a killed
// import left, so the schema never stays without them. Unique indexes are never dropped: the
// import's upsert and its key lookups rely on them.

type Db = Kysely<Database>;

type IndexDefinition = { name: string; definition: string };

async function secondaryIndexes(db: Db, engine: Engine, table: string): Promise<IndexDefinition[]> {
  if (engine === 'sqlite') {
    const rows = await sql<IndexDefinition>`
      select m.name as name, m.sql as definition
      from sqlite_master m join pragma_index_list(${table}) l on l.name = m.name
      where m.type = 'index' and m.tbl_name = ${table} and m.sql is not null and l."unique" = 0
      order by m.name`.execute(db);
    return rows.rows;
  }
  const rows = await sql<IndexDefinition>`
    select i.relname as name, pg_get_indexdef(x.indexrelid) as definition
    from pg_index x
      join pg_class i on i.oid = x.indexrelid
      join pg_class t on t.oid = x.indrelid
      join pg_namespace n on n.oid = t.relnamespace
    where t.relname = ${table} and n.nspname = current_schema()
      and not x.indisunique and not x.indisprimary
    order by i.relname`.execute(db);
  return rows.rows;
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** `CREATE INDEX x …` → `CREATE INDEX IF NOT EXISTS x …`, so a restore can run twice. */
const idempotent = (definition: string): string =>
  /\bif not exists\b/i.test(definition)
    ? definition
    : definition.replace(/^\s*create\s+index\s+/i, 'CREATE INDEX IF NOT EXISTS ');

/**
 * Drops `table`'s non-unique indexes for a bulk load and records them; returns their names.
 * Call `restoreIndexes` when the load ends.
 */
export async function deferIndexes(options: {
  db: Db;
  engine: Engine;
  table: string;
  now: number;
  /** Indexes to keep (the load's own queries read them). */
  keep?: readonly string[];
}): Promise<string[]> {
  const { db, engine, table, now } = options;
  return db.transaction().execute(async (trx) => {
    const indexes = (await secondaryIndexes(trx, engine, table)).filter(
      (index) => !options.keep?.includes(index.name),
    );
    for (const index of indexes) {
      await trx
        .insertInto('deferred_indexes')
        .values({ name: index.name, table_name: table, definition: index.definition, deferred_at: now })
        .onConflict((oc) => oc.column('name').doNothing())
        .execute();
      await sql.raw(`drop index ${quote(index.name)}`).execute(trx);
    }
    return indexes.map((i) => i.name);
  });
}

// Index builds run at once on PostgreSQL (about a third less wall time than one by one).
const RESTORE_CONCURRENCY = 3;

/**
 * Re-creates the indexes `deferIndexes` dropped (of `table`, or of every table); returns their
 * names. Safe to run at any time and more than once. `onProgress` hears how many of them are built,
 * before the first build and after each one (a large table's builds take seconds).
 */
export async function restoreIndexes(options: {
  db: Db;
  table?: string;
  onProgress?: (progress: { built: number; total: number }) => void;
}): Promise<string[]> {
  const { db, table, onProgress } = options;
  let query = db.selectFrom('deferred_indexes').select(['name', 'definition']).orderBy('name');
  if (table !== undefined) query = query.where('table_name', '=', table);
  const deferred = await query.execute();
  let built = 0;
  if (deferred.length > 0) onProgress?.({ built, total: deferred.length });
  // A few builds at a time: on PostgreSQL each runs on its own pooled connection (builds of one
  // table share its lock); SQLite and PGlite have one connection and run them one after another.
  let next = 0;
  const builder = async () => {
    for (let index = deferred[next++]; index !== undefined; index = deferred[next++]) {
      const { name, definition } = index;
      // One transaction per index: its build and the removal of its record commit together.
      await db.transaction().execute(async (trx) => {
        await sql.raw(idempotent(definition)).execute(trx);
        await trx.deleteFrom('deferred_indexes').where('name', '=', name).execute();
      });
      onProgress?.({ built: ++built, total: deferred.length });
    }
  };
  const restoreSqlite = deferred.length > 0 ? await sortForIndexBuilds(db) : null;
  // Every builder finishes before a failure is reported: nothing keeps running after the call.
  const results = await Promise.allSettled(Array.from({ length: RESTORE_CONCURRENCY }, builder));
  await restoreSqlite?.();
  for (const result of results) if (result.status === 'rejected') throw result.reason;
  return deferred.map((d) => d.name);
}

/**
 * SQLite builds one index at a time on its one connection: it sorts faster with a small page cache
 * (sorted runs that fit the CPU caches) and helper threads that sort and merge the runs (the 8 lead
 * indexes of a million rows: ~4.6 s instead of ~6.7 s wall on 2 cores, ~15% more CPU). Returns
 * what puts the connection's settings back, or null on PostgreSQL.
 */
async function sortForIndexBuilds(db: Db): Promise<(() => Promise<void>) | null> {
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return null;
  const resetCache = await sizeSqliteCache(db, 2048);
  const resetThreads = await setSqlitePragma(db, 'threads', Math.min(availableParallelism(), 4));
  return async () => {
    await resetCache();
    await resetThreads();
  };
}

/** Sets a SQLite connection's page cache to `kib` KiB; returns what sets its own size back. */
export function sizeSqliteCache(db: Db, kib: number): Promise<() => Promise<void>> {
  return setSqlitePragma(db, 'cache_size', -Math.round(kib));
}
