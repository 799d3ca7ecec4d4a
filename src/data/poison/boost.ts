import type { Design } from "./labelnoise.js";
import { prng } from "./stats.js";

/**
 * Gradient-boosted trees for out-of-fold class probabilities (Friedman 2001; second-order leaf values
 * as in XGBoost/LightGBM): multiclass softmax, one depth-limited tree per class per round, splits
 * searched on per-column quantile bins (histograms of gradient and hessian), shrinkage, and early
 * stopping on an inner validation part of each training fold. A boosted model fits the class boundary
 * where the extra trees average it out, so it disagrees with them on different rows — what an
 * ensemble for label noise needs.
 */
export interface BoostOptions {
  folds?: number;
  seed?: number;
  /** Quantile bins per column (≤ 255). */
  bins?: number;
  maxDepth?: number;
  /** Shrinkage (learning rate). */
  eta?: number;
  maxRounds?: number;
  /** Rounds without a better validation log loss before stopping. */
  patience?: number;
  /** L2 penalty on leaf values. */
  lambda?: number;
  /** Smallest hessian sum a child may have. */
  minChildWeight?: number;
  /** Training rows per fold are subsampled to at most this many; every row is still scored. */
  maxTrainRows?: number;
  /**
   * Columns a tree may split on: above this, each tree gets a random subset of this many (XGBoost's
   * colsample_bytree), so its histograms cost rows × this, not rows × columns. Default: every column
   * (no subset). Session 19 tried max(64, 4√p) as the default: CNAE9's boosting (856 word columns,
   * 1,000 rows) fell from 35 s to 17 s of CPU, but a seen clean table (ad_data, 129 columns) then got
   * 7.8 % of its rows flagged for label noise (5 % before), so it stays opt-in.
   */
  maxColumns?: number;
}

/** A complete binary tree of depth d in arrays: node i's children are 2i+1 and 2i+2. */
interface BoostTree {
  /** Split column per node, −1 for a leaf. */
  feature: Int16Array;
  /** Rows whose bin code is ≤ this go left. */
  bin: Uint8Array;
  value: Float64Array;
}

/** Bin edges per column from a sample of rows: up to `bins` − 1 distinct quantile cut points. */
export function binEdges(design: Design, rows: ArrayLike<number>, bins: number): Float64Array[] {
  const { Z, p } = design;
  const edges: Float64Array[] = [];
  const col = new Float64Array(rows.length);
  for (let f = 0; f < p; f++) {
    for (let k = 0; k < rows.length; k++) col[k] = Z[rows[k]! * p + f]!;
    const sorted = col.slice().sort();
    const cuts: number[] = [];
    for (let b = 1; b < bins; b++) {
      const v = sorted[Math.min(sorted.length - 1, Math.floor((b * sorted.length) / bins))]!;
      // A cut sits just below a value, so equal values share a bin and discrete columns keep their levels.
      if (cuts.length === 0 || v > cuts[cuts.length - 1]!) cuts.push(v);
    }
    if (cuts.length > 0 && cuts[0]! <= sorted[0]!) cuts.shift();
    edges.push(Float64Array.from(cuts));
  }
  return edges;
}

/** Bin code of every cell (n × p): the number of cut points ≤ the value. */
export function binCodes(design: Design, edges: Float64Array[]): Uint8Array {
  const { Z, n, p } = design;
  const codes = new Uint8Array(n * p);
  for (let f = 0; f < p; f++) {
    const e = edges[f]!;
    for (let i = 0; i < n; i++) {
      const v = Z[i * p + f]!;
      let lo = 0;
      let hi = e.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (e[mid]! <= v) lo = mid + 1;
        else hi = mid;
      }
      codes[i * p + f] = lo;
    }
  }
  return codes;
}

