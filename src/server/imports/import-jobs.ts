import type { Store } from '../../store/open-store.ts';
import { parseSummary } from '../api/import-runs.ts';

/** How far a running import has got: rows handled and, for files read front to back, bytes. */
export type ImportProgress = { rows: number; bytes: number | null; totalBytes: number | null };

/** What an importer calls while it runs: once its run is recorded, then as batches are committed. */
export type ImportHooks = {
  onStart: (runId: number) => void;
  onProgress: (progress: ImportProgress) => void;
};

/**
 * Imports uploaded through the API run in the background. `start` answers as soon as the importer
 * has recorded its run (so the request can return 202 with the run's id); a failure before that — an
 * unknown preset, a header that fits no mapping — rejects `start` and becomes the request's error.
 * While a run goes, `progress` tells how far it is; when it ends the run row holds its summary (the
 * importer writes it) and `onFinished` lets cached reports see the new data.
 */
export type ImportJobs = {
  start: (run: (hooks: ImportHooks) => Promise<unknown>) => Promise<number>;
  progress: (runId: number) => ImportProgress | null;
  /** Resolves when every running import has ended (shutdown, tests). */
  idle: () => Promise<void>;
};

export function createImportJobs(options: {
  store: Store;
  onFinished: () => void;
  logError: (line: string) => void;
}): ImportJobs {
  const live = new Map<number, ImportProgress>();
  const running = new Set<Promise<void>>();

  const recordFailure = async (runId: number, error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    options.logError(`import run ${runId} failed: ${message}`);
    const row = await options.store.db
      .selectFrom('import_runs')
      .select('summary')
      .where('id', '=', runId)
      .executeTakeFirst();
    const summary = parseSummary(row?.summary ?? null) ?? {};
    await options.store.db
      .updateTable('import_runs')
      .set({ status: 'failed', summary: JSON.stringify({ ...summary, error: message }) })
      .where('id', '=', runId)
      .execute();
  };

  return {
    start: (run) =>
      new Promise<number>((resolve, reject) => {
        let runId: number | null = null;
        const job = run({
          onStart: (id) => {
            runId = id;
            live.set(id, { rows: 0, bytes: null, totalBytes: null });
            resolve(id);
          },
          onProgress: (progress) => {
            if (runId !== null) live.set(runId, progress);
          },
        })
          .then(
            () => {
              if (runId === null) reject(new Error('the import ended without recording a run'));
            },
            async (error: unknown) => {
              if (runId === null) reject(error);
              else await recordFailure(runId, error).catch(() => {});
            },
          )
          .finally(() => {
            if (runId !== null) live.delete(runId);
            running.delete(job);
            options.onFinished();
          });
        running.add(job);
      }),
    progress: (runId) => live.get(runId) ?? null,
    idle: async () => {
      while (running.size > 0) await Promise.allSettled([...running]);
    },
  };
}
