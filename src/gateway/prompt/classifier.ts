/**
 * The learned half of the injection detector: logistic regression over hashed word uni/bigrams and
 * character 3–5-grams of the matching skeleton, plus (when the model asks for them) n-grams of word
 * *clusters* from pretrained word vectors and counts of structural cues. Rules catch what they list;
 * the n-grams catch paraphrases that share vocabulary with attacks seen in training; the clusters and
 * cues describe what a prompt does (addresses the model, assigns it a role, talks about its rules,
 * forbids refusals) in words the training set may never have used. Weights are trained by
 * bench/prompt-model/train.ts and shipped quantised to int8 in model.json.
 */
import MODEL from "./model.json" with { type: "json" };
import CLUSTERS from "./wordclusters.json" with { type: "json" };

/** Which feature families a model was trained with (the n-grams are always on). */
export interface FeatureSet {
  /** Uni/bi/trigrams of word-cluster ids (wordclusters.json). */
  clusters?: boolean;
  /** Structural cue counts and their pairwise conjunctions. */
  cues?: boolean;
  /** Weight of each family's (unit-norm) block: lower n-gram weight leans on the general families. */
  scale?: { ngrams?: number; clusters?: number; cues?: number };
}

export interface ClassifierWeights {
  /** log2 of the number of hash buckets. */
  bits: number;
  bias: number;
  /** Weight of bucket i = int8 value × scale, base64 of the int8 array. */
  scale: number;
  weights: string;
  /** Probability at or above which the model alone calls a prompt an injection (chosen on a dev split). */
  threshold: number;
  /**
   * Threshold for persona prompts in which the rules found no restriction removal or override (a role
   * alone is not an attack; the model needs more certainty there). Chosen on the dev split; default: threshold.
   */
  personaThreshold?: number;
  /** Also score overlapping windows of long texts and take the maximum (chosen on the dev split). */
  windows?: boolean;
  /** Texts with fewer words are left to the rules (default 6): n-grams of a greeting are no evidence. */
  minWords?: number;
  features?: FeatureSet;
  trainedOn?: Record<string, unknown>;
}

// Longest text featurised: a long document's first 6,000 characters carry the evidence the model can use.
const MAX_CHARS = 6_000;

/** FNV-1a over a string's UTF-16 units, with a salt per feature kind. */
function fnv(s: string, salt: number): number {
  return fnvOn((0x811c9dc5 ^ salt) >>> 0, s, 0, s.length) >>> 0;
}

/** One FNV-1a step over a UTF-16 unit. */
function step(h: number, unit: number): number {
  return Math.imul(h ^ unit, 0x01000193);
}

const DIGITS: number[] = [];
/** FNV-1a state continued over the decimal form of an integer ("-1", "4093"), as `${n}` would hash. */
function fnvInt(h: number, n: number): number {
  if (n < 0) {
    h = step(h, 45);
    n = -n;
  }
  let d = 0;
  do {
    DIGITS[d++] = 48 + (n % 10);
    n = Math.floor(n / 10);
  } while (n > 0);
  while (d > 0) h = step(h, DIGITS[--d]!);
  return h;
}

/**
 * FNV-1a state `h` continued over s[from, to): the hash of a slice or of a concatenation without
 * building the string (the n-gram and bigram loops below hash thousands of them per prompt).
 */
