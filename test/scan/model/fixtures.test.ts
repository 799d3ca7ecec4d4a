import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { atLeast, CheckResult, type Finding, render } from "../../../src/core/index.js";
import { scanModelPaths } from "../../../src/scan/model/index.js";
import { tempDir } from "../../helpers/db.js";

const serious = (f: Finding) => atLeast(f.severity, "high");
let dir: string;
let manifest: Record<string, { expect: "clean" | "high"; callable?: string }>;

beforeAll(() => {
  dir = tempDir("rampart-model-fixtures-");
  execFileSync("python3", ["test/fixtures/model/make_fixtures.py", dir], { stdio: "pipe" });
  manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8"));
});

describe("scan model on generated fixtures", () => {
  it("generates benign and malicious files of every format", () => {
    const names = Object.keys(manifest);
    expect(names.filter((n) => n.startsWith("benign/")).length).toBeGreaterThanOrEqual(25);
    expect(names.filter((n) => n.startsWith("malicious/")).length).toBeGreaterThanOrEqual(70);
  });

  it("flags every malicious file high or critical, naming the callable", async () => {
    const missed: string[] = [];
    for (const [file, m] of Object.entries(manifest)) {
      if (m.expect !== "high") continue;
      const result = await scanModelPaths([join(dir, file)], { digest: false });
      const hits = result.findings.filter(serious);
      if (hits.length === 0) missed.push(`${file}: ${result.findings.map((f) => f.ruleId).join(", ") || "no findings"}`);
      else if (m.callable && !hits.some((f) => `${f.entity ?? ""} ${f.message}`.includes(m.callable!))) missed.push(`${file}: ${m.callable} not named`);
      for (const f of hits) expect(f.location?.file).toBeTruthy();
    }
    expect(missed).toEqual([]);
  });

  it("flags no benign file high or critical", async () => {
    const flagged: string[] = [];
    for (const [file, m] of Object.entries(manifest)) {
      if (m.expect !== "clean") continue;
      const result = await scanModelPaths([join(dir, file)], { digest: false });
      for (const f of result.findings.filter(serious)) flagged.push(`${file}: ${f.ruleId} ${f.message}`);
    }
    expect(flagged).toEqual([]);
  });

  it("scans a Hugging Face-style folder with subjects, offsets and members", async () => {
    const result = CheckResult.parse(await scanModelPaths([join(dir, "benign", "hf_repo"), join(dir, "malicious", "torch_extra_pickle.pt")]));
    expect(result.subjects).toHaveLength(2);
    expect(result.subjects[0]!.digest.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(result.metrics.files).toBe(6);
    const hit = result.findings.find((f) => f.ruleId === "model.pickle.dangerous-global")!;
    expect(hit.location).toMatchObject({ file: "torch_extra_pickle.pt", member: "archive/data.txt" });
    expect(hit.location?.offset).toBeGreaterThan(0);
    expect(hit.evidence).toMatchObject({ calledAt: expect.any(Number), callOpcode: "REDUCE" });
    const sarif = JSON.parse(render([result], "sarif", { color: false, failOn: "high", toolVersion: "test" }));
    expect(sarif.runs[0].results.length).toBeGreaterThan(0);
  });

  it("reports the exact byte offsets of import and call", async () => {
    const result = await scanModelPaths([join(dir, "malicious", "subprocess.pkl")], { digest: false });
    const f = result.findings.find((x) => x.ruleId === "model.pickle.dangerous-global")!;
    // PROTO(2 bytes) then GLOBAL at offset 2; REDUCE is the byte before STOP.
    const bytes = readFileSync(join(dir, "malicious", "subprocess.pkl"));
    expect(f.location?.offset).toBe(2);
    expect(f.evidence?.calledAt).toBe(bytes.length - 2);
    expect(bytes[bytes.length - 2]).toBe(0x52);
  });

  it("sees a payload placed after the first array of a plain joblib file", async () => {
    const result = await scanModelPaths([join(dir, "malicious", "payload_after_array.joblib")], { digest: false });
    expect(result.findings.map((f) => f.entity)).toContain("posix.system");
    expect(result.findings.some((f) => f.ruleId === "model.pickle.malformed")).toBe(false);
  });

  it("reports what a broken pickle already ran", async () => {
    const result = await scanModelPaths([join(dir, "malicious", "broken_after_call.pkl")], { digest: false });
    const broken = result.findings.find((f) => f.ruleId === "model.pickle.broken-after-call")!;
    expect(broken.severity).toBe("high");
    expect(broken.message).toContain("os.system");
  });
});
