import { chiSquareSurvival, normalQuantile } from './distributions.ts';

/**
 * One stratum's 2×2 table. Rows: attractive (a, b) / not attractive (c, d);
 * columns: worked (a, c) / not worked (b, d). Same layout as statsmodels' StratifiedTable.
 */
export type Table2x2 = { a: number; b: number; c: number; d: number };

export type MantelHaenszelResult = {
  /** Mantel–Haenszel common odds ratio (attractive vs not, for being worked). */
  oddsRatio: number;
  logOddsRatio: number;
  /** Robins–Breslow–Greenland standard error of the log odds ratio. */
  logSe: number;
  ciLow: number;
  ciHigh: number;
};

/** Mantel–Haenszel pooled odds ratio with the Robins–Breslow–Greenland CI (as statsmodels' oddsratio_pooled_confint). */
export function mantelHaenszel(
  tables: readonly Table2x2[],
  options: { alpha?: number } = {},
): MantelHaenszelResult {
  let r = 0; // Σ ad/n
  let s = 0; // Σ bc/n
  let pr = 0;
  let psqr = 0;
  let qs = 0;
  for (const { a, b, c, d } of tables) {
    const n = a + b + c + d;
    if (n === 0) continue;
    const ri = (a * d) / n;
    const si = (b * c) / n;
    const p = (a + d) / n;
    const q = 1 - p;
    r += ri;
    s += si;
    pr += p * ri;
    psqr += p * si + q * ri;
    qs += q * si;
  }
  const oddsRatio = r / s;
  const logOddsRatio = Math.log(oddsRatio);
  const logSe = Math.sqrt((pr / (r * r) + psqr / (r * s) + qs / (s * s)) / 2);
  const z = -normalQuantile((options.alpha ?? 0.05) / 2);
  return {
    oddsRatio,
    logOddsRatio,
    logSe,
    ciLow: Math.exp(logOddsRatio - z * logSe),
    ciHigh: Math.exp(logOddsRatio + z * logSe),
  };
}

export type CmhResult = {
  statistic: number;
  /** Two-sided p-value (χ² with 1 df), as statsmodels' test_null_odds. */
  pValue: number;
  /** Signed score Σ(a − E a) / √V (no continuity correction); > 0 when attractive leads are worked more. */
  z: number;
  observedMinusExpected: number;
  variance: number;
};

/** Cochran–Mantel–Haenszel test of a common odds ratio of 1 (statsmodels test_null_odds). */
export function cochranMantelHaenszel(
  tables: readonly Table2x2[],
  options: { correction?: boolean } = {},
): CmhResult {
  let diff = 0;
  let variance = 0;
  for (const { a, b, c, d } of tables) {
    const n = a + b + c + d;
    if (n < 2) continue;
    const apb = a + b;
    const apc = a + c;
    diff += a - (apb * apc) / n;
    variance += (apb * apc * (b + d) * (c + d)) / (n * n * (n - 1));
  }
  let stat = Math.abs(diff);
  if (options.correction) stat -= 0.5;
  const statistic = (stat * stat) / variance;
  return {
    statistic,
    pValue: chiSquareSurvival(statistic, 1),
    z: diff / Math.sqrt(variance),
    observedMinusExpected: diff,
    variance,
  };
}

export type BreslowDayResult = { statistic: number; pValue: number; df: number };

/**
 * Breslow–Day test that all strata share one odds ratio (statsmodels test_equal_odds); `tarone: true`
 * subtracts Tarone's correction, which is what statsmodels' `adjust=True` computes.
 */
export function breslowDay(
  tables: readonly Table2x2[],
  options: { tarone?: boolean } = {},
): BreslowDayResult {
  const pooled = mantelHaenszel(tables).oddsRatio;
  let statistic = 0;
  let sumA = 0;
  let sumE = 0;
  let sumV = 0;
  for (const { a, b, c, d } of tables) {
    const apb = a + b;
    const apc = a + c;
    const dma = d - a;
    const e = expectedCell({ oddsRatio: pooled, apb, apc, dma });
    const v = 1 / (1 / e + 1 / (apc - e) + 1 / (apb - e) + 1 / (dma + e));
    statistic += ((a - e) * (a - e)) / v;
    sumA += a;
    sumE += e;
    sumV += v;
  }
  if (options.tarone) statistic -= ((sumA - sumE) * (sumA - sumE)) / sumV;
  const df = tables.length - 1;
  return { statistic, pValue: chiSquareSurvival(statistic, df), df };
}

// The expected top-left cell given the margins and a common odds ratio: the root of
// (1 − OR)·e² + (OR·(apb + apc) + d − a)·e − OR·apb·apc = 0, as statsmodels takes it.
function expectedCell(options: { oddsRatio: number; apb: number; apc: number; dma: number }): number {
  const { oddsRatio: r, apb, apc, dma } = options;
  const qa = 1 - r;
  const qb = r * (apb + apc) + dma;
  const qc = -r * apb * apc;
  if (Math.abs(qa) < 1e-12) return -qc / qb;
  return (-qb + Math.sqrt(qb * qb - 4 * qa * qc)) / (2 * qa);
}
