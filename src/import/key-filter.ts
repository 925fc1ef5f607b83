// A Bloom filter of the keys an import has written. When the table was empty as the import began,
// a key the filter has never seen cannot be stored (unless another import wrote it, which fails the
// batch on the unique key): only the keys it may have seen need the lookup. At its largest (8 MB)
// and 4 probes it answers "maybe" wrongly for ~0.001% of keys after a million, ~4% after ten million.

export type KeyFilter = {
  add: (key: string) => void;
  /** False: the key was never added. True: it probably was. */
  mayHave: (key: string) => boolean;
};

/** A filter sized for about `expected` keys (64 bits each, 8 KB to 8 MB). */
export function createKeyFilter(expected: number): KeyFilter {
  let bitCount = 1 << 16;
  while (bitCount < expected * 64 && bitCount < 1 << 26) bitCount *= 2;
  const bits = new Uint8Array(bitCount >>> 3);
  // Blocked: a key's 4 bits lie in one 512-bit block (one cache line), picked by one hash; the other
  // hash picks the bits. One cache miss per key instead of four.
  const blockMask = bitCount / 512 - 1;
  // Two 32-bit FNV-style hashes of the UTF-16 code units (different seeds).
  // Kept in a typed array: a closure's number variables would be boxed on every write.
  const h = new Int32Array(2);
  const hash = (key: string) => {
    let a = 0x811c9dc5;
    let b = 0x01000193;
    for (let i = 0; i < key.length; i++) {
      const c = key.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x5bd1e995);
    }
    h[0] = a;
    h[1] = b;
  };
  // Sets the key's 4 bits (`set`) or tests them: false as soon as one is clear.
  const probe = (key: string, set: boolean): boolean => {
    hash(key);
    const base = ((h[0] as number) & blockMask) * 512;
    for (let i = 0; i < 4; i++) {
      const bit = base + (((h[1] as number) >>> (7 * i)) & 511);
      const mask = 1 << (bit & 7);
      if (set) bits[bit >>> 3] = (bits[bit >>> 3] as number) | mask;
      else if (((bits[bit >>> 3] as number) & mask) === 0) return false;
    }
    return true;
  };
  return {
    add: (key) => {
      probe(key, true);
    },
    mayHave: (key) => probe(key, false),
  };
}
