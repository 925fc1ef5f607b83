import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../errors/app-error.ts';
import { testEngines } from '../testing/engines.ts';
import { expected, fixtures, now, pick, repsMapping, steps } from './equivalence-fixtures.ts';
import { importFile } from './import-file.ts';

// With `readInWorker` the file is read and mapped in a worker thread: the store, the counts, the
// rejects (summary and file) and the errors must be exactly those of reading in this thread.

describe.each(testEngines())('an import read in a worker thread on $name', (engine) => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'gleaner-read-worker-'));
    for (const f of steps) {
      const from = f.startsWith('x-') ? join('test-fixtures/import', f) : join(fixtures, f);
      copyFileSync(from, join(dir, f));
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    { name: 'default batches', batchSize: undefined },
    { name: 'tiny batches', batchSize: 3 },
  ])('stores and reports what the equivalence fixtures expect ($name)', async ({ batchSize }) => {
    const store = await engine.open();
    try {
      const got: unknown[] = [];
      for (const f of steps) {
        const file = join(dir, f);
        const common = { store, file, now, batchSize, readInWorker: true, deferIndexesFrom: 0 };
        const summary =
          f === 'reps.csv'
            ? await importFile({ ...common, kind: 'reps', mapping: repsMapping })
            : await importFile({
                ...common,
                kind: 'leads',
                preset: f.startsWith('x-') ? 'x-education' : 'gleaner-leads',
              });
        got.push({ file: f, ...pick(summary) });
      }
      expect(got).toEqual(expected.steps);
      const leads = await store.db.selectFrom('leads').selectAll().orderBy('external_id').execute();
      expect(leads).toEqual(expected.leads);
    } finally {
      await store.close();
    }
  });

  it('reports bad rows and write-time rejects as reading in this thread does', async () => {
    const broken = join(dir, 'broken.csv');
    copyFileSync('test-fixtures/import/broken-leads.csv', broken);
    // Lead events whose lead is unknown are rejected when written, with their raw cells.
    const events = join(dir, 'events.csv');
    writeFileSync(
      events,
      'lead,kind,at,key\nL1,accepted,2026-01-02T00:00:00Z,e1\nNOPE,accepted,2026-01-03T00:00:00Z,e2\nL5,rejected,bad date,e3\n',
    );
    const eventsMapping = {
      name: 'events-test',
      entities: {
        'lead-events': { fields: { lead_ref: 'lead', kind: 'kind', occurred_at: 'at', source_key: 'key' } },
      },
    };
    const run = async (readInWorker: boolean) => {
      const store = await engine.open();
      try {
        const leads = await importFile({ store, kind: 'leads', file: broken, now, readInWorker });
        const leadRejects = readFileSync(`${broken}.rejects.csv`, 'utf8');
        const ev = await importFile({
          store,
          kind: 'lead-events',
          file: events,
          mapping: eventsMapping,
          now,
          readInWorker,
        });
        const evRejects = readFileSync(`${events}.rejects.csv`, 'utf8');
        const rows = await store.db
          .selectFrom('leads')
          .select(['external_id', 'status'])
          .orderBy('external_id')
          .execute();
        return { leads: pick(leads), leadRejects, ev: pick(ev), evRejects, rows };
      } finally {
        await store.close();
      }
    };
    const inThread = await run(false);
    const inWorker = await run(true);
    expect(inWorker).toEqual(inThread);
    expect(inWorker.leads.rejected).toBe(6);
    // A row's bad value is reported as it is read, an unknown lead when its batch is written.
    expect(inWorker.ev.rejects.map((r) => [r.line, r.field])).toEqual([
      [4, 'occurred_at'],
      [3, 'lead_ref'],
    ]);
    expect(inWorker.evRejects).toContain('NOPE,accepted');
  });

  it('stops on a missing column with the same error, naming it', async () => {
    const file = join(dir, 'missing.csv');
    writeFileSync(file, 'external_id,email\nL1,a@b.io\n');
    const store = await engine.open();
    try {
      const error = await importFile({
        store,
        kind: 'leads',
        file,
        preset: 'gleaner-leads',
        readInWorker: true,
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({ code: 'bad_input', location: { file, line: 1 } });
      expect((error as AppError).message).toMatch(/missing required columns? .*"first_name"/);
      expect(await store.db.selectFrom('leads').selectAll().execute()).toEqual([]);
    } finally {
      await store.close();
    }
  });
});
