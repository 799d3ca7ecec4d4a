import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import * as z from "zod";
import { checkResultOf, loadPublicKey, verifyStatement } from "../../src/attest/index.js";
import { isRampartError, RampartError, subjectOf, VERSION } from "../../src/core/index.js";
import { type AttestationSink, defineStage, runPipeline, STAGES, type Stage } from "../../src/pipeline/index.js";
import { listAttestations, openStore } from "../../src/store/index.js";
import { tempDir } from "../helpers/db.js";

const echo = defineStage({
  name: "echo",
  description: "test stage: one finding of the given severity about the first artifact",
  options: z.object({ severity: z.enum(["critical", "high", "medium", "low", "info"]), count: z.number().int().min(1).default(1) }).strict(),
  async run(ctx, options) {
    const [name, artifact] = [...ctx.artifacts][0]!;
    const subject = await subjectOf(artifact.absolutePath, name);
    return Array.from({ length: options.count }, (_, i) => ({
      check: `echo-${i}`,
      version: VERSION,
      subjects: [subject],
      findings: [{ ruleId: "echo", severity: options.severity, message: `seen ${ctx.previous.length + i} earlier result(s)` }],
      metrics: {},
    }));
  },
}) as Stage;

const broken: Stage = {
  name: "broken",
  description: "always throws",
  options: z.object({}),
  run: async () => Promise.reject(new RampartError("invalid-input", "data.csv:3: bad row")),
};

const stages = new Map<string, Stage>([...STAGES, ["echo", echo], ["broken", broken]]);

function project(yaml: string): string {
  const dir = tempDir();
  writeFileSync(join(dir, "data.csv"), "a,b\n1,2\n");
  writeFileSync(join(dir, "rampart.yaml"), yaml);
  return dir;
}

const header = "version: 1\nproject: demo\nartifacts:\n  data:\n    path: data.csv\n    kind: dataset\n";

describe("runPipeline", () => {
  it("runs stages in order, signs and stores every result, tells sinks, and writes the report", async () => {
    const dir = project(`${header}stages:\n  - stage: inventory\n  - stage: echo\n    with: { severity: low, count: 2 }\n`);
    const told: string[] = [];
    const sink: AttestationSink = async (record) => void told.push(record.check);
    const report = await runPipeline(dir, { stages, sinks: [sink] });
    expect(report.status).toBe("passed");
    expect(report.stages.map((s) => [s.label, s.status, s.results.length])).toEqual([
      ["inventory", "passed", 1],
      ["echo", "passed", 2],
    ]);
    expect(report.stages[1]!.results[1]!.findings[0]!.message).toBe("seen 2 earlier result(s)");
    expect(told).toEqual(["inventory", "echo-0", "echo-1"]);
    expect(JSON.parse(readFileSync(join(dir, report.reportFile), "utf8")).runId).toBe(report.runId);

    const store = await openStore({ projectDir: dir });
    const stored = await listAttestations(store, { runId: report.runId });
    await store.close();
    expect(stored).toHaveLength(3);
    const pub = await loadPublicKey(join(dir, ".rampart/keys/signing.pub"));
    for (const a of stored) {
      const verified = verifyStatement(a.envelope, [pub]);
      expect(checkResultOf(verified.statement)?.check).toBe(a.check);
    }
  });

  it("fails the run on findings at --fail-on and records a throwing stage as an error without stopping", async () => {
    const dir = project(`${header}failOn: medium\nstages:\n  - stage: broken\n  - stage: echo\n    with: { severity: medium }\n`);
    const report = await runPipeline(dir, { stages });
    expect(report.stages.map((s) => s.status)).toEqual(["error", "failed"]);
    expect(report.stages[0]!.error).toBe("data.csv:3: bad row");
    expect(report.status).toBe("error");
    expect((await runPipeline(dir, { stages, failOn: "high" })).stages[1]!.status).toBe("passed");
  });

  it("validates each stage's options with the rest of rampart.yaml, naming the line", async () => {
    const dir = project(`${header}stages:\n  - stage: echo\n    with:\n      severity: urgent\n`);
    await expect(runPipeline(dir, { stages })).rejects.toSatisfy(
      (e) => isRampartError(e, "invalid-config") && /rampart\.yaml:10:17: stages\.0\.with\.severity: /.test((e as Error).message),
    );
  });

  it("refuses a configured key that does not exist outside the project state", async () => {
    const dir = project(`${header}signing:\n  key: keys/release.key\nstages:\n  - stage: inventory\n`);
    await expect(runPipeline(dir, { stages })).rejects.toThrow(/signing\.key: keys\/release\.key does not exist/);
  });

  it("reports a missing artifact as a finding", async () => {
    const dir = project(`${header}  gone:\n    path: model.pt\n    kind: model\nstages:\n  - stage: inventory\n`);
    const report = await runPipeline(dir, { stages });
    expect(report.status).toBe("failed");
    expect(report.stages[0]!.results[0]!.findings).toEqual([expect.objectContaining({ ruleId: "inventory.missing", severity: "high" })]);
  });
});
