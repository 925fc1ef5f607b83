/** Area under the ROC curve (ties count half), the same definition as scikit-learn's roc_auc_score. */
export function rocAuc(labels: ArrayLike<number>, scores: ArrayLike<number>): number {
  const n = labels.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  // Mann–Whitney U with average ranks for ties.
  let rankSumPositive = 0;
  let positives = 0;
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1]!] === scores[order[i]!]) j++;
    const averageRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if (labels[order[k]!] === 1) {
        rankSumPositive += averageRank;
        positives++;
      }
    }
    i = j + 1;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (rankSumPositive - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Mean binary cross-entropy; probabilities clipped like scikit-learn (machine epsilon). */
export function logLoss(labels: ArrayLike<number>, probabilities: ArrayLike<number>): number {
  const eps = 2.220446049250313e-16;
  let sum = 0;
  for (let i = 0; i < labels.length; i++) {
    const p = Math.min(1 - eps, Math.max(eps, probabilities[i]!));
    sum -= labels[i] === 1 ? Math.log(p) : Math.log(1 - p);
  }
  return sum / labels.length;
}

export type CalibrationBin = {
  from: number;
  to: number;
  count: number;
  meanPredicted: number;
  observedRate: number;
};

/** Reliability table: predictions in equal-width bins, mean prediction vs observed rate in each. */
export function calibrationTable(
  labels: ArrayLike<number>,
  probabilities: ArrayLike<number>,
  bins = 10,
): CalibrationBin[] {
  const count = new Array<number>(bins).fill(0);
  const sumP = new Array<number>(bins).fill(0);
  const sumY = new Array<number>(bins).fill(0);
  for (let i = 0; i < labels.length; i++) {
    const p = probabilities[i]!;
    const b = Math.min(bins - 1, Math.floor(p * bins));
    count[b]!++;
    sumP[b]! += p;
    sumY[b]! += labels[i] === 1 ? 1 : 0;
  }
  return count.map((c, b) => ({
    from: b / bins,
    to: (b + 1) / bins,
    count: c,
    meanPredicted: c ? sumP[b]! / c : 0,
    observedRate: c ? sumY[b]! / c : 0,
  }));
}

export type ClassifierMetrics = {
  n: number;
  positives: number;
  auc: number;
  logLoss: number;
  calibration: CalibrationBin[];
};

export function classifierMetrics(
  labels: ArrayLike<number>,
  probabilities: ArrayLike<number>,
): ClassifierMetrics {
  let positives = 0;
  for (let i = 0; i < labels.length; i++) positives += labels[i] === 1 ? 1 : 0;
  return {
    n: labels.length,
    positives,
    auc: rocAuc(labels, probabilities),
    logLoss: logLoss(labels, probabilities),
    calibration: calibrationTable(labels, probabilities),
  };
}