function growBoostTree(
  codes: Uint8Array,
  p: number,
  nb: number,
  rows: Int32Array,
  g: Float64Array,
  h: Float64Array,
  depth: number,
  lambda: number,
  minChild: number,
  eta: number,
  /** The columns this tree may split on; undefined: every column (the default path, no indirection). */
  cols: Int32Array | undefined,
): BoostTree {
  const size = 2 ** (depth + 1) - 1;
  const feature = new Int16Array(size).fill(-1);
  const bin = new Uint8Array(size);
  const value = new Float64Array(size);
  const m = cols ? cols.length : p;
  const hist = new Float64Array(m * nb * 2);
  let level: Array<{ id: number; rows: Int32Array }> = [{ id: 0, rows }];
  for (let d = 0; d <= depth && level.length > 0; d++) {
    const next: Array<{ id: number; rows: Int32Array }> = [];
    for (const node of level) {
      let G = 0;
      let H = 0;
      for (const r of node.rows) {
        G += g[r]!;
        H += h[r]!;
      }
      value[node.id] = (-G / (H + lambda)) * eta;
      if (d === depth || node.rows.length < 2 || H < 2 * minChild) continue;
      hist.fill(0);
      for (const r of node.rows) {
        const gr = g[r]!;
        const hr = h[r]!;
        const base = r * p;
        if (cols)
          for (let q = 0; q < m; q++) {
            const at = (q * nb + codes[base + cols[q]!]!) * 2;
            hist[at]! += gr;
            hist[at + 1]! += hr;
          }
        else
          for (let f = 0; f < p; f++) {
            const at = (f * nb + codes[base + f]!) * 2;
            hist[at]! += gr;
            hist[at + 1]! += hr;
          }
      }
      const parent = (G * G) / (H + lambda);
      let bestGain = 1e-9;
      let bestF = -1;
      let bestB = 0;
      for (let q = 0; q < m; q++) {
        let gl = 0;
        let hl = 0;
        for (let b = 0; b < nb - 1; b++) {
          const at = (q * nb + b) * 2;
          gl += hist[at]!;
          hl += hist[at + 1]!;
          const hr = H - hl;
          if (hl < minChild) continue;
          if (hr < minChild) break;
          const gr = G - gl;
          const gain = (gl * gl) / (hl + lambda) + (gr * gr) / (hr + lambda) - parent;
          if (gain > bestGain) {
            bestGain = gain;
            bestF = cols ? cols[q]! : q;
            bestB = b;
          }
        }
      }
      if (bestF < 0) continue;
      feature[node.id] = bestF;
      bin[node.id] = bestB;
      let nl = 0;
      for (const r of node.rows) if (codes[r * p + bestF]! <= bestB) nl++;
      const left = new Int32Array(nl);
      const right = new Int32Array(node.rows.length - nl);
      let a = 0;
      let b = 0;
      for (const r of node.rows)
        if (codes[r * p + bestF]! <= bestB) left[a++] = r;
        else right[b++] = r;
      next.push({ id: 2 * node.id + 1, rows: left }, { id: 2 * node.id + 2, rows: right });
    }
    level = next;
  }
  return { feature, bin, value };
}

function treeValue(tree: BoostTree, codes: Uint8Array, p: number, row: number): number {
  let node = 0;
  while (tree.feature[node]! >= 0) node = codes[row * p + tree.feature[node]!]! <= tree.bin[node]! ? 2 * node + 1 : 2 * node + 2;
  return tree.value[node]!;
}

function softmaxInPlace(F: Float64Array, at: number, K: number, out: Float64Array, outAt: number): void {
  let max = Number.NEGATIVE_INFINITY;
  for (let c = 0; c < K; c++) if (F[at + c]! > max) max = F[at + c]!;
  let z = 0;
  for (let c = 0; c < K; c++) {
    const e = Math.exp(F[at + c]! - max);
    out[outAt + c] = e;
    z += e;
  }
  for (let c = 0; c < K; c++) out[outAt + c]! /= z;
}

/** Trains one boosted model on `fit`, early-stopped on `valid`; returns the kept trees (rounds × K). */
function trainBoost(codes: Uint8Array, p: number, nb: number, y: Int32Array, K: number, fit: Int32Array, valid: Int32Array, o: Required<BoostOptions>, random: () => number) {
  const prior = new Float64Array(K);
  for (const r of fit) prior[y[r]!]!++;
  const init = new Float64Array(K);
  for (let c = 0; c < K; c++) init[c] = Math.log((prior[c]! + 1) / (fit.length + K));
  const n = y.length;
  // Raw scores are kept per training row only (indexed through a position map).
  const all = new Int32Array(fit.length + valid.length);
  all.set(fit);
  all.set(valid, fit.length);
  const F = new Float64Array(all.length * K);
  for (let k = 0; k < all.length; k++) F.set(init, k * K);
  const pos = new Int32Array(n).fill(-1);
  for (let k = 0; k < all.length; k++) pos[all[k]!] = k;
  const g = new Float64Array(n);
  const h = new Float64Array(n);
  const prob = new Float64Array(all.length * K);
  const rounds: BoostTree[][] = [];
  let best = 0;
  let bestLoss = Number.POSITIVE_INFINITY;
  const validLoss = () => {
    let loss = 0;
    for (let k = fit.length; k < all.length; k++) loss -= Math.log(Math.max(1e-12, prob[k * K + y[all[k]!]!]!));
    return loss / Math.max(1, valid.length);
  };
  for (let k = 0; k < all.length; k++) softmaxInPlace(F, k * K, K, prob, k * K);
  if (valid.length > 0) bestLoss = validLoss();
  for (let round = 0; round < o.maxRounds; round++) {
    const trees: BoostTree[] = [];
    for (let c = 0; c < K; c++) {
      for (let k = 0; k < fit.length; k++) {
        const r = fit[k]!;
        const pc = prob[k * K + c]!;
        g[r] = pc - (y[r] === c ? 1 : 0);
        h[r] = Math.max(pc * (1 - pc), 1e-6);
      }
      trees.push(growBoostTree(codes, p, nb, fit, g, h, o.maxDepth, o.lambda, o.minChildWeight, o.eta, o.maxColumns < p ? treeColumns(p, o.maxColumns, random) : undefined));
    }
    rounds.push(trees);
    for (let k = 0; k < all.length; k++) {
      const r = all[k]!;
      for (let c = 0; c < K; c++) F[k * K + c]! += treeValue(trees[c]!, codes, p, r);
      softmaxInPlace(F, k * K, K, prob, k * K);
    }
    if (valid.length === 0) {
      best = rounds.length;
      continue;
    }
    const loss = validLoss();
    if (loss < bestLoss - 1e-6) {
      bestLoss = loss;
      best = rounds.length;
    } else if (rounds.length - best >= o.patience) break;
  }
  return { init, rounds: rounds.slice(0, best) };
}

