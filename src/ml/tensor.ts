import { RampartError } from "../core/index.js";

/** A dense row-major matrix on a typed array: the only tensor shape the numeric core needs. */
export interface Matrix {
  rows: number;
  cols: number;
  data: Float64Array;
}

export function matrix(rows: number, cols: number, data?: Float64Array | number[]): Matrix {
  const d = data ? Float64Array.from(data) : new Float64Array(rows * cols);
  if (d.length !== rows * cols) throw new RampartError("invalid-input", `matrix: ${d.length} values do not fill ${rows}x${cols}`);
  return { rows, cols, data: d };
}

/** Row i as a view (no copy). */
export function row(m: Matrix, i: number): Float64Array {
  return m.data.subarray(i * m.cols, (i + 1) * m.cols);
}

/** Rows picked by index, copied into a new matrix. */
export function takeRows(m: Matrix, idx: ArrayLike<number>): Matrix {
  const out = new Float64Array(idx.length * m.cols);
  for (let k = 0; k < idx.length; k++) out.set(row(m, idx[k]!), k * m.cols);
  return { rows: idx.length, cols: m.cols, data: out };
}

export function dot(a: ArrayLike<number>, b: ArrayLike<number>, n = a.length): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[i]! * b[i]!;
  return s;
}

export function l2norm(a: ArrayLike<number>): number {
  return Math.sqrt(dot(a, a));
}

/** Column means and standard deviations (population), for standardising features. */
export function columnStats(m: Matrix): { mean: Float64Array; std: Float64Array } {
  const mean = new Float64Array(m.cols);
  const m2 = new Float64Array(m.cols);
  for (let i = 0; i < m.rows; i++) {
    // Welford: stable for large or offset columns.
    for (let j = 0; j < m.cols; j++) {
      const x = m.data[i * m.cols + j]!;
      const d = x - mean[j]!;
      mean[j]! += d / (i + 1);
      m2[j]! += d * (x - mean[j]!);
    }
  }
  const std = m2.map((v) => {
    const s = Math.sqrt(v / Math.max(1, m.rows));
    return s > 0 ? s : 1;
  });
  return { mean, std };
}
