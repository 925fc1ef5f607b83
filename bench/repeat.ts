// Repeated runs of a noisy measurement: wall time on a shared 2-core machine varies by ±30% from
// minute to minute, so the import and capture benches run each measured command several times and
// report the run with the median wall time, with every run's time beside it.

/** How many times to run each measured command: BENCH_RUNS, else 3 (1 for a quick run). */
export const benchRuns = (quick: boolean): number =>
  Math.max(1, Number(process.env.BENCH_RUNS ?? (quick ? 1 : 3)));

/** The run with the median wall time, and a note listing every run's time (empty for one run). */
export function medianRun<T>(
  all: readonly T[],
  wallSeconds: (run: T) => number,
  digits = 1,
): { run: T; note: string } {
  if (all.length === 0) throw new Error('medianRun: no runs');
  const byWall = [...all].sort((a, b) => wallSeconds(a) - wallSeconds(b));
  const run = byWall[Math.floor((byWall.length - 1) / 2)] as T;
  const note =
    all.length > 1
      ? `; median of ${all.length} runs: ${all.map((r) => wallSeconds(r).toFixed(digits)).join(', ')} s`
      : '';
  return { run, note };
}
