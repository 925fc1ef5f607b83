import { createWriteStream, existsSync, rmSync, statSync, type WriteStream } from 'node:fs';
import { basename } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { sql } from 'kysely';
import { AppError } from '../errors/app-error.ts';
import { type CopyInto, copyRows } from '../store/copy-rows.ts';
import { deferIndexes, restoreIndexes, sizeSqliteCache } from '../store/deferred-indexes.ts';
import type { PgSession, Store } from '../store/open-store.ts';
import { type ImportKind, keyField } from './entities.ts';
import { createKeyFilter, type KeyFilter } from './key-filter.ts';
import { type ReadCounts, type ReadEvent, type ReadOptions, readBatches } from './read-batches.ts';
import { readBatchesInWorker } from './read-in-worker.ts';
import { isValidZone } from './values.ts';
import { loadRepIndex, type PendingRecord, type RowReject, tableOf, writeBatch } from './write-batch.ts';

export type ImportSummary = {
  runId: number | null;
  kind: ImportKind;
  file: string;
  preset: string;
  /** How the mapping was chosen: named, detected from the header, or a mapping file. */
  presetChosen: 'named' | 'detected' | 'mapping-file';
  dryRun: boolean;
  read: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  /** Rows a preset deliberately skips (e.g. a deal without a closer). */
  skipped: number;
  leadsUpdated: number;
  unresolvedReferences: number;
  rejects: RowReject[];
  rejectsFile: string | null;
  seconds: number;
};

export type ImportProgress = {
  bytes: number;
  totalBytes: number;
  rows: number;
  /** Set once the rows are stored and the indexes a large import dropped are being built again. */
  indexes?: { built: number; total: number };
};

/** What to read (as the reader takes it, with the batch size optional) and how to write it. */
export type ImportOptions = Omit<ReadOptions, 'batchSize'> & {
  store: Store;
  dryRun?: boolean;
  batchSize?: number;
  onProgress?: (progress: ImportProgress) => void;
  /** Called once the run is recorded in import_runs (after the header was read and checked). */
  onStart?: (runId: number) => void;
  /**
   * Drop the table's secondary indexes during the load and rebuild them at the end when the file
   * holds at least this many rows (estimated from the first batch) and more than twice the rows
   * already stored. Default 50,000.
   */
  deferIndexesFrom?: number;
  /**
   * Read and map the file in a worker thread while this one writes. Off by default: on 100k-1M lead
   * rows it takes ~25% of the CPU off this thread but costs ~40% more CPU in all and ~90 MB more
   * memory, so it pays only on an otherwise idle multi-core machine (see bench/import.bench.ts).
   */
  readInWorker?: boolean;
  /** Rejected rows kept in the summary (all go to the rejects file). */
  maxReportedRejects?: number;
  now?: () => number;
};

/**
 * Streams a CSV into the store: the header picks and checks the mapping, rows are mapped and written
 * in batches (one transaction each), bad rows go to `<file>.rejects.csv`, and the run is recorded.
 */
