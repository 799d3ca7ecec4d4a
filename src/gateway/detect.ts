import type { DataProfile } from "../data/index.js";
import { shapiroWilk } from "./shapiro.js";

/** Per-column centre and robust scale for one group of training rows (all rows, or one class). */
interface Centre {
  median: Float64Array;
  scale: Float64Array;
}

/**
 * Out-of-distribution score of a table row against the training profile: the largest robust
 * z-score |x - median| / scale over the columns (scale = 1.4826 MAD, else the std), taken against
 * the class whose centre fits best when the profile has per-class statistics (a point between two
 * classes is not an outlier of either). The profile's own zThreshold is the default cut-off, and its
 * outlierRate is what that cut-off flags on the training data.
 */
export class OodScorer {
  private readonly groups: Centre[] = [];
  readonly threshold: number;
  constructor(profile: DataProfile, columns: readonly string[], threshold?: number) {
    this.threshold = threshold ?? profile.zThreshold;
    const centre = (get: (name: string) => [number, number] | undefined): Centre | undefined => {
      const median = new Float64Array(columns.length);
      const scale = new Float64Array(columns.length);
      for (const [j, name] of columns.entries()) {
        const s = get(name);
        if (!s) return undefined;
        median[j] = s[0];
        scale[j] = s[1] > 0 ? s[1] : Number.POSITIVE_INFINITY;
      }
      return { median, scale };
    };
    for (const stats of Object.values(profile.classStats ?? {})) {
      const c = centre((name) => stats[name]);
      if (c) this.groups.push(c);
    }
    if (this.groups.length === 0) {
      const all = centre((name) => {
        const col = profile.columns.find((c) => c.name === name);
        if (col?.kind !== "numeric" || col.median === null) return undefined;
        return [col.median, col.scale ?? col.std ?? 0];
      });
      if (all) this.groups.push(all);
    }
  }

  get usable(): boolean {
    return this.groups.length > 0;
  }

  /** Score of row i of a row-major table with `cols` columns. */
  score(data: ArrayLike<number>, i: number, cols: number): number {
    let best = Number.POSITIVE_INFINITY;
    for (const g of this.groups) {
      let worst = 0;
      for (let j = 0; j < cols; j++) {
        const z = Math.abs(data[i * cols + j]! - g.median[j]!) / g.scale[j]!;
        if (z > worst) worst = z;
      }
      if (worst < best) best = worst;
    }
    return best;
  }
}

/**
 * Feature squeezing for tabular inputs (Xu et al.): reduce each feature to 2^bits levels over its
 * training range. An input whose prediction moves a lot under this small change sits on a decision
 * boundary, where evasion attacks put their points.
 */
export class Squeezer {
  private readonly lo: Float64Array;
  private readonly step: Float64Array;
  constructor(ranges: ReadonlyArray<{ min: number; max: number }>, bits: number) {
    const levels = 2 ** bits - 1;
    this.lo = Float64Array.from(ranges, (r) => r.min);
    this.step = Float64Array.from(ranges, (r) => (r.max - r.min) / levels || 1);
  }

  squeeze(data: ArrayLike<number>, out: Float64Array | Float32Array, rows: number, cols: number): void {
    for (let i = 0; i < rows; i++)
      for (let j = 0; j < cols; j++) {
        const k = i * cols + j;
        out[k] = this.lo[j]! + Math.round((data[k]! - this.lo[j]!) / this.step[j]!) * this.step[j]!;
      }
  }
}

/** L1 distance between row i of two probability matrices with k columns. */
export function l1(p: ArrayLike<number>, q: ArrayLike<number>, i: number, k: number): number {
  let s = 0;
  for (let c = 0; c < k; c++) s += Math.abs(p[i * k + c]! - q[i * k + c]!);
  return s;
}

