import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkResultOf, loadPublicKey, verifyStatement } from "../../../src/attest/index.js";
import { runPipeline } from "../../../src/pipeline/index.js";
import { listAttestations, openStore } from "../../../src/store/index.js";
import { tempDir } from "../../helpers/db.js";

const EVIL = Buffer.concat([Buffer.from([0x80, 2]), Buffer.from("cos\nsystem\n(", "latin1"), Buffer.from([0x8c, 10]), Buffer.from("echo pwned"), Buffer.from("tR.")]);

function project(yaml: string): string {
  const dir = tempDir("rampart-stage-scan-");
  mkdirSync(join(dir, "models"));
  writeFileSync(join(dir, "models", "evil.pt"), EVIL);
  writeFileSync(join(dir, "models", "ok.pkl"), Buffer.from([0x80, 2, 0x7d, 0x2e]));
  writeFileSync(join(dir, "data.csv"), "a,b\n1,2\n");
  writeFileSync(join(dir, "rampart.yaml"), yaml);
  return dir;
}

describe("scan-model pipeline stage", () => {
  it("scans every model artifact by default, fails the run and stores a signed attestation", async () => {
    const dir = project(
      "version: 1\nproject: demo\nartifacts:\n  evil: {path: models/evil.pt, kind: model}\n  data: {path: data.csv, kind: dataset}\nstages:\n  - stage: scan-model\n",
    );
    const report = await runPipeline(dir, { databaseUrl: join(dir, ".rampart", "rampart.db") });
    expect(report.status).toBe("failed");
    const result = report.stages[0]!.results[0]!;
    expect(result.check).toBe("scan-model");
    expect(result.subjects).toEqual([expect.objectContaining({ name: "models/evil.pt" })]);
    expect(result.findings[0]?.severity).toBe("critical");
    const store = await openStore({ url: join(dir, ".rampart", "rampart.db") });
    try {
      const rows = await listAttestations(store, { runId: report.runId });
      expect(rows.map((r) => r.check)).toEqual(["scan-model"]);
      const key = await loadPublicKey(join(dir, ".rampart", "keys", "signing.pub"));
      const verified = verifyStatement(rows[0]!.envelope, [key]);
      expect(checkResultOf(verified.statement)?.findings[0]?.entity).toBe("os.system");
    } finally {
      await store.close();
    }
  });

  it("scans named paths and passes when they are clean", async () => {
    const dir = project("version: 1\nproject: demo\nstages:\n  - stage: scan-model\n    with: {paths: [models/ok.pkl]}\n");
    const report = await runPipeline(dir, { databaseUrl: join(dir, ".rampart", "rampart.db") });
    expect(report.status).toBe("passed");
    expect(report.stages[0]!.results[0]!.findings).toEqual([]);
  });

  it("rejects unknown options with the key named", async () => {
    const dir = project("version: 1\nproject: demo\nstages:\n  - stage: scan-model\n    with: {bogus: 1}\n");
    await expect(runPipeline(dir)).rejects.toThrow(/stages.*with|bogus/);
  });
});
