import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GatewayConfig, type InferOutcome, OnnxServing } from "../../src/gateway/index.js";
import { seededRng } from "../../src/ml/index.js";
import { tempDir } from "../helpers/db.js";
import { makeTabularModel, sampleRows, type TabularModel } from "./tabular-model.js";

// Seeds below 9000 were used while choosing the defaults (bits, thresholds, delta); these tests use
// only seeds from 9000 on, so they measure the defaults on streams the tuning never saw.
let tab: TabularModel;
const servings: OnnxServing[] = [];

beforeAll(() => {
  tab = makeTabularModel(tempDir());
});
afterAll(async () => {
  for (const s of servings) await s.close();
});

async function serving(detection: Record<string, unknown>, validation: Record<string, unknown> = {}): Promise<OnnxServing> {
  const cfg = GatewayConfig.parse({ auth: {}, models: [{ name: "credit", type: "onnx", onnx: tab.onnx, profile: tab.profile, validation, detection }] });
  const s = await OnnxServing.load(cfg.models[0]!);
  servings.push(s);
  return s;
}

const detail = (o: InferOutcome, key: string) => (o.ok ? o.details[key] : o.details?.[key]) as number;
const flagged = (o: InferOutcome, detector: string) =>
  ((o.ok ? o.details.detections : o.details?.detections) as Array<{ detector: string }> | undefined)?.some((d) => d.detector === detector) ?? false;

/** Labels from the served model (detectors off) for building attack streams. */
async function labeller() {
  const plain = await serving({}, { outOfRange: "allow" });
  return async (row: number[]) => {
    const o = await plain.infer("attacker-tools", { inputs: { features: [row] } });
    if (!o.ok) throw new Error(o.message);
    return (o.body as { outputs: { label: number[] } }).outputs.label[0]!;
  };
}

describe("out-of-distribution score against the training profile", () => {
  it("flags far-off rows (threshold = the profile's zThreshold) and passes benign traffic", async () => {
    const s = await serving({ ood: { action: "log" } }, { outOfRange: "allow" });
    const benign = sampleRows(1000, 9001).rows;
    let fp = 0;
    for (const r of benign) if (flagged(await s.infer("u", { inputs: { features: [r] } }), "out-of-distribution")) fp++;
    // Far outside every class, in one or two features (a crafted or broken input).
    const rng = seededRng(9002);
    let tp = 0;
    for (let i = 0; i < 200; i++) {
      const r = [...benign[i]!];
      const j = Math.floor(rng.uniform() * 4);
      r[j] = r[j]! + (rng.uniform() < 0.5 ? -1 : 1) * [10, 3, 8, 2][j]! * (8 + 4 * rng.uniform());
      if (flagged(await s.infer("u", { inputs: { features: [r] } }), "out-of-distribution")) tp++;
    }
    expect(fp / 1000).toBeLessThanOrEqual(0.01);
    expect(tp / 200).toBeGreaterThanOrEqual(0.95);
  });

  it("blocks with action block", async () => {
    const s = await serving({ ood: { action: "block" } }, { outOfRange: "allow" });
    const o = await s.infer("u", { inputs: { features: [[50, 10, 200, 5]] } });
    expect(o).toMatchObject({ ok: false, status: 403, reason: "adversarial-input" });
  });
});

describe("feature squeezing (bit-depth reduction over the training range)", () => {
  it("disagrees on decision-boundary points found by a label-only search, rarely on benign rows", async () => {
    const s = await serving({ squeeze: { action: "log" } }, { outOfRange: "allow" });
    const label = await labeller();
    const benign = sampleRows(400, 9003).rows;
    let fp = 0;
    for (const r of benign) if (flagged(await s.infer("u", { inputs: { features: [r] } }), "feature-squeezing")) fp++;
    // HopSkipJump-style: binary search between two differently labelled rows to land on the boundary.
    const pool = sampleRows(300, 9004).rows;
    let adversarial = 0;
    let caught = 0;
    for (let i = 0; i < 150 && adversarial < 60; i++) {
      const x = pool[i]!;
      const y = pool[(i * 7 + 13) % 300]!;
      const la = await label(x);
      if ((await label(y)) === la) continue;
      let lo = 0;
      let hi = 1;
      for (let k = 0; k < 25; k++) {
        const mid = (lo + hi) / 2;
        if ((await label(x.map((v, j) => v + mid * (y[j]! - v)))) === la) lo = mid;
        else hi = mid;
      }
      adversarial++;
      if (flagged(await s.infer("u", { inputs: { features: [x.map((v, j) => v + hi * (y[j]! - v))] } }), "feature-squeezing")) caught++;
    }
    const fpr = fp / benign.length;
    const tpr = caught / adversarial;
    console.log(`feature squeezing (bits 4, L1 > 0.3): benign FPR ${fpr.toFixed(3)} on ${benign.length}, boundary TPR ${tpr.toFixed(3)} on ${adversarial}`);
    expect(adversarial).toBeGreaterThanOrEqual(40);
    expect(fpr).toBeLessThanOrEqual(0.08);
    expect(tpr).toBeGreaterThanOrEqual(0.45);
  });
});