export interface PradaOptions {
  /** Alarm when W falls below this. */
  delta?: number;
  /** Minimum distances collected before W is computed. */
  warmup?: number;
  /** Only the most recent distances are tested (bounded memory and cost). */
  window?: number;
  /** Recompute W every this many queries. */
  every?: number;
  /** Per principal, at most this many representative points are kept. */
  maxPoints?: number;
  /** Principals tracked at once (least recently seen are forgotten). */
  maxPrincipals?: number;
}

export interface PradaVerdict {
  queries: number;
  w?: number;
  flagged: boolean;
}

interface ClassSet {
  points: number[][];
  added: number[];
  threshold: number;
}

interface ClientState {
  classes: Map<number, ClassSet>;
  distances: Float64Array;
  count: number;
  queries: number;
  points: number;
  w?: number;
  flagged: boolean;
}

/**
 * PRADA (Juuti et al. 2019): per client, the minimum L2 distance of each query to the earlier
 * queries of its predicted class ("growing sets" with per-class thresholds). Benign traffic gives
 * near-normal distances; synthetic extraction queries (small perturbations of earlier ones) give a
 * spiky distribution whose Shapiro–Wilk W falls below delta. Features are divided by `scales` so no
 * column dominates the distance.
 */
export class PradaDetector {
  private readonly clients = new Map<string, ClientState>();
  private readonly o: Required<PradaOptions>;
  constructor(
    private readonly scales: ArrayLike<number>,
    options: PradaOptions = {},
  ) {
    this.o = { delta: 0.9, warmup: 100, window: 1000, every: 10, maxPoints: 2000, maxPrincipals: 10_000, ...options };
  }

  observe(client: string, row: ArrayLike<number>, offset: number, cls: number): PradaVerdict {
    let s = this.clients.get(client);
    if (s) this.clients.delete(client);
    else {
      s = { classes: new Map(), distances: new Float64Array(this.o.window), count: 0, queries: 0, points: 0, flagged: false };
      if (this.clients.size >= this.o.maxPrincipals) this.clients.delete(this.clients.keys().next().value!);
    }
    this.clients.set(client, s); // re-insert: Map order is the recency order
    s.queries++;
    const d = this.scales.length;
    const x = new Array<number>(d);
    for (let j = 0; j < d; j++) x[j] = row[offset + j]! / (this.scales[j]! || 1);
    let set = s.classes.get(cls);
    if (!set) {
      s.classes.set(cls, { points: [x], added: [], threshold: 0 });
      s.points++;
      return { queries: s.queries, w: s.w, flagged: s.flagged };
    }
    let min = Number.POSITIVE_INFINITY;
    for (const p of set.points) {
      let sq = 0;
      for (let j = 0; j < d; j++) sq += (x[j]! - p[j]!) ** 2;
      if (sq < min) min = sq;
    }
    min = Math.sqrt(min);
    s.distances[s.count % this.o.window] = min;
    s.count++;
    if (min > set.threshold && s.points < this.o.maxPoints) {
      set.points.push(x);
      set.added.push(min);
      s.points++;
      const mean = set.added.reduce((a, b) => a + b, 0) / set.added.length;
      const sd = Math.sqrt(set.added.reduce((a, b) => a + (b - mean) ** 2, 0) / set.added.length);
      set.threshold = Math.max(set.threshold, mean - sd);
    }
    set = undefined;
    if (s.count >= this.o.warmup && (s.count - this.o.warmup) % this.o.every === 0) {
      const n = Math.min(s.count, this.o.window);
      const w = shapiroWilk(s.distances.subarray(0, n));
      if (Number.isFinite(w)) s.w = w;
      else if (n >= this.o.warmup) s.w = 0; // every distance equal: the same query over and over
      if (s.w !== undefined && s.w < this.o.delta) s.flagged = true;
    }
    return { queries: s.queries, w: s.w, flagged: s.flagged };
  }

  state(client: string): PradaVerdict | undefined {
    const s = this.clients.get(client);
    return s && { queries: s.queries, w: s.w, flagged: s.flagged };
  }
}
