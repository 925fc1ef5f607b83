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
  // Two 32-bit FNV-1a hashes of the UTF-16 code units (different seeds), combined as h1 + i·h2.
  const probe = (key: string, visit: (bit: number) => boolean): boolean => {
    let h1 = 0x811c9dc5;
    let h2 = 0x01000193;
    for (let i = 0; i < key.length; i++) {
      const c = key.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    }
    h2 |= 1;
    for (let i = 0; i < 4; i++) if (!visit((h1 + Math.imul(i, h2)) & (bitCount - 1))) return false;
    return true;
  };
  return {
    add: (key) => {
      probe(key, (bit) => {
        bits[bit >>> 3] = (bits[bit >>> 3] as number) | (1 << (bit & 7));
        return true;
      });
    },
    mayHave: (key) => probe(key, (bit) => ((bits[bit >>> 3] as number) & (1 << (bit & 7))) !== 0),
  };
}
