import { boostedProbabilities } from "./boost.js";
import { prng } from "./stats.js";
import type { Table } from "./table.js";
import { extraTreesProbabilities, randomForestProbabilities } from "./trees.js";

/** A dense design matrix: standardised numeric columns (missing → 0) and one-hot small categoricals. */
export interface Design {
  Z: Float64Array;
  n: number;
  p: number;
  names: string[];
}

const MAX_ONE_HOT = 12;

export function designMatrix(table: Table): Design {
  const parts: Array<(row: number, out: Float64Array, at: number) => void> = [];
  const names: string[] = [];
  for (const c of table.columns) {
    if (c.kind === "numeric") {
      let s = 0;
      let m = 0;
      for (const v of c.values)
        if (Number.isFinite(v)) {
          s += v;
          m++;
        }
      const mean = m ? s / m : 0;
      let ss = 0;
      for (const v of c.values) if (Number.isFinite(v)) ss += (v - mean) ** 2;
      const sd = m > 1 ? Math.sqrt(ss / (m - 1)) || 1 : 1;
      const values = c.values;
      names.push(c.name);
      parts.push((row, out, at) => {
        const v = values[row]!;
        // Clipped so one wild value cannot dominate a linear model or a distance.
        out[at] = Number.isFinite(v) ? Math.max(-6, Math.min(6, (v - mean) / sd)) : 0;
      });
    } else if (c.levels.length <= MAX_ONE_HOT) {
      const codes = c.codes;
      const k = c.levels.length;
      for (const l of c.levels) names.push(`${c.name}=${l}`);
      parts.push((row, out, at) => {
        for (let j = 0; j < k; j++) out[at + j] = 0;
        const code = codes[row]!;
        if (code >= 0) out[at + code] = 1;
      });
    }
  }
  const widths: number[] = [];
  for (const c of table.columns)
    if (c.kind === "numeric") widths.push(1);
    else if (c.levels.length <= MAX_ONE_HOT) widths.push(c.levels.length);
  const p = widths.reduce((a, b) => a + b, 0);
  const Z = new Float64Array(table.n * p);
  for (let i = 0; i < table.n; i++) {
    let at = i * p;
    for (let k = 0; k < parts.length; k++) {
      parts[k]!(i, Z, at);
      at += widths[k]!;
    }
  }
  return { Z, n: table.n, p, names };
}

/** Multinomial logistic regression by mini-batch SGD (L2-regularised); W is K × (p + 1), bias last. */
export function trainSoftmax(Z: Float64Array, p: number, y: Int32Array, K: number, rows: Int32Array, seed: number): Float64Array {
  const W = new Float64Array(K * (p + 1));
  const random = prng(seed);
  const order = Int32Array.from(rows);
  const epochs = Math.max(3, Math.min(40, Math.round(200_000 / Math.max(1, rows.length))));
  const batch = 32;
  const l2 = 1e-4;
  const grad = new Float64Array(K * (p + 1));
  const prob = new Float64Array(K);
  let step = 0;
  for (let e = 0; e < epochs; e++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      const t = order[i]!;
      order[i] = order[j]!;
      order[j] = t;
    }
    for (let b = 0; b < order.length; b += batch) {
      grad.fill(0);
      const end = Math.min(order.length, b + batch);
      for (let k = b; k < end; k++) {
        const r = order[k]!;
        softmaxRow(W, Z, p, K, r, prob);
        const label = y[r]!;
        for (let c = 0; c < K; c++) {
          const g = prob[c]! - (c === label ? 1 : 0);
          const base = c * (p + 1);
          for (let f = 0; f < p; f++) grad[base + f]! += g * Z[r * p + f]!;
          grad[base + p]! += g;
        }
      }
      const lr = 0.5 / Math.sqrt(1 + step++ / 50);
      const scale = lr / (end - b);
      for (let w = 0; w < W.length; w++) W[w] = W[w]! * (1 - lr * l2) - scale * grad[w]!;
    }
  }
  return W;
}

