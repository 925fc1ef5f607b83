/** A seeded pseudo-random generator (mulberry32): same seed, same sequence, on every platform. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Splits row indices into train and test, stratified by the binary label so both keep its rate. */
export function stratifiedSplit(options: { labels: ArrayLike<number>; testShare: number; seed: number }): {
  train: number[];
  test: number[];
} {
  const random = seededRandom(options.seed);
  const byClass: number[][] = [[], []];
  for (let i = 0; i < options.labels.length; i++) byClass[options.labels[i] === 1 ? 1 : 0]!.push(i);
  const train: number[] = [];
  const test: number[] = [];
  for (const rows of byClass) {
    shuffle(rows, random);
    const nTest = Math.round(rows.length * options.testShare);
    test.push(...rows.slice(0, nTest));
    train.push(...rows.slice(nTest));
  }
  return { train: train.sort((a, b) => a - b), test: test.sort((a, b) => a - b) };
}

export function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const tmp = items[i]!;
    items[i] = items[j]!;
    items[j] = tmp;
  }
  return items;
}
