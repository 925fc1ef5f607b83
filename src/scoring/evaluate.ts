import { encode, fitEncoder, type RawRecord } from './encoding.ts';
import { fitGbt, type GbtParams, predictGbt } from './gbt.ts';
import { fitLogistic, predictLogistic } from './logistic.ts';
import { type ClassifierMetrics, classifierMetrics } from './metrics.ts';
import { stratifiedSplit } from './random.ts';

export type HoldoutResult = {
  logistic: ClassifierMetrics;
  gbt?: ClassifierMetrics;
  features: number;
  train: number;
  test: number;
};

/** Fits both models on a seeded stratified split of `records` and scores them on the held-out part. */
export function evaluateHoldout(options: {
  records: readonly RawRecord[];
  labels: ArrayLike<number>;
  columns: readonly string[];
  seed: number;
  testShare?: number;
  l2?: number;
  gbt?: Partial<GbtParams> | false;
}): HoldoutResult {
  const { train, test } = stratifiedSplit({
    labels: options.labels,
    testShare: options.testShare ?? 0.3,
    seed: options.seed,
  });
  const pick = (idx: number[]) => idx.map((i) => options.records[i]!);
  const labelsOf = (idx: number[]) => Float64Array.from(idx, (i) => options.labels[i]!);
  const encoder = fitEncoder({ records: pick(train), columns: options.columns });
  const xTrain = encode(encoder, pick(train));
  const xTest = encode(encoder, pick(test));
  const yTrain = labelsOf(train);
  const yTest = labelsOf(test);
  const logistic = fitLogistic({ data: xTrain, labels: yTrain, l2: options.l2 ?? 1 });
  const result: HoldoutResult = {
    logistic: classifierMetrics(yTest, predictLogistic(logistic, xTest)),
    features: xTrain.cols,
    train: train.length,
    test: test.length,
  };
  if (options.gbt !== false) {
    const gbt = fitGbt({ data: xTrain, labels: yTrain, params: { seed: options.seed, ...options.gbt } });
    result.gbt = classifierMetrics(yTest, predictGbt(gbt, xTest));
  }
  return result;
}
