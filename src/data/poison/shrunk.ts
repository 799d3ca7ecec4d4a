import { cholesky } from "./outlier.js";
import { prng } from "./stats.js";
import type { Table } from "./table.js";
import { normalScores, standardise } from "./wide.js";

/**
 * A row that breaks the joint shape of correlated columns (session 17): the Mahalanobis distance on
 * normal scores of the ranks, with the covariance shrunk towards the identity by Ledoit and Wolf's
 * analytic intensity (so that 40 columns on a few hundred rows still give a well-conditioned inverse).
 * Ranks make the distance blind to how far out a value lies — the per-column z judges that — so it
 * adds only what the per-column z cannot see: a value at its column's edge while the columns that move
 * with it sit in the middle. Wide tables are scored on random bags of columns (feature bagging), the
 * worst bag's z taken per partition and averaged over two partitions, which keeps the cost linear in rows and in columns.
 */
export interface ShrunkScores {
  /** Wilson–Hilferty z of each row's squared distance (χ² with as many degrees as columns), averaged over bags. */
  z: Float64Array;
  /** Columns used (0 when the table has fewer than MIN_COLUMNS usable ones). */
  columns: number;
}

/** Columns per bag: enough for a correlation structure, few enough for a cheap inverse. */
const BAG_COLUMNS = 40;
/** Random partitions of the columns on a table with more than BAG_COLUMNS usable ones. */
const ROUNDS = 2;
/** Rows used to estimate each bag's covariance (a systematic sample). */
const COVARIANCE_ROWS = 2000;
/** Fewer usable columns than this: the score is not computed (the "wide": ≥ 30 numeric columns). */
export const MIN_COLUMNS = 30;

export function shrunkDistance(table: Table, seed = 17): ShrunkScores {
  const n = table.n;
  const z = new Float64Array(n);
  // Usable: numeric columns with at least three distinct values among their first rows' values
  // (a 0/1 column's normal scores are two points; its distance terms say nothing about shape).
  const S: Float64Array[] = [];
  for (const c of table.columns) {
    if (c.kind !== "numeric") continue;
    if (distinctAtLeast(c.values, 3)) S.push(standardise(normalScores(c.values)));
  }
  const d = S.length;
  if (d < MIN_COLUMNS || n < 50) return { z, columns: 0 };
  const rand = prng(seed);
  // Bags: one when the columns fit; otherwise ROUNDS random partitions into near-equal bags of at
  // most BAG_COLUMNS, so every column is in one bag per round and the cost stays linear in columns.
  const rounds: number[][][] = [];
  if (d <= BAG_COLUMNS) rounds.push([Array.from({ length: d }, (_, j) => j)]);
  else
    for (let r = 0; r < ROUNDS; r++) {
      const idx = Array.from({ length: d }, (_, j) => j);
      for (let k = d - 1; k > 0; k--) {
        const q = Math.floor(rand() * (k + 1));
        const t = idx[k]!;
        idx[k] = idx[q]!;
        idx[q] = t;
      }
      const count = Math.ceil(d / BAG_COLUMNS);
      rounds.push(Array.from({ length: count }, (_, b) => idx.slice(Math.floor((b * d) / count), Math.floor(((b + 1) * d) / count))));
    }
  const m = Math.min(n, COVARIANCE_ROWS);
  const step = n / m;
  const x = new Float64Array(BAG_COLUMNS);
  const best = new Float64Array(n);
  for (const bags of rounds) {
    best.fill(Number.NEGATIVE_INFINITY);
    for (const bag of bags) {
      const p = bag.length;
      const cols = bag.map((j) => S[j]!);
      const L = shrunkCholesky(cols, m, step, p);
      if (!L) continue;
      const a = 2 / (9 * p);
      for (let i = 0; i < n; i++) {
        for (let k = 0; k < p; k++) x[k] = cols[k]![i]!;
        // Forward substitution: |L⁻¹ x|² is the squared distance.
        let d2 = 0;
        for (let r = 0; r < p; r++) {
          let s = x[r]!;
          for (let k = 0; k < r; k++) s -= L[r * p + k]! * x[k]!;
          x[r] = s / L[r * p + r]!;
          d2 += x[r]! ** 2;
        }
        const w = (Math.cbrt(d2 / p) - (1 - a)) / Math.sqrt(a);
        if (w > best[i]!) best[i] = w;
      }
    }
    // A row's score: its worst bag, averaged over the rounds (one round's partition is luck).
    for (let i = 0; i < n; i++) if (Number.isFinite(best[i]!)) z[i] = z[i]! + best[i]! / rounds.length;
  }
  return { z, columns: d };
}