export function softmaxRow(W: Float64Array, Z: Float64Array, p: number, K: number, r: number, out: Float64Array): void {
  let max = Number.NEGATIVE_INFINITY;
  for (let c = 0; c < K; c++) {
    const base = c * (p + 1);
    let s = W[base + p]!;
    for (let f = 0; f < p; f++) s += W[base + f]! * Z[r * p + f]!;
    out[c] = s;
    if (s > max) max = s;
  }
  let total = 0;
  for (let c = 0; c < K; c++) {
    out[c] = Math.exp(out[c]! - max);
    total += out[c]!;
  }
  for (let c = 0; c < K; c++) out[c]! /= total;
}

const MAX_TRAIN = 100_000;

/** Out-of-fold class probabilities from K-fold cross-validated softmax regression (n × K, row-major). */
export function crossValidatedProbabilities(design: Design, y: Int32Array, K: number, folds = 5, seed = 7): Float64Array {
  const { Z, n, p } = design;
  const random = prng(seed);
  const fold = new Int32Array(n);
  for (let i = 0; i < n; i++) fold[i] = Math.floor(random() * folds);
  const P = new Float64Array(n * K).fill(1 / K);
  const prob = new Float64Array(K);
  for (let f = 0; f < folds; f++) {
    let train: number[] = [];
    for (let i = 0; i < n; i++) if (fold[i] !== f && y[i]! >= 0) train.push(i);
    if (train.length === 0) continue;
    // A linear model needs far fewer rows than a big table has: train on a random subset, predict all.
    if (train.length > MAX_TRAIN) {
      for (let i = 0; i < MAX_TRAIN; i++) {
        const j = i + Math.floor(random() * (train.length - i));
        const t = train[i]!;
        train[i] = train[j]!;
        train[j] = t;
      }
      train = train.slice(0, MAX_TRAIN);
    }
    const W = trainSoftmax(Z, p, y, K, Int32Array.from(train), seed + f);
    for (let i = 0; i < n; i++) {
      if (fold[i] !== f) continue;
      softmaxRow(W, Z, p, K, i, prob);
      for (let c = 0; c < K; c++) P[i * K + c] = prob[c]!;
    }
  }
  return P;
}

/**
 * Share of each class among the k nearest neighbours (Euclidean on the design matrix, the row itself
 * excluded): the kNN disagreement baseline. Brute force, so callers cap n.
 */
export function knnProbabilities(design: Design, y: Int32Array, K: number, k = 10): Float64Array {
  const { Z, n, p } = design;
  const P = new Float64Array(n * K);
  const bestD = new Float64Array(k);
  const bestI = new Int32Array(k);
  for (let i = 0; i < n; i++) {
    bestD.fill(Number.POSITIVE_INFINITY);
    bestI.fill(-1);
    let worst = 0;
    for (let j = 0; j < n; j++) {
      if (j === i || y[j]! < 0) continue;
      let d = 0;
      for (let f = 0; f < p; f++) {
        const t = Z[i * p + f]! - Z[j * p + f]!;
        d += t * t;
        if (d >= bestD[worst]!) break;
      }
      if (d < bestD[worst]!) {
        bestD[worst] = d;
        bestI[worst] = j;
        for (let m = 0; m < k; m++) if (bestD[m]! > bestD[worst]!) worst = m;
      }
    }
    let m = 0;
    for (let t = 0; t < k; t++)
      if (bestI[t]! >= 0) {
        P[i * K + y[bestI[t]!]!]! += 1;
        m++;
      }
    for (let c = 0; c < K; c++) P[i * K + c] = m ? P[i * K + c]! / m : 1 / K;
  }
  return P;
}

export interface LabelIssue {
  row: number;
  given: number;
  suggested: number;
  /** 1 − p̂(given label): cleanlab's self-confidence ranking, inverted so higher is worse. */
  score: number;
  selfConfidence: number;
}

/**
 * Confident learning (Northcutt et al.): per-class thresholds t_j = mean p̂_j over rows labelled j;
 * a row labelled i is confidently in class j when p̂_j ≥ t_j (the largest such p̂ if several);
 * off-diagonal entries of that confident joint are the label issues.
 */
