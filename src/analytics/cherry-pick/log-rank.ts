import { chiSquareSurvival } from './distributions.ts';

export type LogRankInput = {
  /** Time to first touch, or to the end of follow-up for never-touched leads (censored). */
  time: Float64Array;
  /** 1 = first touch observed, 0 = censored (never touched by the end of the window). */
  event: Uint8Array;
  /** 1 = attractive, 0 = not. */
  group: Uint8Array;
  /** Stratum index per lead (e.g. score band); omitted means one stratum. */
  stratum?: Int32Array;
  /**
   * The leads are in ascending order of time and the strata numbered 0, 1, 2 … in the order they are
   * to be summed: no sorting here (the report sorts a million times once, not per group).
   */
  sorted?: boolean;
};

export type LogRankResult = {
  statistic: number;
  pValue: number;
  /** Observed − expected first touches among attractive leads; > 0 means they are touched sooner. */
  observedMinusExpected: number;
  variance: number;
  /** Signed z = (O − E)/√V. */
  z: number;
};

/**
 * Stratified two-group log-rank test (as statsmodels.duration.survdiff with strata). Leads are bucketed
 * by stratum × (event, group) and each bucket's times sorted natively, then merged: O(n log n) with no
 * per-lead objects, so the whole workspace (a million leads) is cheap. Presorted input (`sorted`) is
 * walked once per stratum instead.
 */
export function stratifiedLogRank(input: LogRankInput): LogRankResult {
  return resultOf(input.sorted ? sumSorted(input) : sumBucketed(input));
}

function resultOf({ oe, variance }: { oe: number; variance: number }): LogRankResult {
  const statistic = (oe * oe) / variance;
  return {
    statistic,
    pValue: chiSquareSurvival(statistic, 1),
    observedMinusExpected: oe,
    variance,
    z: oe / Math.sqrt(variance),
  };
}

// O − E and its variance over the distinct times of each stratum, strata in turn: statsmodels skips
// times where at most one lead is at risk.
function addTime(
  sums: { oe: number; variance: number },
  at: { atRisk: number; atRiskGroup: number; deaths: number; deathsGroup: number },
): void {
  if (at.atRisk > 1 && at.deaths > 0) {
    const share = at.atRiskGroup / at.atRisk;
    sums.oe += at.deathsGroup - share * at.deaths;
    sums.variance += share * (1 - share) * ((at.deaths * (at.atRisk - at.deaths)) / (at.atRisk - 1));
  }
}

/**
 * Presorted leads (ascending time, strata 0 … k − 1): a stable counting pass by stratum keeps each
 * stratum's leads in time order, then one walk per stratum over runs of equal times. The same sums,
 * in the same order, as the bucketed merge.
 */
function sumSorted(input: LogRankInput): { oe: number; variance: number } {
  const { time, event, group } = input;
  const n = time.length;
  const stratum = input.stratum ?? new Int32Array(n);
  let strata = 0;
  for (let i = 0; i < n; i++) if (stratum[i]! >= strata) strata = stratum[i]! + 1;
  const offsets = new Int32Array(strata + 1);
  for (let i = 0; i < n; i++) offsets[stratum[i]! + 1]! += 1;
  for (let s = 0; s < strata; s++) offsets[s + 1]! += offsets[s]!;
  const fill = offsets.slice(0, strata);
  const times = new Float64Array(n);
  // Bit 1: attractive, bit 2: event.
  const kinds = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const at = fill[stratum[i]!]!++;
    times[at] = time[i]!;
    kinds[at] = event[i]! * 2 + group[i]!;
  }
  const sums = { oe: 0, variance: 0 };
  const at = { atRisk: 0, atRiskGroup: 0, deaths: 0, deathsGroup: 0 };
  for (let s = 0; s < strata; s++) {
    const end = offsets[s + 1]!;
    let k = offsets[s]!;
    at.atRisk = end - k;
    at.atRiskGroup = 0;
    for (let j = k; j < end; j++) at.atRiskGroup += kinds[j]! & 1;
    while (k < end) {
      const t = times[k]!;
      let leaving = 0;
      let leavingGroup = 0;
      let deaths = 0;
      let deathsGroup = 0;
      while (k < end && times[k] === t) {
        const c = kinds[k]!;
        leaving++;
        leavingGroup += c & 1;
        if (c >= 2) {
          deaths++;
          deathsGroup += c & 1;
        }
        k++;
      }
      at.deaths = deaths;
      at.deathsGroup = deathsGroup;
      addTime(sums, at);
      at.atRisk -= leaving;
      at.atRiskGroup -= leavingGroup;
    }
  }
  return sums;
}

/**
 * stratifiedLogRank over strata laid out as runs of leads in ascending time: stratum r is
 * [runs[2r], runs[2r + 1]) of the arrays, summed in run order; `flag` is 1 (attractive), 0 (other)
 * or −1 (left out). The same sums, in the same order, as the presorted input of just the leads kept
 * (a report's groups share one layout, and no group's leads are copied out).
 */
