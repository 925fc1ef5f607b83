// The bit tricks below read a double's high word second (every platform Node supports in practice).
const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Each double as two unsigned words (high, low) that order as Float64Array.prototype.sort orders the
 * doubles: the sign bit set on non-negatives, every bit flipped on negatives, NaN the largest.
 */
function sortKeys(values: Float64Array): { lo: Uint32Array; hi: Uint32Array } {
  const n = values.length;
  const bits = new Uint32Array(Float64Array.from(values).buffer);
  const lo = new Uint32Array(n);
  const hi = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    let l = bits[2 * i]!;
    let h = bits[2 * i + 1]!;
    if (Number.isNaN(values[i]!)) {
      l = 0xffffffff;
      h = 0xffffffff;
    } else if (h & 0x80000000) {
      // Negative: all bits flipped, so larger magnitudes come first.
      l = ~l >>> 0;
      h = ~h >>> 0;
    } else h = (h | 0x80000000) >>> 0;
    lo[i] = l;
    hi[i] = h;
  }
  return { lo, hi };
}

/**
 * The indices of `values` in ascending order of value (stable: equal values keep their index order),
 * ordered as Float64Array.prototype.sort orders numbers (−0 before 0, NaN last). An LSD radix sort on
 * the IEEE-754 bits, 16 bits a pass, skipping passes where every key has the same digit: linear time,
 * where the built-in sort of a million doubles takes a few hundred milliseconds.
 */
export function ascendingOrder(values: Float64Array): Int32Array {
  const n = values.length;
  if (!littleEndian) {
    const order = Array.from({ length: n }, (_, i) => i);
    const rank = (x: number) => (Number.isNaN(x) ? 1 : 0);
    order.sort((a, b) => {
      const x = values[a]!;
      const y = values[b]!;
      return (
        rank(x) - rank(y) ||
        (x < y
          ? -1
          : x > y
            ? 1
            : Object.is(x, -0) && Object.is(y, 0)
              ? -1
              : Object.is(x, 0) && Object.is(y, -0)
                ? 1
                : 0) ||
        a - b
      );
    });
    return Int32Array.from(order);
  }
  const { lo, hi } = sortKeys(values);
  let order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  let next = new Int32Array(n);
  const counts = new Int32Array(65536);
  for (let pass = 0; pass < 4; pass++) {
    const keys = pass < 2 ? lo : hi;
    const shift = pass % 2 === 0 ? 0 : 16;
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[(keys[i]! >>> shift) & 0xffff]! += 1;
    // Every key has the same digit here: this pass would not move anything.
    if (n > 0 && counts[(keys[0]! >>> shift) & 0xffff] === n) continue;
    let sum = 0;
    for (let d = 0; d < 65536; d++) {
      const c = counts[d]!;
      counts[d] = sum;
      sum += c;
    }
    for (let k = 0; k < n; k++) {
      const i = order[k]!;
      next[counts[(keys[i]! >>> shift) & 0xffff]!++] = i;
    }
    [order, next] = [next, order];
  }
  return order;
}

/** A sorted copy of `values`, the same as Float64Array.from(values).sort(), in linear time. */
export function sortedCopy(values: Float64Array): Float64Array {
  if (values.length < 4096) return Float64Array.from(values).sort();
  const order = ascendingOrder(values);
  const out = new Float64Array(values.length);
  for (let k = 0; k < order.length; k++) out[k] = values[order[k]!]!;
  return out;
}

/**
 * sortedCopy(values)[rank] for each rank (0 ≤ rank < values.length), without sorting them all: one
 * counting pass by the top 20 bits of the sort key finds the bucket each rank falls in; a bucket that
 * holds one value only (integer scores: every bucket) gives it at once, the others are sorted alone.
 * Falls back to sortedCopy when those buckets hold most of the values.
 */
