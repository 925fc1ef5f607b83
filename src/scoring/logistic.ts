import { z } from 'zod';

export const LogisticModel = z.object({
  kind: z.literal('logistic'),
  intercept: z.number(),
  coefficients: z.array(z.number()),
  l2: z.number(),
  iterations: z.number(),
});
export type LogisticModel = z.infer<typeof LogisticModel>;

export type Matrix = { x: Float64Array; rows: number; cols: number };

const sigmoid = (z: number): number => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

/**
 * L2-regularised logistic regression fitted by Newton's method (IRLS). The penalty is
 * l2/2·‖β‖² on the coefficients, not on the intercept; deterministic (no randomness at all).
 */
export function fitLogistic(options: {
  data: Matrix;
  labels: ArrayLike<number>;
  l2?: number;
  maxIterations?: number;
  tolerance?: number;
}): LogisticModel {
  const { x, rows, cols } = options.data;
  const l2 = options.l2 ?? 1;
  const maxIterations = options.maxIterations ?? 50;
  const tolerance = options.tolerance ?? 1e-8;
  const p = cols + 1; // index 0 is the intercept
  const beta = new Float64Array(p);
  const hessian = new Float64Array(p * p);
  const gradient = new Float64Array(p);
  const row = new Float64Array(p);
  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    hessian.fill(0);
    gradient.fill(0);
    for (let i = 0; i < rows; i++) {
      row[0] = 1;
      for (let j = 0; j < cols; j++) row[j + 1] = x[i * cols + j]!;
      let eta = 0;
      for (let j = 0; j < p; j++) eta += row[j]! * beta[j]!;
      const mu = sigmoid(eta);
      const w = Math.max(mu * (1 - mu), 1e-10);
      const residual = options.labels[i]! - mu;
      for (let a = 0; a < p; a++) {
        const ra = row[a]!;
        if (ra === 0) continue;
        gradient[a]! += ra * residual;
        const wa = w * ra;
        for (let b = a; b < p; b++) hessian[a * p + b]! += wa * row[b]!;
      }
    }
    for (let a = 1; a < p; a++) {
      gradient[a]! -= l2 * beta[a]!;
      hessian[a * p + a]! += l2;
    }
    for (let a = 0; a < p; a++) for (let b = 0; b < a; b++) hessian[a * p + b] = hessian[b * p + a]!;
    const step = solveSymmetric(hessian, gradient, p);
    let change = 0;
    for (let j = 0; j < p; j++) {
      beta[j]! += step[j]!;
      change = Math.max(change, Math.abs(step[j]!));
    }
    if (change < tolerance) {
      iterations++;
      break;
    }
  }
  return {
    kind: 'logistic',
    intercept: beta[0]!,
    coefficients: Array.from(beta.subarray(1)),
    l2,
    iterations,
  };
}

export function predictLogistic(model: LogisticModel, data: Matrix): Float64Array {
  const out = new Float64Array(data.rows);
  for (let i = 0; i < data.rows; i++) {
    let eta = model.intercept;
    for (let j = 0; j < data.cols; j++) eta += model.coefficients[j]! * data.x[i * data.cols + j]!;
    out[i] = sigmoid(eta);
  }
  return out;
}

/** Per-feature contributions to the log-odds of one encoded row (coefficient × value). */
export function logisticContributions(model: LogisticModel, row: ArrayLike<number>): number[] {
  return model.coefficients.map((c, j) => c * row[j]!);
}

/** Solves A·x = b for symmetric positive-definite A by Cholesky (a tiny ridge if it is not quite PD). */
export function solveSymmetric(a: Float64Array, b: Float64Array, n: number): Float64Array {
  for (let jitter = 0; jitter < 8; jitter++) {
    const ridge = jitter === 0 ? 0 : 1e-10 * 10 ** jitter;
    const l = new Float64Array(n * n);
    let ok = true;
    for (let i = 0; i < n && ok; i++) {
      for (let j = 0; j <= i; j++) {
        let sum = a[i * n + j]! + (i === j ? ridge : 0);
        for (let k = 0; k < j; k++) sum -= l[i * n + k]! * l[j * n + k]!;
        if (i === j) {
          if (sum <= 0) {
            ok = false;
            break;
          }
          l[i * n + i] = Math.sqrt(sum);
        } else {
          l[i * n + j] = sum / l[j * n + j]!;
        }
      }
    }
    if (!ok) continue;
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let sum = b[i]!;
      for (let k = 0; k < i; k++) sum -= l[i * n + k]! * y[k]!;
      y[i] = sum / l[i * n + i]!;
    }
    const out = new Float64Array(n);
    for (let i = n - 1; i >= 0; i--) {
      let sum = y[i]!;
      for (let k = i + 1; k < n; k++) sum -= l[k * n + i]! * out[k]!;
      out[i] = sum / l[i * n + i]!;
    }
    return out;
  }
  throw new Error('could not solve the Newton system: the Hessian is not positive definite');
}
