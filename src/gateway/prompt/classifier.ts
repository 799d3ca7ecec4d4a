/**
 * The learned half of the injection detector: logistic regression over hashed word uni/bigrams and
 * character 3–5-grams of the matching skeleton. Rules catch what they list; this model catches
 * paraphrases that share vocabulary and shape with attacks it was trained on. Weights are trained by
 * bench/prompt-model/train.ts and shipped quantised to int8 in model.json.
 */
import MODEL from "./model.json" with { type: "json" };

export interface ClassifierWeights {
  /** log2 of the number of hash buckets. */
  bits: number;
  bias: number;
  /** Weight of bucket i = int8 value × scale, base64 of the int8 array. */
  scale: number;
  weights: string;
  /** Probability at or above which the model alone calls a prompt an injection (chosen on a dev split). */
  threshold: number;
  /** Also score overlapping windows of long texts and take the maximum (chosen on the dev split). */
  windows?: boolean;
  /** Texts with fewer words are left to the rules (default 6): n-grams of a greeting are no evidence. */
  minWords?: number;
  trainedOn?: Record<string, unknown>;
}

// Longest text featurised: a long document's first 6,000 characters carry the evidence the model can use.
const MAX_CHARS = 6_000;

/** FNV-1a over a string's UTF-16 units, with a salt per feature kind. */
function fnv(s: string, salt: number): number {
  let h = (0x811c9dc5 ^ salt) >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * Sparse feature vector of a skeleton: bucket → value, L2-normalised so that long and short
 * prompts score on the same scale.
 */
export function featuresOf(skeleton: string, bits: number): Map<number, number> {
  const mask = (1 << bits) - 1;
  const text = skeleton.length > MAX_CHARS ? skeleton.slice(0, MAX_CHARS) : skeleton;
  const counts = new Map<number, number>();
  const add = (h: number) => {
    const k = h & mask;
    counts.set(k, (counts.get(k) ?? 0) + 1);
  };
  const words = text.match(/[\p{L}\p{N}]+|[^\s\p{L}\p{N}]/gu) ?? [];
  for (let i = 0; i < words.length; i++) {
    add(fnv(words[i]!, 1));
    if (i > 0) add(fnv(`${words[i - 1]} ${words[i]}`, 2));
  }
  const joined = ` ${words.join(" ")} `;
  for (let n = 3; n <= 5; n++) for (let i = 0; i + n <= joined.length; i++) add(fnv(joined.slice(i, i + n), 2 + n));
  // Sub-linear term frequency: repeating a phrase adds little evidence.
  let norm = 0;
  for (const [k, c] of counts) {
    const v = 1 + Math.log(c);
    counts.set(k, v);
    norm += v * v;
  }
  norm = Math.sqrt(norm) || 1;
  for (const [k, v] of counts) counts.set(k, v / norm);
  return counts;
}

export class PromptClassifier {
  readonly threshold: number;
  readonly windows: boolean;
  readonly minWords: number;
  private readonly w: Float32Array;
  private readonly bias: number;
  private readonly bits: number;

  constructor(model: ClassifierWeights) {
    const raw = Buffer.from(model.weights, "base64");
    if (raw.length !== 1 << model.bits) throw new Error(`prompt model: ${raw.length} weights, expected ${1 << model.bits}`);
    const q = new Int8Array(raw.buffer, raw.byteOffset, raw.length);
    this.w = Float32Array.from(q, (v) => v * model.scale);
    this.bias = model.bias;
    this.bits = model.bits;
    this.threshold = model.threshold;
    this.windows = model.windows ?? false;
    this.minWords = model.minWords ?? 6;
  }

  /** Probability in [0, 1] that a skeleton is an injection. */
  probability(skeleton: string): number {
    let z = this.bias;
    for (const [k, v] of featuresOf(skeleton, this.bits)) z += this.w[k]! * v;
    return 1 / (1 + Math.exp(-z));
  }

  /**
   * The score used for verdicts: the whole text, and with `windows` the most suspicious window of a
   * long text too, so that one injected paragraph in a long document is not diluted by the rest.
   * Very short texts score 0: the rules judge those.
   */
  score(skeleton: string, windows = this.windows): number {
    if (this.minWords > 0 && (skeleton.match(/[\p{L}\p{N}]+/gu)?.length ?? 0) < this.minWords) return 0;
    let p = this.probability(skeleton);
    if (!windows || skeleton.length <= WINDOW * 1.5) return p;
    const end = Math.min(skeleton.length, MAX_CHARS);
    for (let at = 0; at < end && p < 0.999; at += WINDOW / 2) p = Math.max(p, this.probability(skeleton.slice(at, at + WINDOW)));
    return p;
  }
}

// Window length for long texts: a few sentences, the size of a typical injected instruction block.
const WINDOW = 400;

let shipped: PromptClassifier | undefined;

/** The classifier trained on the corpora named in docs/gateway.md. */
export function shippedClassifier(): PromptClassifier {
  shipped ??= new PromptClassifier(MODEL as ClassifierWeights);
  return shipped;
}

export interface TrainOptions {
  bits?: number;
  epochs?: number;
  /** L2 penalty per example step. */
  l2?: number;
  learningRate?: number;
  seed?: number;
}

/**
 * Trains the weights with AdaGrad on the logistic loss. Examples carry their own weight, or classes
 * are weighted to balance. Returns float weights; `quantise` turns them into the shipped form.
 */
export function trainClassifier(
  examples: ReadonlyArray<{ skeleton: string; label: 0 | 1; weight?: number }>,
  options: TrainOptions = {},
): { bits: number; bias: number; weights: Float32Array } {
  const bits = options.bits ?? 16;
  const epochs = options.epochs ?? 12;
  const l2 = options.l2 ?? 1e-5;
  const lr = options.learningRate ?? 0.5;
  let seed = options.seed ?? 1;
  const rand = () => {
    seed = (Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return seed / 2 ** 32;
  };
  const w = new Float32Array(1 << bits);
  const g2 = new Float32Array(1 << bits).fill(1e-8);
  let bias = 0;
  let gb2 = 1e-8;
  const pos = examples.filter((e) => e.label === 1).length;
  const balance = [examples.length / (2 * Math.max(1, examples.length - pos)), examples.length / (2 * Math.max(1, pos))];
  const feats = examples.map((e) => ({ x: [...featuresOf(e.skeleton, bits)], y: e.label, c: e.weight ?? balance[e.label]! }));
  const order = feats.map((_, i) => i);
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (const i of order) {
      const { x, y, c } = feats[i]!;
      let z = bias;
      for (const [k, v] of x) z += w[k]! * v;
      const p = 1 / (1 + Math.exp(-z));
      const g = (p - y) * c;
      for (const [k, v] of x) {
        const gk = g * v + l2 * w[k]!;
        g2[k]! += gk * gk;
        w[k]! -= (lr * gk) / Math.sqrt(g2[k]!);
      }
      gb2 += g * g;
      bias -= (lr * g) / Math.sqrt(gb2);
    }
  }
  return { bits, bias, weights: w };
}

/** Int8 quantisation with one scale: the largest weight maps to ±127. */
export function quantise(weights: Float32Array): { scale: number; weights: string } {
  let max = 0;
  for (const v of weights) max = Math.max(max, Math.abs(v));
  const scale = max / 127 || 1;
  const q = Int8Array.from(weights, (v) => Math.max(-127, Math.min(127, Math.round(v / scale))));
  return { scale, weights: Buffer.from(q.buffer).toString("base64") };
}
