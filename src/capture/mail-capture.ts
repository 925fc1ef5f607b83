import { once } from 'node:events';
import { stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { type Kysely, SqliteAdapter } from 'kysely';
import type { MatchIndexInput } from '../match/matcher.ts';
import { startWorker, type WorkerError, workerMessages } from '../runtime/worker-entry.ts';
import { type CopyInto, copyRows } from '../store/copy-rows.ts';
import { deferIndexes, restoreIndexes, sizeSqliteCache } from '../store/deferred-indexes.ts';
import { type PgSession, sqliteFileOf } from '../store/open-store.ts';
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
  blocking: boolean;
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

/**
 * Worker → main thread. A batch's rows are flat arrays of plain values: structured clone copies them
 * in half the time of JSON text, and leaves no large string in either heap.
 */
export type FromMailWorker =
  | { type: 'batch'; batch: DecidedBatch }
  | { type: 'end' }
  | { type: 'error'; error: WorkerError };

/** Batches the worker may have posted ahead of the writer. */
export const MAIL_READ_AHEAD = 2;
// Activities per batch from the worker: smaller than runCapture's, so fewer large objects are in flight.
const WORKER_BATCH = 500;
// The worker's V8 young generation (startWorker holds both threads' at their size while it runs): it
// adds its size to the process's peak RSS. The worker allocates ~8 KB per message that dies young;
// at 8 MB it ran ~300 scavenges per 100,000 messages (0.7 s), at 16 MB ~150 (0.45 s): 16 MB captured
// 100,000 messages 0.5-0.6 s sooner in 3 alternated pairs (4.8-5.2 s against 5.4-5.8 s) at a peak
// of 181-185 MB against 168-173 MB, and the 1 GB mbox at 185 MB. 32 MB gained little more and
// peaked at 193-199 MB, too near the 200 MB bound. V8's default is 32.
const WORKER_YOUNG_MB = 16;

/**
 * Captures mail files (`gleaner capture mail`). In parallel it uses two cores: a worker thread
 * reads, parses and decides (decideBatches, with its own copy of the match index) while this
 * thread only writes (writeBatches), so the store's work and the parsing overlap. The result is
 * the same as runCapture's: the worker runs the same code on the same events in the same order.
 * By default it runs in parallel when the files hold PARALLEL_FROM_MESSAGES or more (the worker's
 * start-up and its copy of the index cost more than they save on a few messages) and there are
 * two cores.
 */
export async function captureMail(input: {
  db: Kysely<Database>;
  paths: string[];
  format?: MailFormat;
  onProgress?: (summary: CaptureSummary) => void;
  /** Read and decide in a worker thread (default: for PARALLEL_FROM_MESSAGES or more, on 2+ cores). */
  parallel?: boolean;
  /** Expected messages from which indexes are deferred (default 50,000; tests lower it). */
  deferIndexesFrom?: number;
  /**
   * The store's own-connection sessions (a PostgreSQL server): capture then runs on one, and writes
   * participants by COPY on it.
   */
  openSession?: () => Promise<PgSession>;
}): Promise<CaptureSummary> {
  const expected = await expectedMessages(input.paths);
  const deferred = await deferCaptureIndexes({
    db: input.db,
    expected,
    from: input.deferIndexesFrom ?? DEFER_FROM_MESSAGES,
  });
  // Indexes are deferred only on SQLite, whose page cache this sizes.
  const resetCache =
    deferred.length > 0 ? await sizeSqliteCache(input.db, DEFERRED_CACHE_KIB) : async () => {};
  const parallel = input.parallel ?? (expected >= PARALLEL_FROM_MESSAGES && availableParallelism() >= 2);
  try {
    const summary = await captureMailFilesOnSession({ ...input, parallel });
    for (const table of deferred) await restoreIndexes({ db: input.db, table });
    return summary;
  } catch (error) {
    // If this fails too, the next openStore rebuilds them.
    for (const table of deferred) await restoreIndexes({ db: input.db, table }).catch(() => {});
    throw error;
  } finally {
    await resetCache().catch(() => {});
  }
}

// While the activity indexes are deferred, a SQLite capture appends to its tables but for the
// per-lead counters and activities_lead_time: a 6 MB page cache (the connection's default is 16 MB)
// serves it about as fast, the pages coming back from the OS's file cache, and keeps ~10 MB out of
// the peak RSS (`gleaner capture mail` of 100,000 messages: 183-184 MB against 193-196 MB in 3
// alternated pairs, 5.6-6.3 s against 5.6-5.7 s; 4 MB saved a little more and ran ~5% slower, 2 MB
// ~10%).
const DEFERRED_CACHE_KIB = 6144;

// A large capture into a store with few activities drops the activity indexes it does not read and
// builds them at the end (store/deferred-indexes.ts: recorded, so a killed run's are rebuilt on the
// next open). On SQLite inserting random keys into them cost ~0.7 s per 100k messages, building
// them afterwards ~0.3 s. activities_lead_time stays: refreshTouchGaps reads it during the run.
const DEFER_FROM_MESSAGES = 50_000;
// From how many expected messages a capture runs in parallel by default.
const PARALLEL_FROM_MESSAGES = 10_000;
// Mail files hold a message per ~4 KB or more (headers alone are ~1-3 KB): an upper estimate.
const BYTES_PER_MESSAGE = 4096;
const DEFERRED_TABLES = ['activities', 'activity_participants'] as const;
const KEEP_INDEXES = ['activities_lead_time'];

/** The messages mail files hold at most, from their sizes (folders count nothing). */
async function expectedMessages(paths: readonly string[]): Promise<number> {
  let bytes = 0;
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined);
    if (info?.isFile()) bytes += info.size;
  }
  return bytes / BYTES_PER_MESSAGE;
}