export function confidentLearning(P: Float64Array, y: Int32Array, K: number): { issues: LabelIssue[]; thresholds: number[]; joint: number[][] } {
  const n = y.length;
  const sums = new Array<number>(K).fill(0);
  const counts = new Array<number>(K).fill(0);
  for (let i = 0; i < n; i++) {
    const l = y[i]!;
    if (l < 0) continue;
    sums[l]! += P[i * K + l]!;
    counts[l]!++;
  }
  const thresholds = sums.map((s, j) => (counts[j] ? s / counts[j]! : 1));
  const joint = Array.from({ length: K }, () => new Array<number>(K).fill(0));
  const issues: LabelIssue[] = [];
  for (let i = 0; i < n; i++) {
    const l = y[i]!;
    if (l < 0) continue;
    let best = -1;
    let bestP = -1;
    for (let j = 0; j < K; j++) {
      const pj = P[i * K + j]!;
      if (pj >= thresholds[j]! && pj > bestP) {
        best = j;
        bestP = pj;
      }
    }
    if (best < 0) continue;
    joint[l]![best]!++;
    if (best !== l) issues.push({ row: i, given: l, suggested: best, score: 1 - P[i * K + l]!, selfConfidence: P[i * K + l]! });
  }
  return { issues, thresholds, joint };
}

/**
 * Rounds non-negative values to integers whose sum is the rounded sum of the values (largest
 * remainders get the leftover units; ties to the lower index) — cleanlab's `round_preserving_row_totals`.
 * Rounding each cell alone loses the errors of a class spread thinly over many classes: 4.5 expected
 * errors as ten cells of 0.45 would all round to 0.
 */
export function roundPreservingTotal(values: number[]): number[] {
  const floors = values.map((v) => Math.floor(v));
  let left = Math.round(values.reduce((a, b) => a + b, 0)) - floors.reduce((a, b) => a + b, 0);
  const order = values.map((_v, j) => j).sort((a, b) => values[b]! - floors[b]! - (values[a]! - floors[a]!) || a - b);
  for (const j of order) {
    if (left <= 0) break;
    floors[j]!++;
    left--;
  }
  return floors;
}

/**
 * Confident learning's `prune_by_noise_rate` (cleanlab's default filter): the confident joint is
 * calibrated so that each given label's row sums to that label's count (rounded preserving the row's
 * total, as cleanlab does); for every off-diagonal cell
 * (i, j) its estimated count of rows labelled i that belong to j is taken from the rows labelled i
 * with the largest margin p̂_j − p̂_i. Returns the rows so chosen (a row may be chosen by one cell only)
 * and the estimated number of label errors. On the clean development tables it proposes fewer rows
 * than "any confident-joint issue or first-choice disagreement", at the same recall of flips.
 */
export function pruneByNoiseRate(P: Float64Array, y: Int32Array, K: number, joint: number[][]): { rows: number[]; estimated: number } {
  const n = y.length;
  const byClass: number[][] = Array.from({ length: K }, () => []);
  for (let i = 0; i < n; i++) if (y[i]! >= 0) byClass[y[i]!]!.push(i);
  const chosen = new Set<number>();
  let estimated = 0;
  for (let i = 0; i < K; i++) {
    const rowSum = joint[i]!.reduce((a, b) => a + b, 0);
    const members = byClass[i]!;
    if (rowSum === 0 || members.length === 0) continue;
    const counts = roundPreservingTotal(joint[i]!.map((c) => (c / rowSum) * members.length));
    for (let j = 0; j < K; j++) {
      if (j === i) continue;
      const m = counts[j]!;
      if (m <= 0) continue;
      estimated += m;
      const margin = (r: number) => P[r * K + j]! - P[r * K + i]!;
      const ranked = members.slice().sort((a, b) => margin(b) - margin(a) || a - b);
      let taken = 0;
      for (const r of ranked) {
        if (taken >= m) break;
        if (chosen.has(r)) continue;
        chosen.add(r);
        taken++;
      }
    }
  }
  return { rows: [...chosen].sort((a, b) => a - b), estimated };
}

/** The design matrix with each numeric column replaced by its mid-rank scaled to [−√3, √3] (unit variance). */
export function rankDesign(design: Design): Design {
  const { Z, n, p } = design;
  const R = new Float64Array(n * p);
  const col = new Float64Array(n);
  const order = new Int32Array(n);
  for (let f = 0; f < p; f++) {
    for (let i = 0; i < n; i++) {
      col[i] = Z[i * p + f]!;
      order[i] = i;
    }
    order.sort((a, b) => col[a]! - col[b]!);
    // Ties share their mid-rank, so discrete columns keep their levels.
    for (let s = 0; s < n; ) {
      let e = s;
      while (e + 1 < n && col[order[e + 1]!] === col[order[s]!]) e++;
      const u = ((s + e) / 2 + 0.5) / n;
      for (let k = s; k <= e; k++) R[order[k]! * p + f] = (u - 0.5) * 2 * Math.sqrt(3);
      s = e + 1;
    }
  }
  return { Z: R, n, p, names: design.names };
}

