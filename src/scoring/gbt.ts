import { z } from 'zod';
import type { Matrix } from './logistic.ts';
import { seededRandom } from './random.ts';

const Tree = z.object({
  /** Per node: split feature (-1 for a leaf), threshold (go left when x ≤ threshold), children, value. */
  feature: z.array(z.number()),
  threshold: z.array(z.number()),
  left: z.array(z.number()),
  right: z.array(z.number()),
  value: z.array(z.number()),
});
type Tree = z.infer<typeof Tree>;

export const GbtModel = z.object({
  kind: z.literal('gbt'),
  base: z.number(),
  learningRate: z.number(),
  trees: z.array(Tree),
  params: z.record(z.string(), z.number()),
});
export type GbtModel = z.infer<typeof GbtModel>;

export type GbtParams = {
  trees: number;
  learningRate: number;
  maxDepth: number;
  minChildWeight: number;
  minSamplesLeaf: number;
  l2: number;
  rowSubsample: number;
  colSubsample: number;
  maxBins: number;
  seed: number;
};

export const defaultGbtParams: GbtParams = {
  trees: 300,
  learningRate: 0.05,
  maxDepth: 5,
  minChildWeight: 1,
  minSamplesLeaf: 10,
  l2: 1,
  rowSubsample: 0.8,
  colSubsample: 0.8,
  maxBins: 64,
  seed: 1,
};

const sigmoid = (z: number): number => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

/** Bin edges per feature: every distinct value when few, else quantiles; a value goes to the first edge ≥ it. */
function binEdges(data: Matrix, maxBins: number): number[][] {
  const edges: number[][] = [];
  for (let f = 0; f < data.cols; f++) {
    const values = new Float64Array(data.rows);
    for (let i = 0; i < data.rows; i++) values[i] = data.x[i * data.cols + f]!;
    values.sort();
    const distinct: number[] = [];
    for (const v of values)
      if (distinct.length === 0 || distinct[distinct.length - 1] !== v) distinct.push(v);
    let cuts: number[];
    if (distinct.length <= maxBins) {
      cuts = distinct.slice(0, -1).map((v, k) => (v + distinct[k + 1]!) / 2);
    } else {
      const set = new Set<number>();
      for (let b = 1; b < maxBins; b++) {
        const q = values[Math.floor((b * values.length) / maxBins)]!;
        const next = distinct.find((v) => v > q);
        if (next !== undefined) set.add((q + next) / 2);
      }
      cuts = [...set].sort((a, b) => a - b);
    }
    edges.push(cuts);
  }
  return edges;
}

