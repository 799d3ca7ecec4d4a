import { type DataProfile, loadProfile } from "../data/index.js";
import type { ModelConfig } from "./config.js";
import { l1, OodScorer, PradaDetector, Squeezer } from "./detect.js";
import { loadOnnxModel, type OnnxModel, type OutputTensor, toNested } from "./onnx.js";
import { MemoryRateLimiter } from "./ratelimit.js";
import { buildInputSchema, InputError, type InputSchema, validateInput } from "./schema.js";

/** The outcome of one in-process inference: an answer, or a refusal with status and reason. */
export type InferOutcome =
  | { ok: true; body: unknown; details: Record<string, unknown> }
  | { ok: false; status: number; reason: string; message: string; details?: Record<string, unknown>; retryAfterSeconds?: number };

const PROBABILITY_NAMES = ["probabilities", "probs", "scores", "output_probability"];

/**
 * One ONNX model served in-process: loaded once, inputs checked against its schema, detectors run
 * around the model (out-of-distribution before it, feature squeezing in the same batch, PRADA after
 * it), outputs trimmed against extraction. Holds per-principal detector state for its lifetime.
 */
export class OnnxServing {
  private readonly ood?: OodScorer;
  private readonly squeezer?: Squeezer;
  private readonly prada?: PradaDetector;
  private readonly suspects = new Map<string, number>();
  private readonly penalty = new MemoryRateLimiter();
  private readonly probName?: string;
  private readonly labelName?: string;

  private constructor(
    readonly config: ModelConfig,
    readonly model: OnnxModel,
    readonly schema: InputSchema,
    profile: DataProfile | undefined,
  ) {
    const det = config.detection;
    const cols = schema.table?.columns.map((c) => c.name);
    this.probName = model.outputs.find((o) => PROBABILITY_NAMES.includes(o.name))?.name;
    this.labelName = model.outputs.find((o) => o.name === "label" || o.name === "output_label")?.name;
    if (det && profile && cols) {
      if (det.ood) {
        const s = new OodScorer(profile, cols, det.ood.threshold);
        if (s.usable) this.ood = s;
      }
      const ranges = schema.table!.columns.map((c) => (c.kind === "numeric" ? { min: c.min, max: c.max } : { min: 0, max: 1 }));
      if (det.squeeze && this.probName && schema.tensors[0]?.type === "float32") this.squeezer = new Squeezer(ranges, det.squeeze.bits);
      if (det.extraction) {
        const scales = cols.map((name) => {
          const c = profile.columns.find((p) => p.name === name);
          return c?.kind === "numeric" ? (c.scale ?? c.std ?? 1) : 1;
        });
        this.prada = new PradaDetector(scales, { delta: det.extraction.delta, warmup: det.extraction.warmup, window: det.extraction.window });
      }
    }
  }

  static async load(config: ModelConfig): Promise<OnnxServing> {
    const model = await loadOnnxModel(config.onnx!, { sha256: config.sha256 });
    const profile = config.profile ? await loadProfile(config.profile) : undefined;
    const schema = buildInputSchema(model.inputs, model.metadata, profile, {
      features: config.features,
      outOfRange: config.validation.outOfRange,
      tolerance: config.validation.tolerance,
      maxElements: config.validation.maxElements,
    });
    return new OnnxServing(config, model, schema, profile);
  }

  /** The signature and column rules, as the gateway publishes them at GET /v1/models/NAME. */
  describe(): unknown {
    return {
      name: this.config.name,
      sha256: this.model.sha256,
      inputs: this.model.inputs,
      outputs: this.model.outputs,
      columns: this.schema.table?.columns.map((c) => (c.kind === "categorical" ? { name: c.name, kind: c.kind, levels: [...c.levels] } : c)),
      outOfRange: this.schema.outOfRange,
    };
  }

  /** `validated` is told when the input has passed validation (stage timing in benchmarks). */
  async infer(principal: string, body: unknown, validated?: () => void): Promise<InferOutcome> {
    const det = this.config.detection;
    // A principal that a detector flagged with action "throttle" gets only the penalty bucket.
    const until = this.suspects.get(principal);
    if (det && until !== undefined) {
      if (until < Date.now()) this.suspects.delete(principal);
      else {
        const r = await this.penalty.take(principal, det.throttle);
        if (!r.allowed)
          return {
            ok: false,
            status: 429,
            reason: "throttled",
            message: "requests from this principal are throttled after a detection",
            retryAfterSeconds: Math.max(1, Math.ceil(r.retryAfterMs / 1000)),
          };
      }
    }
    let input: ReturnType<typeof validateInput>;
    try {
      input = validateInput(this.schema, body);
    } catch (e) {
      if (e instanceof InputError) return { ok: false, status: 400, reason: "invalid-input", message: e.message, details: { field: e.field } };
      throw e;
    }
    validated?.();
    const details: Record<string, unknown> = {};
    if (input.clamped > 0) details.clamped = input.clamped;
    const flags: Array<{ detector: string; action: string; evidence: Record<string, number> }> = [];
    const table = input.table;

    if (this.ood && table && det?.ood) {
      let worst = 0;
      for (let i = 0; i < table.rows; i++) worst = Math.max(worst, this.ood.score(table.data, i, table.cols));
      details.ood = round(worst);
      if (worst > this.ood.threshold) flags.push({ detector: "out-of-distribution", action: det.ood.action, evidence: { score: round(worst), threshold: this.ood.threshold } });
      const refusal = this.respond(principal, flags, details);
      if (refusal) return refusal;
    }

    // Squeezed copies ride in the same batch: one model call instead of two.
    const feedName = this.schema.table?.input;
    const squeeze = this.squeezer && table && feedName ? this.squeezer : undefined;
    let feeds = input.feeds;
    if (squeeze && table && feedName) {
      const n = table.rows * table.cols;
      const both = new Float32Array(2 * n);
      both.set(input.feeds[feedName]!.data as Float32Array);
      squeeze.squeeze(table.data, both.subarray(n), table.rows, table.cols);
      feeds = { ...feeds, [feedName]: { type: "float32", dims: [2 * table.rows, table.cols], data: both } };
    }
    let out: Record<string, OutputTensor>;
    try {
      out = await this.model.run(feeds);
    } catch (e) {
      return { ok: false, status: 400, reason: "invalid-input", message: `the model refused the input (${(e as Error).message.split("\n")[0]})` };
    }
    if (squeeze && table) out = this.unsqueeze(out, table.rows, details, flags);

    const probs = this.probName ? out[this.probName] : undefined;
    if (this.prada && table && det?.extraction) {
      const k = probs ? Number(probs.dims[1] ?? 1) : 0;
      const labels = this.labelName ? out[this.labelName] : undefined;
      let verdict: ReturnType<PradaDetector["observe"]> | undefined;
      for (let i = 0; i < table.rows; i++) {
        const cls = labels ? Number(labels.data[i]) : probs ? argmax(probs.data as Float32Array, i, k) : 0;
        verdict = this.prada.observe(principal, table.data, i * table.cols, cls);
      }
      if (verdict?.w !== undefined) details.pradaW = round(verdict.w);
      if (verdict?.flagged)
        flags.push({ detector: "extraction", action: det.extraction.action, evidence: { w: round(verdict.w ?? 0), delta: det.extraction.delta, queries: verdict.queries } });
    }
    const refusal = this.respond(principal, flags, details);
    if (refusal) return refusal;
    return { ok: true, body: { model: this.config.name, outputs: this.filterOutputs(out) }, details };
  }