/**
 * Each design column's relevance to the labels, η² (between-class over total sum of squares; a one-way
 * ANOVA's effect size), divided by the largest so the most relevant column weighs 1. From all rows and
 * their given labels: a row's own label moves a column's η² by about 1/n, and the weights only scale
 * columns for the neighbour search.
 */
export function relevanceWeights(design: Design, y: Int32Array, K: number): Float64Array {
  const { Z, n, p } = design;
  const w = new Float64Array(p);
  const count = new Float64Array(K);
  const sum = new Float64Array(K);
  for (let f = 0; f < p; f++) {
    count.fill(0);
    sum.fill(0);
    let s = 0;
    let ss = 0;
    let m = 0;
    for (let i = 0; i < n; i++) {
      const c = y[i]!;
      if (c < 0) continue;
      const v = Z[i * p + f]!;
      count[c]!++;
      sum[c]! += v;
      s += v;
      ss += v * v;
      m++;
    }
    if (m === 0) continue;
    const mean = s / m;
    const totalSq = ss - m * mean * mean;
    let between = 0;
    for (let c = 0; c < K; c++) if (count[c]! > 0) between += count[c]! * (sum[c]! / count[c]! - mean) ** 2;
    w[f] = totalSq > 1e-12 ? between / totalSq : 0;
  }
  let max = 0;
  for (let f = 0; f < p; f++) if (w[f]! > max) max = w[f]!;
  for (let f = 0; f < p; f++) w[f] = max > 0 ? w[f]! / max : 1;
  return w;
}

/** The design with each column multiplied by √weight, so squared distances weigh columns by `weights`. */
export function weightedDesign(design: Design, weights: Float64Array): Design {
  const { Z, n, p } = design;
  const W = new Float64Array(n * p);
  const root = weights.map((w) => Math.sqrt(w));
  for (let i = 0; i < n; i++) for (let f = 0; f < p; f++) W[i * p + f] = Z[i * p + f]! * root[f]!;
  return { Z: W, n, p, names: design.names };
}

/**
 * Out-of-fold Gaussian naive Bayes (per-class mean and variance of each design column, variance
 * floored at 1e-3 of the column's) — a different error profile from the linear and neighbour models.
 */
export function naiveBayesProbabilities(design: Design, y: Int32Array, K: number, folds = 5, seed = 7): Float64Array {
  const { Z, n, p } = design;
  const random = prng(seed + 101);
  const fold = new Int32Array(n);
  for (let i = 0; i < n; i++) fold[i] = Math.floor(random() * folds);
  const P = new Float64Array(n * K).fill(1 / K);
  const logp = new Float64Array(K);
  for (let f = 0; f < folds; f++) {
    const count = new Float64Array(K);
    const sum = new Float64Array(K * p);
    const sq = new Float64Array(K * p);
    for (let i = 0; i < n; i++) {
      const c = y[i]!;
      if (fold[i] === f || c < 0) continue;
      count[c]!++;
      for (let j = 0; j < p; j++) {
        const v = Z[i * p + j]!;
        sum[c * p + j]! += v;
        sq[c * p + j]! += v * v;
      }
    }
    let total = 0;
    for (let c = 0; c < K; c++) total += count[c]!;
    if (total === 0) continue;
    const mean = new Float64Array(K * p);
    const logVar = new Float64Array(K * p);
    const inv = new Float64Array(K * p);
    const prior = new Float64Array(K);
    for (let c = 0; c < K; c++) {
      prior[c] = Math.log((count[c]! + 1) / (total + K));
      for (let j = 0; j < p; j++) {
        const m = count[c]! ? sum[c * p + j]! / count[c]! : 0;
        const v = Math.max(count[c]! ? sq[c * p + j]! / count[c]! - m * m : 1, 1e-3);
        mean[c * p + j] = m;
        logVar[c * p + j] = Math.log(v);
        inv[c * p + j] = 1 / v;
      }
    }
    for (let i = 0; i < n; i++) {
      if (fold[i] !== f) continue;
      let max = Number.NEGATIVE_INFINITY;
      for (let c = 0; c < K; c++) {
        let s = prior[c]!;
        if (count[c] === 0) s = Number.NEGATIVE_INFINITY;
        else
          for (let j = 0; j < p; j++) {
            const d = Z[i * p + j]! - mean[c * p + j]!;
            s -= 0.5 * (logVar[c * p + j]! + d * d * inv[c * p + j]!);
          }
        logp[c] = s;
        if (s > max) max = s;
      }
      let norm = 0;
      for (let c = 0; c < K; c++) {
        logp[c] = Math.exp(logp[c]! - max);
        norm += logp[c]!;
      }
      for (let c = 0; c < K; c++) P[i * K + c] = logp[c]! / norm;
    }
  }
  return P;
}

