import { stat } from 'node:fs/promises';
import { type Kysely, SqliteAdapter } from 'kysely';
import type { MatchIndexInput } from '../match/matcher.ts';
import { startWorker, type WorkerError, workerMessages } from '../runtime/worker-entry.ts';
import { deferIndexes, restoreIndexes } from '../store/deferred-indexes.ts';
import { sqliteFileOf } from '../store/open-store.ts';
import type { Database } from '../store/schema.ts';
import { forEachLeadPage, loadMatchIndexBase } from './activity-store.ts';
import { type CaptureSummary, type DecidedBatch, runCapture, writeBatches } from './capture-run.ts';
import { type CaptureSettings, loadCaptureSettings } from './capture-settings.ts';
import { type MailFormat, readMail } from './mail-files.ts';

/**
 * What the mail capture worker is started with. With `sqliteFile` it loads the match index itself
 * through a read-only connection; otherwise (PostgreSQL) it is sent the index's parts.
 */
export type MailWorkerData = {
  paths: string[];
  format?: MailFormat;
  settings: CaptureSettings;
  sqliteFile?: string;
  batchSize: number;
};

/** Main thread → worker: the match index's parts, then `go` (or nothing of this with `sqliteFile`); after that, one `taken` per batch. */
export type ToMailWorker =
  | { type: 'base'; base: MatchIndexInput }
  | { type: 'leads'; page: MatchIndexInput['leads'] }
  | { type: 'go' }
  | { type: 'taken' };

/** Worker → main thread. A batch travels as JSON text: one string to copy, not thousands of objects. */
export type FromMailWorker =
  | { type: 'batch'; json: string }
  | { type: 'end' }
  | { type: 'error'; error: WorkerError };

/** Batches the worker may have posted ahead of the writer. */
export const MAIL_READ_AHEAD = 2;
// Activities per batch from the worker: smaller than runCapture's, so fewer large objects are in flight.
const WORKER_BATCH = 500;

/**
 * Captures mail files (`gleaner capture mail`). With `parallel` it uses two cores: a worker thread
 * reads, parses and decides (decideBatches, with its own copy of the match index) while this
 * thread only writes (writeBatches), so the store's work and the parsing overlap. The result is
 * the same as runCapture's: the worker runs the same code on the same events in the same order.
 * It costs memory (a second V8 heap holding the index: ~+30 MB at 100k leads), so it is opt-in.
 */
export async function captureMail(input: {
  db: Kysely<Database>;
  paths: string[];
  format?: MailFormat;
  onProgress?: (summary: CaptureSummary) => void;
  /** Read and decide in a worker thread (default: in this thread). */
  parallel?: boolean;
  /** Expected messages from which indexes are deferred (default 50,000; tests lower it). */
  deferIndexesFrom?: number;
}): Promise<CaptureSummary> {
  const deferred = await deferCaptureIndexes({
    db: input.db,
    paths: input.paths,
    from: input.deferIndexesFrom ?? DEFER_FROM_MESSAGES,
  });
  try {
    const summary = await captureMailFiles(input);
    for (const table of deferred) await restoreIndexes({ db: input.db, table });
    return summary;
  } catch (error) {
    // If this fails too, the next openStore rebuilds them.
    for (const table of deferred) await restoreIndexes({ db: input.db, table }).catch(() => {});
    throw error;
  }
}

// A large capture into a store with few activities drops the activity indexes it does not read and
// builds them at the end (store/deferred-indexes.ts: recorded, so a killed run's are rebuilt on the
// next open). On SQLite inserting random keys into them cost ~0.7 s per 100k messages, building
// them afterwards ~0.3 s. activities_lead_time stays: refreshTouchGaps reads it during the run.
const DEFER_FROM_MESSAGES = 50_000;
// Mail files hold a message per ~4 KB or more (headers alone are ~1-3 KB): an upper estimate.
const BYTES_PER_MESSAGE = 4096;
const DEFERRED_TABLES = ['activities', 'activity_participants'] as const;
const KEEP_INDEXES = ['activities_lead_time'];

async function deferCaptureIndexes(input: {
  db: Kysely<Database>;
  paths: readonly string[];
  from: number;
}): Promise<string[]> {
  const { db, paths } = input;
  // PostgreSQL inserts in its own process while Node parses: the indexes cost Node nothing there.
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return [];
  let bytes = 0;
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined);
    if (info?.isFile()) bytes += info.size;
  }
  const expected = bytes / BYTES_PER_MESSAGE;
  if (expected < input.from) return [];
  const stored = await db
    .selectFrom('activities')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirst();
  if (expected <= 2 * Number(stored?.n ?? 0)) return [];
  const now = Date.now();
  for (const table of DEFERRED_TABLES)
    await deferIndexes({ db, engine: 'sqlite', table, now, keep: KEEP_INDEXES });
  return [...DEFERRED_TABLES];
}

/** captureMail without the index deferral. */
async function captureMailFiles(input: {
  db: Kysely<Database>;
  paths: string[];
  format?: MailFormat;
  onProgress?: (summary: CaptureSummary) => void;
  /** Read and decide in a worker thread (default: in this thread). */
  parallel?: boolean;
}): Promise<CaptureSummary> {
  const settings = await loadCaptureSettings(input.db);
  const read = { paths: input.paths, ...(input.format ? { format: input.format } : {}) };
  const progress = input.onProgress ? { onProgress: input.onProgress } : {};
  if (!input.parallel) return runCapture({ db: input.db, events: readMail(read), settings, ...progress });
  const sqliteFile = sqliteFileOf(input.db);
  const worker = startWorker(import.meta.url, 'mail-capture-worker', {
    workerData: {
      ...read,
      settings,
      ...(sqliteFile ? { sqliteFile } : {}),
      batchSize: WORKER_BATCH,
    } satisfies MailWorkerData,
    // A young generation half V8's default: it adds its size to the process's peak RSS, and 8 MB
    // cost ~15% more CPU in scavenges.
    resourceLimits: { maxYoungGenerationSizeMb: 16 },
  });
  const post = (message: ToMailWorker) => worker.postMessage(message);
  const batches = batchesFrom(worker, post);
  try {
    if (!sqliteFile) {
      // The index is loaded before the writer's transaction begins (the store has one connection).
      post({ type: 'base', base: await loadMatchIndexBase(input.db, settings) });
      await forEachLeadPage(input.db, (page) => post({ type: 'leads', page }));
      post({ type: 'go' });
    }
    return await writeBatches({ db: input.db, batches, ...progress });
  } finally {
    // Stops a worker the writer left early (a failed write); after the end it has exited already.
    await worker.terminate();
  }
}

/**
 * The worker's batches in order (listened to from now on, workerMessages); the worker stops when the
 * writer stops taking them.
 */
function batchesFrom(
  worker: ReturnType<typeof startWorker>,
  post: (message: ToMailWorker) => void,
): AsyncGenerator<DecidedBatch> {
  const messages = workerMessages<FromMailWorker>(worker, 'mail capture worker');
  return (async function* () {
    for await (const message of messages) {
      if (message.type === 'end') return;
      post({ type: 'taken' });
      yield JSON.parse(message.json) as DecidedBatch;
    }
  })();
}