export function logRankOfRuns(input: {
  time: Float64Array;
  event: Uint8Array;
  flag: Int8Array;
  runs: Int32Array;
}): LogRankResult {
  const { time, event, flag, runs } = input;
  const sums = { oe: 0, variance: 0 };
  const at = { atRisk: 0, atRiskGroup: 0, deaths: 0, deathsGroup: 0 };
  for (let r = 0; r < runs.length; r += 2) {
    const end = runs[r + 1]!;
    let k = runs[r]!;
    at.atRisk = 0;
    at.atRiskGroup = 0;
    for (let j = k; j < end; j++) {
      const f = flag[j]!;
      if (f >= 0) {
        at.atRisk++;
        at.atRiskGroup += f;
      }
    }
    for (;;) {
      while (k < end && flag[k]! < 0) k++;
      if (k === end) break;
      const t = time[k]!;
      let leaving = 0;
      let leavingGroup = 0;
      let deaths = 0;
      let deathsGroup = 0;
      // Left-out leads inside the run are passed over; a kept lead of a later time ends it.
      while (k < end && (flag[k]! < 0 || time[k] === t)) {
        const f = flag[k]!;
        if (f >= 0) {
          leaving++;
          leavingGroup += f;
          if (event[k]) {
            deaths++;
            deathsGroup += f;
          }
        }
        k++;
      }
      at.deaths = deaths;
      at.deathsGroup = deathsGroup;
      addTime(sums, at);
      at.atRisk -= leaving;
      at.atRiskGroup -= leavingGroup;
    }
  }
  return resultOf(sums);
}

function sumBucketed(input: LogRankInput): { oe: number; variance: number } {
  const { time, event, group } = input;
  const n = time.length;
  const stratum = input.stratum ?? new Int32Array(n);
  // Compact stratum ids, in order of first appearance (the order the strata are summed in): through a
  // table when the ids are small non-negative integers (the report's are 0 … strata − 1), else a map.
  let max = -1;
  let small = true;
  for (let i = 0; i < n && small; i++) {
    const s = stratum[i]!;
    if (s < 0 || s > 4 * n + 1024) small = false;
    else if (s > max) max = s;
  }
  const compact = new Int32Array(n);
  let strata = 0;
  if (small) {
    const table = new Int32Array(max + 1).fill(-1);
    for (let i = 0; i < n; i++) {
      let id = table[stratum[i]!]!;
      if (id < 0) {
        id = strata++;
        table[stratum[i]!] = id;
      }
      compact[i] = id;
    }
  } else {
    const ids = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      let id = ids.get(stratum[i]!);
      if (id === undefined) {
        id = strata++;
        ids.set(stratum[i]!, id);
      }
      compact[i] = id;
    }
  }
  const buckets = strata * 4;
  const offsets = new Int32Array(buckets + 1);
  const bucketOf = (i: number) => compact[i]! * 4 + event[i]! * 2 + group[i]!;
  for (let i = 0; i < n; i++) offsets[bucketOf(i) + 1]! += 1;
  for (let b = 0; b < buckets; b++) offsets[b + 1]! += offsets[b]!;
  const fill = offsets.slice(0, buckets);
  const times = new Float64Array(n);
  for (let i = 0; i < n; i++) times[fill[bucketOf(i)]!++] = time[i]!;
  for (let b = 0; b < buckets; b++) times.subarray(offsets[b]!, offsets[b + 1]!).sort();

  const sums = { oe: 0, variance: 0 };
  const pos = new Int32Array(4);
  const stop = new Int32Array(4);
  const counts = new Int32Array(4);
  for (let s = 0; s < strata; s++) {
    // Buckets: 0 censored/other, 1 censored/attractive, 2 event/other, 3 event/attractive.
    let atRisk = 0;
    let atRiskGroup = 0;
    for (let k = 0; k < 4; k++) {
      pos[k] = offsets[s * 4 + k]!;
      stop[k] = offsets[s * 4 + k + 1]!;
      atRisk += stop[k]! - pos[k]!;
      if (k & 1) atRiskGroup += stop[k]! - pos[k]!;
    }
    while (atRisk > 0) {
      let t = Number.POSITIVE_INFINITY;
      for (let k = 0; k < 4; k++) if (pos[k]! < stop[k]! && times[pos[k]!]! < t) t = times[pos[k]!]!;
      counts.fill(0);
      for (let k = 0; k < 4; k++) {
        while (pos[k]! < stop[k]! && times[pos[k]!] === t) {
          counts[k]!++;
          pos[k]!++;
        }
      }
      addTime(sums, { atRisk, atRiskGroup, deaths: counts[2]! + counts[3]!, deathsGroup: counts[3]! });
      atRisk -= counts[0]! + counts[1]! + counts[2]! + counts[3]!;
      atRiskGroup -= counts[1]! + counts[3]!;
    }
  }
  return sums;
}