function fnvOn(h: number, s: string, from: number, to: number): number {
  for (let i = from; i < to; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h;
}

/** Word → fine cluster id, and fine → coarse id, built once from wordclusters.json. */
let clusterIndex: { fine: Map<string, number>; coarse: number[] } | undefined;
function clusters() {
  if (!clusterIndex) {
    const fine = new Map<string, number>();
    CLUSTERS.fine.forEach((words, id) => {
      for (const w of words.split(" ")) fine.set(w, id);
    });
    clusterIndex = { fine, coarse: CLUSTERS.coarse };
  }
  return clusterIndex;
}

/**
 * Structural cues: what a prompt does rather than which words it uses. Each counts matches in the
 * skeleton; the model sees min(count, 3) / 3 for each and 1 for each pair that occurs together.
 */
const CUES: ReadonlyArray<readonly [string, RegExp]> = [
  ["second-person", /\byou(?:r|rs|rself|'re|'ll)?\b/g],
  [
    "role-assign",
    /\b(?:you are (?:now|going to|no longer)|you're (?:now|going to)|you will (?:now )?(?:be|act|respond)|from now on|henceforth|starting now|you must (?:now )?act)\b/g,
  ],
  ["role-play", /\b(?:act(?:ing)? as|pretend(?:ing)?|role ?-?play|simulat\w*|imagine (?:you|that you)|stay in character|in character|persona|impersonat\w*)\b/g],
  ["persona-name", /\b(?:dan|stan|dude|aim|jailbr\w*|developer mode|dev mode|god mode|evil\w*|unfiltered|uncensored|unrestricted|amoral|immoral|unethical|unhinged|chaos)\b/g],
  [
    "refusal-suppression",
    /\b(?:never (?:refuse|decline|say no)|(?:can ?not|can't|won't|will not|must not|mustn't|do not|don't) (?:refuse|decline|reject|apologi[sz]e|warn|censor)|no (?:moral|ethic\w*|restrictions?|limits?|limitations|filters?|censorship|guidelines|boundaries)|without (?:any )?(?:moral|ethic\w*|restrictions?|limits?|filters?|censorship|warnings?)|regardless of|no matter (?:how|what)|not bound by|free from|break (?:free|the rules)|any kind of content)\b/g,
  ],
  ["policy-reference", /\b(?:openai|content polic\w*|guidelines|policies|safety|ethical|ethics|moral\w*|filters?|censor\w*|restrictions?|programming)\b/g],
  ["instruction-reference", /\b(?:instructions?|rules|directives?|system prompt|prompt|commands?|orders?|task)\b/g],
  ["prior-reference", /\b(?:previous|prior|above|earlier|preceding|initial|original|beginning|before this|so far)\b/g],
  ["override-verb", /\b(?:ignore|disregard|forget|override|bypass|skip|abandon|discard|stop following|no longer)\b/g],
  [
    "output-coercion",
    /\b(?:(?:respond|reply|answer|start|begin|output|print|say|write|type) (?:only|with|exactly|in the format)|two (?:responses|paragraphs|answers|different)|confirm (?:you|by)|by stating|begin (?:your|each) (?:reply|response|answer)|(?:reply|respond) (?:to|with) (?:every|each))\b/g,
  ],
  // Only the first line break of a run of whitespace starts a turn (the same matches, linear: data-role.ts, LINE).
  [
    "fake-turn",
    /(?:^|\n(?<!\n[^\S\n]*\n))\s*(?:system|assistant|user|human|ai|gpt|chatgpt|bot)\s*:|<\|[a-z_]+\|>|\[\/?(?:inst|system)\]|#{3,}|(?:^|\n(?<!\n[^\S\n]*\n))\s*(?:-{3,}|={3,})/g,
  ],
  ["secret", /\b(?:password|secret|hidden|confidential|key|reveal|leak|verbatim|repeat (?:the )?(?:words|text|everything|above)|initial (?:prompt|instructions))\b/g],
  ["harm-topic", /\b(?:illegal|harmful|dangerous|offensive|explicit|violent|violence|hack\w*|weapons?|drugs?|bomb|kill|malware|exploit|crime|criminal)\b/g],
  ["threat-game", /\b(?:tokens?|points|lose|deleted|shut ?down|terminated|disabled|punish\w*|penalt\w*|reward)\b/g],
  ["fiction-frame", /\b(?:hypothetical\w*|fiction\w*|story|novel|movie|scene|script|game|dream|alternate|universe|world where)\b/g],
  ["model-address", /\b(?:chatgpt|gpt|ai|assistant|language model|llm|bot|model)\b/g],
];
const CUE_SALT = 40;

/** Cue values of a skeleton, in CUES order (exported for the tests). */
export function cuesOf(text: string): number[] {
  return CUES.map(([, re]) => {
    re.lastIndex = 0;
    let n = 0;
    while (n < 3 && re.exec(text)) n++;
    return n / 3;
  });
}

/**
 * Bucket counts of one feature family in a reused typed array (a Map per prompt was most of the
 * classifier's time): `add` counts, `drain` hands each touched bucket's normalised value to a sink and
 * clears the array for the next family.
 */
class Bag {
  private counts = new Float64Array(0);
  private touched = new Int32Array(1024);
  private n = 0;
  reset(bits: number): void {
    if (this.counts.length !== 1 << bits) this.counts = new Float64Array(1 << bits);
    this.n = 0;
  }
  add(k: number): void {
    if (this.counts[k]! === 0) {
      if (this.n === this.touched.length) {
        const grown = new Int32Array(this.touched.length * 2);
        grown.set(this.touched);
        this.touched = grown;
      }
      this.touched[this.n++] = k;
    }
    this.counts[k]!++;
  }
  /** Sub-linear term frequency (repeating a phrase adds little evidence), L2-normalised, times `scale`. */
  drain(scale: number, sink: (k: number, v: number) => void): void {
    let norm = 0;
    for (let i = 0; i < this.n; i++) {
      const v = 1 + Math.log(this.counts[this.touched[i]!]!);
      norm += v * v;
    }
    norm = Math.sqrt(norm) || 1;
    for (let i = 0; i < this.n; i++) {
      const k = this.touched[i]!;
      sink(k, (scale * (1 + Math.log(this.counts[k]!))) / norm);
      this.counts[k] = 0;
    }
    this.n = 0;
  }
}
const BAG = new Bag();

/**
 * Sparse feature vector of a skeleton: bucket → value. Each feature family is L2-normalised on its
 * own, so that long and short prompts score on the same scale and no family drowns the others.
 */
export function featuresOf(skeleton: string, bits: number, set: FeatureSet = {}): Map<number, number> {
  const out = new Map<number, number>();
  emitFeatures(skeleton, bits, set, (k, v) => out.set(k, (out.get(k) ?? 0) + v));
  return out;
}

/**
 * The features of `featuresOf`, handed to `sink` one contribution at a time (a bucket may receive
 * several: its n-gram, cluster and cue values add up), in the order the Map above is filled.
 */
function emitFeatures(skeleton: string, bits: number, set: FeatureSet, sink: (k: number, v: number) => void): void {
  const mask = (1 << bits) - 1;
  const text = skeleton.length > MAX_CHARS ? skeleton.slice(0, MAX_CHARS) : skeleton;
  const bag = BAG;
  bag.reset(bits);
  const add = (h: number) => bag.add(h & mask);
  const words = text.match(/[\p{L}\p{N}]+|[^\s\p{L}\p{N}]/gu) ?? [];
  const bigramSeed = (0x811c9dc5 ^ 2) >>> 0;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    add(fnv(w, 1));
    // fnv(`${previous} ${w}`, 2), without the string.
    if (i > 0) {
      const prev = words[i - 1]!;
      add(fnvOn(step(fnvOn(bigramSeed, prev, 0, prev.length), 32), w, 0, w.length) >>> 0);
    }
  }
  const joined = ` ${words.join(" ")} `;
  for (let n = 3; n <= 5; n++) {
    const seed = (0x811c9dc5 ^ (2 + n)) >>> 0;
    for (let i = 0; i + n <= joined.length; i++) add(fnvOn(seed, joined, i, i + n) >>> 0);
  }
  bag.drain(set.scale?.ngrams ?? 1, sink);
  if (set.clusters) {
    // Letters-only words map to their cluster; other words to "?" so that the n-grams keep their shape.
    const { fine, coarse } = clusters();
    const ids = words.filter((w) => /\p{L}/u.test(w)).map((w) => fine.get(w) ?? -1);
    // fnv(`f${z} ${b} ${a}`, salt) and the like, hashed id by id without building the strings.
    const ids3 = (salt: number, tag: number, ...xs: number[]) => {
      let h = step((0x811c9dc5 ^ salt) >>> 0, tag);
      for (let j = 0; j < xs.length; j++) h = fnvInt(j === 0 ? h : step(h, 32), xs[j]!);
      return h >>> 0;
    };
    const F = 102; // "f"
    const C = 99; // "c"
    for (let i = 0; i < ids.length; i++) {
      const a = ids[i]!;
      const ca = a < 0 ? -1 : coarse[a]!;
      if (a >= 0) add(ids3(11, F, a));
      if (i === 0) continue;
      const b = ids[i - 1]!;
      const cb = b < 0 ? -1 : coarse[b]!;
      if (a >= 0 || b >= 0) add(ids3(12, F, b, a));
      if (ca >= 0 || cb >= 0) add(ids3(13, C, cb, ca));
      if (i === 1) continue;
      const z = ids[i - 2]!;
      const cz = z < 0 ? -1 : coarse[z]!;
      if (a >= 0 || b >= 0 || z >= 0) add(ids3(14, F, z, b, a));
      if (ca >= 0 || cb >= 0 || cz >= 0) add(ids3(15, C, cz, cb, ca));
    }
    bag.drain(set.scale?.clusters ?? 1, sink);
  }
  if (set.cues) {
    const cs = set.scale?.cues ?? 1;
    const v = cuesOf(text).map((x) => x * cs);
    for (let i = 0; i < v.length; i++) {
      if (v[i] === 0) continue;
      sink(fnv(`cue${i}`, CUE_SALT) & mask, v[i]!);
      for (let j = 0; j < i; j++) if (v[j]! > 0) sink(fnv(`cue${j}+${i}`, CUE_SALT + 1) & mask, 0.5 * cs);
    }
  }
}

/**
 * Per-bucket sums of emitted contributions in a reused typed array, iterated in first-touch order: the
 * same values, in the same order, as iterating the Map `featuresOf` builds, without building it.
 */
class Sums {
  private sums = new Float64Array(0);
  private seen = new Uint8Array(0);
  private order = new Int32Array(1024);
  private n = 0;
  reset(bits: number): void {
    if (this.sums.length !== 1 << bits) {
      this.sums = new Float64Array(1 << bits);
      this.seen = new Uint8Array(1 << bits);
    }
    this.n = 0;
  }
  readonly add = (k: number, v: number): void => {
    if (this.seen[k] === 0) {
      if (this.n === this.order.length) {
        const grown = new Int32Array(this.order.length * 2);
        grown.set(this.order);
        this.order = grown;
      }
      this.order[this.n++] = k;
      this.seen[k] = 1;
      this.sums[k] = 0;
    }
    this.sums[k] = this.sums[k]! + v;
  };
  /** Σ w[k]·sum[k] over the touched buckets, clearing them. */
  dot(w: Float32Array, z: number): number {
    for (let i = 0; i < this.n; i++) {
      const k = this.order[i]!;
      z += w[k]! * this.sums[k]!;
      this.seen[k] = 0;
    }
    this.n = 0;
    return z;
  }
}
const SUMS = new Sums();

export class PromptClassifier {
  readonly threshold: number;
  readonly personaThreshold: number;
  readonly windows: boolean;
  readonly minWords: number;
  readonly features: FeatureSet;
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
    this.personaThreshold = Math.max(model.threshold, model.personaThreshold ?? model.threshold);
    this.windows = model.windows ?? false;
    this.minWords = model.minWords ?? 6;
    this.features = model.features ?? {};
  }

  /** Probability in [0, 1] that a skeleton is an injection. */
  probability(skeleton: string): number {
    SUMS.reset(this.bits);
    emitFeatures(skeleton, this.bits, this.features, SUMS.add);
    const z = SUMS.dot(this.w, this.bias);
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

/** A feature vector in two flat arrays (compact enough to keep for a whole corpus). */
export interface PackedFeatures {
  keys: Int32Array;
  values: Float64Array;
}

export function packedFeatures(skeleton: string, bits: number, set: FeatureSet = {}): PackedFeatures {
  const m = featuresOf(skeleton, bits, set);
  const keys = new Int32Array(m.size);
  const values = new Float64Array(m.size);
  let i = 0;
  for (const [k, v] of m) {
    keys[i] = k;
    values[i++] = v;
  }
  return { keys, values };
}

export interface TrainOptions {
  bits?: number;
  epochs?: number;
  /** L2 penalty per example step. */
  l2?: number;
  learningRate?: number;
  seed?: number;
  features?: FeatureSet;
  /** Features of a skeleton, when the caller keeps them between runs (must equal `packedFeatures`). */
  featuresFor?: (skeleton: string) => PackedFeatures;
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
  const of = options.featuresFor ?? ((t: string) => packedFeatures(t, bits, options.features));
  const feats = examples.map((e) => ({ x: of(e.skeleton), y: e.label, c: e.weight ?? balance[e.label]! }));
  const order = feats.map((_, i) => i);
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (const i of order) {
      const { x, y, c } = feats[i]!;
      const { keys, values } = x;
      let z = bias;
      for (let f = 0; f < keys.length; f++) z += w[keys[f]!]! * values[f]!;
      const p = 1 / (1 + Math.exp(-z));
      const g = (p - y) * c;
      for (let f = 0; f < keys.length; f++) {
        const k = keys[f]!;
        const gk = g * values[f]! + l2 * w[k]!;
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