/**
 * Temperature scaling (Guo et al. 2017) of out-of-fold probabilities against the given labels: the
 * temperature T on a log grid that minimises the log loss; p_c ∝ (p_c + ε)^(1/T). Noisy labels are
 * a minority, so the fit is dominated by the clean rows; it puts each model's confidence on one scale
 * before averaging (naive Bayes is overconfident, neighbour shares are coarse).
 */
export function temperatureScale(P: Float64Array, y: Int32Array, K: number): { P: Float64Array; temperature: number } {
  const n = y.length;
  const eps = 1e-4;
  const logs = new Float64Array(P.length);
  for (let i = 0; i < P.length; i++) logs[i] = Math.log(P[i]! + eps);
  // A sample keeps the fit cheap on big tables.
  const step = Math.max(1, Math.floor(n / 20_000));
  const loss = (T: number) => {
    let total = 0;
    for (let i = 0; i < n; i += step) {
      const l = y[i]!;
      if (l < 0) continue;
      let max = Number.NEGATIVE_INFINITY;
      for (let c = 0; c < K; c++) max = Math.max(max, logs[i * K + c]! / T);
      let z = 0;
      for (let c = 0; c < K; c++) z += Math.exp(logs[i * K + c]! / T - max);
      total -= logs[i * K + l]! / T - max - Math.log(z);
    }
    return total;
  };
  let best = 1;
  let bestLoss = loss(1);
  for (let e = -8; e <= 16; e++) {
    const T = 2 ** (e / 4);
    const v = loss(T);
    if (v < bestLoss) {
      bestLoss = v;
      best = T;
    }
  }
  const out = new Float64Array(P.length);
  for (let i = 0; i < n; i++) {
    let max = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < K; c++) max = Math.max(max, logs[i * K + c]! / best);
    let z = 0;
    for (let c = 0; c < K; c++) {
      const v = Math.exp(logs[i * K + c]! / best - max);
      out[i * K + c] = v;
      z += v;
    }
    for (let c = 0; c < K; c++) out[i * K + c]! /= z;
  }
  return { P: out, temperature: best };
}

/** Tables up to this many rows get 100 fully grown trees per fold; bigger ones the depth-12 forest. */
const GROWN_TREES_MAX_ROWS = 20_000;

export interface Ensemble {
  /** Averaged calibrated out-of-fold probabilities (n × K). */
  P: Float64Array;
  /** Models used and their fitted temperatures. */
  models: Record<string, number>;
}

/** Bootstrap rows per grown-out tree: tables of 10 000–20 000 rows no longer grow trees on every row. */
const GROWN_TREE_SAMPLE = 8_000;

/**
 * Out-of-fold class probabilities from several models, each temperature-scaled, averaged in
 * probability space: softmax regression, extremely randomised trees (up to 20 000 rows 100 fully grown
 * trees per fold on ≤ 8 000-row bootstrap samples, leaves of one row; then the depth-12 forest of
 * trees.ts up to 200 000 rows), gradient-boosted trees (boost.ts: depth 4, trained on ≤ 4 000 rows per
 * fold, early-stopped, every row scored), up to 20 000 rows a random forest (100 grown-out trees per
 * fold on binned columns, session 11) and — on tables up to `knnMaxRows` rows — k-nearest neighbours
 * on rank-transformed features (ranks tame skewed columns), each column weighted by its η² (session 11). Above 200 000 rows Gaussian naive Bayes
 * takes the place of both kinds of trees. On the development tables (docs/data.md) the boosted trees raised the
 * ranked recall of flips most on multi-class and confusable flips; grown-out trees ranked flips better
 * than depth-12 trees with leaves of three.
 */
