import { normalQuantile } from "./outlier.js";
import { quantileSelect } from "./stats.js";
import type { Table } from "./table.js";

/**
 * Outliers on wide tables, where columns outnumber or rival rows (speech features, expression
 * profiles, chemical descriptors). There the largest per-column z is a poor ranking: with hundreds of
 * heavy-tailed columns nearly every clean row is some column's extreme, and an injected value 5–10
 * robust SDs out sits inside those tails. What such a value does break is the column's agreement with
 * the columns it moves with: a row whose jitter measures are all high is a loud voice, one whose single
 * jitter measure is high while its siblings sit at the median is a wrong value.
 *
 * So every column is predicted from its most correlated columns, on normal scores of the ranks (heavy
 * tails and a few gross values cannot steer ranks), and a cell's residual is divided by its column's
 * robust residual scale; the row's score is its largest residual z. Columns without a strongly
 * correlated partner (|ρ| < 0.5) carry no such evidence and are skipped.
 */
export interface ResidualScores {
  /** Largest residual z per row (0 where no column has correlated partners). */
  z: Float64Array;
  /** Column index (in table.columns) of that residual, −1 if none. */
  column: Int32Array;
  /** How many columns had partners. */
  predicted: number;
}

/** Predictors per column: a few siblings suffice, more add noise on few rows. */
const PARTNERS = 5;
/** A column is predicted only when its best partner correlates at least this strongly. */
const MIN_CORRELATION = 0.5;
/** Ridge added to the partners' correlation matrix (on standardised scores). */
const RIDGE = 0.05;
/** Rows used to estimate correlations: a systematic sample keeps the d² work bounded. */
const CORRELATION_ROWS = 2000;
/** Smallest residual scale (in SDs of normal scores): tied, zero-inflated columns have MAD 0. */
const MIN_SCALE = 0.1;

/** Table shape at which the residual score is computed: ≥ 100 numeric columns, at least half as many as rows. */
export function isWide(table: Table): boolean {
  const d = table.columns.filter((c) => c.kind === "numeric").length;
  return d >= 100 && 2 * d >= table.n;
}

export function residualScores(table: Table): ResidualScores {
  const n = table.n;
  const numeric = table.columns.flatMap((c, ci) => (c.kind === "numeric" ? [{ ci, values: c.values }] : []));
  const d = numeric.length;
  const z = new Float64Array(n);
  const column = new Int32Array(n).fill(-1);
  if (d < 2 || n < 20) return { z, column, predicted: 0 };
  const S = numeric.map((c) => standardise(normalScores(c.values)));
  // Correlations on a systematic row sample (all rows when n ≤ 2000).
  const m = Math.min(n, CORRELATION_ROWS);
  const step = n / m;
  const sample = Int32Array.from({ length: m }, (_, k) => Math.floor(k * step));
  const Ss = S.map((s) => Float64Array.from(sample, (i) => s[i]!));
  const C = new Float64Array(d * d);
  for (let a = 0; a < d; a++) {
    const x = Ss[a]!;
    for (let b = 0; b < a; b++) {
      const y = Ss[b]!;
      let c = 0;
      for (let i = 0; i < m; i++) c += x[i]! * y[i]!;
      C[a * d + b] = C[b * d + a] = c / m;
    }
  }
  let predicted = 0;
  const residual = new Float64Array(n);
  const abs = new Float64Array(n);
  for (let j = 0; j < d; j++) {
    const partners = strongest(C, d, j, PARTNERS);
    if (partners.length === 0 || Math.abs(C[j * d + partners[0]!]!) < MIN_CORRELATION) continue;
    const k = partners.length;
    const A = new Float64Array(k * k);
    const rhs = new Float64Array(k);
    for (let a = 0; a < k; a++) {
      rhs[a] = C[j * d + partners[a]!]!;
      for (let b = 0; b < k; b++) A[a * k + b] = a === b ? 1 + RIDGE : C[partners[a]! * d + partners[b]!]!;
    }
    const w = solve(A, rhs, k);
    if (!w) continue;
    predicted++;
    const target = S[j]!;
    let sq = 0;
    for (let i = 0; i < n; i++) {
      let p = 0;
      for (let a = 0; a < k; a++) p += w[a]! * S[partners[a]!]![i]!;
      const r = target[i]! - p;
      residual[i] = r;
      abs[i] = Math.abs(r);
      sq += r * r;
    }
    const scale = Math.max(1.4826 * quantileSelect(abs, 0.5), 0.5 * Math.sqrt(sq / n), MIN_SCALE);
    for (let i = 0; i < n; i++) {
      const r = Math.abs(residual[i]!) / scale;
      if (r > z[i]!) {
        z[i] = r;
        column[i] = numeric[j]!.ci;
      }
    }
  }
  return { z, column, predicted };
}

