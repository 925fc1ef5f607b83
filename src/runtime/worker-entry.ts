import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import v8 from 'node:v8';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { AppError, type ErrorCode, type InputLocation } from '../errors/app-error.ts';

/** What startWorker takes besides node:worker_threads' options. */
export type StartWorkerOptions = WorkerOptions & {
  /**
   * The worker's V8 young generation in MB, whole from its start; while it runs, no thread's young
   * generation grows (holdYoungGenerations). For a worker beside a main thread that stays busy:
   * the two young generations add up in the process's peak RSS.
   */
  youngGenerationMb?: number;
};

/**
 * Starts the worker thread whose entry is `name` beside the calling module (`from`, its
 * import.meta.url): from the CLI bundle that is `name.js` beside the chunk (an entry point of
 * scripts/cli-bundle.mjs); from source (tsx, vitest) the `name.ts` file, imported once tsx is
 * registered in the new thread.
 */
export function startWorker(from: string, name: string, options: StartWorkerOptions = {}): Worker {
  const { youngGenerationMb, ...workerOptions } = options;
  if (youngGenerationMb !== undefined) {
    workerOptions.resourceLimits = {
      ...workerOptions.resourceLimits,
      maxYoungGenerationSizeMb: youngGenerationMb,
    };
    // V8 sizes a new heap's young generation from this flag (capped at its maximum) as the thread
    // starts: the worker's is whole from the start, as it could not grow while the young
    // generations are held. Set back once the worker runs (holdYoungGenerations).
    v8.setFlagsFromString(`--min-semi-space-size=${youngGenerationMb}`);
  }
  const worker = startWorkerThread(from, name, workerOptions);
  if (youngGenerationMb !== undefined) holdYoungGenerations(worker);
  return worker;
}

function startWorkerThread(from: string, name: string, options: WorkerOptions): Worker {
  // Bundled code needs no loader: the thread does not inherit one the process was started with
  // (`node --import tsx`), which would load and compile modules for it again.
  if (!from.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, from), { execArgv: [], ...options });
  return new Worker(tsxBootstrap(new URL(`./${name}.ts`, from).href), { ...options, eval: true });
}

let holders = 0;

/**
 * Keeps every thread's V8 young generation at its current size while `worker` runs. V8 doubles a
 * young generation (up to 32 MB, fixed when the thread started) whenever as much has survived
 * scavenges as it holds: over a long run the main thread's reaches its maximum even when it only
 * writes what a worker reads, and the two add up in the peak RSS (a 100,000-message `capture mail`
 * peaked at ~220 MB instead of ~195 MB). A growth factor of 1 makes V8's growth step keep the size; it
 * is a process-wide flag that a new heap resets to 2, so it is set once the worker runs, and set
 * back to 2 when the last such worker has exited.
 */
function holdYoungGenerations(worker: Worker): void {
  holders += 1;
  worker.once('online', () => {
    v8.setFlagsFromString('--min-semi-space-size=0');
    if (holders > 0) v8.setFlagsFromString('--semi-space-growth-factor=1');
  });
  worker.once('exit', () => {
    v8.setFlagsFromString('--min-semi-space-size=0'); // a worker that failed before it ran
    holders -= 1;
    if (holders === 0) v8.setFlagsFromString('--semi-space-growth-factor=2');
  });
}

function tsxBootstrap(entry: string): string {
  // tsx/esm/api's ESM build (its CommonJS build cannot register hooks in a worker).
  const manifest = createRequire(import.meta.url).resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as {
    exports: Record<string, { import: { default: string } }>;
  };
  const api = pkg.exports['./esm/api']?.import.default ?? './dist/esm/api/index.mjs';
  const tsx = new URL(api, pathToFileURL(manifest)).href;
  return `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
}

/** An error as a worker thread posts it: an AppError keeps its code and location. */
export type WorkerError =
  | { app: true; code: string; message: string; location: unknown }
  | { app: false; message: string };

/** Describes an error thrown in a worker thread for postMessage (workerErrorToError rebuilds it). */
export function describeWorkerError(error: unknown): WorkerError {
  if (error instanceof Error && 'code' in error && error.name === 'AppError') {
    const e = error as Error & { code: string; location?: unknown };
    return { app: true, code: e.code, message: e.message, location: e.location };
  }
  return { app: false, message: error instanceof Error ? (error.stack ?? error.message) : String(error) };
}

/** The error a worker described: the same AppError, or an Error naming the worker (`label`). */
export function workerErrorToError(error: WorkerError, label: string): Error {
  if (error.app) {
    const location = error.location as InputLocation | undefined;
    return new AppError(error.code as ErrorCode, error.message, location ? { location } : {});
  }
  return new Error(`${label}: ${error.message}`);
}

/**
 * The messages `worker` posts, in order, with its posted errors rethrown (workerErrorToError, naming
 * it by `label`). Listens from the moment it is called: a message, error or exit before the first
 * `next()` is kept, not lost. Throws when the worker fails or exits while the caller still iterates
 * (its protocol says when the end has come: stop iterating then). Terminates the worker if it still
 * runs when iteration stops, as when the caller failed.
 */
export function workerMessages<M extends { type: string }>(
  worker: Worker,
  label: string,
): AsyncGenerator<Exclude<M, { type: 'error' }>> {
  const queue: M[] = [];
  let failure: Error | null = null;
  let exited = false;
  let wake: (() => void) | null = null;
  const notify = () => {
    wake?.();
    wake = null;
  };
  worker.on('message', (message: M) => {
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
  async function* messages(): AsyncGenerator<Exclude<M, { type: 'error' }>> {
    try {
      for (;;) {
        const message = queue.shift();
        if (message === undefined) {
          if (failure) throw failure;
          if (exited) throw new Error(`the ${label} stopped before its end`);
          await new Promise<void>((resolve) => (wake = resolve));
          continue;
        }
        if (message.type === 'error')
          throw workerErrorToError((message as unknown as { error: WorkerError }).error, label);
        yield message as Exclude<M, { type: 'error' }>;
      }
    } finally {
      if (!exited) await worker.terminate();
    }
  }
  return messages();
}
