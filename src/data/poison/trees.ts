import type { Design } from "./labelnoise.js";
import { prng } from "./stats.js";

/**
 * Extremely randomised trees (Geurts, Ernst & Wehenkel 2006) for out-of-fold class probabilities:
 * at each node √p features get one random threshold each and the Gini-best of them splits the node.
 * Nonlinear and robust to skewed columns, unlike the linear and Gaussian models of the ensemble.
 */
interface Tree {
  feature: Int32Array;
  split: Float64Array;
  left: Int32Array;
  right: Int32Array;
  /** Class shares at each leaf (K per node). */
  leaf: Float64Array;
}

const MAX_TRAIN_ROWS = 20_000;

function growTree(Z: Float64Array, p: number, y: Int32Array, K: number, rows: Int32Array, random: () => number, maxDepth: number, minLeaf: number): Tree {
  const cap = 2 * rows.length + 1;
  const feature = new Int32Array(cap).fill(-1);
  const split = new Float64Array(cap);
  const left = new Int32Array(cap);
  const right = new Int32Array(cap);
  const leaf = new Float64Array(cap * K);
  const tries = Math.max(1, Math.round(Math.sqrt(p)));
  const countsL = new Float64Array(K);
  const countsR = new Float64Array(K);
  let nodes = 0;
  const gini = (c: Float64Array, m: number) => {
    if (m === 0) return 0;
    let s = 0;
    for (let k = 0; k < K; k++) s += (c[k]! / m) ** 2;
    return m * (1 - s);
  };
  const grow = (part: Int32Array, depth: number): number => {
    const id = nodes++;
    const base = id * K;
    for (const r of part) leaf[base + y[r]!]! += 1;
    let pure = 0;
    for (let k = 0; k < K; k++) if (leaf[base + k]! > 0) pure++;
    for (let k = 0; k < K; k++) leaf[base + k]! /= part.length;
    if (depth >= maxDepth || part.length < 2 * minLeaf || pure <= 1) return id;
    let bestF = -1;
    let bestS = 0;
    let bestG = Number.POSITIVE_INFINITY;
    for (let t = 0; t < tries; t++) {
      const f = Math.floor(random() * p);
      let lo = Number.POSITIVE_INFINITY;
      let hi = Number.NEGATIVE_INFINITY;
      for (const r of part) {
        const v = Z[r * p + f]!;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      if (!(hi > lo)) continue;
      const s = lo + random() * (hi - lo);
      countsL.fill(0);
      countsR.fill(0);
      let nl = 0;
      for (const r of part)
        if (Z[r * p + f]! < s) {
          countsL[y[r]!]!++;
          nl++;
        } else countsR[y[r]!]!++;
      if (nl < minLeaf || part.length - nl < minLeaf) continue;
      const g = gini(countsL, nl) + gini(countsR, part.length - nl);
      if (g < bestG) {
        bestG = g;
        bestF = f;
        bestS = s;
      }
    }
    if (bestF < 0) return id;
    let nl = 0;
    for (const r of part) if (Z[r * p + bestF]! < bestS) nl++;
    const l = new Int32Array(nl);
    const rr = new Int32Array(part.length - nl);
    let a = 0;
    let b = 0;
    for (const r of part)
      if (Z[r * p + bestF]! < bestS) l[a++] = r;
      else rr[b++] = r;
    feature[id] = bestF;
    split[id] = bestS;
    left[id] = grow(l, depth + 1);
    right[id] = grow(rr, depth + 1);
    return id;
  };
  grow(rows, 0);
  return { feature, split, left, right, leaf };
}

/** Out-of-fold class probabilities (n × K) from `trees` extremely randomised trees per fold. */
export function extraTreesProbabilities(
  design: Design,
  y: Int32Array,
  K: number,
  options: { folds?: number; seed?: number; trees?: number; maxDepth?: number; minLeaf?: number; sample?: number } = {},
): Float64Array {
  const { Z, n, p } = design;
  const folds = options.folds ?? 5;
  const random = prng((options.seed ?? 7) + 202);
  const fold = new Int32Array(n);
  for (let i = 0; i < n; i++) fold[i] = Math.floor(random() * folds);
  const P = new Float64Array(n * K).fill(1 / K);
  // A big table gets fewer trees, each on a smaller subsample: the probabilities only rank rows.
  const big = n > 100_000;
  const trees = options.trees ?? (big ? 10 : 50);
  const sample = options.sample ?? (big ? MAX_TRAIN_ROWS / 4 : MAX_TRAIN_ROWS);
  const maxDepth = options.maxDepth ?? 12;
  const minLeaf = options.minLeaf ?? 3;
  for (let f = 0; f < folds; f++) {
    const train: number[] = [];
    for (let i = 0; i < n; i++) if (fold[i] !== f && y[i]! >= 0) train.push(i);
    if (train.length < 2 * minLeaf) continue;
    const forest: Tree[] = [];
    for (let t = 0; t < trees; t++) {
      // Each tree sees a random subsample (at most MAX_TRAIN_ROWS rows) of the training folds.
      const m = Math.min(train.length, sample);
      const rows = new Int32Array(m);
      for (let k = 0; k < m; k++) rows[k] = train[Math.floor(random() * train.length)]!;
      forest.push(growTree(Z, p, y, K, rows, random, maxDepth, minLeaf));
    }
    for (let i = 0; i < n; i++) {
      if (fold[i] !== f) continue;
      for (let c = 0; c < K; c++) P[i * K + c] = 0;
      for (const tree of forest) {
        let node = 0;
        while (tree.feature[node]! >= 0) node = Z[i * p + tree.feature[node]!]! < tree.split[node]! ? tree.left[node]! : tree.right[node]!;
        for (let c = 0; c < K; c++) P[i * K + c]! += tree.leaf[node * K + c]! / trees;
      }
    }
  }
  return P;
}