  /** First half of each output is the real answer; the second half the squeezed one. */
  private unsqueeze(
    out: Record<string, OutputTensor>,
    rows: number,
    details: Record<string, unknown>,
    flags: Array<{ detector: string; action: string; evidence: Record<string, number> }>,
  ) {
    const half: Record<string, OutputTensor> = {};
    for (const [name, t] of Object.entries(out)) {
      const per = t.data.length / (2 * rows);
      half[name] = { type: t.type, dims: [rows, ...t.dims.slice(1)], data: (t.data as Float32Array).subarray(0, rows * per) };
    }
    const p = out[this.probName!];
    if (p) {
      const k = Number(p.dims[1] ?? 1);
      let worst = 0;
      for (let i = 0; i < rows; i++) worst = Math.max(worst, l1(p.data as Float32Array, (p.data as Float32Array).subarray(rows * k), i, k));
      details.squeeze = round(worst);
      const cfg = this.config.detection!.squeeze!;
      if (worst > cfg.threshold) flags.push({ detector: "feature-squeezing", action: cfg.action, evidence: { l1: round(worst), threshold: cfg.threshold } });
    }
    return half;
  }

  /** Applies the detectors' actions: log only records, throttle marks the principal, block refuses. */
  private respond(
    principal: string,
    flags: Array<{ detector: string; action: string; evidence: Record<string, number> }>,
    details: Record<string, unknown>,
  ): InferOutcome | undefined {
    if (flags.length === 0) return undefined;
    details.detections = flags;
    const block = flags.find((f) => f.action === "block");
    if (flags.some((f) => f.action === "throttle")) {
      const now = Date.now();
      // Bounded: past 100,000 suspects the expired ones go.
      if (this.suspects.size >= 100_000) for (const [p, until] of this.suspects) if (until < now) this.suspects.delete(p);
      this.suspects.set(principal, now + this.config.detection!.throttle.forSeconds * 1000);
    }
    if (block) {
      const reason = block.detector === "extraction" ? "extraction-suspected" : "adversarial-input";
      return { ok: false, status: 403, reason, message: `refused: ${block.detector} detector fired`, details };
    }
    return undefined;
  }

  /** Label only, top-k, or rounded probabilities (the model config's output mode). */
  private filterOutputs(out: Record<string, OutputTensor>): Record<string, unknown> {
    const mode = this.config.output;
    const result: Record<string, unknown> = {};
    const probs = this.probName ? out[this.probName] : undefined;
    for (const [name, t] of Object.entries(out)) {
      if (t === probs && mode.mode !== "full") continue;
      result[name] = toNested(t);
    }
    if (!probs || mode.mode === "full") return result;
    const rows = Number(probs.dims[0] ?? 1);
    const k = Number(probs.dims[1] ?? 1);
    const data = probs.data as Float32Array;
    if (!this.labelName) result.label = Array.from({ length: rows }, (_, i) => argmax(data, i, k));
    if (mode.mode === "rounded") {
      const f = 10 ** mode.decimals;
      result[probs === out[this.probName!] ? this.probName! : "probabilities"] = toNested(probs, (v) => Math.round(v * f) / f);
    } else if (mode.mode === "top-k") {
      result[`${this.probName}_top_k`] = Array.from({ length: rows }, (_, i) => {
        const order = Array.from({ length: k }, (_, c) => c).sort((a, b) => data[i * k + b]! - data[i * k + a]!);
        return Object.fromEntries(order.slice(0, mode.k).map((c) => [String(c), data[i * k + c]]));
      });
    }
    return result;
  }

  async close(): Promise<void> {
    await this.model.release();
  }
}

function argmax(d: ArrayLike<number>, i: number, k: number): number {
  let best = 0;
  for (let c = 1; c < k; c++) if (d[i * k + c]! > d[i * k + best]!) best = c;
  return best;
}

const round = (x: number) => Math.round(x * 1e4) / 1e4;
