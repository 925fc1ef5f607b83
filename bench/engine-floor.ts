import { createReadStream } from 'node:fs';
import { availableParallelism } from 'node:os';
import Database from 'better-sqlite3';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { readCsvChunks } from '../src/import/csv-reader.ts';
import { generatedLeadColumns } from '../src/import/generate-leads.ts';
import { copyField } from '../src/store/copy-rows.ts';
import type { PgSession, Store } from '../src/store/open-store.ts';
import { localPostgresCpuSeconds } from './server-cpu.ts';

// What the database engine alone needs to store the benchmark's leads: the rows are read and laid
// out beforehand (not timed), then only the engine's work is timed, done the way the importer does
// it for a first import into an empty table: the secondary indexes dropped, the rows written in
// transactions of 5,000 (SQLite: one prepared single-row INSERT per row, its fastest form;
// PostgreSQL: COPY), then the indexes built again with the importer's settings. No import into
// this schema can be faster on this machine: the gap to the import's own figure is what reading,
// checking and mapping the CSV costs.

export type FloorMeasure = { rows: number; wall: number; cpu: number; server: number | null };

const BATCH = 5000;
// The generated file's columns, then those the importer derives or sets.
const COLUMNS = [...generatedLeadColumns, 'name', 'created_at', 'updated_at'] as const;

type Value = string | number | null;

/** The generated lead CSV's rows as COLUMNS tuples, BATCH at a time. */
async function* tuples(file: string): AsyncGenerator<Value[][]> {
  const now = Date.now();
  let at: Record<string, number> | null = null;
  let batch: Value[][] = [];
  for await (const chunk of readCsvChunks(createReadStream(file, { highWaterMark: 1 << 16 }))) {
    for (const record of chunk.records) {
      if (!at) {
        at = Object.fromEntries(record.map((name, i) => [name.trim(), i]));
        continue;
      }
      const cell = (name: string): string | null => {
        const v = record[at?.[name] ?? -1];
        return v === undefined || v === '' ? null : v;
      };
      const row: Value[] = generatedLeadColumns.map((column) => {
        const v = cell(column);
        if (v === null) return column === 'status' ? 'mql' : null;
        if (column === 'employees' || column === 'score') return Number(v);
        if (column === 'handed_over_at') return Date.parse(v);
        return column === 'email' ? v.toLowerCase() : v;
      });
      const name = [cell('first_name'), cell('last_name')].filter(Boolean).join(' ');
      row.push(name || null, now, now);
      batch.push(row);
      if (batch.length === BATCH) {
        yield batch;
        batch = [];
      }
    }
  }
  if (batch.length > 0) yield batch;
}

/** Sums the wall, CPU and server CPU seconds of the timed steps only. */
function stopwatch() {
  const total: FloorMeasure = { rows: 0, wall: 0, cpu: 0, server: 0 };
  return {
    total,
    async time(step: () => unknown): Promise<void> {
      const server0 = localPostgresCpuSeconds();
      const cpu0 = process.cpuUsage();
      const t = performance.now();
      await step();
      total.wall += (performance.now() - t) / 1000;
      const cpu = process.cpuUsage(cpu0);
      total.cpu += (cpu.user + cpu.system) / 1e6;
      const server1 = localPostgresCpuSeconds();
      total.server =
        total.server === null || server0 === null || server1 === null
          ? null
          : total.server + server1 - server0;
    },
  };
}

/** Stores the file's leads into the `leads` table of the SQLite file at `path` (schema migrated). */
export async function sqliteFloor(file: string, path: string): Promise<FloorMeasure> {
  const db = new Database(path);
  try {
    db.pragma('cache_size = -16384'); // as importFile during a load without secondary indexes
    const indexes = db
      .prepare<[], { name: string; sql: string }>(
        `select name, sql from sqlite_master where type = 'index' and tbl_name = 'leads' and sql is not null`,
      )
      .all();
    for (const index of indexes) db.exec(`drop index "${index.name}"`);
    const insert = db.prepare(`insert into leads (${COLUMNS.join(',')}) values (${COLUMNS.map(() => '?')})`);
    const write = db.transaction((rows: Value[][]) => {
      for (const row of rows) insert.run(row);
    });
    const watch = stopwatch();
    for await (const rows of tuples(file)) {
      await watch.time(() => write(rows));
      watch.total.rows += rows.length;
    }
    // As restoreIndexes sorts on SQLite (src/store/deferred-indexes.ts).
    await watch.time(() => {
      db.pragma('cache_size = -2048');
      db.pragma(`threads = ${Math.min(availableParallelism(), 4)}`);
      for (const index of indexes) db.exec(index.sql);
    });
    return { ...watch.total, server: null };
  } finally {
    db.close();
  }
}

/** Stores the file's leads into the `leads` table of a PostgreSQL server store (schema migrated). */
export async function postgresFloor(file: string, store: Store): Promise<FloorMeasure> {
  if (!store.openSession) throw new Error('postgresFloor needs a PostgreSQL server store');
  // Index builds run three at a time, as restoreIndexes does (RESTORE_CONCURRENCY).
  const sessions: PgSession[] = [];
  for (let i = 0; i < 3; i++) sessions.push(await store.openSession());
  const clients = sessions.map((s) => s.client);
  const client = clients[0] as PoolClient;
  try {
    const indexes = (
      await client.query<{ name: string; definition: string }>(`
        select i.relname as name, pg_get_indexdef(x.indexrelid) as definition
        from pg_index x join pg_class i on i.oid = x.indexrelid join pg_class t on t.oid = x.indrelid
        where t.relname = 'leads' and t.relnamespace = current_schema()::regnamespace
          and not x.indisunique and not x.indisprimary`)
    ).rows;
    for (const index of indexes) await client.query(`drop index "${index.name}"`);
    const watch = stopwatch();
    for await (const rows of tuples(file)) {
      const text = Buffer.from(rows.map((row) => `${row.map(copyField).join('\t')}\n`).join(''));
      await watch.time(async () => {
        await client.query('begin');
        const stream = client.query(copyFrom(`copy leads (${COLUMNS.join(',')}) from stdin`));
        await new Promise<void>((resolve, reject) => {
          stream.on('finish', resolve);
          stream.on('error', reject);
          stream.end(text);
        });
        await client.query('commit');
      });
      watch.total.rows += rows.length;
    }
    await watch.time(async () => {
      let next = 0;
      await Promise.all(
        clients.map(async (c) => {
          for (let index = indexes[next++]; index !== undefined; index = indexes[next++])
            await c.query(index.definition);
        }),
      );
    });
    return watch.total;
  } finally {
    await Promise.all(sessions.map((s) => s.release()));
  }
}
