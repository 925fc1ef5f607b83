import { createReadStream, createWriteStream, existsSync, rmSync, statSync, type WriteStream } from 'node:fs';
import { basename } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { sql } from 'kysely';
import { AppError } from '../errors/app-error.ts';
import { copyRows } from '../store/copy-rows.ts';
import { deferIndexes, restoreIndexes } from '../store/deferred-indexes.ts';
import type { PgSession, Store } from '../store/open-store.ts';
import { compileMapping, type MappedRecord } from './compile-mapping.ts';
import { type CsvError, readCsvChunks } from './csv-reader.ts';
import { type ImportKind, keyField } from './entities.ts';
import type { MappingFile } from './mapping.schema.ts';
import { describeNoMatch, detectPreset, loadPresets, presetByName } from './presets.ts';
import { isValidZone } from './values.ts';
import {
  type CopyInto,
  loadRepIndex,
  type PendingRecord,
  type RowReject,
  tableOf,
  writeBatch,
} from './write-batch.ts';

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

export type ImportProgress = { bytes: number; totalBytes: number; rows: number };

export type ImportOptions = {
  store: Store;
  kind: ImportKind;
  file: string;
  /** A preset name, or 'auto' (default) to recognise it from the header. */
  preset?: string;
  /** A validated mapping file; wins over `preset`. */
  mapping?: MappingFile;
  /** Zone for zone-less dates; overrides the mapping's. */
  timeZone?: string;
  defaultTimeZone?: string;
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

  const input = createReadStream(file, { highWaterMark: 1 << 16 });
  // Bytes the reader has consumed (not what the stream read ahead): progress reflects rows handled.
  let bytes = 0;

  let header: string[] | null = null;
  let compiled: ReturnType<typeof compileMapping> | null = null;
  let mapping: MappingFile | null = null;
  let presetChosen: ImportSummary['presetChosen'] = 'named';
  const summary: ImportSummary = {
    runId: null,
    kind,
    file,
    preset: '',
    presetChosen,
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
  let rejectsOut: WriteStream | null = null;
  let rawByLine = new Map<number, readonly string[]>();
  // Only a lead reference can make a mapped row fail at write time; other kinds need no raw cells
  // after mapping (holding a million of them for a batch's lifetime only feeds the old generation).
  const keepRaw = kind === 'opportunities' || kind === 'lead-events';
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

  const key = keyField(kind);
  let batch: PendingRecord[] = [];
  let batchKeys = new Map<string, PendingRecord>();
  let reps = await loadRepIndex(store.db);
  // A bigger page cache keeps the leads indexes in memory during a large import (32 MB); the
  // connection gets its own size back before indexes are rebuilt (SQLite sorts faster with less).
  const cacheSize =
    store.engine === 'sqlite'
      ? Number((await sql<{ cache_size: number }>`pragma cache_size`.execute(store.db)).rows[0]?.cache_size)
      : null;
  const resetCache = async () => {
    if (cacheSize !== null) await sql.raw(`pragma cache_size = ${cacheSize}`).execute(store.db);
  };
  if (cacheSize !== null) await sql`pragma cache_size = -32768`.execute(store.db);
  // One batch is written while the next is read and mapped (PostgreSQL works while Node parses);
  // a batch's writes always finish before the next batch compares against the store.
  let inFlight: Promise<void> = Promise.resolve();
  const table = tableOf(kind);
  let deferChecked = dryRun;
  let deferred: string[] = [];
  // Decided once, on the first batch, from the rows per byte read so far.
  const maybeDeferIndexes = async () => {
    deferChecked = true;
    const from = options.deferIndexesFrom ?? DEFER_INDEXES_FROM;
    const expected = bytes > 0 ? (summary.read / bytes) * totalBytes : 0;
    if (expected < from) return;
    const stored = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(table)}`.execute(
      store.db,
    );
    if (expected <= 2 * Number(stored.rows[0]?.n ?? 0)) return;
    deferred = await deferIndexes({ db: store.db, engine: store.engine, table, now: now() });
    // Without secondary indexes a load appends: a small page cache does, and keeps RSS down.
    if (deferred.length > 0 && cacheSize !== null) await sql`pragma cache_size = -16384`.execute(store.db);
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
  let committed = { bytes: 0, rows: 0 };
  const write = async (
    records: Array<PendingRecord & { bytes?: number; row?: number }>,
    raw: Map<number, readonly string[]>,
  ) => {
    const db = await batchDb();
    let counts: Awaited<ReturnType<typeof writeBatch>>;
    for (let attempt = 1; ; attempt++) {
      try {
        counts = dryRun
          ? await writeBatch({ db, engine: store.engine, kind, records, reps, now: now(), dryRun })
          : await db
              .transaction()
              .execute((trx) =>
                writeBatch({ db: trx, engine: store.engine, kind, records, reps, now: now(), dryRun, copy }),
              );
        break;
      } catch (error) {
        // Another import inserted one of this batch's new keys after the lookup: the transaction
        // rolled back; run the batch again, and its lookup finds those rows (to update or leave).
        if (attempt >= MAX_BATCH_ATTEMPTS || !isUniqueViolation(error)) throw error;
      }
    }
    summary.inserted += counts.inserted;
    summary.updated += counts.updated;
    summary.unchanged += counts.unchanged;
    summary.leadsUpdated += counts.leadsUpdated;
    summary.unresolvedReferences += counts.unresolved;
    for (const r of counts.rejects) reject(r, raw.get(r.line));
    if (kind === 'reps') reps = await loadRepIndex(store.db);
    // Reported once a batch is committed, so "n %" means that much of the file is stored.
    committed = { bytes: records.at(-1)?.bytes ?? bytes, rows: records.at(-1)?.row ?? summary.read };
    options.onProgress?.({ bytes: committed.bytes, totalBytes, rows: committed.rows });
  };
  const flush = async () => {
    if (batch.length === 0) return;
    if (!deferChecked) await maybeDeferIndexes();
    const records = batch;
    const raw = rawByLine;
    batch = [];
    batchKeys = new Map();
    rawByLine = new Map();
    const previous = inFlight;
    inFlight = previous.then(() => write(records, raw));
    inFlight.catch(() => {}); // awaited below; this only keeps Node from calling it unhandled meanwhile
    await previous;
  };

  try {
    for await (const chunk of readCsvChunks(input)) {
      let e = 0;
      for (let r = 0; r < chunk.records.length; r++) {
        for (; e < chunk.errors.length && (chunk.errors[e]?.before ?? 0) <= r; e++) {
          const bad = chunk.errors[e] as CsvError;
          reject({ line: bad.line, field: '(row)', reason: bad.reason }, undefined);
        }
        const record = chunk.records[r] as string[];
        const line = chunk.lines[r] as number;
        bytes = chunk.bytes[r] as number;
        if (header === null) {
          header = record.map((h) => h.trim());
          const chosen = chooseMapping({ ...options, header });
          mapping = chosen.mapping;
          presetChosen = chosen.how;
          summary.preset = mapping.name;
          summary.presetChosen = presetChosen;
          compiled = compileMapping({
            mapping,
            kind,
            header,
            timeZone: options.timeZone ?? mapping.timeZone ?? options.defaultTimeZone ?? 'UTC',
            file,
          });
          if (!dryRun) {
            summary.runId = await startRun({ store, kind, file, preset: mapping.name, now: now() });
            options.onStart?.(summary.runId);
          }
          continue;
        }
        if (!compiled) continue;
        summary.read += 1;
        const result = compiled.map(record);
        if (!result.ok) {
          reject({ line, ...result.problem }, record);
          continue;
        }
        if (result.records.length === 0) {
          summary.skipped += 1;
          continue;
        }
        for (let i = 0; i < result.records.length; i++) {
          const rec = result.records[i] as MappedRecord;
          const k = String(rec.values[key]);
          const pending: PendingRecord & { bytes: number; row: number } = {
            bytes,
            row: summary.read,
            line,
            fields: compiled.recordFields[i] ?? Object.keys(rec.values),
            values: rec.values,
            extra: rec.extra,
            insertOnly: compiled.insertOnly[i] ?? new Set(),
          };
          const earlier = batchKeys.get(k);
          if (earlier) {
            // The same key twice in one batch: an identical repeat is unchanged; otherwise write the
            // first before comparing the second.
            if (sameRecord(earlier, pending)) {
              summary.unchanged += 1;
              continue;
            }
            await flush();
          }
          batch.push(pending);
          batchKeys.set(k, pending);
          if (keepRaw) rawByLine.set(line, record);
        }
        if (batch.length >= batchSize) await flush();
      }
      for (const bad of chunk.errors.slice(e))
        reject({ line: bad.line, field: '(row)', reason: bad.reason }, undefined);
    }
    if (header === null) throw new AppError('bad_input', `${file} is empty (no header row)`);
    await flush();
    await inFlight;
    await resetCache();
    if (deferred.length > 0) await restoreIndexes({ db: store.db, table });
    options.onProgress?.({ bytes: totalBytes, totalBytes, rows: summary.read });
    summary.seconds = (Date.now() - started) / 1000;
    if (summary.runId !== null)
      await finishRun({ store, runId: summary.runId, status: 'done', summary, now: now() });
    return summary;
  } catch (error) {
    await inFlight.catch(() => {});
    // If this fails too, the next openStore rebuilds them.
    if (deferred.length > 0) await restoreIndexes({ db: store.db, table }).catch(() => {});
    if (summary.runId !== null) {
      summary.seconds = (Date.now() - started) / 1000;
      await finishRun({ store, runId: summary.runId, status: 'failed', summary, now: now() }).catch(() => {});
    }
    throw error;
  } finally {
    await (session as PgSession | null)?.release().catch(() => {});
    await resetCache().catch(() => {});
    input.destroy();
    const out = rejectsOut as WriteStream | null;
    if (out) await new Promise<void>((resolve) => out.end(resolve));
  }
}

/** Rows from which a load into a table with few rows drops its secondary indexes (see `deferIndexesFrom`). */
export const DEFER_INDEXES_FROM = 50_000;

const MAX_BATCH_ATTEMPTS = 3;

/** PostgreSQL's unique_violation (SQLite serialises writers, so a lookup cannot go stale there). */
const isUniqueViolation = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';

function sameRecord(a: PendingRecord, b: PendingRecord): boolean {
  if (a.extra !== b.extra) return false;
  const keys = new Set([...Object.keys(a.values), ...Object.keys(b.values)]);
  for (const k of keys) {
    if (a.insertOnly.has(k) || b.insertOnly.has(k)) continue;
    if (JSON.stringify(a.values[k] ?? null) !== JSON.stringify(b.values[k] ?? null)) return false;
  }
  return true;
}

function chooseMapping(options: ImportOptions & { header: string[] }): {
  mapping: MappingFile;
  how: ImportSummary['presetChosen'];
} {
  if (options.mapping) return { mapping: options.mapping, how: 'mapping-file' };
  const presets = loadPresets();
  const name = options.preset ?? 'auto';
  if (name !== 'auto') return { mapping: presetByName(name, presets), how: 'named' };
  const detection = detectPreset({ header: options.header, kind: options.kind, presets });
  if (!detection.ok) {
    throw new AppError('bad_input', describeNoMatch(detection, options.kind), {
      location: { file: options.file, line: 1 },
    });
  }
  return { mapping: detection.preset, how: 'detected' };
}

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
