import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { encode, fitEncoder } from './encoding.ts';
import { fitGbt, gbtContributions, predictGbt } from './gbt.ts';
import { fitLogistic, predictLogistic } from './logistic.ts';
import { rocAuc } from './metrics.ts';
import { seededRandom, stratifiedSplit } from './random.ts';

const reference = JSON.parse(readFileSync('test-fixtures/scoring/sklearn-reference.json', 'utf8'));
const slice = parse(readFileSync('test-fixtures/scoring/x-education-slice.csv'), { columns: true }) as Record<
  string,
  string
>[];
const columns: string[] = reference.logistic.columns;
const x = Float64Array.from(slice.flatMap((r) => columns.map((c) => Number(r[c]))));
const y = Float64Array.from(slice, (r) => Number(r.converted));
const data = { x, rows: slice.length, cols: columns.length };

describe('L2 logistic regression (IRLS)', () => {
  it.each(['1', '10'])(
    'matches scikit-learn LogisticRegression(C=1/%s) on a real X Education slice',
    (l2) => {
      const model = fitLogistic({ data, labels: y, l2: Number(l2) });
      const expected = reference.logistic.fits[l2];
      expect(model.intercept).toBeCloseTo(expected.intercept, 5);
      model.coefficients.forEach((c, j) => {
        expect(c).toBeCloseTo(expected.coefficients[j], 5);
      });
    },
  );
});

/** A synthetic problem with an interaction a linear model cannot see. */
function xorData(seed: number, n: number) {
  const random = seededRandom(seed);
  const records = Array.from({ length: n }, () => {
    const a = random() < 0.5 ? 'yes' : 'no';
    const b = random() * 10;
    return { a, b, noise: random() };
  });
  const labels = Float64Array.from(records, (r) => {
    const p = (r.a === 'yes') !== r.b > 5 ? 0.9 : 0.1;
    return random() < p ? 1 : 0;
  });
  return { records, labels };
}

describe('gradient-boosted trees', () => {
  const { records, labels } = xorData(3, 2000);
  const { train, test } = stratifiedSplit({ labels, testShare: 0.3, seed: 5 });
  const encoder = fitEncoder({ records: train.map((i) => records[i]!), columns: ['a', 'b', 'noise'] });
  const xTrain = encode(
    encoder,
    train.map((i) => records[i]!),
  );
  const xTest = encode(
    encoder,
    test.map((i) => records[i]!),
  );
  const yTrain = Float64Array.from(train, (i) => labels[i]!);
  const yTest = Float64Array.from(test, (i) => labels[i]!);
  const params = { trees: 60, seed: 11 };

  it('is deterministic for a seed and differs for another seed', () => {
    const one = fitGbt({ data: xTrain, labels: yTrain, params });
    const two = fitGbt({ data: xTrain, labels: yTrain, params });
    const other = fitGbt({ data: xTrain, labels: yTrain, params: { ...params, seed: 12 } });
    expect(JSON.stringify(two)).toBe(JSON.stringify(one));
    expect(JSON.stringify(other)).not.toBe(JSON.stringify(one));
  });

  it('learns an interaction that logistic regression cannot (AUC near the 0.9 ceiling)', () => {
    const gbt = fitGbt({ data: xTrain, labels: yTrain, params });
    const logistic = fitLogistic({ data: xTrain, labels: yTrain });
    const gbtAuc = rocAuc(yTest, predictGbt(gbt, xTest));
    expect(gbtAuc).toBeGreaterThan(0.85);
    expect(rocAuc(yTest, predictLogistic(logistic, xTest))).toBeLessThan(0.6);
  });

  it('path contributions sum to the margin minus the base', () => {
    const gbt = fitGbt({ data: xTrain, labels: yTrain, params });
    const row = xTest.x.subarray(0, xTest.cols);
    const p = predictGbt(gbt, { x: row, rows: 1, cols: xTest.cols })[0]!;
    const rootValues = gbt.trees.reduce((a, t) => a + t.value[0]!, 0);
    const contributions = gbtContributions(gbt, row, xTest.cols);
    const margin = Math.log(p / (1 - p));
    expect(gbt.base + rootValues + contributions.reduce((a, b) => a + b, 0)).toBeCloseTo(margin, 9);
  });
});

describe('encoding', () => {
  it('standardises numbers, adds missing indicators, one-hot encodes categories with rare levels pooled', () => {
    const records = [
      { n: 1, c: 'x' },
      { n: 3, c: 'x' },
      { n: null, c: 'y' },
      { n: '5', c: '' },
    ];
    const encoder = fitEncoder({ records, columns: ['n', 'c'], minLevelCount: 2 });
    expect(encoder.features.map((f) => f.name)).toEqual(['n', 'n=(missing)', 'c=x', 'c=(other)']);
    const { x } = encode(encoder, [
      { n: 3, c: 'y' },
      { n: undefined, c: 'x' },
    ]);
    // mean 3 (of 1, 3, 5); a missing number is encoded as the mean (0) with its indicator set.
    expect(Array.from(x)).toEqual([0, 0, 0, 1, 0, 1, 1, 0]);
  });
});
