import { describe, expect, it } from 'vitest';
import { ascendingOrder } from '../radix-sort.ts';
import { logRankOfRuns, stratifiedLogRank } from './log-rank.ts';
import { seededRandom } from './simulate.ts';

describe('log-rank over strata runs with left-out leads', () => {
  it.each([1, 2, 3])('gives the presorted test of just the kept leads, bit for bit (seed %i)', (seed) => {
    const random = seededRandom(seed);
    const n = 5000;
    const strata = 7;
    // Times with many ties, some never touched; about a third of the leads left out (flag −1).
    const time = Float64Array.from({ length: n }, () => Math.floor(random() * 200) / 4);
    const event = Uint8Array.from({ length: n }, () => (random() < 0.7 ? 1 : 0));
    const flag = Int8Array.from({ length: n }, () => (random() < 0.3 ? -1 : random() < 0.4 ? 1 : 0));
    const stratumOf = Int32Array.from({ length: n }, () => Math.floor(random() * strata));
    // Runs: the leads of each stratum in ascending time, strata in a shuffled order.
    const order = ascendingOrder(time);
    const byStratum = Array.from({ length: strata }, () => [] as number[]);
    for (const i of order) byStratum[stratumOf[i]!]!.push(i);
    const sumOrder = [3, 0, 6, 1, 5, 2, 4];
    const layout = sumOrder.flatMap((s) => byStratum[s]!);
    const runs = new Int32Array(2 * strata);
    let at = 0;
    sumOrder.forEach((s, r) => {
      runs[2 * r] = at;
      at += byStratum[s]!.length;
      runs[2 * r + 1] = at;
    });
    const got = logRankOfRuns({
      time: Float64Array.from(layout, (i) => time[i]!),
      event: Uint8Array.from(layout, (i) => event[i]!),
      flag: Int8Array.from(layout, (i) => flag[i]!),
      runs,
    });
    // The kept leads alone, in time order, strata numbered in the runs' order.
    const kept = [...order].filter((i) => flag[i]! >= 0);
    const want = stratifiedLogRank({
      time: Float64Array.from(kept, (i) => time[i]!),
      event: Uint8Array.from(kept, (i) => event[i]!),
      group: Uint8Array.from(kept, (i) => flag[i]!),
      stratum: Int32Array.from(kept, (i) => sumOrder.indexOf(stratumOf[i]!)),
      sorted: true,
    });
    expect(got).toEqual(want);
    expect(Number.isFinite(got.statistic)).toBe(true);
  });
});
