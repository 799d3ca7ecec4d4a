import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runPipeline } from "../../src/pipeline/index.js";
import { runInProcess } from "../helpers/cli.js";
import { tempDir } from "../helpers/db.js";

const rampart = runInProcess;

afterEach(() => {
  process.exitCode = undefined;
});

const results = (evidenceFile: string) => {
  const doc = JSON.parse(readFileSync(join("examples/policies/tests", evidenceFile), "utf8"));
  return { results: doc.results };
};

describe("rampart policy test", () => {
  it("passes on the example bundle", async () => {
    const r = await rampart("policy", "test", "examples/policies");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/0 problem\(s\), 36\/36 case\(s\) passed/);
  });

  it("accepts the policy `rampart init` scaffolds", async () => {
    const dir = tempDir();
    expect((await rampart("init", dir)).code).toBe(0);
    const r = await rampart("policy", "test", join(dir, "policies"));
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/1 gate policies, 1 rules/);
  });

  it("a broken policy fails with file and line before any test runs", async () => {
    const dir = tempDir();
    cpSync("examples/policies", dir, { recursive: true });
    const file = join(dir, "fairness.yaml");
    const text = readFileSync(file, "utf8");
    const line = text.slice(0, text.indexOf("size(variables.below) == 0")).split("\n").length;
    writeFileSync(file, text.replace("size(variables.below) == 0", "size(variables.below == 0"));
    const r = await rampart("policy", "test", dir, "--format", "json");
    expect(r.code).toBe(1);
    const report = JSON.parse(r.out);
    expect(report.metrics.cases).toBe(0);
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0].location).toMatchObject({ file: join(dir, "fairness.yaml"), line });
    expect(report.findings[0].message).toMatch(/spec\.validations\.1\.expression: syntax error/);
    const table = await rampart("policy", "test", dir);
    expect(table.code).toBe(1);
    // The table's location column keeps a long path's end: the file name and the line.
    expect(table.out).toContain(`fairness.yaml:${line}`);
  });
});

describe("rampart gate", () => {
  it("blocks the biased model, passes once fixed, and replays the recorded decision", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "biased.json"), JSON.stringify(results("biased-release.json")));
    writeFileSync(join(dir, "fixed.json"), JSON.stringify(results("good-release.json")));
    // Without a release the production-review policy does not apply; datasets come only from a release.
    const biased = await rampart("gate", "--evidence", join(dir, "biased.json"), "--policies", "examples/policies", "--project", dir);
    expect(biased.code).toBe(1);
    expect(biased.out).toMatch(/FAIL {3}Deny {2}fairness\/disparate-impact +disparate impact below 0.8 for sex \(0.64\)/);
    expect(biased.out).toMatch(/SKIP {3}Deny {2}production-review\/two-risk-approvals/);
    expect(biased.out).toMatch(/decision DENY by fairness\/disparate-impact/);
    const id = /recorded as (gd-[\w-]+)/.exec(biased.out)![1]!;

    const fixed = await rampart("gate", "--evidence", join(dir, "fixed.json"), "--policies", "examples/policies", "--project", dir, "--format", "json");
    expect(fixed.code).toBe(0);
    expect(JSON.parse(fixed.out)).toMatchObject({ decision: "allow", bundleDigest: expect.stringMatching(/^[0-9a-f]{64}$/) });

    const replay = await rampart("gate", "--replay", id, "--project", dir);
    expect(replay.code).toBe(1);
    expect(replay.out).toMatch(/identical to the recorded decision/);

    const missing = await rampart("gate", "--replay", "gd-nope", "--project", dir);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/^rampart: gate decision gd-nope: no such decision/);
  });

  it("refuses to evaluate a bundle with problems (exit 2, file:line:col)", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "bad.yaml"), "apiVersion: rampart.dev/v1alpha1\nkind: GatePolicy\nmetadata: { name: x }\nspec:\n  validations:\n    - expression: evidence.nope(\n");
    writeFileSync(join(dir, "r.json"), JSON.stringify({ results: [] }));
    const r = await rampart("gate", "--evidence", join(dir, "r.json"), "--policies", dir, "--project", dir);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(new RegExp(`^rampart: ${join(dir, "bad.yaml")}:6:\\d+: spec.validations.0.expression: syntax error`));
  });
});

