import { describe, expect, it } from 'vitest';
import { seededRandom } from './cherry-pick/simulate.ts';
import { ascendingOrder, ascendingOrderOfIntegers, sortedCopy, valuesAtRanks } from './radix-sort.ts';

const special = [
  0,
  -0,
  Number.NaN,
  -Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  5e-324,
  -5e-324,
  Number.MAX_VALUE,
  -Number.MAX_VALUE,
  1,
  -1,
  0.5,
  100,
];

function sample(n: number, seed: number): Float64Array {
  const random = seededRandom(seed);
  return Float64Array.from({ length: n }, (_, i) => {
    const u = random();
    if (u < 0.05) return special[i % special.length]!;
    if (u < 0.4) return Math.floor(random() * 50) / 2; // many ties
    if (u < 0.7) return (random() - 0.5) * 1e6;
    return (random() - 0.5) * 10 ** Math.floor(random() * 40 - 20);
  });
}

describe('radix sort of doubles', () => {
  it.each([0, 1, 7, 4095, 4096, 20_000, 200_000])('orders %i values as Float64Array.sort does', (n) => {
    const values = sample(n, n + 1);
    const want = Float64Array.from(values).sort();
    const got = sortedCopy(values);
    expect(got.length).toBe(n);
    for (let i = 0; i < n; i++) if (!Object.is(got[i], want[i])) expect([i, got[i]]).toEqual([i, want[i]]);
    const order = ascendingOrder(values);
    for (let i = 0; i < n; i++)
      if (!Object.is(values[order[i]!], want[i])) expect([i, values[order[i]!]]).toEqual([i, want[i]]);
  });

  it('keeps equal values in index order (stable)', () => {
    const values = Float64Array.from({ length: 50_000 }, (_, i) => (i * 7919) % 13);
    const order = ascendingOrder(values);
    for (let k = 1; k < order.length; k++) {
      const a = order[k - 1]!;
      const b = order[k]!;
      expect(values[a]! < values[b]! || (values[a] === values[b] && a < b)).toBe(true);
    }
  });

  it.each([
    ['mixed doubles', sample(200_000, 3)],
    [
      'few distinct values (most in the ranks’ buckets)',
      Float64Array.from({ length: 50_000 }, (_, i) => (i * 7919) % 101),
    ],
    ['spread integers', Float64Array.from({ length: 100_000 }, (_, i) => (i * 2_654_435_761) % 1_000_003)],
    ['small', sample(1000, 9)],
  ])('gives the values at given ranks of the sorted order: %s', (_, values) => {
    const want = Float64Array.from(values).sort();
    const n = values.length;
    const ranks = [0, 1, Math.floor(n / 3), Math.floor(n / 2), Math.floor(n / 2), n - 2, n - 1];
    for (let k = 1; k < 50; k++) ranks.push(Math.floor((k * n) / 50));
    const got = valuesAtRanks(values, ranks);
    ranks.forEach((rank, k) => {
      if (!Object.is(got[k], want[rank])) expect([rank, got[k]]).toEqual([rank, want[rank]]);
    });
  });

  it.each([
    ['millisecond spans with ties', 2 ** 35, 4000],
    ['small keys (one pass)', 3000, 1],
    ['keys up to 2^48', 2 ** 48 - 1, 1],
    ['keys up to 2^53 (sorted as doubles)', 2 ** 53 - 1, 1],
  ])('orders integer keys as ascendingOrder does (stable): %s', (_, max, step) => {
    const random = seededRandom(max % 1000);
    const keys = Float64Array.from({ length: 30_000 }, (_, i) =>
      i % 97 === 0 ? max : i % 89 === 0 ? 0 : Math.floor((random() * max) / step) * step,
    );
    expect(ascendingOrderOfIntegers(keys, max)).toEqual(ascendingOrder(keys));
  });
});
