import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ImportSummary } from './import-file.ts';

// The equivalence fixtures (test-fixtures/import/SOURCE.md) shared by the tests that check an import
// path against what the importer of commit 38cfd66 stored and reported.

export const fixtures = 'test-fixtures/import/equivalence';
export const expected = JSON.parse(readFileSync(join(fixtures, 'expected.json'), 'utf8')) as {
  steps: Array<Record<string, unknown>>;
  leads: Array<Record<string, unknown>>;
};
export const now = () => 1_767_225_600_000;
export const repsMapping = {
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
export const steps = ['reps.csv', 'leads-1.csv', 'leads-2.csv', 'leads-2.csv', 'x-education-sample.csv'];

export const pick = (s: ImportSummary) => ({
  read: s.read,
  inserted: s.inserted,
  updated: s.updated,
  unchanged: s.unchanged,
  rejected: s.rejected,
  skipped: s.skipped,
  unresolvedReferences: s.unresolvedReferences,
  rejects: s.rejects,
});
