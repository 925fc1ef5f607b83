import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '../testing/engines.ts';
import { type ImportOptions, type ImportSummary, importFile } from './import-file.ts';

// The fast import (chunked CSV reader, deferred indexes, batched writes) must store the same rows
// and report the same counts and rejects as the importer before it: expected.json was written by
// that importer (commit 38cfd66) from these files; see test-fixtures/import/SOURCE.md.

const fixtures = 'test-fixtures/import/equivalence';
const expected = JSON.parse(readFileSync(join(fixtures, 'expected.json'), 'utf8')) as {
  steps: Array<Record<string, unknown>>;
  leads: Array<Record<string, unknown>>;
};
const now = () => 1_767_225_600_000;
const repsMapping = {
  name: 'reps-test',
  entities: {
    reps: {
      fields: {
        external_id: 'Id',
        name: 'Name',
        email: 'Email',
        emails: 'Aliases',
        phones: 'Phones',
        team: 'Team',
      },
    },
  },
};
const steps = ['reps.csv', 'leads-1.csv', 'leads-2.csv', 'leads-2.csv', 'x-education-sample.csv'];

const pick = (s: ImportSummary) => ({
  read: s.read,
  inserted: s.inserted,
  updated: s.updated,
  unchanged: s.unchanged,
  rejected: s.rejected,
  skipped: s.skipped,
  unresolvedReferences: s.unresolvedReferences,
  rejects: s.rejects,
});

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
