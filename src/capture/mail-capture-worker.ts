// Worker thread entry (node:worker_threads): reads, parses and decides mail files (decideBatches)
// while the main thread writes. Started by mail-capture.ts; an extra entry point of the CLI bundle
// (scripts/cli-bundle.mjs).
import { parentPort, workerData } from 'node:worker_threads';
import { addLeadsToIndex, buildMatchIndex, type MatchIndex } from '../match/matcher.ts';
import { describeWorkerError } from '../runtime/worker-entry.ts';
import { openSqliteReader } from '../store/open-store.ts';
import { loadMatchIndex } from './activity-store.ts';
import { decideBatches } from './capture-run.ts';
import {
  type FromMailWorker,
  MAIL_READ_AHEAD,
  type MailWorkerData,
  type ToMailWorker,
} from './mail-capture.ts';
import { readMail } from './mail-files.ts';

const port = parentPort;
if (!port) throw new Error('mail-capture-worker.ts runs as a worker thread');
const { paths, format, blocking, settings, sqliteFile, batchSize } = workerData as MailWorkerData;

let index: MatchIndex | undefined;
let openStatuses: readonly string[] = [];
let ready: () => void = () => {};
const go = new Promise<void>((resolve) => (ready = resolve));
// Batches posted but not yet taken by the writer: at most MAIL_READ_AHEAD, so memory stays bounded.
let credit = MAIL_READ_AHEAD;
let wake: (() => void) | null = null;
port.on('message', (message: ToMailWorker) => {
  if (message.type === 'base') {
    index = buildMatchIndex(message.base);
    openStatuses = message.base.openStatuses;
  } else if (message.type === 'leads') addLeadsToIndex(index as MatchIndex, message.page, openStatuses);
  else if (message.type === 'go') ready();
  else {
    credit += 1;
    wake?.();
    wake = null;
  }
});

const post = (message: FromMailWorker) => port.postMessage(message);
try {
  if (sqliteFile) {
    const db = openSqliteReader(sqliteFile);
    try {
      index = await loadMatchIndex(db, settings);
    } finally {
      await db.destroy();
    }
  } else await go;
  const events = readMail({ paths, ...(format ? { format } : {}), blocking });
  for await (const batch of decideBatches({ events, index: index as MatchIndex, settings, batchSize })) {
    while (credit === 0) await new Promise<void>((resolve) => (wake = resolve));
    credit -= 1;
    post({ type: 'batch', batch });
  }
  post({ type: 'end' });
} catch (error) {
  post({ type: 'error', error: describeWorkerError(error) });
} finally {
  port.close();
}
