// The bit tricks below read a double's high word second (every platform Node supports in practice).
const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

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
