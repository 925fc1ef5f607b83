import { createReadStream } from 'node:fs';
import Database from 'better-sqlite3';
import { from as copyFrom } from 'pg-copy-streams';
import { readCsvChunks } from '../src/import/csv-reader.ts';
import { generatedLeadColumns } from '../src/import/generate-leads.ts';
import { copyField } from '../src/store/copy-rows.ts';
import { deferIndexes, restoreIndexes } from '../src/store/deferred-indexes.ts';
import type { Store } from '../src/store/open-store.ts';
import { localPostgresCpuSeconds } from './server-cpu.ts';

// What the database engine alone needs to store the benchmark's leads: the rows are read and laid
// out beforehand (not timed), then only the engine's work is timed, done the way the importer does
// it for a first import into an empty table: the secondary indexes dropped, the rows written in
// transactions of 5,000 (SQLite: one prepared single-row INSERT per row, its fastest form;
// PostgreSQL: COPY), then the indexes built again by the importer's restoreIndexes. No import into
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

type Stopwatch = ReturnType<typeof stopwatch>;

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

/**
 * Stores the file's leads into the `leads` table of `store` (schema migrated, table empty) as a first
 * import does: its secondary indexes dropped and rebuilt by src/store/deferred-indexes.ts, the rows
 * written in between (on SQLite through `sqlitePath`, a connection of their own).
 */
export async function engineFloor(file: string, store: Store, sqlitePath?: string): Promise<FloorMeasure> {
  await deferIndexes({ db: store.db, engine: store.engine, table: 'leads', now: Date.now() });
  const watch = stopwatch();
  if (sqlitePath !== undefined) await loadSqlite(file, sqlitePath, watch);
  else await loadPostgres(file, store, watch);
  await watch.time(() => restoreIndexes({ db: store.db, table: 'leads' }));
  return sqlitePath !== undefined ? { ...watch.total, server: null } : watch.total;
}

async function loadSqlite(file: string, path: string, watch: Stopwatch): Promise<void> {
  const db = new Database(path);
  try {
    db.pragma('cache_size = -16384'); // as importFile during a load without secondary indexes
    const insert = db.prepare(`insert into leads (${COLUMNS.join(',')}) values (${COLUMNS.map(() => '?')})`);
    const write = db.transaction((rows: Value[][]) => {
      for (const row of rows) insert.run(row);
    });
    for await (const rows of tuples(file)) {
      await watch.time(() => write(rows));
      watch.total.rows += rows.length;
    }
  } finally {
    db.close();
  }
}

/**
 * COPY in one transaction per batch on a session of its own, as importFile writes new rows. The COPY
 * text is laid out before the clock starts (copyRows lays it out while it streams, which would time
 * client work too); only sending it and the server's work are timed.
 */
async function loadPostgres(file: string, store: Store, watch: Stopwatch): Promise<void> {
  if (!store.openSession) throw new Error('engineFloor needs a PostgreSQL server store');
  const session = await store.openSession();
  const copy = `copy leads (${COLUMNS.join(',')}) from stdin`;
  try {
    for await (const rows of tuples(file)) {
      const text = Buffer.from(rows.map((row) => `${row.map(copyField).join('\t')}\n`).join(''));
      await watch.time(() =>
        session.db.transaction().execute(async () => {
          const stream = session.client.query(copyFrom(copy));
          await new Promise<void>((resolve, reject) => {
            stream.on('finish', resolve);
            stream.on('error', reject);
            stream.end(text);
          });
        }),
      );
      watch.total.rows += rows.length;
    }
  } finally {
    await session.release();
  }
}
