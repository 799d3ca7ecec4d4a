import { RampartError } from "../core/index.js";
import { type Matrix, row } from "./tensor.js";

export type Activation = "relu" | "tanh";

export interface MlpSpec {
  inputs: number;
  /** Hidden layer widths; [] gives logistic (1 output) or softmax (k outputs) regression. */
  hidden: readonly number[];
  /** 1 = binary (sigmoid + log loss); k >= 2 = softmax cross-entropy over k classes. */
  outputs: number;
  activation?: Activation;
}

/**
 * A multi-layer perceptron with all parameters in one flat Float64Array (layer l: W_l [out×in]
 * row-major, then b_l), so optimizers, clipping and noise act on one vector. Logistic and softmax
 * regression are the zero-hidden-layer cases.
 */
export class Mlp {
  readonly spec: Required<MlpSpec>;
  readonly params: Float64Array;
  readonly sizes: number[];
  /** Offsets of W_l and b_l in params. */
  readonly offsets: Array<{ w: number; b: number }>;
  // Scratch buffers for one example: pre-activations and activations per layer, and their gradients.
  private readonly acts: Float64Array[];
  private readonly deltas: Float64Array[];

  constructor(spec: MlpSpec, params?: Float64Array) {
    if (!(spec.inputs >= 1 && spec.outputs >= 1)) throw new RampartError("usage", "a model needs at least one input and one output");
    this.spec = { activation: "relu", ...spec, hidden: [...spec.hidden] };
    this.sizes = [spec.inputs, ...spec.hidden, spec.outputs];
    this.offsets = [];
    let n = 0;
    for (let l = 0; l + 1 < this.sizes.length; l++) {
      const w = n;
      n += this.sizes[l]! * this.sizes[l + 1]!;
      this.offsets.push({ w, b: n });
      n += this.sizes[l + 1]!;
    }
    this.params = params ?? new Float64Array(n);
    if (this.params.length !== n) throw new RampartError("invalid-input", `model expects ${n} parameters, got ${this.params.length}`);
    this.acts = this.sizes.map((s) => new Float64Array(s));
    this.deltas = this.sizes.map((s) => new Float64Array(s));
  }

  get size(): number {
    return this.params.length;
  }

  /** Glorot-uniform weights from the given uniform source (biases 0). */
  initialize(uniform: () => number): this {
    for (let l = 0; l < this.offsets.length; l++) {
      const fanIn = this.sizes[l]!;
      const fanOut = this.sizes[l + 1]!;
      const limit = Math.sqrt(6 / (fanIn + fanOut));
      const { w, b } = this.offsets[l]!;
      for (let k = w; k < b; k++) this.params[k] = (2 * uniform() - 1) * limit;
      this.params.fill(0, b, b + fanOut);
    }
    return this;
  }

  clone(): Mlp {
    return new Mlp(this.spec, Float64Array.from(this.params));
  }

  /** Output-layer scores (logits) for one example, in the model's scratch (valid until the next call). */
  private forward(x: ArrayLike<number>): Float64Array {
    const a0 = this.acts[0]!;
    for (let i = 0; i < a0.length; i++) a0[i] = x[i]!;
    const L = this.offsets.length;
    for (let l = 0; l < L; l++) {
      const inp = this.acts[l]!;
      const out = this.acts[l + 1]!;
      const nIn = inp.length;
      const { w, b } = this.offsets[l]!;
      const p = this.params;
      for (let o = 0; o < out.length; o++) {
        let s = p[b + o]!;
        const base = w + o * nIn;
        for (let i = 0; i < nIn; i++) s += p[base + i]! * inp[i]!;
        out[o] = l === L - 1 ? s : this.spec.activation === "relu" ? Math.max(s, 0) : Math.tanh(s);
      }
    }
    return this.acts[L]!;
  }

  /** Class probabilities for one example: [p(1)] for binary models, a distribution over k classes else. */
  probabilities(x: ArrayLike<number>, out = new Float64Array(Math.max(2, this.spec.outputs))): Float64Array {
    const z = this.forward(x);
    if (this.spec.outputs === 1) {
      const p = sigmoid(z[0]!);
      out[0] = 1 - p;
      out[1] = p;
      return out;
    }
    softmaxInto(z, out);
    return out;
  }