export async function importFile(options: ImportOptions): Promise<ImportSummary> {
  const started = Date.now();
  const now = options.now ?? Date.now;
  const { store, kind, file } = options;
  if (!existsSync(file)) throw new AppError('bad_input', `no such file: ${file}`);
  if (options.timeZone && !isValidZone(options.timeZone)) {
    throw new AppError(
      'bad_input',
      `unknown time zone "${options.timeZone}" (use an IANA name such as "Europe/Berlin")`,
    );
  }
  const totalBytes = statSync(file).size;
  const batchSize = options.batchSize ?? 5000;
  const dryRun = options.dryRun ?? false;
  const rejectsPath = `${file}.rejects.csv`;
  if (!dryRun && existsSync(rejectsPath)) rmSync(rejectsPath);

  const summary: ImportSummary = {
    runId: null,
    kind,
    file,
    preset: '',
    presetChosen: 'named',
    dryRun,
    read: 0,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    rejected: 0,
    skipped: 0,
    leadsUpdated: 0,
    unresolvedReferences: 0,
    rejects: [],
    rejectsFile: null,
    seconds: 0,
  };
  const maxReported = options.maxReportedRejects ?? 1000;
  let header: string[] | null = null;
  let rejectsOut: WriteStream | null = null;
  const reject = (r: RowReject, raw: readonly string[] | undefined) => {
    summary.rejected += 1;
    if (summary.rejects.length < maxReported) summary.rejects.push(r);
    if (dryRun) return;
    if (!rejectsOut) {
      rejectsOut = createWriteStream(rejectsPath);
      rejectsOut.write(stringify([['line', 'field', 'reason', ...(header ?? [])]]));
      summary.rejectsFile = rejectsPath;
    }
    rejectsOut.write(stringify([[String(r.line), r.field, r.reason, ...(raw ?? [])]]));
  };
  // Counted by the reader; the writer adds its own unchanged rows.
  const written = { unchanged: 0 };
  const took = (counts: ReadCounts) => {
    summary.read = counts.read;
    summary.skipped = counts.skipped;
    summary.unchanged = written.unchanged + counts.repeats;
  };

  let reps = await loadRepIndex(store.db);
  // A bigger page cache keeps the leads indexes in memory during a large import (32 MB); the
  // connection gets its own size back at the end (restoreIndexes sorts with a smaller one).
  const resetCache = store.engine === 'sqlite' ? await sizeSqliteCache(store.db, 32_768) : async () => {};
  const table = tableOf(kind);
  let deferChecked = dryRun;
  let deferred: string[] = [];
  // Decided once, on the first batch, from the rows per byte read so far.
  const maybeDeferIndexes = async (read: ReadCounts) => {
    deferChecked = true;
    const from = options.deferIndexesFrom ?? DEFER_INDEXES_FROM;
    const expected = read.bytes > 0 ? (read.read / read.bytes) * totalBytes : 0;
    if (expected < from) return;
    const stored = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(table)}`.execute(
      store.db,
    );
    if (expected <= 2 * Number(stored.rows[0]?.n ?? 0)) return;
    deferred = await deferIndexes({ db: store.db, engine: store.engine, table, now: now() });
    // Without secondary indexes a load appends: a small page cache does, and keeps RSS down.
    if (deferred.length > 0 && store.engine === 'sqlite')
      await sql`pragma cache_size = -16384`.execute(store.db);
  };
  // On a PostgreSQL server, batches run on a connection of their own so new rows can go in by COPY
  // inside the batch's transaction (PGlite keeps the unnest inserts).
  let session: PgSession | null = null;
  let copy: CopyInto | undefined;
  const batchDb = async () => {
    if (dryRun || !store.openSession) return store.db;
    if (!session) {
      const opened = await store.openSession();
      session = opened;
      copy = (input) => copyRows(opened.client, input);
    }
    return session.db;
  };
  // When the table was empty as the import began, only keys this import has already written can be
  // stored: the batches look up just those (a first import of a million rows looks up almost none).
  // A key stored after all (another import wrote it) fails that batch on the unique key; it runs
  // again, and the rest of the import, with every key looked up.
  let writtenKeys: KeyFilter | null = null;
  const write = async (event: Extract<ReadEvent, { type: 'batch' }>) => {
    const records = event.records;
    const db = await batchDb();
    let counts: Awaited<ReturnType<typeof writeBatch>>;
    for (let attempt = 1; ; attempt++) {
      try {
        counts = dryRun
          ? await writeBatch({ db, engine: store.engine, kind, records, reps, now: now(), dryRun })
          : await db.transaction().execute((trx) =>
              writeBatch({
                db: trx,
                engine: store.engine,
                kind,
                records,
                reps,
                now: now(),
                dryRun,
                copy,
                mayBeStored: writtenKeys?.mayHave,
              }),
            );
        break;
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        // Another writer: from here on every key is looked up (this try is not counted as failed).
        if (writtenKeys) {
          writtenKeys = null;
          attempt -= 1;
          continue;
        }
        // Another import inserted one of this batch's new keys after the lookup: the transaction
        // rolled back; run the batch again, and its lookup finds those rows (to update or leave).
        if (attempt >= MAX_BATCH_ATTEMPTS) throw error;
      }
    }
    if (writtenKeys) addKeys(writtenKeys, kind, records);
    summary.inserted += counts.inserted;
    summary.updated += counts.updated;
    written.unchanged += counts.unchanged;
    summary.unchanged += counts.unchanged;
    summary.leadsUpdated += counts.leadsUpdated;
    summary.unresolvedReferences += counts.unresolved;
    if (counts.rejects.length > 0) {
      const raw = new Map(event.raw);
      for (const r of counts.rejects) reject(r, raw.get(r.line));
    }
    if (kind === 'reps') reps = await loadRepIndex(store.db);
    // Reported once a batch is committed, so "n %" means that much of the file is stored.
    const last = records.at(-1);
    options.onProgress?.({ bytes: last?.bytes ?? event.bytes, totalBytes, rows: last?.row ?? event.read });
  };

  const readOptions: ReadOptions = {
    kind,
    file,
    preset: options.preset,
    mapping: options.mapping,
    timeZone: options.timeZone,
    defaultTimeZone: options.defaultTimeZone,
    batchSize,
  };
  const events = options.readInWorker ? readBatchesInWorker(readOptions) : readBatches(readOptions);
  try {
    // The next batch is read (and mapped) while one is written; a batch's writes always finish before
    // the next batch compares against the store, and its rejects are reported in file order.
    let next = events.next();
    for (let step = await next; !step.done; step = await next) {
      const event = step.value;
      if (event.type === 'header') {
        header = event.header;
        summary.preset = event.mapping.name;
        summary.presetChosen = event.how;
        if (!dryRun) {
          summary.runId = await startRun({ store, kind, file, preset: event.mapping.name, now: now() });
          options.onStart?.(summary.runId);
          const any = await sql`select 1 from ${sql.table(table)} limit 1`.execute(store.db);
          // Sized for the most rows the file could hold (a lead row is rarely under 20 bytes).
          if (any.rows.length === 0) writtenKeys = createKeyFilter(totalBytes / 20);
        }
        next = events.next();
        continue;
      }
      for (const r of event.rejects) reject(r.reject, r.raw);
      took(event);
      if (event.type === 'end') break;
      if (!deferChecked) await maybeDeferIndexes(event);
      const writing = write(event);
      next = events.next();
      // Keep Node from calling a failed read unhandled while the write is awaited.
      next.catch(() => {});
      await writing;
    }
    await resetCache();
    if (deferred.length > 0) {
      const rows = summary.read;
      await restoreIndexes({
        db: store.db,
        table,
        onProgress: (indexes) => options.onProgress?.({ bytes: totalBytes, totalBytes, rows, indexes }),
      });
    }
    options.onProgress?.({ bytes: totalBytes, totalBytes, rows: summary.read });
    summary.seconds = (Date.now() - started) / 1000;
    if (summary.runId !== null)
      await finishRun({ store, runId: summary.runId, status: 'done', summary, now: now() });
    return summary;
  } catch (error) {
    // If this fails too, the next openStore rebuilds them.
    if (deferred.length > 0) await restoreIndexes({ db: store.db, table }).catch(() => {});
    if (summary.runId !== null) {
      summary.seconds = (Date.now() - started) / 1000;
      await finishRun({ store, runId: summary.runId, status: 'failed', summary, now: now() }).catch(() => {});
    }
    throw error;
  } finally {
    await events.return(undefined).catch(() => {});
    await (session as PgSession | null)?.release().catch(() => {});
    await resetCache().catch(() => {});
    const out = rejectsOut as WriteStream | null;
    if (out) await new Promise<void>((resolve) => out.end(resolve));
  }
}

/** Rows from which a load into a table with few rows drops its secondary indexes (see `deferIndexesFrom`). */
export const DEFER_INDEXES_FROM = 50_000;

const MAX_BATCH_ATTEMPTS = 3;

/** Adds the batch's keys to the filter of keys this import wrote. */
function addKeys(filter: KeyFilter, kind: ImportKind, records: readonly PendingRecord[]): void {
  const key = keyField(kind);
  let fields: readonly string[] | null = null;
  let at = -1;
  for (const r of records) {
    if (r.fields !== fields) {
      fields = r.fields;
      at = fields.indexOf(key);
    }
    const value = r.cells[at];
    if (value !== undefined && value !== null) filter.add(String(value));
  }
}

/**
 * A unique key already stored: PostgreSQL's unique_violation, SQLite's constraint error (SQLite
 * serialises writers, so there only a batch that skipped its lookup meets one).
 */
const isUniqueViolation = (error: unknown): boolean => {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
};

async function startRun(options: {
  store: Store;
  kind: string;
  file: string;
  preset: string;
  now: number;
}): Promise<number> {
  const row = await options.store.db
    .insertInto('import_runs')
    .values({
      kind: options.kind,
      file: basename(options.file),
      preset: options.preset,
      started_at: options.now,
      status: 'running',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

async function finishRun(options: {
  store: Store;
  runId: number;
  status: string;
  summary: ImportSummary;
  now: number;
}): Promise<void> {
  const { rejects: _rejects, ...rest } = options.summary;
  await options.store.db
    .updateTable('import_runs')
    .set({ finished_at: options.now, status: options.status, summary: JSON.stringify(rest) })
    .where('id', '=', options.runId)
    .execute();
}