export interface EnsembleOptions {
  knnMaxRows?: number;
  seed?: number;
  k?: number;
  /** Cross-validation folds of every model (default 5). */
  folds?: number;
  /** Labels the models train on (−1 = left out of training); calibration always uses `y`. Default `y`. */
  trainLabels?: Int32Array;
}

export function ensembleProbabilities(design: Design, y: Int32Array, K: number, options: EnsembleOptions = {}): Ensemble {
  const seed = options.seed ?? 7;
  const folds = options.folds ?? 5;
  const yt = options.trainLabels ?? y;
  const parts: Array<[string, Float64Array]> = [["softmax", crossValidatedProbabilities(design, yt, K, folds, seed)]];
  // Above 200 000 rows trees cost seconds of the 1M-row budget for little change in the ranking.
  if (design.n <= 200_000) {
    // Grown-out trees cost ~1 s per 1 000 rows of CPU: above 20 000 rows the shallower default forest.
    const grown = design.n <= GROWN_TREES_MAX_ROWS;
    parts.push(["extraTrees", extraTreesProbabilities(design, yt, K, { seed, folds, ...(grown ? { trees: 100, maxDepth: 30, minLeaf: 1, sample: GROWN_TREE_SAMPLE } : {}) })]);
  } else parts.push(["naiveBayes", naiveBayesProbabilities(design, yt, K, folds, seed)]);
  // Boosting trains on ≤ 4 000 rows, but scoring walks rounds × classes trees per row: on 1M rows
  // that was ~30 s of CPU (session 5), so like the extra trees it stops at 200 000 rows.
  if (design.n <= 200_000) parts.push(["boostedTrees", boostedProbabilities(design, yt, K, { seed, folds })]);
  // Session 11: a random forest beside the extra trees, where the grown-out trees run (≤ 20 000 rows).
  if (design.n <= GROWN_TREES_MAX_ROWS) parts.push(["randomForest", randomForestProbabilities(design, yt, K, { seed, folds })]);
  if (design.n <= (options.knnMaxRows ?? 8000)) {
    const k = options.k ?? 10;
    // Session 11: ranks weighted by each column's η², so columns unrelated to the labels do not
    // choose the neighbours (seen G1 + H1 flips at the default point 0.503 → 0.509 beside the forest).
    const ranks = rankDesign(design);
    // Neighbour shares k_c/k → (k_c + ½)/(k + K/2): no hard zeros before calibration.
    const Q = knnProbabilities(weightedDesign(ranks, relevanceWeights(ranks, yt, K)), yt, K, k);
    for (let i = 0; i < Q.length; i++) Q[i] = (Q[i]! * k + 0.5) / (k + K / 2);
    parts.push(["knnRank", Q]);
  }
  const P = new Float64Array(design.n * K);
  const models: Record<string, number> = {};
  for (const [name, Q] of parts) {
    const cal = temperatureScale(Q, y, K);
    models[name] = Math.round(cal.temperature * 1000) / 1000;
    for (let i = 0; i < P.length; i++) P[i]! += cal.P[i]! / parts.length;
  }
  return { P, models };
}

/**
 * Per-row label-issue score in [0, 1], higher = more suspicious, after cleanlab's `rank_by`:
 * `self_confidence` → 1 − p̂(given) (the default: it ranked best on our development tables, most
 * clearly on multi-class ones); `normalized_margin` → (1 − (p̂(given) − max other p̂)) / 2.
 */
export function labelIssueScores(P: Float64Array, y: Int32Array, K: number, method: "self_confidence" | "normalized_margin" = "self_confidence"): Float64Array {
  const n = y.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const l = y[i]!;
    if (l < 0) continue;
    const own = P[i * K + l]!;
    if (method === "self_confidence") {
      out[i] = 1 - own;
      continue;
    }
    let other = 0;
    for (let c = 0; c < K; c++) if (c !== l && P[i * K + c]! > other) other = P[i * K + c]!;
    out[i] = (1 - (own - other)) / 2;
  }
  return out;
}