describe("PRADA extraction detection per principal", () => {
  /** Jacobian-augmentation-like extraction: a few seeds, then rounds of small steps from earlier queries. */
  function extractionStream(seed: number, n: number): number[][] {
    const rng = seededRng(seed);
    const scales = [10, 3, 8, 2];
    let set = sampleRows(10, seed).rows;
    const q = [...set];
    while (q.length < n) {
      const next = set.map((x) => x.map((v, j) => v + 0.1 * 1.8 * scales[j]! * (rng.uniform() < 0.5 ? -1 : 1)));
      q.push(...next);
      set = set.concat(next).slice(-50);
    }
    return q.slice(0, n);
  }

  it("flags extraction streams within a few hundred queries and no benign client", async () => {
    const s = await serving({ extraction: { action: "log" } }, { outOfRange: "allow" });
    const benignW: number[] = [];
    for (let c = 0; c < 10; c++) {
      let last: InferOutcome | undefined;
      let ever = false;
      for (const r of sampleRows(400, 9100 + c).rows) {
        last = await s.infer(`benign-${c}`, { inputs: { features: [r] } });
        ever ||= flagged(last, "extraction");
      }
      benignW.push(detail(last!, "pradaW"));
      expect(ever, `benign client ${c}`).toBe(false);
    }
    const firstFlag: number[] = [];
    for (let c = 0; c < 5; c++) {
      const stream = extractionStream(9200 + c, 400);
      let at = -1;
      for (const [i, r] of stream.entries()) {
        const o = await s.infer(`thief-${c}`, { inputs: { features: [r] } });
        if (at < 0 && flagged(o, "extraction")) at = i + 1;
      }
      firstFlag.push(at);
    }
    console.log(`PRADA delta 0.9: benign final W ${benignW.map((w) => w.toFixed(3)).join(" ")}; extraction flagged after ${firstFlag.join(", ")} queries`);
    for (const at of firstFlag) expect(at).toBeGreaterThan(0);
    for (const at of firstFlag) expect(at).toBeLessThanOrEqual(400);
  });

  it("block refuses the flagged principal only; throttle slows it to the penalty bucket", async () => {
    const block = await serving({ extraction: { action: "block", warmup: 50 } }, { outOfRange: "allow" });
    let refused: InferOutcome | undefined;
    for (const r of extractionStream(9300, 300)) {
      const o = await block.infer("thief", { inputs: { features: [r] } });
      if (!o.ok) {
        refused = o;
        break;
      }
    }
    expect(refused).toMatchObject({ ok: false, status: 403, reason: "extraction-suspected" });
    expect((await block.infer("honest", { inputs: { features: sampleRows(1, 9301).rows } })).ok).toBe(true);

    const throttle = await serving({ extraction: { action: "throttle", warmup: 50 }, throttle: { capacity: 2, refillPerSecond: 0.01, forSeconds: 60 } }, { outOfRange: "allow" });
    const codes: number[] = [];
    for (const r of extractionStream(9302, 300)) {
      const o = await throttle.infer("thief", { inputs: { features: [r] } });
      codes.push(o.ok ? 200 : o.status);
      if (codes.filter((c) => c === 429).length >= 3) break;
    }
    expect(codes.filter((c) => c === 429).length).toBe(3);
    const limited = await throttle.infer("thief", { inputs: { features: sampleRows(1, 9303).rows } });
    expect(limited).toMatchObject({ ok: false, status: 429, reason: "throttled" });
    expect((await throttle.infer("honest", { inputs: { features: sampleRows(1, 9304).rows } })).ok).toBe(true);
  });
});