function distinctAtLeast(v: Float64Array, k: number): boolean {
  const seen = new Set<number>();
  for (let i = 0; i < v.length; i++) {
    const x = v[i]!;
    if (Number.isFinite(x)) seen.add(x);
    if (seen.size >= k) return true;
  }
  return false;
}

/**
 * Cholesky factor of the Ledoit–Wolf shrunk covariance of standardised columns on a systematic row
 * sample: Σ = ρ μ I + (1 − ρ) S with μ = tr(S)/p and ρ = min(1, β̄² / δ²) (Ledoit & Wolf 2004).
 */
function shrunkCholesky(cols: Float64Array[], m: number, step: number, p: number): Float64Array | undefined {
  const rows = Int32Array.from({ length: m }, (_, k) => Math.floor(k * step));
  const X = new Float64Array(m * p);
  for (let k = 0; k < p; k++) {
    const c = cols[k]!;
    let mean = 0;
    for (let r = 0; r < m; r++) mean += c[rows[r]!]!;
    mean /= m;
    for (let r = 0; r < m; r++) X[r * p + k] = c[rows[r]!]! - mean;
  }
  const C = new Float64Array(p * p);
  for (let r = 0; r < m; r++)
    for (let a = 0; a < p; a++) {
      const xa = X[r * p + a]!;
      if (xa === 0) continue;
      for (let b = 0; b <= a; b++) C[a * p + b] = C[a * p + b]! + xa * X[r * p + b]!;
    }
  for (let a = 0; a < p; a++)
    for (let b = 0; b <= a; b++) {
      C[a * p + b] = C[a * p + b]! / m;
      C[b * p + a] = C[a * p + b]!;
    }
  let mu = 0;
  for (let a = 0; a < p; a++) mu += C[a * p + a]!;
  mu /= p;
  if (!(mu > 0)) return undefined;
  let delta = 0;
  let frob = 0;
  for (let a = 0; a < p; a++)
    for (let b = 0; b < p; b++) {
      const v = C[a * p + b]!;
      frob += v * v;
      delta += (v - (a === b ? mu : 0)) ** 2;
    }
  // β̄² = (1/m²) Σ_r ‖x_r x_rᵀ − S‖²_F, with ‖x xᵀ − S‖² = ‖x‖⁴ − 2 xᵀSx + ‖S‖².
  let beta = 0;
  for (let r = 0; r < m; r++) {
    let nx = 0;
    let q = 0;
    for (let a = 0; a < p; a++) {
      const xa = X[r * p + a]!;
      nx += xa * xa;
      let s = 0;
      for (let b = 0; b < p; b++) s += C[a * p + b]! * X[r * p + b]!;
      q += xa * s;
    }
    beta += nx * nx - 2 * q + frob;
  }
  beta /= m * m;
  const rho = delta > 0 ? Math.min(1, Math.max(0, beta / delta)) : 1;
  const A = new Float64Array(p * p);
  for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) A[a * p + b] = (1 - rho) * C[a * p + b]! + (a === b ? rho * mu : 0);
  return cholesky(A, p, 1e-12) ? A : undefined;
}
