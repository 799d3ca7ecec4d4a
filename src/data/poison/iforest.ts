import { prng } from "./stats.js";

/** Average path length of an unsuccessful BST search among n points: c(n) (Liu, Ting & Zhou 2008). */
export function averagePathLength(n: number): number {
  if (n <= 1) return 0;
  if (n === 2) return 1;
  return 2 * (Math.log(n - 1) + 0.5772156649) - (2 * (n - 1)) / n;
}

/**
 * Isolation forest over row-major features (NaN imputed by the caller). Trees are flat arrays:
 * feature (-1 = leaf), split, left, right, size.
 */
export class IsolationForest {
  private readonly trees: Array<{ feature: Int32Array; split: Float64Array; left: Int32Array; right: Int32Array; size: Int32Array }> = [];
  readonly sampleSize: number;
  constructor(
    private readonly X: Float64Array,
    n: number,
    private readonly d: number,
    options: { trees?: number; sampleSize?: number; seed?: number } = {},
  ) {
    const random = prng(options.seed ?? 42);
    this.sampleSize = Math.min(options.sampleSize ?? 256, n);
    const limit = Math.ceil(Math.log2(Math.max(2, this.sampleSize)));
    for (let t = 0; t < (options.trees ?? 100); t++) {
      // Sample without replacement (partial Fisher-Yates over an index array).
      const idx = new Int32Array(this.sampleSize);
      const seen = new Set<number>();
      for (let k = 0; k < this.sampleSize; ) {
        const r = Math.floor(random() * n);
        if (seen.has(r)) continue;
        seen.add(r);
        idx[k++] = r;
      }
      this.trees.push(this.build(idx, limit, random));
    }
  }

  private build(rows: Int32Array, limit: number, random: () => number) {
    const cap = 2 * rows.length + 1;
    const feature = new Int32Array(cap).fill(-1);
    const split = new Float64Array(cap);
    const left = new Int32Array(cap);
    const right = new Int32Array(cap);
    const size = new Int32Array(cap);
    let nodes = 0;
    const { X, d } = this;
    const grow = (part: Int32Array, depth: number): number => {
      const id = nodes++;
      size[id] = part.length;
      if (depth >= limit || part.length <= 1) return id;
      // Pick a random feature with spread; give up after d tries (all constant → leaf).
      for (let attempt = 0; attempt < d; attempt++) {
        const f = Math.floor(random() * d);
        let lo = Number.POSITIVE_INFINITY;
        let hi = Number.NEGATIVE_INFINITY;
        for (let i = 0; i < part.length; i++) {
          const v = X[part[i]! * d + f]!;
          if (v < lo) lo = v;
          if (v > hi) hi = v;
        }
        if (!(hi > lo)) continue;
        const s = lo + random() * (hi - lo);
        let nl = 0;
        for (let i = 0; i < part.length; i++) if (X[part[i]! * d + f]! < s) nl++;
        const l = new Int32Array(nl);
        const r = new Int32Array(part.length - nl);
        let a = 0;
        let b = 0;
        for (let i = 0; i < part.length; i++) {
          const row = part[i]!;
          if (X[row * d + f]! < s) l[a++] = row;
          else r[b++] = row;
        }
        feature[id] = f;
        split[id] = s;
        left[id] = grow(l, depth + 1);
        right[id] = grow(r, depth + 1);
        return id;
      }
      return id;
    };
    grow(rows, 0);
    return { feature, split, left, right, size };
  }

  /** Anomaly score s(x) = 2^(−E[h(x)] / c(ψ)) for every row of `X` (n × d, row-major). */
  score(X: Float64Array, n: number): Float64Array {
    // Pack every tree into one set of arrays; a leaf stores depth + c(size) so the walk adds one number.
    let total = 0;
    for (const t of this.trees) total += t.feature.length;
    const feature = new Int32Array(total);
    const split = new Float64Array(total);
    const left = new Int32Array(total);
    const right = new Int32Array(total);
    const leaf = new Float64Array(total);
    const roots = new Int32Array(this.trees.length);
    let base = 0;
    this.trees.forEach((t, k) => {
      roots[k] = base;
      const depth = new Int32Array(t.feature.length);
      for (let node = 0; node < t.feature.length; node++) {
        feature[base + node] = t.feature[node]!;
        split[base + node] = t.split[node]!;
        if (t.feature[node]! >= 0) {
          left[base + node] = base + t.left[node]!;
          right[base + node] = base + t.right[node]!;
          depth[t.left[node]!] = depth[node]! + 1;
          depth[t.right[node]!] = depth[node]! + 1;
        } else leaf[base + node] = depth[node]! + averagePathLength(t.size[node]!);
      }
      base += t.feature.length;
    });
    const out = new Float64Array(n);
    const c = averagePathLength(this.sampleSize);
    const d = this.d;
    const trees = roots.length;
    for (let i = 0; i < n; i++) {
      let sum = 0;
      const row = i * d;
      for (let k = 0; k < trees; k++) {
        let node = roots[k]!;
        let f = feature[node]!;
        while (f >= 0) {
          node = X[row + f]! < split[node]! ? left[node]! : right[node]!;
          f = feature[node]!;
        }
        sum += leaf[node]!;
      }
      out[i] = 2 ** (-(sum / trees) / c);
    }
    return out;
  }
}