async function deferCaptureIndexes(input: {
  db: Kysely<Database>;
  expected: number;
  from: number;
}): Promise<string[]> {
  const { db, expected } = input;
  // PostgreSQL inserts in its own process while Node parses: the indexes cost Node nothing there.
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return [];
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

type MailFilesInput = {
  db: Kysely<Database>;
  paths: string[];
  format?: MailFormat;
  onProgress?: (summary: CaptureSummary) => void;
  /** Read and decide in a worker thread (default: in this thread). */
  parallel?: boolean;
};

/** captureMailFiles on a session of its own when the store has them (see captureMail). */
async function captureMailFilesOnSession(
  input: MailFilesInput & { openSession?: () => Promise<PgSession> },
): Promise<CaptureSummary> {
  const { openSession, ...rest } = input;
  if (!openSession) return captureMailFiles(rest);
  const session = await openSession();
  try {
    return await captureMailFiles({
      ...rest,
      db: session.db,
      copy: (table) => copyRows(session.client, table),
    });
  } finally {
    await session.release();
  }
}

/** captureMail without the index deferral. */
async function captureMailFiles(input: MailFilesInput & { copy?: CopyInto }): Promise<CaptureSummary> {
  const settings = await loadCaptureSettings(input.db);
  // The CLI's reading thread (this one, or the worker) does nothing else while a chunk is read.
  const read = { paths: input.paths, ...(input.format ? { format: input.format } : {}), blocking: true };
  const writing = {
    ...(input.onProgress ? { onProgress: input.onProgress } : {}),
    ...(input.copy ? { copy: input.copy } : {}),
    // The CLI's connection: nothing else writes on it during the run.
    bulkReferenceCheck: true,
  };
  if (!input.parallel) return runCapture({ db: input.db, events: readMail(read), settings, ...writing });
  const sqliteFile = sqliteFileOf(input.db);
  const worker = startWorker(import.meta.url, 'mail-capture-worker', {
    workerData: {
      ...read,
      settings,
      ...(sqliteFile ? { sqliteFile } : {}),
      batchSize: WORKER_BATCH,
    } satisfies MailWorkerData,
    youngGenerationMb: WORKER_YOUNG_MB,
  });
  const post = (message: ToMailWorker) => worker.postMessage(message);
  const batches = batchesFrom(worker, post);
  try {
    if (!sqliteFile) {
      // Once the worker runs, this thread's young generation is held at its size (startWorker):
      // loading 100k leads before that grew it to 32 MB.
      await once(worker, 'online');
      // The index is loaded before the writer's transaction begins (the store has one connection).
      post({ type: 'base', base: await loadMatchIndexBase(input.db, settings) });
      await forEachLeadPage(input.db, (page) => post({ type: 'leads', page }));
      post({ type: 'go' });
    }
    return await writeBatches({ db: input.db, batches, ...writing });
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
      yield message.batch;
    }
  })();
}
