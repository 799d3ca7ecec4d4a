import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runPipeline } from "../../src/pipeline/index.js";
import { getDecision, replayDecision } from "../../src/policy/index.js";
import { openStore } from "../../src/store/index.js";
import { tempDir } from "../helpers/db.js";

function project(minArtifacts: number): string {
  const dir = tempDir();
  mkdirSync(join(dir, "data"));
  mkdirSync(join(dir, "policies"));
  writeFileSync(join(dir, "data", "customers.csv"), "id,age\n1,40\n");
  writeFileSync(join(dir, "model.bin"), "weights");
  writeFileSync(
    join(dir, "rampart.yaml"),
    `version: 1
project: demo
artifacts:
  customers: { path: data/customers.csv, kind: dataset, tags: [personal] }
  model: { path: model.bin, kind: model }
stages:
  - stage: inventory
  - stage: gate
    with: { policies: policies, params: { inventory: { min: ${minArtifacts} } } }
`,
  );
  writeFileSync(
    join(dir, "policies", "inventory.yaml"),
    `apiVersion: rampart.dev/v1alpha1
kind: GatePolicy
metadata: { name: inventory }
spec:
  params: { min: 1 }
  validations:
    - name: enough-artifacts
      expression: evidence.checks.inventory.metrics.artifacts >= params.min
      messageExpression: "'only ' + string(evidence.checks.inventory.metrics.artifacts) + ' artifact(s)'"
    - name: personal-data-known
      expression: evidence.datasets.exists(d, 'personal' in d.tags)
      action: Warn
`,
  );
  return dir;
}

describe("gate pipeline stage", () => {
  it("passes over the run's previous results and records a replayable decision", async () => {
    const dir = project(2);
    const report = await runPipeline(dir);
    const gate = report.stages.find((s) => s.stage === "gate")!;
    expect(gate.status).toBe("passed");
    const metrics = gate.results[0]!.metrics as { decision: string; decisionId: string; rules: Record<string, string> };
    expect(metrics.decision).toBe("allow");
    expect(metrics.rules).toEqual({ "inventory/enough-artifacts": "pass", "inventory/personal-data-known": "pass" });
    expect(gate.attestations).toHaveLength(1);
    const store = await openStore({ projectDir: dir });
    try {
      expect((await getDecision(store, metrics.decisionId)).actor).toBe(`pipeline:${report.runId}`);
      expect((await replayDecision(store, metrics.decisionId)).identical).toBe(true);
    } finally {
      await store.close();
    }
  });

  it("fails the run when a Deny rule fails", async () => {
    const report = await runPipeline(project(3));
    const gate = report.stages.find((s) => s.stage === "gate")!;
    expect(report.status).toBe("failed");
    expect(gate.results[0]!.findings).toEqual([
      expect.objectContaining({ ruleId: "gate.denied", severity: "high", entity: "inventory/enough-artifacts", message: "inventory/enough-artifacts: only 2 artifact(s)" }),
    ]);
  });
});

describe("decision hook", () => {
  it("tells subscribers about every recorded decision (how the ledger hears of them)", async () => {
    const { onDecisionRecorded } = await import("../../src/policy/index.js");
    const seen: string[] = [];
    const off = onDecisionRecorded(async (d) => {
      seen.push(`${d.decision} ${d.bundleDigest.slice(0, 8)}`);
    });
    try {
      const report = await runPipeline(project(2));
      const metrics = report.stages.find((s) => s.stage === "gate")!.results[0]!.metrics as { bundleDigest: string };
      expect(seen).toEqual([`allow ${metrics.bundleDigest.slice(0, 8)}`]);
    } finally {
      off();
    }
    await runPipeline(project(2));
    expect(seen).toHaveLength(1);
  });
});
