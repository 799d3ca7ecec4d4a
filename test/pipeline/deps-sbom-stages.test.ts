import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { sha256Hex } from "../../src/core/index.js";
import { runPipeline } from "../../src/pipeline/index.js";
import { importAdvisories } from "../../src/scan/deps/index.js";
import { listAttestations, openStore } from "../../src/store/index.js";
import { makeSbomProject } from "../fixtures/sbom/make-project.js";
import { tempDir } from "../helpers/db.js";

const OSV = new URL("../fixtures/deps/osv/", import.meta.url).pathname;

describe("scan-deps and sbom pipeline stages", () => {
  it("run from rampart.yaml, sign their results, and the BOM's digest is the sbom subject", async () => {
    const root = tempDir();
    makeSbomProject(root);
    writeFileSync(
      join(root, "rampart.yaml"),
      `version: 1
project: demo
failOn: critical
artifacts:
  sentiment: { path: models/sentiment/model.safetensors, kind: model }
  shards: { path: models/shards, kind: model }
stages:
  - stage: inventory
  - stage: scan-deps
  - stage: sbom
    with:
      output: out/bom.cdx.json
      policy: { deny: ["AGPL-*"] }
`,
    );
    mkdirSync(join(root, "models", "shards"));
    writeFileSync(join(root, "models", "shards", "part-0.weights"), "opaque");
    writeFileSync(join(root, "models", "shards", "README.md"), "---\nlicense: mit\n---\n");
    const db = join(tempDir(), "r.db");
    const store = await openStore({ url: db });
    await importAdvisories(store, OSV);
    await store.close();

    const report = await runPipeline(root, { databaseUrl: db });
    expect(report.stages.map((s) => [s.stage, s.status])).toEqual([
      ["inventory", "passed"],
      ["scan-deps", "failed"], // torch 2.5.1 is critical (CVE-2025-32434)
      ["sbom", "passed"], // the AGPL denial is high, below failOn critical
    ]);
    const deps = report.stages[1]!.results[0]!;
    expect(deps.findings.filter((f) => f.ruleId === "deps.vulnerable").map((f) => f.entity)).toEqual(["GHSA-53q9-r3pm-6pq6"]);

    const sbom = report.stages[2]!.results[0]!;
    const bomText = readFileSync(join(root, "out", "bom.cdx.json"), "utf8");
    expect(sbom.subjects[0]).toEqual({ name: "out/bom.cdx.json", digest: { sha256: sha256Hex(bomText) } });
    expect(sbom.findings.find((f) => f.entity === "pkg:npm/agpl@2.0.0")).toMatchObject({ ruleId: "license.denied", severity: "high" });

    // The inventory attestation (signed by the project key) is verified evidence in the model card.
    const bom = JSON.parse(bomText);
    const model = bom.components.find((c: { name: string }) => c.name === "models/sentiment/model.safetensors");
    const att = model.modelCard.properties.filter((p: { name: string }) => p.name === "rampart:attestation");
    expect(att).toHaveLength(1);
    expect(att[0].value).toMatch(/^inventory sha256:[0-9a-f]{64}$/);

    // A declared model folder the walker cannot recognise is listed with its directory digest and card.
    const shards = bom.components.find((c: { name: string }) => c.name === "models/shards");
    expect(shards).toMatchObject({ type: "machine-learning-model", licenses: [{ license: { id: "MIT" } }] });
    expect(shards.hashes[0].content).toBe(report.stages[0]!.results[0]!.subjects.find((s) => s.name === "models/shards")!.digest.sha256);

    const s2 = await openStore({ url: db });
    const stored = await listAttestations(s2, { runId: report.runId });
    await s2.close();
    expect(stored.map((a) => a.check)).toEqual(["inventory", "scan-deps", "sbom"]);
    expect(stored[2]!.subjectSha256).toBe(sha256Hex(bomText));
  });
});