function binIndex(cuts: number[], v: number): number {
  let lo = 0;
  let hi = cuts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (v <= cuts[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * Gradient-boosted trees for a binary outcome (log loss), histogram-based like LightGBM/XGBoost-hist:
 * Newton leaf values with L2, depth-limited trees, seeded row and column subsampling.
 */
export function fitGbt(options: {
  data: Matrix;
  labels: ArrayLike<number>;
  params?: Partial<GbtParams>;
}): GbtModel {
  const params = { ...defaultGbtParams, ...options.params };
  const { data, labels } = options;
  const { rows, cols } = data;
  const random = seededRandom(params.seed);
  const edges = binEdges(data, params.maxBins);
  const nBins = edges.map((c) => c.length + 1);
  const maxB = Math.max(1, ...nBins);
  const bins = new Uint8Array(rows * cols);
  for (let i = 0; i < rows; i++)
    for (let f = 0; f < cols; f++) bins[i * cols + f] = binIndex(edges[f]!, data.x[i * cols + f]!);

  let positives = 0;
  for (let i = 0; i < rows; i++) positives += labels[i]!;
  const rate = Math.min(1 - 1e-6, Math.max(1e-6, positives / rows));
  const base = Math.log(rate / (1 - rate));
  const margin = new Float64Array(rows).fill(base);
  const grad = new Float64Array(rows);
  const hess = new Float64Array(rows);
  const gHist = new Float64Array(cols * maxB);
  const hHist = new Float64Array(cols * maxB);
  const cHist = new Float64Array(cols * maxB);
  const trees: Tree[] = [];

  for (let t = 0; t < params.trees; t++) {
    for (let i = 0; i < rows; i++) {
      const p = sigmoid(margin[i]!);
      grad[i] = p - labels[i]!;
      hess[i] = Math.max(p * (1 - p), 1e-12);
    }
    const sample: number[] = [];
    for (let i = 0; i < rows; i++) if (random() < params.rowSubsample) sample.push(i);
    const features: number[] = [];
    for (let f = 0; f < cols; f++) if (random() < params.colSubsample) features.push(f);
    if (features.length === 0) features.push(Math.floor(random() * cols));

    const tree: Tree = { feature: [], threshold: [], left: [], right: [], value: [] };
    const grow = (indices: Int32Array, depth: number): number => {
      let g = 0;
      let h = 0;
      for (const i of indices) {
        g += grad[i]!;
        h += hess[i]!;
      }
      const node = tree.feature.length;
      tree.feature.push(-1);
      tree.threshold.push(0);
      tree.left.push(-1);
      tree.right.push(-1);
      tree.value.push((-g / (h + params.l2)) * params.learningRate);
      if (depth >= params.maxDepth || indices.length < 2 * params.minSamplesLeaf) return node;

      gHist.fill(0);
      hHist.fill(0);
      cHist.fill(0);
      for (const i of indices) {
        const gi = grad[i]!;
        const hi = hess[i]!;
        const base = i * cols;
        for (const f of features) {
          const k = f * maxB + bins[base + f]!;
          gHist[k]! += gi;
          hHist[k]! += hi;
          cHist[k]!++;
        }
      }
      const parentScore = (g * g) / (h + params.l2);
      let bestGain = 1e-9;
      let bestFeature = -1;
      let bestBin = -1;
      for (const f of features) {
        let gl = 0;
        let hl = 0;
        let cl = 0;
        for (let b = 0; b < nBins[f]! - 1; b++) {
          const k = f * maxB + b;
          gl += gHist[k]!;
          hl += hHist[k]!;
          cl += cHist[k]!;
          const cr = indices.length - cl;
          if (cl < params.minSamplesLeaf) continue;
          if (cr < params.minSamplesLeaf) break;
          const hr = h - hl;
          if (hl < params.minChildWeight * 1e-3 || hr < params.minChildWeight * 1e-3) continue;
          const gr = g - gl;
          const gain = (gl * gl) / (hl + params.l2) + (gr * gr) / (hr + params.l2) - parentScore;
          if (gain > bestGain) {
            bestGain = gain;
            bestFeature = f;
            bestBin = b;
          }
        }
      }
      if (bestFeature < 0) return node;
      let nLeft = 0;
      for (const i of indices) if (bins[i * cols + bestFeature]! <= bestBin) nLeft++;
      const leftRows = new Int32Array(nLeft);
      const rightRows = new Int32Array(indices.length - nLeft);
      let a = 0;
      let c = 0;
      for (const i of indices) {
        if (bins[i * cols + bestFeature]! <= bestBin) leftRows[a++] = i;
        else rightRows[c++] = i;
      }
      tree.feature[node] = bestFeature;
      tree.threshold[node] = edges[bestFeature]![bestBin]!;
      tree.left[node] = grow(leftRows, depth + 1);
      tree.right[node] = grow(rightRows, depth + 1);
      return node;
    };
    grow(Int32Array.from(sample), 0);
    trees.push(tree);
    for (let i = 0; i < rows; i++) margin[i]! += treeValue(tree, data.x, i * cols);
  }
  return { kind: 'gbt', base, learningRate: params.learningRate, trees, params: { ...params } };
}

function leafOf(tree: Tree, x: ArrayLike<number>, offset: number): number {
  let node = 0;
  while (tree.feature[node]! >= 0) {
    node = x[offset + tree.feature[node]!]! <= tree.threshold[node]! ? tree.left[node]! : tree.right[node]!;
  }
  return node;
}

const treeValue = (tree: Tree, x: ArrayLike<number>, offset: number): number =>
  tree.value[leafOf(tree, x, offset)]!;

export function predictGbt(model: GbtModel, data: Matrix): Float64Array {
  const out = new Float64Array(data.rows);
  for (let i = 0; i < data.rows; i++) {
    let m = model.base;
    for (const tree of model.trees) m += treeValue(tree, data.x, i * data.cols);
    out[i] = sigmoid(m);
  }
  return out;
}

/**
 * Per-feature contributions to one row's log-odds by path attribution (Saabas): each split is
 * credited with the change in node value it causes on the row's path. They sum to margin − base.
 */
export function gbtContributions(model: GbtModel, row: ArrayLike<number>, cols: number): number[] {
  const out = new Array<number>(cols).fill(0);
  for (const tree of model.trees) {
    let node = 0;
    // The root value is part of the tree's output for every row: credit it to no feature (the base).
    while (tree.feature[node]! >= 0) {
      const f = tree.feature[node]!;
      const next = row[f]! <= tree.threshold[node]! ? tree.left[node]! : tree.right[node]!;
      out[f]! += tree.value[next]! - tree.value[node]!;
      node = next;
    }
  }
  return out;
}
