import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '../testing/engines.ts';
import { expected, fixtures, now, pick, repsMapping, steps } from './equivalence-fixtures.ts';
import { type ImportOptions, importFile } from './import-file.ts';

// The fast import (chunked CSV reader, deferred indexes, batched writes) must store the same rows
// and report the same counts and rejects as the importer before it: expected.json was written by
// that importer (commit 38cfd66) from these files; see test-fixtures/import/SOURCE.md.

const variants: Array<{ name: string; options: Partial<ImportOptions> }> = [
  { name: 'default batches', options: {} },
  { name: 'tiny batches', options: { batchSize: 3 } },
  { name: 'deferred indexes', options: { batchSize: 7, deferIndexesFrom: 0 } },
];

describe.each(testEngines())('import equivalence on $name', (engine) => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'gleaner-equivalence-'));
    for (const f of steps) {
      const from = f.startsWith('x-') ? join('test-fixtures/import', f) : join(fixtures, f);
      copyFileSync(from, join(dir, f));
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(variants)('stores and reports what the previous importer did ($name)', async ({ options }) => {
    const store = await engine.open();
    try {
      const got: unknown[] = [];
      for (const f of steps) {
        const file = join(dir, f);
        const summary =
          f === 'reps.csv'
            ? await importFile({ store, kind: 'reps', file, mapping: repsMapping, now, ...options })
            : await importFile({
                store,
                kind: 'leads',
                file,
                preset: f.startsWith('x-') ? 'x-education' : 'gleaner-leads',
                now,
                ...options,
              });
        got.push({ file: f, ...pick(summary) });
      }
      expect(got).toEqual(expected.steps);
      const leads = await store.db.selectFrom('leads').selectAll().orderBy('external_id').execute();
      expect(leads).toEqual(expected.leads);
      expect(await store.db.selectFrom('deferred_indexes').selectAll().execute()).toEqual([]);
    } finally {
      await store.close();
    }
  });
});
