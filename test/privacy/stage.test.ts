import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { sha256File } from "../../src/core/index.js";
import { adam, exportOnnx, Mlp, makeClassification, secureRng, seededRng, takeRows, toCsv, train } from "../../src/ml/index.js";
import { runPipeline } from "../../src/pipeline/index.js";
import { setBudget, spendBudget, trainDpSgd } from "../../src/privacy/dp/index.js";
import { openStore } from "../../src/store/index.js";
import { tempDir } from "../helpers/db.js";

const FEATURES = Array.from({ length: 20 }, (_, i) => `x${i}`);

describe("membership-inference pipeline stage", () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir("rampart-mia-stage-");
    const { X, y } = makeClassification({ rows: 800, features: 20, classes: 2, informative: 5, separation: 0.8, labelNoise: 0.2 }, seededRng(11));
    const mIdx = Array.from({ length: 400 }, (_, i) => i);
    const nIdx = Array.from({ length: 400 }, (_, i) => i + 400);
    const Xm = takeRows(X, mIdx);
    const ym = Int32Array.from(mIdx, (i) => y[i]!);
    writeFileSync(join(dir, "members.csv"), toCsv(Xm, ym, FEATURES, "label"));
    writeFileSync(
      join(dir, "holdout.csv"),
      toCsv(
        takeRows(X, nIdx),
        Int32Array.from(nIdx, (i) => y[i]!),
        FEATURES,
        "label",
      ),
    );
    const meta = { "rampart.features": JSON.stringify(FEATURES), "rampart.classes": JSON.stringify(["0", "1"]) };
    const spec = { inputs: 20, hidden: [48], outputs: 1 };
    const rng = seededRng(5);
    const overfit = new Mlp(spec).initialize(rng.uniform);
    train(overfit, Xm, ym, { epochs: 120, batchSize: 32, optimizer: adam({ lr: 0.005 }), rng });
    writeFileSync(join(dir, "overfit.onnx"), exportOnnx(overfit, { metadata: meta }));
    const dp = new Mlp(spec).initialize(rng.uniform);
    // sigma 3 at q = 0.1 for 200 steps: epsilon ≈ 1.3 by RDP.
    trainDpSgd(dp, Xm, ym, { sampleRate: 0.1, steps: 200, noiseMultiplier: 3, maxGradNorm: 1, optimizer: adam({ lr: 0.005 }), rng: secureRng() });
    writeFileSync(join(dir, "dp.onnx"), exportOnnx(dp, { metadata: { ...meta, "rampart.dp.epsilon": "1.3", "rampart.dp.delta": "1e-5" } }));
    writeFileSync(
      join(dir, "rampart.yaml"),
      `version: 1
project: mia
artifacts:
  overfit: { path: overfit.onnx, kind: model }
  dp: { path: dp.onnx, kind: model }
  members: { path: members.csv, kind: dataset }
  holdout: { path: holdout.csv, kind: dataset }
stages:
  - stage: membership-inference
    name: audit-overfit
    with: { model: overfit, members: members, nonMembers: holdout, label: label, maxAuc: 0.6 }
  - stage: membership-inference
    name: audit-dp
    with: { model: dp, members: members, nonMembers: holdout, label: label, maxAuc: 0.6, maxTprAt1Fpr: 0.1 }
`,
    );
  });

  it("fails the overfit model, passes the DP one, and signs both results", async () => {
    const report = await runPipeline(dir, { databaseUrl: join(dir, "store.db") });
    const [overfit, dp] = report.stages;
    expect(overfit!.error).toBeUndefined();
    expect(overfit!.status).toBe("failed");
    expect(overfit!.results[0]!.findings.map((f) => f.ruleId)).toContain("privacy.membership.auc");
    expect(overfit!.results[0]!.metrics.auc as number).toBeGreaterThan(0.63);
    expect(dp!.error).toBeUndefined();
    expect(dp!.status).toBe("passed");
    expect(dp!.results[0]!.metrics.auc as number).toBeLessThan(0.6);
    expect(dp!.results[0]!.metrics.claimedEpsilon).toBe(1.3);
    expect(overfit!.attestations).toHaveLength(1);
    expect(dp!.attestations).toHaveLength(1);
  });

  it("rejects unknown options at load time, naming the key", async () => {
    const bad = tempDir("rampart-mia-bad-");
    writeFileSync(
      join(bad, "rampart.yaml"),
      "version: 1\nproject: x\nstages:\n  - stage: membership-inference\n    with: { model: m, members: a, nonMembers: b, label: y, maxAUC: 0.7 }\n",
    );
    await expect(runPipeline(bad, { databaseUrl: join(bad, "s.db") })).rejects.toThrow(/maxAUC|stages/);
  });
});

describe("privacy-budget pipeline stage", () => {
  it("reports spends as evidence and flags a dataset spent beyond its budget", async () => {
    const dir = tempDir("rampart-budget-stage-");
    writeFileSync(join(dir, "data.csv"), "x,label\n1,0\n2,1\n");
    writeFileSync(
      join(dir, "rampart.yaml"),
      "version: 1\nproject: b\nartifacts:\n  data: { path: data.csv, kind: dataset }\nstages:\n  - stage: privacy-budget\n    with: { dataset: data, minRemainingEpsilon: 1 }\n",
    );
    const db = join(dir, "store.db");
    const store = await openStore({ url: db });
    const sha = await sha256File(join(dir, "data.csv"));
    try {
      await spendBudget(store, { datasetSha256: sha, datasetName: "data.csv", epsilon: 2, delta: 1e-6, mechanism: "dp-sgd", detail: {} });
    } finally {
      await store.close();
    }
    let report = await runPipeline(dir, { databaseUrl: db });
    let r = report.stages[0]!.results[0]!;
    expect(r.metrics.spentEpsilon).toBe(2);
    expect(r.findings.map((f) => f.ruleId)).toEqual(["privacy.budget.none"]);
    // A budget set, then lowered behind the store's back: the stage notices.
    const s2 = await openStore({ url: db });
    try {
      await setBudget(s2, { datasetSha256: sha, datasetName: "data.csv", epsilon: 2.5, delta: 1e-5 });
      await s2.db.updateTable("privacy_budgets").set({ epsilon: 1 }).execute();
    } finally {
      await s2.close();
    }
    report = await runPipeline(dir, { databaseUrl: db });
    r = report.stages[0]!.results[0]!;
    expect(r.findings.map((f) => f.ruleId).sort()).toEqual(["privacy.budget.exceeded", "privacy.budget.low"]);
    expect(report.status).toBe("failed");
  });
});
