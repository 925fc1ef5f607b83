import { normalTwoSided } from './distributions.ts';
import { cholesky, choleskyInverse, choleskySolve } from './linear-algebra.ts';

export type LogisticInput = {
  /** Row-major design matrix, `rows × columns`, including the intercept column if wanted. */
  x: Float64Array;
  columns: number;
  /** Successes per row (0/1 for one lead per row, or counts for grouped rows). */
  successes: Float64Array;
  /** Trials per row; omitted means 1 per row. Grouped rows give the same fit as the leads one by one. */
  trials?: Float64Array;
  maxIterations?: number;
  tolerance?: number;
};

export type LogisticResult = {
  coefficients: Float64Array;
  standardErrors: Float64Array;
  /** Wald z statistics and two-sided p-values, as statsmodels' Logit bse / pvalues. */
  z: Float64Array;
  pValues: Float64Array;
  iterations: number;
  converged: boolean;
  logLikelihood: number;
};

/** Binomial logistic regression by iteratively reweighted least squares (Newton–Raphson). */
export function logisticRegression(input: LogisticInput): LogisticResult {
  const { x, columns: p, successes } = input;
  const rows = successes.length;
  const trials = input.trials ?? new Float64Array(rows).fill(1);
  const maxIterations = input.maxIterations ?? 50;
  const tolerance = input.tolerance ?? 1e-9;
  const beta = new Float64Array(p);
  const info = new Float64Array(p * p);
  const gradient = new Float64Array(p);
  let iterations = 0;
  let converged = false;
  let factor: Float64Array | null = null;
  let logLikelihood = logLik({ x, p, beta, successes, trials });
  for (; iterations < maxIterations; iterations++) {
    info.fill(0);
    gradient.fill(0);
    for (let r = 0; r < rows; r++) {
      const off = r * p;
      let eta = 0;
      for (let j = 0; j < p; j++) eta += x[off + j]! * beta[j]!;
      const mu = 1 / (1 + Math.exp(-eta));
      const n = trials[r]!;
      const w = n * mu * (1 - mu);
      const residual = successes[r]! - n * mu;
      for (let j = 0; j < p; j++) {
        const xj = x[off + j]!;
        gradient[j] = gradient[j]! + xj * residual;
        const wxj = w * xj;
        for (let k = 0; k <= j; k++) info[j * p + k] = info[j * p + k]! + wxj * x[off + k]!;
      }
    }
    for (let j = 0; j < p; j++) for (let k = 0; k < j; k++) info[k * p + j] = info[j * p + k]!;
    factor = cholesky(info, p);
    if (!factor) break;
    const step = choleskySolve(factor, p, gradient);
    // Step-halving keeps Newton from overshooting on near-separated data.
    let scale = 1;
    let next = new Float64Array(p);
    let nextLl = Number.NEGATIVE_INFINITY;
    for (let half = 0; half < 30; half++) {
      for (let j = 0; j < p; j++) next[j] = beta[j]! + scale * step[j]!;
      nextLl = logLik({ x, p, beta: next, successes, trials });
      if (nextLl >= logLikelihood - 1e-12) break;
      scale /= 2;
    }
    let change = 0;
    for (let j = 0; j < p; j++) change = Math.max(change, Math.abs(next[j]! - beta[j]!));
    beta.set(next);
    next = new Float64Array(0);
    const llChange = Math.abs(nextLl - logLikelihood);
    logLikelihood = nextLl;
    // Newton converges quadratically; on separated cells the likelihood flattens and Δll decides.
    if (change < tolerance || llChange < 1e-11 * (1 + Math.abs(logLikelihood))) {
      converged = true;
      iterations++;
      break;
    }
  }
  // Covariance at the final estimate.
  info.fill(0);
  for (let r = 0; r < rows; r++) {
    const off = r * p;
    let eta = 0;
    for (let j = 0; j < p; j++) eta += x[off + j]! * beta[j]!;
    const mu = 1 / (1 + Math.exp(-eta));
    const w = trials[r]! * mu * (1 - mu);
    for (let j = 0; j < p; j++) {
      const wxj = w * x[off + j]!;
      for (let k = 0; k <= j; k++) info[j * p + k] = info[j * p + k]! + wxj * x[off + k]!;
    }
  }
  for (let j = 0; j < p; j++) for (let k = 0; k < j; k++) info[k * p + j] = info[j * p + k]!;
  factor = cholesky(info, p);
  const standardErrors = new Float64Array(p).fill(Number.NaN);
  const z = new Float64Array(p).fill(Number.NaN);
  const pValues = new Float64Array(p).fill(Number.NaN);
  if (factor) {
    const covariance = choleskyInverse(factor, p);
    for (let j = 0; j < p; j++) {
      standardErrors[j] = Math.sqrt(covariance[j * p + j]!);
      z[j] = beta[j]! / standardErrors[j]!;
      pValues[j] = normalTwoSided(z[j]!);
    }
  } else {
    converged = false;
  }
  return { coefficients: beta, standardErrors, z, pValues, iterations, converged, logLikelihood };
}

function logLik(options: {
  x: Float64Array;
  p: number;
  beta: Float64Array;
  successes: Float64Array;
  trials: Float64Array;
}): number {
  const { x, p, beta, successes, trials } = options;
  let ll = 0;
  for (let r = 0; r < successes.length; r++) {
    const off = r * p;
    let eta = 0;
    for (let j = 0; j < p; j++) eta += x[off + j]! * beta[j]!;
    // log(1 + e^eta) computed stably.
    const softplus = eta > 0 ? eta + Math.log1p(Math.exp(-eta)) : Math.log1p(Math.exp(eta));
    ll += successes[r]! * eta - trials[r]! * softplus;
  }
  return ll;
}

