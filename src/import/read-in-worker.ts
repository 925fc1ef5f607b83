import { startWorker, type WorkerError, workerErrorToError } from '../runtime/worker-entry.ts';
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
  const queue: WorkerMessage[] = [];
  let shapes: RecordShapes = { fields: [], insertOnly: [] };
  let failure: Error | null = null;
  let exited = false;
  let wake: (() => void) | null = null;
  const notify = () => {
    wake?.();
    wake = null;
  };
  worker.on('message', (message: WorkerMessage) => {
    queue.push(message);
    notify();
  });
  worker.on('error', (error) => {
    failure = error;
    notify();
  });
  worker.on('exit', () => {
    exited = true;
    notify();
  });
  try {
    while (true) {
      const message = queue.shift();
      if (message === undefined) {
        if (failure) throw failure;
        if (exited) throw new Error('the import read worker stopped before the end of the file');
        await new Promise<void>((resolve) => (wake = resolve));
        continue;
      }
      if (message.type === 'error') throw workerErrorToError(message.error, 'import read worker');
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
  } finally {
    if (!exited) await worker.terminate();
  }
}
