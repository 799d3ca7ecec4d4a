import { cpSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import { describe, expect, it } from "vitest";
import { buildProgram, commandGroupsFor } from "../../src/cli/main.js";
import { rampart } from "../helpers/cli.js";
import { tempDir } from "../helpers/db.js";

const EXAMPLE = join(import.meta.dirname, "..", "..", "examples", "credit-risk");

function oneLine(stderr: string): string {
  const lines = stderr.trim().split("\n");
  expect(lines).toHaveLength(1);
  expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
  return lines[0]!;
}

// Every command group, loaded once with the file (main.ts loads them lazily; see commandGroupsFor).
const ALL_GROUPS = await commandGroupsFor(["node", "rampart"]);

describe("rampart CLI", () => {
  it("has complete help for the program and every command", async () => {
    const top = await rampart(["--help"]);
    expect(top.code).toBe(0);
    expect(top.stdout).toContain("Exit codes:");
    // Every command at every depth has a description, and its help names its usage.
    const walk = (cmd: Command, path: string[]): void => {
      for (const sub of cmd.commands) {
        const name = [...path, sub.name()].join(" ");
        expect(sub.description(), name).not.toBe("");
        expect(sub.helpInformation(), name).toMatch(new RegExp(`^Usage: rampart ${name}`));
        walk(sub, [...path, sub.name()]);
      }
    };
    const program = buildProgram(ALL_GROUPS);
    expect(program.commands.map((c) => c.name())).toEqual(expect.arrayContaining(["init", "run", "stages", "keys", "attest", "verify"]));
    walk(program, []);
    const run = await rampart(["run", "--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: rampart run \[options\] \[dir\]/);
    expect(run.stdout).toContain("Example:");
  });

  it("runs the example end to end: every stage signed, report written, and the biased model fails the run", async () => {
    const dir = tempDir();
    cpSync(EXAMPLE, join(dir, "credit-risk"), { recursive: true, filter: (src) => !src.includes(`${join("credit-risk", ".rampart")}${"/"}`) });
    const run = await rampart(["run", "credit-risk", "--format", "json"], { cwd: dir });
    expect(run.stderr).not.toContain("internal error");
    expect(run.code).toBe(1);
    const { results } = JSON.parse(run.stdout) as { results: Array<{ check: string; subjects: Array<{ name: string }>; findings: Array<{ ruleId: string; severity: string }> }> };
    expect(results.map((r) => r.check)).toEqual(expect.arrayContaining(["inventory", "scan-model", "scan-code", "scan-secrets", "data-pii", "data-poison", "fairness", "sbom"]));
    expect(results[0]!.subjects.map((s) => s.name)).toEqual(["data/applications.csv", "data/holdout.csv", "model/credit_model.pkl", "src"]);
    const fairness = results.find((r) => r.check === "fairness")!;
    expect(fairness.findings).toContainEqual(expect.objectContaining({ ruleId: "fairness.disparate-impact", severity: "high" }));
    expect(results.find((r) => r.check === "scan-model")!.findings).toEqual([]);
    expect(statSync(join(dir, "credit-risk/.rampart/keys/signing.key")).mode & 0o777).toBe(0o600);
    expect(/report: (.+)/.exec(run.stderr)?.[1]).toBeDefined();
  }, 180_000);

  it("generates keys, attests a result, verifies it, and refuses a wrong key and a tampered envelope", async () => {
    const dir = tempDir();
    const gen = await rampart(["keys", "generate", "--out", "k/signer"], { cwd: dir });
    expect(gen.code).toBe(0);
    expect(statSync(join(dir, "k/signer.key")).mode & 0o777).toBe(0o600);
    expect(gen.stdout).toMatch(/key id\s+[0-9a-f]{64}/);
    expect((await rampart(["keys", "generate", "--out", "k/other"], { cwd: dir })).code).toBe(0);
    expect((await rampart(["keys", "generate", "--out", "k/signer"], { cwd: dir })).code).toBe(2);

    writeFileSync(join(dir, "model.bin"), "weights");
    const result = { check: "demo", version: "1", subjects: [], findings: [{ ruleId: "r", severity: "low", message: "m" }], metrics: {} };
    writeFileSync(join(dir, "result.json"), JSON.stringify(result));
    const att = await rampart(["attest", "result.json", "--subject", "model.bin", "--key", "k/signer.key", "-o", "env.json"], { cwd: dir });
    expect(att.stderr).toBe("");
    expect(att.code).toBe(0);

    const ok = await rampart(["verify", "env.json", "--key", "k/signer.pub", "--subject", "model.bin"], { cwd: dir });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^verified\s+env\.json/);
    expect(ok.stdout).toContain("check        demo 1: 1 finding(s)");

    const wrong = await rampart(["verify", "env.json", "--key", "k/other.pub"], { cwd: dir });
    expect(wrong.code).toBe(2);
    expect(oneLine(wrong.stderr)).toBe("rampart: env.json: no signature verifies with a trusted key");

    const env = JSON.parse(readFileSync(join(dir, "env.json"), "utf8"));
    const statement = JSON.parse(Buffer.from(env.payload, "base64").toString());
    statement.predicate.findings = [];
    writeFileSync(join(dir, "tampered.json"), JSON.stringify({ ...env, payload: Buffer.from(JSON.stringify(statement)).toString("base64") }));
    const tampered = await rampart(["verify", "tampered.json", "--key", "k/signer.pub"], { cwd: dir });
    expect(tampered.code).toBe(2);
    expect(oneLine(tampered.stderr)).toBe("rampart: tampered.json: no signature verifies with a trusted key");

    writeFileSync(join(dir, "model.bin"), "other weights");
    const subject = await rampart(["verify", "env.json", "--key", "k/signer.pub", "--subject", "model.bin"], { cwd: dir });
    expect(subject.code).toBe(2);
    expect(oneLine(subject.stderr)).toMatch(/^rampart: model\.bin: sha256 [0-9a-f]{16}… is not a subject of env\.json$/);

    writeFileSync(join(dir, "bad.pub"), "not a key");
    expect(oneLine((await rampart(["verify", "env.json", "--key", "bad.pub"], { cwd: dir })).stderr)).toBe("rampart: bad.pub: not a PEM public key");
  }, 180_000);

  it("gives one line and exit 2 for a missing file, a malformed rampart.yaml and a bad flag", async () => {
    const dir = tempDir();
    const missing = await rampart(["run", "nowhere"], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(oneLine(missing.stderr)).toMatch(/^rampart: .*nowhere\/rampart\.yaml: no such file or directory$/);

    writeFileSync(join(dir, "rampart.yaml"), "version: 1\nproject: p\nstages:\n  - stage: inventory\n  - stage: scna\n");
    const unknown = await rampart(["run", "."], { cwd: dir });
    expect(unknown.code).toBe(2);
    expect(oneLine(unknown.stderr)).toMatch(/^rampart: .*rampart\.yaml:5:12: stages\.1\.stage: unknown stage "scna" \(known: inventory/);

    writeFileSync(join(dir, "rampart.yaml"), "version: 1\nproject: p\nfailOn: severe\nstages:\n  - stage: inventory\n");
    const bad = await rampart(["run", "."], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(oneLine(bad.stderr)).toMatch(/rampart\.yaml:3:9: failOn: /);

    writeFileSync(join(dir, "rampart.yaml"), "version: 1\nproject: [unclosed\n");
    expect((await rampart(["run", "."], { cwd: dir })).code).toBe(2);

    const flag = await rampart(["run", "--fail-on", "sometimes"], { cwd: dir });
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/argument 'sometimes' is invalid/);
  }, 180_000);

  it("takes the signing key from the environment, and shows a stack only with --debug", async () => {
    const dir = tempDir();
    await rampart(["keys", "generate", "--out", "ci"], { cwd: dir });
    writeFileSync(join(dir, "r.json"), JSON.stringify({ check: "c", version: "1", subjects: [{ name: "x", digest: { sha256: "0".repeat(64) } }], findings: [], metrics: {} }));
    const pem = readFileSync(join(dir, "ci.key"), "utf8");
    const att = await rampart(["attest", "r.json", "-o", "e.json"], { cwd: dir, env: { RAMPART_SIGNING_KEY: pem } });
    expect(att.code).toBe(0);
    expect((await rampart(["verify", "e.json", "--key", "ci.pub"], { cwd: dir })).code).toBe(0);
    const noKey = await rampart(["attest", "r.json"], { cwd: dir });
    expect(noKey.code).toBe(2);
    expect(oneLine(noKey.stderr)).toMatch(/^rampart: no signing key: pass --key FILE/);
    const debug = await rampart(["--debug", "verify", "missing.json", "--key", "ci.pub"], { cwd: dir });
    expect(debug.code).toBe(2);
    expect(debug.stderr).toMatch(/^rampart: missing\.json: no such file or directory\n.*\n\s+at /s);
  }, 180_000);

  it("init scaffolds a project that runs", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "train.csv"), "a,b\n1,2\n");
    writeFileSync(join(dir, "model.safetensors"), "x");
    const init = await rampart(["init", "."], { cwd: dir });
    expect(init.code).toBe(0);
    const yaml = readFileSync(join(dir, "rampart.yaml"), "utf8");
    expect(yaml).toContain('path: "train.csv"\n    kind: dataset');
    expect(yaml).toContain('path: "model.safetensors"\n    kind: model');
    expect((await rampart(["init", "."], { cwd: dir })).code).toBe(2);
    const run = await rampart(["run", "."], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("PASSED");
  }, 180_000);
});
