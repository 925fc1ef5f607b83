// Worker thread entry (node:worker_threads): reads and maps an import's CSV (read-batches.ts) while
// the main thread writes, so an import uses a second core. Started by read-in-worker.ts; an extra
// entry point of the CLI bundle (scripts/cli-bundle.mjs).
import { parentPort, workerData } from 'node:worker_threads';
import { describeWorkerError } from '../runtime/worker-entry.ts';
import { packBatch } from './batch-transport.ts';
import { type ReadOptions, readBatches } from './read-batches.ts';
import { READ_AHEAD, type WorkerMessage, type WorkerReply } from './read-in-worker.ts';

const port = parentPort;
if (!port) throw new Error('read-worker.ts runs as a worker thread');
const options = workerData as ReadOptions;

// Batches posted but not yet taken by the writer: at most READ_AHEAD, so memory stays bounded.
let credit = READ_AHEAD;
let wake: (() => void) | null = null;
port.on('message', (message: WorkerReply) => {
  if (message.type !== 'taken') return;
  credit += 1;
  wake?.();
  wake = null;
});

const post = (message: WorkerMessage, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);
try {
  let fields: ReadonlyArray<readonly string[]> = [];
  for await (const event of readBatches(options)) {
    if (event.type === 'header') fields = event.shapes.fields;
    if (event.type !== 'batch') {
      post(event);
      continue;
    }
    while (credit === 0) await new Promise<void>((resolve) => (wake = resolve));
    credit -= 1;
    const { records, ...rest } = event;
    const packed = packBatch(records, (r) => fields.indexOf(r.fields));
    post({ ...rest, type: 'packed', packed }, [packed.meta.buffer, packed.tags.buffer, packed.values.buffer]);
  }
} catch (error) {
  post({ type: 'error', error: describeWorkerError(error) });
} finally {
  port.close();
}