export function valuesAtRanks(values: Float64Array, ranks: readonly number[]): Float64Array {
  const n = values.length;
  const out = new Float64Array(ranks.length);
  const viaSort = () => {
    const sorted = sortedCopy(values);
    for (let k = 0; k < ranks.length; k++) out[k] = sorted[ranks[k]!]!;
    return out;
  };
  if (n < 4096 || !littleEndian) return viaSort();
  const bits = new Uint32Array(values.buffer, values.byteOffset, 2 * n);
  const B = 1 << 20;
  const bucket = (i: number): number => {
    const h = bits[2 * i + 1]!;
    if (Number.isNaN(values[i]!)) return B - 1;
    return (h & 0x80000000 ? ~h >>> 0 : (h | 0x80000000) >>> 0) >>> 12;
  };
  const start = new Int32Array(B + 1);
  // The first value seen in each bucket, and whether every value there equals it (Object.is).
  const first = new Float64Array(B);
  const mixed = new Uint8Array(B);
  for (let i = 0; i < n; i++) {
    const b = bucket(i);
    const v = values[i]!;
    if (start[b + 1] === 0) first[b] = v;
    else if (!Object.is(v, first[b]!)) mixed[b] = 1;
    start[b + 1]! += 1;
  }
  for (let d = 0; d < B; d++) start[d + 1]! += start[d]!;
  // The bucket of each rank: the last one starting at or before it.
  const bucketOf = ranks.map((rank) => {
    let lo = 0;
    let up = B - 1;
    while (lo < up) {
      const mid = (lo + up + 1) >> 1;
      if (start[mid]! <= rank) lo = mid;
      else up = mid - 1;
    }
    return lo;
  });
  // Where each wanted bucket of more than one value goes, packed one after another.
  const slot = new Map<number, number>();
  let total = 0;
  for (const b of bucketOf) {
    if (mixed[b] === 0 || slot.has(b)) continue;
    slot.set(b, total);
    total += start[b + 1]! - start[b]!;
  }
  if (total * 2 > n) return viaSort();
  const picked = new Float64Array(total);
  if (total > 0) {
    const fill = new Int32Array(B).fill(-1);
    for (const [b, at] of slot) fill[b] = at;
    for (let i = 0; i < n; i++) {
      const b = bucket(i);
      if (fill[b]! >= 0) picked[fill[b]!++] = values[i]!;
    }
    for (const [b, at] of slot) picked.subarray(at, at + start[b + 1]! - start[b]!).sort();
  }
  for (let k = 0; k < ranks.length; k++) {
    const b = bucketOf[k]!;
    const at = slot.get(b);
    out[k] = at === undefined ? first[b]! : picked[at + ranks[k]! - start[b]!]!;
  }
  return out;
}

/**
 * ascendingOrder of non-negative integer keys (safe integers ≤ max): an LSD radix sort on 12-bit
 * digits, only as many passes as max has digits (3 for millisecond spans of a couple of years),
 * each key carried (as two 24-bit halves) with its index so every pass reads in order. Stable.
 */
export function ascendingOrderOfIntegers(keys: Float64Array, max: number): Int32Array {
  const n = keys.length;
  if (max >= 2 ** 48) return ascendingOrder(keys);
  let order = new Int32Array(n);
  let next = new Int32Array(n);
  let lo = new Int32Array(n);
  let hi = new Int32Array(n);
  let nextLo = new Int32Array(n);
  let nextHi = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const k = keys[i]!;
    order[i] = i;
    hi[i] = Math.floor(k / 16_777_216);
    lo[i] = k - hi[i]! * 16_777_216;
  }
  const counts = new Int32Array(4096);
  for (let pass = 0, scale = 1; pass < 4 && scale <= max; pass++, scale *= 4096) {
    const shift = pass % 2 === 0 ? 0 : 12;
    const word = pass < 2 ? lo : hi;
    counts.fill(0);
    for (let k = 0; k < n; k++) counts[(word[k]! >>> shift) & 4095]! += 1;
    // Every key has the same digit here: this pass would not move anything.
    if (counts[(word[0]! >>> shift) & 4095] === n) continue;
    let sum = 0;
    for (let d = 0; d < 4096; d++) {
      const c = counts[d]!;
      counts[d] = sum;
      sum += c;
    }
    for (let k = 0; k < n; k++) {
      const at = counts[(word[k]! >>> shift) & 4095]!++;
      next[at] = order[k]!;
      nextLo[at] = lo[k]!;
      nextHi[at] = hi[k]!;
    }
    [order, next] = [next, order];
    [lo, nextLo] = [nextLo, lo];
    [hi, nextHi] = [nextHi, hi];
  }
  return order;
}