/**
 * logisticRegression for the stratified design worked ~ stratum dummies + attractive, on the 2 × strata
 * cells (attractive, other), with the attractive effect as the last coefficient. The information matrix
 * is an arrowhead (diagonal + one dense row), so each Newton step is O(strata) instead of O(strata³);
 * the arithmetic is the dense path's operation for operation (its Cholesky factor has the same
 * non-zeros), so the results are the same to the last bit. Returns the attractive coefficient's fit.
 */
export function stratifiedLogisticRegression(input: {
  attractiveWorked: Float64Array;
  attractiveTrials: Float64Array;
  otherWorked: Float64Array;
  otherTrials: Float64Array;
  maxIterations?: number;
  tolerance?: number;
}): {
  coefficient: number;
  standardError: number;
  pValue: number;
  converged: boolean;
  iterations: number;
} {
  const { attractiveWorked: sa, attractiveTrials: na, otherWorked: so, otherTrials: no } = input;
  const S = sa.length;
  const maxIterations = input.maxIterations ?? 50;
  const tolerance = input.tolerance ?? 1e-9;
  // alpha: stratum intercepts; beta: the attractive effect.
  const alpha = new Float64Array(S);
  let beta = 0;
  const diag = new Float64Array(S);
  const arm = new Float64Array(S);
  const g = new Float64Array(S);
  const l = new Float64Array(S);
  const lb = new Float64Array(S);
  const y = new Float64Array(S);
  const nextAlpha = new Float64Array(S);
  const softplus = (eta: number) => (eta > 0 ? eta + Math.log1p(Math.exp(-eta)) : Math.log1p(Math.exp(eta)));
  const logLik = (a: Float64Array, b: number): number => {
    let ll = 0;
    for (let s = 0; s < S; s++) {
      const etaA = a[s]! + b;
      ll += sa[s]! * etaA - na[s]! * softplus(etaA);
      const etaO = a[s]!;
      ll += so[s]! * etaO - no[s]! * softplus(etaO);
    }
    return ll;
  };
  // Information (diag, arm, corner) and gradient (g, gBeta) at (alpha, beta), as the dense loop sums them.
  const accumulate = (withGradient: boolean): { corner: number; gBeta: number } => {
    let corner = 0;
    let gBeta = 0;
    for (let s = 0; s < S; s++) {
      const muA = 1 / (1 + Math.exp(-(alpha[s]! + beta)));
      const wA = na[s]! * muA * (1 - muA);
      const muO = 1 / (1 + Math.exp(-alpha[s]!));
      const wO = no[s]! * muO * (1 - muO);
      diag[s] = wA + wO;
      arm[s] = wA;
      corner += wA;
      if (withGradient) {
        const rA = sa[s]! - na[s]! * muA;
        g[s] = rA + (so[s]! - no[s]! * muO);
        gBeta += rA;
      }
    }
    return { corner, gBeta };
  };
  // Cholesky of the arrowhead: l (diagonal), lb (last row), and the corner's pivot; NaN if not SPD.
  const factor = (corner: number): number => {
    let sum = corner;
    for (let s = 0; s < S; s++) {
      if (!(diag[s]! > 0)) return Number.NaN;
      l[s] = Math.sqrt(diag[s]!);
      lb[s] = arm[s]! / l[s]!;
      sum -= lb[s]! * lb[s]!;
    }
    return sum > 0 ? Math.sqrt(sum) : Number.NaN;
  };
  let iterations = 0;
  let converged = false;
  let ll = logLik(alpha, beta);
  for (; iterations < maxIterations; iterations++) {
    const { corner, gBeta } = accumulate(true);
    const lbb = factor(corner);
    if (Number.isNaN(lbb)) break;
    let sum = gBeta;
    for (let s = 0; s < S; s++) {
      y[s] = g[s]! / l[s]!;
      sum -= lb[s]! * y[s]!;
    }
    const stepBeta = sum / lbb / lbb;
    // Step-halving keeps Newton from overshooting on near-separated data.
    let scale = 1;
    let nextBeta = beta;
    let nextLl = Number.NEGATIVE_INFINITY;
    for (let half = 0; half < 30; half++) {
      for (let s = 0; s < S; s++) nextAlpha[s] = alpha[s]! + scale * ((y[s]! - lb[s]! * stepBeta) / l[s]!);
      nextBeta = beta + scale * stepBeta;
      nextLl = logLik(nextAlpha, nextBeta);
      if (nextLl >= ll - 1e-12) break;
      scale /= 2;
    }
    let change = 0;
    for (let s = 0; s < S; s++) change = Math.max(change, Math.abs(nextAlpha[s]! - alpha[s]!));
    change = Math.max(change, Math.abs(nextBeta - beta));
    alpha.set(nextAlpha);
    beta = nextBeta;
    const llChange = Math.abs(nextLl - ll);
    ll = nextLl;
    if (change < tolerance || llChange < 1e-11 * (1 + Math.abs(ll))) {
      converged = true;
      iterations++;
      break;
    }
  }
  const { corner } = accumulate(false);
  const lbb = factor(corner);
  if (Number.isNaN(lbb))
    return { coefficient: beta, standardError: Number.NaN, pValue: Number.NaN, converged: false, iterations };
  const standardError = Math.sqrt(1 / lbb / lbb);
  const z = beta / standardError;
  return { coefficient: beta, standardError, pValue: normalTwoSided(z), converged, iterations };
}
