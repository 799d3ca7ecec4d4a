import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import AjvDraft04 from "ajv-draft-04";
import AjvFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { type CheckResult, CheckResult as CheckResultSchema, CheckResults, registerRules, render, renderJunit, renderSarif, renderTable, toJson } from "../../src/core/index.js";

const require = createRequire(import.meta.url);
// CommonJS packages: under Node's ESM interop the default import is module.exports, the class is its .default.
const Ajv = AjvDraft04.default;
const addFormats = AjvFormats.default;
// The OASIS SARIF 2.1.0 (rtm.5) schema as published, shipped inside Microsoft's SARIF SDK package.
const sarifSchema = JSON.parse(readFileSync(require.resolve("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json"), "utf8"));
// The schema's language pattern is not valid in Unicode mode, so compile patterns as the schema's authors did.
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv);
const validateSarif = ajv.compile(sarifSchema);

const sample: CheckResult[] = [
  {
    check: "scan-model",
    version: "0.1.0",
    subjects: [{ name: "models/model.pt", digest: { sha256: "a".repeat(64) } }],
    findings: [
      {
        ruleId: "pickle.dangerous-global",
        severity: "critical",
        message: "pickle imports os.system, which runs a shell command on load",
        location: { file: "models/model.pt", member: "archive/data.pkl", offset: 120, length: 18 },
        evidence: { callable: "os.system" },
        remediation: "Do not load this file; rebuild the model from trusted code or convert to safetensors.",
        tags: ["cwe:502", "atlas:AML.T0011"],
      },
      {
        ruleId: "pickle.unknown-global",
        severity: "medium",
        message: 'unknown import <xml & "quotes">',
        location: { file: "models/model.pt", member: "archive/data.pkl", offset: 9 },
      },
    ],
    metrics: { files: 1, bytes: 1234 },
  },
  {
    check: "scan-code",
    version: "0.1.0",
    subjects: [{ name: "src", digest: { sha256: "b".repeat(64) } }],
    findings: [
      {
        ruleId: "py.torch-load",
        severity: "high",
        message: "torch.load without weights_only=True",
        location: { file: "src/train file.py", line: 12, column: 5, endLine: 12, endColumn: 30 },
      },
    ],
    metrics: {},
  },
  { check: "fairness", version: "0.1.0", subjects: [], findings: [], metrics: { disparate_impact: 0.91 } },
];

describe("the --format json contract", () => {
  it("prints one CheckResult alone and several under results", () => {
    expect(CheckResultSchema.parse(toJson([sample[0]!]))).toEqual(sample[0]);
    expect(CheckResults.parse(toJson(sample)).results).toEqual(sample);
  });

  it("rejects results that break the shape", () => {
    expect(CheckResultSchema.safeParse({ ...sample[0], findings: [{ ruleId: "x", severity: "fatal", message: "m" }] }).success).toBe(false);
    expect(CheckResultSchema.safeParse({ ...sample[0], subjects: [{ name: "x", digest: { sha256: "XYZ" } }] }).success).toBe(false);
    expect(CheckResultSchema.safeParse({ ...sample[0], findings: [{ ruleId: "x", severity: "low", message: "m", location: { line: 0 } }] }).success).toBe(false);
  });
});

// biome-ignore lint/suspicious/noExplicitAny: walking a SARIF document
type Json = any;

describe("SARIF 2.1.0", () => {
  registerRules([{ id: "py.torch-load", title: "torch.load can run code", description: "torch.load unpickles.", help: "Pass weights_only=True.", tags: ["cwe:502"] }]);
  const log = renderSarif(sample, { toolVersion: "0.1.0" }) as {
    runs: Array<{ tool: { driver: { rules: Array<Record<string, unknown>> } }; results: Json[] }>;
  };

  it("validates against the official schema", () => {
    const ok = validateSarif(log);
    expect(validateSarif.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    // The validator is not vacuous: a level outside the enum and a missing version are caught.
    const broken = structuredClone(log) as Json;
    broken.runs[0].results[0].level = "fatal";
    delete broken.version;
    expect(validateSarif(broken)).toBe(false);
  });

  it("has what GitHub code scanning requires", () => {
    expect(log.runs).toHaveLength(3);
    for (const run of log.runs) {
      for (const rule of run.tool.driver.rules) {
        expect(rule).toHaveProperty("shortDescription.text");
        expect(rule).toHaveProperty("fullDescription.text");
        expect(rule).toHaveProperty("help.text");
      }
      for (const r of run.results) {
        expect(r.message.text.length).toBeGreaterThan(0);
        expect(r.partialFingerprints.primaryLocationLineHash).toMatch(/^[0-9a-f]{16}:1$/);
      }
    }
    const binary = log.runs[0]!.results[0]!;
    expect(binary.locations[0].physicalLocation.region).toMatchObject({ startLine: 1, startColumn: 1, endColumn: 2, byteOffset: 120 });
    expect(binary.level).toBe("error");
    expect(log.runs[0]!.tool.driver.rules[0]!.properties).toMatchObject({ "security-severity": "9.5" });
    const code = log.runs[1]!.results[0]!;
    expect(code.locations[0].physicalLocation.artifactLocation.uri).toBe("src/train%20file.py");
    expect(log.runs[1]!.tool.driver.rules[0]!.help).toEqual({ text: "Pass weights_only=True.", markdown: "Pass weights_only=True." });
  });
});

describe("JUnit XML", () => {
  it("fails cases at or above --fail-on and escapes XML", () => {
    const xml = renderJunit(sample, "high");
    expect(xml).toMatch(/<testsuites name="rampart" tests="4" failures="2">/);
    expect(xml).toContain("&lt;xml &amp; &quot;quotes&quot;&gt;");
    expect(xml).toContain('<testcase classname="fairness" name="no findings"/>');
    expect(renderJunit(sample, "critical")).toMatch(/failures="1"/);
  });
});

describe("terminal table", () => {
  it("lists findings worst first with locations, and is plain without colour", () => {
    const text = renderTable(sample, { color: false, width: 120 });
    expect(text).not.toMatch(/\x1b\[/);
    const lines = text.split("\n");
    const crit = lines.findIndex((l) => l.includes("CRITICAL"));
    const med = lines.findIndex((l) => l.includes("MEDIUM"));
    expect(crit).toBeGreaterThan(0);
    expect(crit).toBeLessThan(med);
    expect(text).toContain("models/model.pt!archive/data.pkl @120");
    expect(text).toContain("src/train file.py:12:5");
    expect(text.trim().split("\n").at(-1)).toBe("3 checks, 3 findings: 1 critical, 1 high, 1 medium");
  });

  it("cuts a long location at its start, so the file name and line stay", () => {
    const file = `${"/very/deep".repeat(8)}/fairness.yaml`;
    const long: CheckResult[] = [{ ...sample[0]!, findings: [{ ruleId: "policy.invalid", severity: "high", message: "syntax error", location: { file, line: 37 } }] }];
    const row = renderTable(long, { color: false, width: 120 })
      .split("\n")
      .find((l) => l.includes("policy.invalid"))!;
    expect(row).toContain("…");
    expect(row).toContain("/fairness.yaml:37");
    expect(row).not.toContain(file);
  });

  it("colours only when asked", () => {
    expect(render(sample, "table", { color: true, failOn: "high", toolVersion: "0" })).toMatch(/\x1b\[/);
  });
});
