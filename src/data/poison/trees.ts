import { binCodes, binEdges } from "./boost.js";
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

/**
 * Random forest (Breiman 2001) on binned columns, for out-of-fold class probabilities: each tree grows
 * out (leaves of one class or one row) on a bootstrap sample of the training folds, trying √p columns
 * at each node and taking the Gini-best cut among each column's quantile bins (as histogram-based
 * boosting does: one pass over the node's rows per column, not a sort). Where the extra trees draw
 * one random cut per column, the forest takes the best one, so it follows sharp class boundaries
 * closely — a second tree model that errs on other rows (session 11: with it and the η²-weighted
 * neighbours, seen sets G1 + H1 flips on their 20 predictable tables 0.782 → 0.796 at the default point).
 */
export function randomForestProbabilities(
  design: Design,
  y: Int32Array,
  K: number,
  options: { folds?: number; seed?: number; trees?: number; bins?: number; sample?: number } = {},
): Float64Array {
  const { n, p } = design;
  const folds = options.folds ?? 5;
  const trees = options.trees ?? 100;
  const random = prng((options.seed ?? 7) + 505);
  const fold = new Int32Array(n);
  for (let i = 0; i < n; i++) fold[i] = Math.floor(random() * folds);
  const P = new Float64Array(n * K).fill(1 / K);
  const labelled: number[] = [];
  for (let i = 0; i < n; i++) if (y[i]! >= 0) labelled.push(i);
  if (labelled.length < 4 || p === 0) return P;
  // Bin edges use no labels, so sharing them across folds leaks nothing.
  const edges = binEdges(design, labelled, Math.min(255, options.bins ?? 64));
  const codes = binCodes(design, edges);
  const nb = Math.max(1, ...edges.map((e) => e.length + 1));
  const tries = Math.max(1, Math.round(Math.sqrt(p)));
  const hist = new Float64Array(nb * K);
  const total = new Float64Array(K);
  const below = new Float64Array(K);
  for (let f = 0; f < folds; f++) {
    const train: number[] = [];
    for (const i of labelled) if (fold[i] !== f) train.push(i);
    if (train.length < 4) continue;
    const m = Math.min(train.length, options.sample ?? 8000);
    const forest: Array<{ feature: Int32Array; bin: Int32Array; left: Int32Array; right: Int32Array; leaf: Float64Array }> = [];
    for (let t = 0; t < trees; t++) {
      const rows = new Int32Array(m);
      for (let k = 0; k < m; k++) rows[k] = train[Math.floor(random() * train.length)]!;
      const cap = 2 * m + 1;
      const feature = new Int32Array(cap).fill(-1);
      const bin = new Int32Array(cap);
      const left = new Int32Array(cap);
      const right = new Int32Array(cap);
      const leaf = new Float64Array(cap * K);
      let nodes = 0;
      // Rows of a node are rows[lo, hi); a split partitions that range in place.
      const grow = (lo: number, hi: number): number => {
        const id = nodes++;
        const size = hi - lo;
        total.fill(0);
        for (let k = lo; k < hi; k++) total[y[rows[k]!]!]!++;
        let kinds = 0;
        for (let c = 0; c < K; c++) {
          leaf[id * K + c] = total[c]! / size;
          if (total[c]! > 0) kinds++;
        }
        if (kinds <= 1 || size < 2) return id;
        let parent = 0;
        for (let c = 0; c < K; c++) parent += total[c]! * total[c]!;
        let bestF = -1;
        let bestB = 0;
        // Gini impurity times size is size − Σ counts² / size; the best cut maximises Σl²/nl + Σr²/nr.
        let bestScore = parent / size + 1e-12;
        for (let tr = 0; tr < tries; tr++) {
          const col = Math.floor(random() * p);
          const bins = edges[col]!.length + 1;
          if (bins < 2) continue;
          hist.fill(0, 0, bins * K);
          for (let k = lo; k < hi; k++) {
            const r = rows[k]!;
            hist[codes[r * p + col]! * K + y[r]!]!++;
          }
          below.fill(0);
          let nl = 0;
          for (let b = 0; b < bins - 1; b++) {
            let inBin = 0;
            for (let c = 0; c < K; c++) {
              const h = hist[b * K + c]!;
              below[c]! += h;
              inBin += h;
            }
            if (inBin === 0) continue;
            nl += inBin;
            const nr = size - nl;
            if (nr === 0) break;
            let sl = 0;
            let sr = 0;
            for (let c = 0; c < K; c++) {
              const l = below[c]!;
              const r = total[c]! - l;
              sl += l * l;
              sr += r * r;
            }
            const score = sl / nl + sr / nr;
            if (score > bestScore) {
              bestScore = score;
              bestF = col;
              bestB = b;
            }
          }
        }
        if (bestF < 0) return id;
        let a = lo;
        let z = hi - 1;
        while (a <= z) {
          if (codes[rows[a]! * p + bestF]! <= bestB) a++;
          else {
            const tmp = rows[a]!;
            rows[a] = rows[z]!;
            rows[z] = tmp;
            z--;
          }
        }
        feature[id] = bestF;
        bin[id] = bestB;
        left[id] = grow(lo, a);
        right[id] = grow(a, hi);
        return id;
      };
      grow(0, m);
      forest.push({ feature, bin, left, right, leaf });
    }
    for (let i = 0; i < n; i++) {
      if (fold[i] !== f) continue;
      for (let c = 0; c < K; c++) P[i * K + c] = 0;
      for (const tree of forest) {
        let node = 0;
        while (tree.feature[node]! >= 0) node = codes[i * p + tree.feature[node]!]! <= tree.bin[node]! ? tree.left[node]! : tree.right[node]!;
        for (let c = 0; c < K; c++) P[i * K + c]! += tree.leaf[node * K + c]! / trees;
      }
    }
  }
  return P;
}
