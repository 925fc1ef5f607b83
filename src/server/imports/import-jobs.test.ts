import { describe, expect, it } from 'vitest';
import { testEngines } from '../../testing/engines.ts';
import { createImportJobs } from './import-jobs.ts';

function deferred(): { promise: Promise<void>; resolve: () => void; reject: (e: Error) => void } {
  let resolve!: () => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe.each(testEngines())('background imports on $name', (engine) => {
  const recordRun = async (store: Awaited<ReturnType<typeof engine.open>>) =>
    (
      await store.db
        .insertInto('import_runs')
        .values({ kind: 'leads', file: 'x.csv', preset: null, started_at: 1, status: 'running' })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;

  it('answers once the run is recorded, reports progress while it goes, and tells when it ends', async () => {
    const store = await engine.open();
    try {
      let finished = 0;
      const jobs = createImportJobs({ store, onFinished: () => (finished += 1), logError: () => {} });
      const gate = deferred();
      const runId = await jobs.start(async (hooks) => {
        const id = await recordRun(store);
        hooks.onStart(id);
        hooks.onProgress({ rows: 500, bytes: 1000, totalBytes: 4000 });
        await gate.promise;
      });
      expect(jobs.progress(runId)).toEqual({ rows: 500, bytes: 1000, totalBytes: 4000 });
      expect(finished).toBe(0);
      gate.resolve();
      await jobs.idle();
      expect(jobs.progress(runId)).toBeNull();
      expect(finished).toBe(1);
    } finally {
      await store.close();
    }
  });

  it('a failure before the run starts is the caller’s error; one after it is recorded on the run', async () => {
    const store = await engine.open();
    try {
      const errors: string[] = [];
      const jobs = createImportJobs({ store, onFinished: () => {}, logError: (l) => errors.push(l) });
      await expect(
        jobs.start(async () => {
          throw new Error('no mapping fits this header');
        }),
      ).rejects.toThrow('no mapping fits this header');

      const runId = await jobs.start(async (hooks) => {
        hooks.onStart(await recordRun(store));
        await new Promise((r) => setTimeout(r, 5));
        throw new Error('disk full');
      });
      await jobs.idle();
      const row = await store.db
        .selectFrom('import_runs')
        .select(['status', 'summary'])
        .where('id', '=', runId)
        .executeTakeFirstOrThrow();
      expect(row.status).toBe('failed');
      expect(JSON.parse(row.summary ?? '{}')).toMatchObject({ error: 'disk full' });
      expect(errors).toEqual([`import run ${runId} failed: disk full`]);
    } finally {
      await store.close();
    }
  });
});