/** Normal scores of the ranks (ties share their mean rank; missing values sit at the median). */
export function normalScores(v: Float64Array): Float64Array {
  const n = v.length;
  const order = Array.from(v.keys()).filter((i) => Number.isFinite(v[i]!));
  order.sort((a, b) => v[a]! - v[b]!);
  const s = new Float64Array(n);
  const m = order.length;
  for (let a = 0; a < m; ) {
    let b = a;
    while (b + 1 < m && v[order[b + 1]!] === v[order[a]!]) b++;
    const u = ((a + b) / 2 + 0.5) / m;
    const q = normalQuantile(u);
    for (let k = a; k <= b; k++) s[order[k]!] = q;
    a = b + 1;
  }
  return s;
}

/** Centred, unit-variance copy (a constant column stays 0). */
export function standardise(s: Float64Array): Float64Array {
  const n = s.length;
  let mean = 0;
  for (const x of s) mean += x;
  mean /= n;
  let v = 0;
  for (let i = 0; i < n; i++) {
    s[i] = s[i]! - mean;
    v += s[i]! ** 2;
  }
  const sd = Math.sqrt(v / n);
  for (let i = 0; i < n; i++) s[i] = sd > 0 ? s[i]! / sd : 0;
  return s;
}

/** The k columns most correlated with j (by |ρ|), strongest first. */
function strongest(C: Float64Array, d: number, j: number, k: number): number[] {
  const best: number[] = [];
  for (let b = 0; b < d; b++) {
    if (b === j) continue;
    const r = Math.abs(C[j * d + b]!);
    if (!(r > 0)) continue;
    if (best.length < k || r > Math.abs(C[j * d + best[best.length - 1]!]!)) {
      best.push(b);
      best.sort((x, y) => Math.abs(C[j * d + y]!) - Math.abs(C[j * d + x]!));
      if (best.length > k) best.pop();
    }
  }
  return best;
}

/** Solves A w = b (k × k, symmetric positive definite after the ridge) by Gaussian elimination with pivoting. */
function solve(A: Float64Array, b: Float64Array, k: number): Float64Array | undefined {
  const M = new Float64Array(k * (k + 1));
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) M[i * (k + 1) + j] = A[i * k + j]!;
    M[i * (k + 1) + k] = b[i]!;
  }
  const w = k + 1;
  for (let c = 0; c < k; c++) {
    let p = c;
    for (let r = c + 1; r < k; r++) if (Math.abs(M[r * w + c]!) > Math.abs(M[p * w + c]!)) p = r;
    if (!(Math.abs(M[p * w + c]!) > 1e-12)) return undefined;
    if (p !== c)
      for (let q = 0; q < w; q++) {
        const t = M[c * w + q]!;
        M[c * w + q] = M[p * w + q]!;
        M[p * w + q] = t;
      }
    for (let r = 0; r < k; r++) {
      if (r === c) continue;
      const f = M[r * w + c]! / M[c * w + c]!;
      if (f === 0) continue;
      for (let q = c; q < w; q++) M[r * w + q] = M[r * w + q]! - f * M[c * w + q]!;
    }
  }
  return Float64Array.from({ length: k }, (_, i) => M[i * w + k]! / M[i * w + i]!);
}
