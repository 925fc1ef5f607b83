// Evaluates Gleaner's predictive scoring on the real X Education leads (../shared/data/x_education_leads).
// Run: node --import tsx scripts/evaluate-x-education.ts [--seed 42] [--json]
// Two paths: (1) the CSV read with csv-parse ("Select" means empty), every column as published;
// (2) through the store: imported with the X Education preset into a temporary SQLite workspace and
// trained with `gleaner score train`'s function (every X Education lead counts as worked: there is
// no captured activity in this data set).
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { importFile } from '../src/import/import-file.ts';
import { evaluateHoldout } from '../src/scoring/evaluate.ts';
import { type Example, trainConversionModel } from '../src/scoring/predictive.ts';
import { seededRandom } from '../src/scoring/random.ts';
import { trainWorkspaceModel } from '../src/scoring/train.ts';
import { openStore } from '../src/store/open-store.ts';
import { sharedDataPath } from '../src/testing/shared-data.ts';

const args = process.argv.slice(2);
const seedArg = args.indexOf('--seed');
const seed = seedArg >= 0 ? Number(args[seedArg + 1]) : 42;
const asJson = args.includes('--json');

const rows = parse(readFileSync(sharedDataPath('x_education_leads', 'Leads_train.csv')), {
  columns: true,
  skip_empty_lines: true,
}) as Record<string, string>[];
const records = rows.map((r) =>
  Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v === 'Select' ? '' : v])),
);
const labels = Float64Array.from(rows, (r) => (r.Converted === '1' ? 1 : 0));
const identifiers = ['Prospect ID', 'Lead Number', 'Converted'];
const salesColumns = ['Tags', 'Lead Quality', 'Last Activity', 'Last Notable Activity'];
const all = Object.keys(rows[0] ?? {}).filter((c) => !identifiers.includes(c));
const withoutSales = all.filter((c) => !salesColumns.includes(c));

// Cherry-picking simulation on the real leads: reps ignore half of the leads of one group
// (occupation "Unemployed"), so those never convert in the data. Train on all leads vs on properly
// worked ones, and evaluate both on the same hold-out of properly-worked leads (their true outcomes).
function cherryPickSimulation(kind: 'logistic' | 'gbt') {
  const random = seededRandom(seed + 1);
  const examples: Example[] = records.map((record, i) => {
    const ignored = record['What is your current occupation'] === 'Unemployed' && random() < 0.5;
    return { record, converted: !ignored && labels[i] === 1, properlyWorked: !ignored };
  });
  return trainConversionModel({ examples, columns: withoutSales, kind, seed }).report;
}

/** Imports the CSV with the X Education preset and trains both models on both column sets through the store. */
async function throughStore() {
  const dir = mkdtempSync(join(tmpdir(), 'gleaner-xedu-'));
  try {
    // A copy, so that the importer's rejects file never lands in the shared data directory.
    const csv = join(dir, 'Leads_train.csv');
    copyFileSync(sharedDataPath('x_education_leads', 'Leads_train.csv'), csv);
    const store = await openStore({ url: join(dir, 'x.db') });
    try {
      const summary = await importFile({ store, kind: 'leads', file: csv, preset: 'x-education' });
      const out: Record<string, unknown> = { imported: summary.inserted, rejected: summary.rejected };
      const salesExtra = salesColumns.map((c) => `extra.${c}`);
      for (const kind of ['logistic', 'gbt'] as const) {
        for (const [name, exclude] of [
          ['everyColumn', ['extra.Lead Number']],
          ['withoutSalesColumns', ['extra.Lead Number', ...salesExtra]],
        ] as const) {
          const r = await trainWorkspaceModel(store.db, {
            kind,
            seed,
            now: Date.now(),
            maturityDays: 0,
            assumeWorked: true,
            excludeColumns: exclude,
          });
          out[`${kind}.${name}`] = {
            auc: r.report.properlyWorked.auc,
            logLoss: r.report.properlyWorked.logLoss,
            holdout: r.report.holdout,
            columns: r.columns.length,
          };
        }
      }
      return out;
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const started = Date.now();
const results = {
  rows: rows.length,
  seed,
  testShare: 0.3,
  everyColumn: evaluateHoldout({ records, labels, columns: all, seed }),
  withoutSalesColumns: evaluateHoldout({ records, labels, columns: withoutSales, seed }),
  cherryPickSimulation: { logistic: cherryPickSimulation('logistic'), gbt: cherryPickSimulation('gbt') },
  throughStore: await throughStore(),
  seconds: (Date.now() - started) / 1000,
};
if (asJson) {
  process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
} else {
  const f = (x: number | undefined) => (x === undefined ? 'n/a' : x.toFixed(4));
  console.log(`X Education leads: ${rows.length} rows, seeded stratified 70/30 split (seed ${seed})`);
  for (const [name, r] of [
    ['every column', results.everyColumn],
    ['without Tags, Lead Quality, Last Activity, Last Notable Activity', results.withoutSalesColumns],
  ] as const) {
    console.log(`${name} (${r.features} features, train ${r.train}, test ${r.test}):`);
    console.log(`  logistic (L2)      AUC ${f(r.logistic.auc)}  log loss ${f(r.logistic.logLoss)}`);
    console.log(`  gradient boosting  AUC ${f(r.gbt?.auc)}  log loss ${f(r.gbt?.logLoss)}`);
  }
  console.log(
    'cherry-picking simulation (half the "Unemployed" leads ignored, never converted), without the sales columns,',
  );
  console.log('evaluated on the same hold-out of properly-worked leads:');
  for (const [kind, r] of Object.entries(results.cherryPickSimulation)) {
    console.log(
      `  ${kind.padEnd(8)} trained on properly worked (${r.trainedOn.properlyWorked}) AUC ${f(r.properlyWorked.auc)} log loss ${f(r.properlyWorked.logLoss)}` +
        ` | on all (${r.trainedOn.all}) AUC ${f(r.all?.auc)} log loss ${f(r.all?.logLoss)}`,
    );
  }
  console.log('through the store (imported with the X Education preset, `score train` path, same seed):');
  const st = results.throughStore as Record<
    string,
    { auc: number; logLoss: number; holdout: number; columns: number }
  >;
  console.log(
    `  imported ${String(results.throughStore.imported)} leads, ${String(results.throughStore.rejected)} rejected`,
  );
  for (const key of [
    'logistic.everyColumn',
    'gbt.everyColumn',
    'logistic.withoutSalesColumns',
    'gbt.withoutSalesColumns',
  ]) {
    const r = st[key]!;
    console.log(
      `  ${key.padEnd(30)} AUC ${f(r.auc)}  log loss ${f(r.logLoss)}  (${r.columns} columns, hold-out ${r.holdout})`,
    );
  }
  console.log(`(${results.seconds.toFixed(1)} s)`);
}
