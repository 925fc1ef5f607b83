import type { Worker } from 'node:worker_threads';
import { AppError, type ErrorCode, type InputLocation } from '../../errors/app-error.ts';
import { startWorker } from '../../runtime/start-worker.ts';
import type { Store } from '../../store/open-store.ts';
import { computeReport, type ReportJob } from './compute-report.ts';
import type { ReportBodies } from './report-cache.ts';

/** Where reports are computed: in this thread, or in a worker thread with its own store connection. */
export type ReportRunner = {
  run: (job: ReportJob) => Promise<ReportBodies>;
  close: () => Promise<void>;
};

export type WorkerRequest = { type: 'run'; id: number; job: ReportJob } | { type: 'close' };
export type WorkerReply =
  | { ready: true }
  | { id: number; bodies: ReportBodies }
  | { id: number; error: { code?: ErrorCode; message: string; location?: InputLocation | undefined } };

export function inProcessReportRunner(store: Store): ReportRunner {
  return { run: (job) => computeReport(store, job), close: async () => {} };
}

/**
 * Reports computed in one worker thread, which opens the store at `url` itself (a SQLite file or
 * PostgreSQL; an in-process PGlite cannot be shared). Started at once, started again after a
 * crash; jobs run one after another there, so the worker's shared report data loads are reused.
 */
export function workerReportRunner(options: { url: string }): ReportRunner {
  let worker: Worker | null = null;
  let nextId = 1;
  const waiting = new Map<number, { resolve: (b: ReportBodies) => void; reject: (e: Error) => void }>();

  const failAll = (error: Error) => {
    for (const w of waiting.values()) w.reject(error);
    waiting.clear();
  };
  const start = (): Worker => {
    const w = startWorker({
      callerUrl: import.meta.url,
      name: 'report-worker',
      workerData: { url: options.url },
    });
    w.on('message', (reply: WorkerReply) => {
      if ('ready' in reply) return;
      const entry = waiting.get(reply.id);
      if (!entry) return;
      waiting.delete(reply.id);
      if ('bodies' in reply) {
        entry.resolve(reply.bodies);
      } else if (reply.error.code) {
        const { code, message, location } = reply.error;
        entry.reject(new AppError(code, message, location ? { location } : {}));
      } else {
        entry.reject(new Error(`report worker: ${reply.error.message}`));
      }
    });
    w.on('error', (error) => failAll(error));
    w.on('exit', (code) => {
      if (worker === w) worker = null;
      failAll(new Error(`the report worker stopped (exit code ${code})`));
    });
    // Idle, the worker must not keep the process alive.
    w.unref();
    return w;
  };

  // Started now rather than on the first request: loading the worker's modules and opening its
  // store takes ~1 s that the first dashboard visitor would otherwise wait for.
  worker = start();
  return {
    run: (job) =>
      new Promise<ReportBodies>((resolve, reject) => {
        worker ??= start();
        const id = nextId++;
        waiting.set(id, { resolve, reject });
        worker.postMessage({ type: 'run', id, job } satisfies WorkerRequest);
      }),
    close: async () => {
      const w = worker;
      worker = null;
      if (!w) return;
      const exited = new Promise<void>((resolve) => w.once('exit', () => resolve()));
      w.postMessage({ type: 'close' } satisfies WorkerRequest);
      const timer = setTimeout(() => void w.terminate(), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
