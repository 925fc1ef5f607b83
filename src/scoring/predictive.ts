import { z } from 'zod';
import { Encoder, encode, fitEncoder, type RawRecord } from './encoding.ts';
import { fitGbt, GbtModel, gbtContributions, predictGbt } from './gbt.ts';
import { fitLogistic, LogisticModel, logisticContributions, predictLogistic } from './logistic.ts';
import { type ClassifierMetrics, classifierMetrics } from './metrics.ts';
import { stratifiedSplit } from './random.ts';

export const ModelKind = z.enum(['logistic', 'gbt']);
export type ModelKind = z.infer<typeof ModelKind>;

/** A fitted, serialisable conversion model: the encoding plus the model. */
export const FittedModel = z.object({
  columns: z.array(z.string()),
  encoder: Encoder,
  model: z.discriminatedUnion('kind', [LogisticModel, GbtModel]),
});
export type FittedModel = z.infer<typeof FittedModel>;

export type Example = { record: RawRecord; converted: boolean; properlyWorked: boolean };

export function fitModel(options: {
  kind: ModelKind;
  records: readonly RawRecord[];
  labels: ArrayLike<number>;
  columns: readonly string[];
  seed: number;
  l2?: number;
}): FittedModel {
  const encoder = fitEncoder({ records: options.records, columns: options.columns });
  const data = encode(encoder, options.records);
  const model =
    options.kind === 'logistic'
      ? fitLogistic({ data, labels: options.labels, l2: options.l2 ?? 1 })
      : fitGbt({ data, labels: options.labels, params: { seed: options.seed } });
  return { columns: [...options.columns], encoder, model };
}

export function predict(fitted: FittedModel, records: readonly RawRecord[]): Float64Array {
  const data = encode(fitted.encoder, records);
  return fitted.model.kind === 'logistic'
    ? predictLogistic(fitted.model, data)
    : predictGbt(fitted.model, data);
}

/** Contributions to one lead's log-odds, summed per original column, largest magnitude first. */
export function explain(
  fitted: FittedModel,
  record: RawRecord,
): Array<{ column: string; value: string; contribution: number }> {
  const data = encode(fitted.encoder, [record]);
  const perFeature =
    fitted.model.kind === 'logistic'
      ? logisticContributions(fitted.model, data.x)
      : gbtContributions(fitted.model, data.x, data.cols);
  const byColumn = new Map<string, number>();
  fitted.encoder.features.forEach((f, j) => {
    byColumn.set(f.column, (byColumn.get(f.column) ?? 0) + perFeature[j]!);
  });
  return [...byColumn.entries()]
    .map(([column, contribution]) => ({
      column,
      value: record[column] === null || record[column] === undefined ? '' : String(record[column]),
      contribution: Math.round(contribution * 1e4) / 1e4,
    }))
    .sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution));
}

export type TrainingReport = {
  kind: ModelKind;
  seed: number;
  /** The held-out leads: a seeded share of the properly-worked ones (the only honest outcomes). */
  holdout: number;
  trainedOn: { properlyWorked: number; all: number };
  /** Model trained on properly-worked leads only (the one kept). */
  properlyWorked: ClassifierMetrics;
  /** The same model kind trained on every settled lead, ignored ones included, for comparison. */
  all: ClassifierMetrics | null;
};

/**
 * Trains on properly-worked leads only and, for comparison, on all of them; both are evaluated on
 * the same seeded hold-out of properly-worked leads. Ignored leads are not evidence that a lead was bad.
 */
export function trainConversionModel(options: {
  examples: readonly Example[];
  columns: readonly string[];
  kind: ModelKind;
  seed: number;
  testShare?: number;
}): { fitted: FittedModel; report: TrainingReport } {
  const worked = options.examples.filter((e) => e.properlyWorked);
  const workedLabels = Float64Array.from(worked, (e) => (e.converted ? 1 : 0));
  const { train, test } = stratifiedSplit({
    labels: workedLabels,
    testShare: options.testShare ?? 0.3,
    seed: options.seed,
  });
  const holdout = new Set(test.map((i) => worked[i]!));
  const testRecords = test.map((i) => worked[i]!.record);
  const testLabels = Float64Array.from(test, (i) => workedLabels[i]!);
  const fitOn = (examples: readonly Example[]) =>
    fitModel({
      kind: options.kind,
      records: examples.map((e) => e.record),
      labels: Float64Array.from(examples, (e) => (e.converted ? 1 : 0)),
      columns: options.columns,
      seed: options.seed,
    });
  const workedTrain = train.map((i) => worked[i]!);
  const fitted = fitOn(workedTrain);
  const allTrain = options.examples.filter((e) => !holdout.has(e));
  const allFitted = allTrain.length > workedTrain.length ? fitOn(allTrain) : null;
  return {
    fitted,
    report: {
      kind: options.kind,
      seed: options.seed,
      holdout: test.length,
      trainedOn: { properlyWorked: workedTrain.length, all: allTrain.length },
      properlyWorked: classifierMetrics(testLabels, predict(fitted, testRecords)),
      all: allFitted ? classifierMetrics(testLabels, predict(allFitted, testRecords)) : null,
    },
  };
}