  /** Cross-entropy loss of one example with integer label y. */
  loss(x: ArrayLike<number>, y: number): number {
    const z = this.forward(x);
    return lossOfLogits(z, y, this.spec.outputs);
  }

  /**
   * Per-example gradient of the loss into `grad` (overwritten); returns the loss. This is what DP-SGD
   * clips, so it is computed for one example at a time, never averaged.
   */
  gradient(x: ArrayLike<number>, y: number, grad: Float64Array): number {
    const z = this.forward(x);
    const L = this.offsets.length;
    const dOut = this.deltas[L]!;
    let loss: number;
    if (this.spec.outputs === 1) {
      const p = sigmoid(z[0]!);
      dOut[0] = p - y;
      loss = lossOfLogits(z, y, 1);
    } else {
      softmaxInto(z, dOut);
      loss = -Math.log(Math.max(dOut[y]!, 1e-300));
      dOut[y]! -= 1;
    }
    const p = this.params;
    for (let l = L - 1; l >= 0; l--) {
      const inp = this.acts[l]!;
      const d = this.deltas[l + 1]!;
      const nIn = inp.length;
      const { w, b } = this.offsets[l]!;
      for (let o = 0; o < d.length; o++) {
        const g = d[o]!;
        grad[b + o] = g;
        const base = w + o * nIn;
        for (let i = 0; i < nIn; i++) grad[base + i] = g * inp[i]!;
      }
      if (l > 0) {
        const dIn = this.deltas[l]!;
        for (let i = 0; i < nIn; i++) {
          let s = 0;
          for (let o = 0; o < d.length; o++) s += p[w + o * nIn + i]! * d[o]!;
          const a = inp[i]!;
          dIn[i] = this.spec.activation === "relu" ? (a > 0 ? s : 0) : s * (1 - a * a);
        }
      }
    }
    return loss;
  }

  /** Predicted class per row. */
  predict(X: Matrix): Int32Array {
    const out = new Int32Array(X.rows);
    const buf = new Float64Array(Math.max(2, this.spec.outputs));
    for (let i = 0; i < X.rows; i++) out[i] = argmax(this.probabilities(row(X, i), buf));
    return out;
  }

  /** Probability matrix [rows × classes]. */
  predictProba(X: Matrix): Matrix {
    const k = Math.max(2, this.spec.outputs);
    const data = new Float64Array(X.rows * k);
    for (let i = 0; i < X.rows; i++) this.probabilities(row(X, i), data.subarray(i * k, (i + 1) * k));
    return { rows: X.rows, cols: k, data };
  }

  /** Per-example losses. */
  losses(X: Matrix, y: ArrayLike<number>): Float64Array {
    const out = new Float64Array(X.rows);
    for (let i = 0; i < X.rows; i++) out[i] = this.loss(row(X, i), y[i]!);
    return out;
  }
}

export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

function softmaxInto(z: ArrayLike<number>, out: Float64Array): void {
  let m = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < z.length; i++) m = Math.max(m, z[i]!);
  let s = 0;
  for (let i = 0; i < z.length; i++) {
    out[i] = Math.exp(z[i]! - m);
    s += out[i]!;
  }
  for (let i = 0; i < z.length; i++) out[i]! /= s;
}

/** Cross-entropy from logits, computed stably (log-sum-exp; softplus for the binary case). */
function lossOfLogits(z: ArrayLike<number>, y: number, outputs: number): number {
  if (outputs === 1) {
    const s = z[0]!;
    // -[y log σ(s) + (1-y) log(1-σ(s))] = softplus(s) - y s
    const softplus = s > 0 ? s + Math.log1p(Math.exp(-s)) : Math.log1p(Math.exp(s));
    return softplus - y * s;
  }
  let m = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < outputs; i++) m = Math.max(m, z[i]!);
  let s = 0;
  for (let i = 0; i < outputs; i++) s += Math.exp(z[i]! - m);
  return m + Math.log(s) - z[y]!;
}

export function argmax(a: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < a.length; i++) if (a[i]! > a[best]!) best = i;
  return best;
}
