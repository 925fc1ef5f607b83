import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { calibrationTable, logLoss, rocAuc } from './metrics.ts';

const reference = JSON.parse(readFileSync('test-fixtures/scoring/sklearn-reference.json', 'utf8'));
const rows = parse(readFileSync('test-fixtures/scoring/predictions.csv'), { columns: true }) as {
  label: string;
  score: string;
}[];
const labels = rows.map((r) => Number(r.label));
const scores = rows.map((r) => Number(r.score));

describe('classifier metrics', () => {
  it('match scikit-learn roc_auc_score and log_loss on a fixed predictions file (with ties)', () => {
    expect(rocAuc(labels, scores)).toBeCloseTo(reference.predictions.roc_auc, 12);
    expect(logLoss(labels, scores)).toBeCloseTo(reference.predictions.log_loss, 12);
  });

  it.each([
    { labels: [0, 0, 1, 1], scores: [0.1, 0.2, 0.3, 0.4], auc: 1 },
    { labels: [1, 1, 0, 0], scores: [0.1, 0.2, 0.3, 0.4], auc: 0 },
    { labels: [0, 1, 0, 1], scores: [0.5, 0.5, 0.5, 0.5], auc: 0.5 },
    { labels: [0, 1, 1], scores: [0.2, 0.2, 0.9], auc: 0.75 },
  ])('AUC of $scores for $labels is $auc', (c) => {
    expect(rocAuc(c.labels, c.scores)).toBeCloseTo(c.auc, 12);
  });

  it('calibration table counts every prediction once and averages per bin', () => {
    const table = calibrationTable([0, 1, 1, 0], [0.05, 0.95, 0.91, 0.5], 10);
    expect(table.reduce((a, b) => a + b.count, 0)).toBe(4);
    expect(table[9]).toMatchObject({ count: 2, observedRate: 1 });
    expect(table[9]!.meanPredicted).toBeCloseTo(0.93, 12);
    expect(table[5]).toMatchObject({ count: 1, observedRate: 0, meanPredicted: 0.5 });
  });
});
