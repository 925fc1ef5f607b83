import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { sharedDataDir, sharedDataPath } from '../testing/shared-data.ts';
import { evaluateHoldout } from './evaluate.ts';

// The real X Education leads (../shared/data/x_education_leads): the reference on a comparable
// split is logistic ≈ 0.98 / 0.89 and boosting ≈ 0.985 / 0.91 (every column / without the sales columns).
describe.skipIf(!sharedDataDir)('X Education leads (real data)', () => {
  const load = () => {
    const rows = parse(readFileSync(sharedDataPath('x_education_leads', 'Leads_train.csv')), {
      columns: true,
    }) as Record<string, string>[];
    const records = rows.map((r) =>
      Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v === 'Select' ? '' : v])),
    );
    const labels = Float64Array.from(rows, (r) => (r.Converted === '1' ? 1 : 0));
    const all = Object.keys(rows[0]!).filter((c) => !['Prospect ID', 'Lead Number', 'Converted'].includes(c));
    const sales = ['Tags', 'Lead Quality', 'Last Activity', 'Last Notable Activity'];
    return { rows, records, labels, all, withoutSales: all.filter((c) => !sales.includes(c)) };
  };

  it('logistic regression reaches the reference AUC with every column and without the sales columns', () => {
    const { rows, records, labels, all, withoutSales } = load();
    expect(rows).toHaveLength(6422);
    const every = evaluateHoldout({ records, labels, columns: all, seed: 42, gbt: false });
    const without = evaluateHoldout({ records, labels, columns: withoutSales, seed: 42, gbt: false });
    expect(every.test).toBe(1927);
    expect(every.logistic.auc).toBeGreaterThan(0.975);
    expect(without.logistic.auc).toBeGreaterThan(0.885);
    expect(without.logistic.auc).toBeLessThan(every.logistic.auc);
  });

  it('gradient boosting beats logistic regression without the sales columns (≈ 0.91)', () => {
    const { records, labels, withoutSales } = load();
    const r = evaluateHoldout({
      records,
      labels,
      columns: withoutSales,
      seed: 42,
      gbt: { trees: 150, learningRate: 0.1 },
    });
    expect(r.gbt!.auc).toBeGreaterThan(0.9);
    expect(r.gbt!.auc).toBeGreaterThan(r.logistic.auc);
  });
});
