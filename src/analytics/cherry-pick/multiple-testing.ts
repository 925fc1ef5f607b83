/** Benjamini–Hochberg adjusted p-values (as statsmodels multipletests(method='fdr_bh')); NaN stays NaN. */
export function benjaminiHochberg(pValues: readonly number[]): number[] {
  const indexed = pValues
    .map((p, i) => ({ p, i }))
    .filter(({ p }) => !Number.isNaN(p))
    .sort((x, y) => x.p - y.p);
  const m = indexed.length;
  const adjusted = pValues.map(() => Number.NaN);
  let running = 1;
  for (let rank = m; rank >= 1; rank--) {
    const entry = indexed[rank - 1]!;
    running = Math.min(running, (entry.p * m) / rank);
    adjusted[entry.i] = running;
  }
  return adjusted;
}
