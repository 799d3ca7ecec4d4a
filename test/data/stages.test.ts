import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generateKeyFiles, loadSigner } from "../../src/attest/index.js";
import { buildManifest, signManifest } from "../../src/data/index.js";
import { runPipeline } from "../../src/pipeline/index.js";
import { listAttestations, openStore } from "../../src/store/index.js";
import { tempDir } from "../helpers/db.js";
import { poisonedData, writeCsv } from "./poison-data.js";

describe("data pipeline stages", () => {
  it("run from rampart.yaml, sign their results, and fail the run when the data is tampered", async () => {
    const project = tempDir();
    mkdirSync(join(project, "data"));
    writeCsv(join(project, "data", "train.csv"), poisonedData({ seed: 3, n: 400, flipRate: 0.05 }));
    writeFileSync(join(project, "data", "people.jsonl"), `${JSON.stringify({ note: "mail anna.schmidt@example.de" })}\n`);
    const key = await generateKeyFiles(join(project, "keys", "data"));
    const envelope = await signManifest(await buildManifest(join(project, "data"), { source: "s3://corp/train" }), [await loadSigner({ keyFile: key.privateKeyPath })]);
    writeFileSync(join(project, "data.manifest.json"), JSON.stringify(envelope));
    writeFileSync(join(project, "trust.yaml"), "version: 1\nkeys:\n  data: { publicKey: keys/data.pub }\nsources:\n  - uri: 's3://corp/**'\n    signers: [data]\n");
    writeFileSync(
      join(project, "rampart.yaml"),
      `version: 1
project: demo
failOn: critical
artifacts:
  train:
    path: data
    kind: dataset
stages:
  - stage: data-verify
    with: { dataset: train, policy: trust.yaml }
  - stage: data-pii
    with: { dataset: train }
  - stage: data-poison
    with: { dataset: data/train.csv, label: label }
`,
    );
    const db = join(project, "store.db");
    const ok = await runPipeline(project, { databaseUrl: db });
    expect(ok.stages.map((s) => [s.stage, s.status])).toEqual([
      ["data-verify", "passed"],
      ["data-pii", "passed"],
      ["data-poison", "passed"],
    ]);
    expect(ok.stages[1]!.results.map((r) => r.subjects[0]!.name)).toEqual(["people.jsonl", "train.csv"]);
    expect(ok.stages[1]!.results[0]!.findings.some((f) => f.entity === "EMAIL_ADDRESS" && f.location?.file === "data/people.jsonl")).toBe(true);
    expect(ok.stages[2]!.results[0]!.findings.some((f) => f.ruleId === "data.poison.label-noise")).toBe(true);
    const store = await openStore({ url: db });
    try {
      const checks = (await listAttestations(store, { runId: ok.runId })).map((a) => a.check);
      expect(checks).toEqual(["data-verify", "data-pii", "data-pii", "data-poison"]);
    } finally {
      await store.close();
    }

    appendFileSync(join(project, "data", "train.csv"), "9,9,9,9,9,9,9,9,north,c1\n");
    const bad = await runPipeline(project, { databaseUrl: db });
    expect(bad.status).toBe("failed");
    expect(bad.stages[0]!.results[0]!.findings.map((f) => [f.ruleId, f.location?.file])).toEqual([["data.verify.changed", "train.csv"]]);
  });

  it("rejects stage options with the file, line and key named", async () => {
    const project = tempDir();
    writeFileSync(join(project, "rampart.yaml"), "version: 1\nproject: demo\nstages:\n  - stage: data-poison\n    with: { dataset: x.csv, lable: y }\n");
    await expect(runPipeline(project, { databaseUrl: join(project, "s.db") })).rejects.toThrow(/rampart\.yaml:\d+:\d+: stages\.0\.with/);
  });
});
