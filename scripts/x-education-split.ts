// Writes the seeded 70/30 stratified split (seed 42) that scripts/evaluate-x-education.ts uses, for the
// scikit-learn cross-check scripts/reference/x-education-sklearn.py.
// Run: node --import tsx scripts/x-education-split.ts [OUT.json]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parse } from 'csv-parse/sync';
import { stratifiedSplit } from '../src/scoring/random.ts';
import { sharedDataPath } from '../src/testing/shared-data.ts';

const rows = parse(readFileSync(sharedDataPath('x_education_leads', 'Leads_train.csv')), {
  columns: true,
}) as Record<string, string>[];
const labels = Float64Array.from(rows, (r) => (r.Converted === '1' ? 1 : 0));
const out = process.argv[2] ?? '.artifacts/x-education-split.json';
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify(stratifiedSplit({ labels, testShare: 0.3, seed: 42 })));