describe("rampart registry, approve, promote (end to end, SQLite)", () => {
  it("production waits for two signed approvals; self-approval and a wrong key are refused", async () => {
    const dir = tempDir();
    const policies = join(dir, "policies");
    cpSync("examples/policies/production-review.yaml", join(policies, "production-review.yaml"));
    cpSync("examples/policies/access.cedar", join(policies, "access.cedar"));
    writeFileSync(join(dir, "model.bin"), "weights v1");
    writeFileSync(join(dir, "rampart.yaml"), "version: 1\nproject: demo\nartifacts:\n  model: { path: model.bin, kind: model }\nstages:\n  - stage: inventory\n");
    const run = await runPipeline(dir);
    const at = ["--project", dir];
    const ok = async (...args: string[]) => {
      const r = await rampart(...args, ...at);
      expect(r.err).toBe("");
      expect(r.code).toBe(0);
      return r.out;
    };
    for (const who of ["rita", "raj", "dana"]) expect((await rampart("keys", "generate", "--out", join(dir, "keys", who))).code).toBe(0);
    await ok("registry", "principal", "add", "dana", "--role", "ml-engineer", "risk-reviewer", "--key", join(dir, "keys", "dana.pub"));
    await ok("registry", "principal", "add", "rita", "--role", "risk-reviewer", "--key", join(dir, "keys", "rita.pub"));
    await ok("registry", "principal", "add", "raj", "--role", "risk-reviewer", "--key", join(dir, "keys", "raj.pub"));
    await ok("registry", "principal", "add", "paula", "--role", "release-manager");
    await ok("registry", "model", "credit-risk", join(dir, "model.bin"), "--as", "dana");
    const created = await ok("registry", "release", "credit-risk", join(dir, "model.bin"), "--run", run.runId, "--as", "dana");
    const rel = /^(rel-[0-9a-f]{12})/.exec(created)![1]!;
    expect(created).toMatch(/evidence 1 attestation/);

    expect(await ok("promote", rel, "--to", "approved", "--as", "paula", "--policies", policies)).toMatch(/^promoted .*candidate -> approved/);
    const approve = (who: string, key: string) =>
      rampart("approve", rel, "--as", who, "--key", join(dir, "keys", `${key}.key`), "-m", "checked the evidence", "--policies", policies, ...at);
    const self = await approve("dana", "dana");
    expect(self.code).toBe(2);
    expect(self.err).toMatch(/separation of duties: dana owns release/);
    const forged = await approve("raj", "rita");
    expect(forged.code).toBe(2);
    expect(forged.err).toMatch(/review by raj: no signature verifies with a trusted key/);
    const byRita = await approve("rita", "rita");
    expect(byRita.code).toBe(0);
    expect(byRita.out).toMatch(new RegExp(`^approved ${rel} as rita \\(key [0-9a-f]{16}…, permitted by risk-reviewers-review\\)`));
    expect(await ok("review")).toMatch(new RegExp(`${rel} {2}approved +credit-risk {2}owner dana {2}approved by: rita`));
    const gate = await rampart("gate", rel, "--stage", "production", "--policies", policies, "--as", "paula", ...at);
    expect(gate.code).toBe(1);
    expect(gate.out).toMatch(/FAIL {3}Deny {2}production-review\/two-risk-approvals +1 of 2 approvals from risk-reviewer \(rita\)/);
    const gateId = /recorded as (gd-[\w-]+)/.exec(gate.out)![1]!;
    const early = await rampart("promote", rel, "--to", "production", "--as", "paula", "--policies", policies, ...at);
    expect(early.code).toBe(1);
    expect(early.out).toMatch(/1 of 2 approvals from risk-reviewer \(rita\)/);
    expect((await approve("raj", "raj")).code).toBe(0);
    expect(await ok("promote", rel, "--to", "production", "--as", "paula", "--policies", policies)).toMatch(/^promoted .*approved -> production/);
    // The old decision still replays as it was, although the release has two approvals now.
    expect((await rampart("gate", "--replay", gateId, ...at)).out).toMatch(/identical to the recorded decision/);
    const shown = await ok("review", rel);
    expect(shown).toMatch(/stage production/);
    expect(shown).toMatch(/review {3}approve rita \(risk-reviewer\)/);
    expect(shown).toMatch(/paula: approved -> production refused/);
    expect(shown).toMatch(/paula: approved -> production done/);
  });
});
