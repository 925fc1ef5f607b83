import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../store/open-store.ts';
import { testEngines } from '../../testing/engines.ts';
import { generateWorkspace, writeWorkspace } from '../../testing/generate-workspace.ts';
import type { ReportJob } from './compute-report.ts';
import { inProcessReportRunner, type ReportRunner, workerReportRunner } from './report-runner.ts';

const text = (b: Uint8Array) => new TextDecoder().decode(b);
const now = Date.UTC(2026, 7, 1);
const job = (name: ReportJob['name'], params: ReportJob['params'] = {}): ReportJob => ({
  name,
  params,
  scope: { repIds: null },
  now,
  version: 'v1',
});

// A worker opens its own connection: SQLite files and PostgreSQL, not the in-process PGlite.
describe.each(testEngines().filter((e) => e.name !== 'pglite'))('report worker on $name', (engine) => {
  let store: Store;
  let worker: ReportRunner;
  beforeAll(async () => {
    store = await engine.open();
    await writeWorkspace(
      store.db,
      generateWorkspace({
        seed: 5,
        leads: 150,
        reps: 8,
        activitiesPerLead: 3,
        start: Date.UTC(2026, 0, 1),
        end: Date.UTC(2026, 6, 1),
      }),
    );
    worker = workerReportRunner({ url: store.location });
  });
  afterAll(async () => {
    await worker?.close();
    await store?.close();
  });

  it('answers the same bytes and ETags as computing in this thread, and keeps input errors', async () => {
    const here = inProcessReportRunner(store);
    for (const j of [job('coverage', { by: 'source' }), job('cherry-pick', { by: 'team' }), job('gap')]) {
      const [a, b] = await Promise.all([worker.run(j), here.run(j)]);
      expect(text(a.json.bytes)).toBe(text(b.json.bytes));
      expect(a.json.etag).toBe(b.json.etag);
      expect(a.jsonGzip.etag).toBe(b.jsonGzip.etag);
      expect(text(a.csv.bytes)).toBe(text(b.csv.bytes));
    }
    const refused = worker.run(job('cherry-pick', { by: 'source' }));
    await expect(refused).rejects.toMatchObject({
      code: 'bad_input',
      message: expect.stringContaining('by must be'),
    });
  });

  it('starts a new worker after close', async () => {
    await worker.close();
    const again = await worker.run(job('acceptance'));
    expect(JSON.parse(text(again.json.bytes)).name).toBe('acceptance');
  });
});
