import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { CheckResult } from "../../src/core/index.js";
import { runInProcess } from "../helpers/cli.js";
import { tempDir } from "../helpers/db.js";

// protocol-2 pickle: os.system("echo pwned"); never loaded, only scanned
const EVIL = Buffer.concat([Buffer.from([0x80, 2]), Buffer.from("cos\nsystem\n(", "latin1"), Buffer.from([0x8c, 10]), Buffer.from("echo pwned"), Buffer.from("tR.")]);
const OK = Buffer.from([0x80, 2, 0x7d, 0x2e]); // {}

let dir: string;
beforeAll(() => {
  dir = tempDir("rampart-cli-scan-");
  mkdirSync(join(dir, "repo"));
  writeFileSync(join(dir, "repo", "weights.bin"), EVIL);
  writeFileSync(join(dir, "ok.pkl"), OK);
});

const run = runInProcess;

afterEach(() => {
  process.exitCode = undefined;
});

describe("rampart scan model", () => {
  it("exits 1 and prints a CheckResult naming file, offset and callable", async () => {
    const { code, out } = await run("scan", "model", join(dir, "repo"), "--format", "json");
    expect(code).toBe(1);
    const result = CheckResult.parse(JSON.parse(out));
    expect(result.check).toBe("scan-model");
    expect(result.subjects[0]!.digest.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(result.findings[0]).toMatchObject({ ruleId: "model.pickle.dangerous-global", severity: "critical", entity: "os.system", location: { file: "weights.bin", offset: 2 } });
  });

  it("exits 0 on a clean file and honours --fail-on", async () => {
    expect((await run("scan", "model", join(dir, "ok.pkl"), "--no-digest")).code).toBe(0);
    expect((await run("scan", "model", join(dir, "repo"), "--fail-on", "critical", "--format", "sarif")).code).toBe(1);
  });

  it("writes SARIF to --output", async () => {
    const file = join(dir, "out.sarif");
    const { code } = await run("scan", "model", join(dir, "repo"), "--format", "sarif", "--output", file);
    expect(code).toBe(1);
    const sarif = JSON.parse(await import("node:fs").then((fs) => fs.readFileSync(file, "utf8")));
    expect(sarif.runs[0].results[0].ruleId).toBe("model.pickle.dangerous-global");
  });

  it("exits 2 with one line for a missing path", async () => {
    const { code, err } = await run("scan", "model", join(dir, "nope.pt"));
    expect(code).toBe(2);
    expect(err.trim().split("\n")).toHaveLength(1);
    expect(err).toContain("nope.pt");
  });

  it("has help with an example", async () => {
    const { out } = await run("scan", "model", "--help");
    expect(out).toContain("Example");
    expect(out).toContain("--fail-on");
    expect(out).toContain("--timeout");
  });

  it("takes --timeout in whole seconds and refuses anything else", async () => {
    expect((await run("scan", "model", join(dir, "ok.pkl"), "--no-digest", "--timeout", "5")).code).toBe(0);
    const bad = await run("scan", "model", join(dir, "ok.pkl"), "--timeout", "0");
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("--timeout");
  });

  it("starts without loading other capabilities, and its SARIF still carries the rule catalogue", async () => {
    const { buildProgram } = await import("../../src/cli/main.js");
    const program = await buildProgram(["-q", "scan", "model", "x"]);
    expect(program.commands.map((c) => c.name())).toEqual(["scan"]);
    expect(program.commands[0]!.commands.map((c) => c.name())).toEqual(["model"]);
    const file = join(dir, "rules.sarif");
    await run("scan", "model", join(dir, "repo"), "--format", "sarif", "--output", file, "--no-digest");
    const sarif = JSON.parse(await import("node:fs").then((fs) => fs.readFileSync(file, "utf8")));
    const rules = sarif.runs[0].tool.driver.rules as Array<{ id: string; shortDescription?: { text: string } }>;
    expect(rules.find((r) => r.id === "model.pickle.dangerous-global")?.shortDescription?.text).toMatch(/dangerous callable/);
  });
});
