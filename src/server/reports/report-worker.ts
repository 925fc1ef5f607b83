// Worker thread entry (node:worker_threads): computes reports on its own store connection so the
// server's event loop keeps answering while a report is recomputed. Started by report-runner.ts;
// an extra entry point of the CLI bundle (scripts/cli-bundle.mjs).
import { parentPort, workerData } from 'node:worker_threads';
import { AppError } from '../../errors/app-error.ts';
import { openStore } from '../../store/open-store.ts';
import { computeReport } from './compute-report.ts';
import type { WorkerReply, WorkerRequest } from './report-runner.ts';

const port = parentPort;
if (!port) throw new Error('report-worker.ts runs as a worker thread');
const { url } = workerData as { url: string };
// The server has migrated the store already.
const store = await openStore({ url, migrate: false });

port.on('message', (request: WorkerRequest) => {
  if (request.type === 'close') {
    void store.close().then(() => port.close());
    return;
  }
  computeReport(store, request.job).then(
    (bodies) => port.postMessage({ id: request.id, bodies } satisfies WorkerReply),
    (error: unknown) =>
      port.postMessage({
        id: request.id,
        error:
          error instanceof AppError
            ? { code: error.code, message: error.message, location: error.location }
            : { message: error instanceof Error ? (error.stack ?? error.message) : String(error) },
      } satisfies WorkerReply),
  );
});
port.postMessage({ ready: true });
