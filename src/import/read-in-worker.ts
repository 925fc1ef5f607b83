import { startWorker, type WorkerError, workerMessages } from '../runtime/worker-entry.ts';
import { type PackedBatch, type RecordShapes, unpackBatch } from './batch-transport.ts';
import type { ReadEvent, ReadOptions } from './read-batches.ts';

/** Batches the read worker may have posted ahead of the writer (each is at most a batch's records). */
export const READ_AHEAD = 2;

type BatchEvent = Extract<ReadEvent, { type: 'batch' }>;

export type WorkerMessage =
  | Exclude<ReadEvent, BatchEvent>
  /** A batch with its records packed (batch-transport.ts). */
  | (Omit<BatchEvent, 'type' | 'records'> & { type: 'packed'; packed: PackedBatch })
  | { type: 'error'; error: WorkerError };
export type WorkerReply = { type: 'taken' };

/**
 * `readBatches` run in a worker thread: the same events, read and mapped on another core while the
 * caller writes. The worker stays at most READ_AHEAD batches ahead; it stops when the caller stops
 * iterating (a write failed) or the file ends.
 */
export async function* readBatchesInWorker(options: ReadOptions): AsyncGenerator<ReadEvent> {
  const worker = startWorker(import.meta.url, 'read-worker', { workerData: options });
  let shapes: RecordShapes = { fields: [], insertOnly: [] };
  for await (const message of workerMessages<WorkerMessage>(worker, 'import read worker')) {
    if (message.type === 'packed') {
      worker.postMessage({ type: 'taken' } satisfies WorkerReply);
      const { packed, ...rest } = message;
      yield { ...rest, type: 'batch', records: unpackBatch(packed, shapes) };
      continue;
    }
    if (message.type === 'header') shapes = message.shapes;
    yield message;
    if (message.type === 'end') return;
  }
}