/** Out-of-fold class probabilities (n × K) from gradient-boosted trees, one model per fold. */
export function boostedProbabilities(design: Design, y: Int32Array, K: number, options: BoostOptions = {}): Float64Array {
  const o: Required<BoostOptions> = {
    folds: 5,
    seed: 7,
    bins: 32,
    maxDepth: 4,
    eta: 0.15,
    maxRounds: 150,
    patience: 15,
    lambda: 1,
    minChildWeight: 1,
    maxTrainRows: 4000,
    maxColumns: design.p,
    ...options,
  };
  const { n, p } = design;
  const random = prng(o.seed + 303);
  const fold = new Int32Array(n);
  for (let i = 0; i < n; i++) fold[i] = Math.floor(random() * o.folds);
  const P = new Float64Array(n * K).fill(1 / K);
  // Bin edges from a sample of labelled rows (labels are not used, so sharing them across folds leaks nothing).
  const labelled: number[] = [];
  for (let i = 0; i < n; i++) if (y[i]! >= 0) labelled.push(i);
  if (labelled.length < 10 || p === 0) return P;
  const sample = sampleRows(labelled, 20_000, random);
  const edges = binEdges(design, sample, Math.min(255, o.bins));
  const nb = Math.max(1, ...edges.map((e) => e.length + 1));
  const codes = binCodes(design, edges);
  const F = new Float64Array(K);
  const prob = new Float64Array(K);
  for (let f = 0; f < o.folds; f++) {
    const train: number[] = [];
    for (const i of labelled) if (fold[i] !== f) train.push(i);
    if (train.length < 10) continue;
    const rows = sampleRows(train, o.maxTrainRows, random);
    // Inner split: a fifth of the training rows decides when to stop.
    const cut = Math.floor(rows.length * 0.8);
    const model = trainBoost(codes, p, nb, y, K, Int32Array.from(rows.slice(0, cut)), Int32Array.from(rows.slice(cut)), o, random);
    for (let i = 0; i < n; i++) {
      if (fold[i] !== f) continue;
      F.set(model.init);
      for (const trees of model.rounds) for (let c = 0; c < K; c++) F[c]! += treeValue(trees[c]!, codes, p, i);
      softmaxInPlace(F, 0, K, prob, 0);
      for (let c = 0; c < K; c++) P[i * K + c] = prob[c]!;
    }
  }
  return P;
}

/** A random subset of at most m rows in random order (partial Fisher–Yates on a copy). */
function sampleRows(rows: number[], m: number, random: () => number): number[] {
  const a = rows.slice();
  const k = Math.min(m, a.length);
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(random() * (a.length - i));
    const t = a[i]!;
    a[i] = a[j]!;
    a[j] = t;
  }
  return a.slice(0, k);
}

/** Every column (0…p−1) when p ≤ max, else a random subset of max columns in increasing order. */
export function treeColumns(p: number, max: number, random: () => number): Int32Array {
  const a = Int32Array.from({ length: p }, (_v, i) => i);
  // No draw when every column is kept, so narrower designs see the same random stream as before.
  if (p <= max) return a;
  for (let i = 0; i < max; i++) {
    const j = i + Math.floor(random() * (p - i));
    const t = a[i]!;
    a[i] = a[j]!;
    a[j] = t;
  }
  return a.subarray(0, max).sort();
}
