import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { digestDirectory } from "../../src/core/index.js";
import { type BundleFile, compileBundle, compileExpression, evaluateBundle, loadBundle, normalizeEvidence, runPolicyTests } from "../../src/policy/index.js";

const EXAMPLES = "examples/policies";

const policy = (validations: string, extra = "") => `apiVersion: rampart.dev/v1alpha1
kind: GatePolicy
metadata:
  name: p
spec:
${extra}  validations:
${validations}`;

describe("example policy bundle", () => {
  it("passes its own unit tests", async () => {
    const report = runPolicyTests(await loadBundle(EXAMPLES));
    expect(report.problems).toBe(0);
    expect(report.cases.length).toBeGreaterThanOrEqual(20);
    expect(report.cases.filter((c) => !c.passed)).toEqual([]);
    expect(report.result.findings).toEqual([]);
  });

  it("a wrong expectation makes policy test fail, naming the case", async () => {
    const bundle = await loadBundle(EXAMPLES);
    const files = bundle.files.map((f) =>
      f.path === "tests/fairness_test.yaml" ? { ...f, text: f.text.replace("rules: { fairness/disparate-impact: fail }", "rules: { fairness/disparate-impact: pass }") } : f,
    );
    const report = runPolicyTests(compileBundle(files, EXAMPLES));
    const failed = report.cases.filter((c) => !c.passed);
    expect(failed.map((c) => c.name)).toEqual(["one biased attribute fails"]);
    expect(failed[0]!.mismatches[0]).toMatch(/fairness\/disparate-impact: expected pass, got fail \(disparate impact below 0.8 for sex \(0.62\)\)/);
    expect(report.result.findings[0]!.location).toMatchObject({ file: "examples/policies/tests/fairness_test.yaml", line: 14 });
  });

  it("a wrong Cedar expectation fails too, naming the deciding policies", async () => {
    const bundle = await loadBundle(EXAMPLES);
    const files = bundle.files.map((f) =>
      f.path === "tests/access_test.yaml" ? { ...f, text: f.text.replace("expect: { decision: deny, policyIds: [no-self-review] }", "expect: { decision: allow }") } : f,
    );
    const failed = runPolicyTests(compileBundle(files, EXAMPLES)).cases.filter((c) => !c.passed);
    expect(failed).toEqual([expect.objectContaining({ test: "access", mismatches: ["decision: expected allow, got deny (no-self-review)"] })]);
  });

  it("blocks the biased release and allows the fixed one", async () => {
    const bundle = await loadBundle(EXAMPLES);
    const read = (f: string) => normalizeEvidence(JSON.parse(readFileSync(`${EXAMPLES}/tests/${f}`, "utf8")));
    const biased = evaluateBundle(bundle, read("biased-release.json"));
    expect(biased.decision).toBe("deny");
    expect(biased.denied).toEqual(["fairness/disparate-impact"]);
    expect(evaluateBundle(bundle, read("good-release.json")).decision).toBe("allow");
  });

  it("bundle digest is deterministic and equals the directory digest", async () => {
    const a = await loadBundle(EXAMPLES);
    const b = compileBundle([...a.files].reverse());
    expect(b.digest).toBe(a.digest);
    expect(a.digest).toBe((await digestDirectory(EXAMPLES)).sha256);
    const changed = compileBundle(a.files.map((f) => (f.path === "fairness.yaml" ? { ...f, text: f.text.replace("0.8", "0.81") } : f)));
    expect(changed.digest).not.toBe(a.digest);
  });
});

describe("broken policies are reported with file:line:col before anything runs", () => {
  const problemsOf = (text: string, path = "gate.yaml") => compileBundle([{ path, text }], "policies").problems;

  it("CEL syntax error in a plain scalar", () => {
    const p = problemsOf(policy("    - expression: size(evidence.findings) == \n"));
    expect(p).toHaveLength(1);
    expect(p[0]).toMatchObject({ file: "policies/gate.yaml", line: 7 });
    expect(p[0]!.message).toMatch(/^spec\.validations\.0\.expression: syntax error/);
  });

  it("CEL error inside a block scalar points at the line and column inside the block", () => {
    const text = policy("    - name: r\n      expression: |\n        evidence.findings.all(f,\n          f.severity != 'critical' && nope(f))\n");
    const p = problemsOf(text);
    expect(p).toHaveLength(1);
    expect(p[0]!.message).toMatch(/unknown function 'nope'/);
    expect(p[0]).toMatchObject({ line: 10, column: 39 });
    const lines = text.split("\n");
    expect(lines[9]!.slice(38)).toMatch(/^nope\(f\)/);
  });

  it("undeclared names, unknown variables and parameters", () => {
    const p = problemsOf(
      policy(
        "    - expression: findings.size() == 0\n    - expression: variables.later\n    - expression: params.missing > 1\n",
        "  variables:\n    - name: later\n      expression: variables.later2\n",
      ),
    );
    const messages = p.map((x) => x.message);
    expect(messages).toContainEqual(expect.stringMatching(/undeclared reference to 'findings'/));
    expect(messages).toContainEqual(expect.stringMatching(/unknown variable 'later2'/));
    expect(messages).toContainEqual(expect.stringMatching(/unknown parameter 'missing'/));
    expect(p.every((x) => x.file === "policies/gate.yaml" && x.line > 1 && x.column >= 1)).toBe(true);
  });

  it("type errors: comparing a string with a number, arithmetic int*double, non-bool rule", () => {
    expect(problemsOf(policy("    - expression: size(evidence.findings) > 'many'\n"))[0]!.message).toMatch(/no matching overload for '_>_' applied to \(int, string\)/);
    expect(problemsOf(policy("    - expression: size(evidence.a) * 0.5 > 1.0\n"))[0]!.message).toMatch(/no matching overload for '_\*_' applied to \(int, double\)/);
    expect(problemsOf(policy("    - expression: \"'yes'\"\n"))[0]!.message).toMatch(/must evaluate to bool, but it is string/);
  });

  it("YAML syntax and schema errors", () => {
    expect(problemsOf("apiVersion: rampart.dev/v1alpha1\nkind: GatePolicy\nmetadata: { name: p\n")[0]).toMatchObject({ file: "policies/gate.yaml", line: 4 });
    const bad = problemsOf(policy("    - expression: 'true'\n      action: Block\n"));
    expect(bad[0]).toMatchObject({ line: 8, column: 15 });
    expect(bad[0]!.message).toMatch(/spec\.validations\.0\.action/);
    expect(problemsOf("kind: Gate\n")[0]!.message).toMatch(/kind: expected GatePolicy/);
  });

  it("waivers and tests must name existing rules", () => {
    const waiver = `apiVersion: rampart.dev/v1alpha1
kind: Waiver
metadata: { name: w }
spec: { rule: p/nope, justification: "vendor fix due next sprint", approver: ciso, expires: "2030-01-01" }
`;
    const p = compileBundle([
      { path: "a.yaml", text: policy("    - name: r\n      expression: 'true'\n") },
      { path: "w.yaml", text: waiver },
    ]).problems;
    expect(p).toEqual([expect.objectContaining({ file: "w.yaml", line: 3, message: 'waiver w: no rule "p/nope" in this bundle' })]);
  });

  it("a broken Cedar policy is reported with its file and line", () => {
    const p = compileBundle([
      { path: "access.cedar", text: '@id("ok")\npermit (principal, action == Rampart::Action::"read-dataset", resource)\nwhen { resource.tagz.contains("x") };\n' },
    ]).problems;
    expect(p).toHaveLength(1);
    expect(p[0]).toMatchObject({ file: "access.cedar", line: 3 });
    expect(p[0]!.message).toMatch(/tagz/);
  });
});

describe("evaluation", () => {
  const files = (extra: BundleFile[] = []): BundleFile[] => [
    {
      path: "p.yaml",
      text: policy(
        "    - name: no-critical\n      expression: evidence.findings.all(f, f.severity != 'critical')\n      message: critical finding\n" +
          "    - name: has-metric\n      expression: evidence.checks.drift.metrics.psi < 0.2\n      action: Warn\n" +
          "    - name: audit-only\n      expression: 'false'\n      action: Audit\n",
      ),
    },
    ...extra,
  ];
  const critical = normalizeEvidence({ results: [{ check: "scan-model", findings: [{ ruleId: "x", severity: "critical", message: "m" }] }] });

  it("Deny failures deny; Warn and Audit do not; a missing field is an error under failurePolicy Fail", () => {
    const r = evaluateBundle(compileBundle(files()), critical);
    expect(r.decision).toBe("deny");
    expect(r.rules.map((x) => [x.id, x.outcome])).toEqual([
      ["p/no-critical", "fail"],
      ["p/has-metric", "error"],
      ["p/audit-only", "fail"],
    ]);
    expect(r.denied).toEqual(["p/no-critical"]);
    expect(r.warned).toEqual(["p/has-metric"]);
    expect(r.rules[1]!.message).toMatch(/evaluation error: .*drift/);
  });

  it("refuses to evaluate a bundle with problems (a broken rule must not silently vanish)", () => {
    const b = compileBundle([{ path: "p.yaml", text: policy("    - name: ok\n      expression: 'true'\n    - name: broken\n      expression: 'evidence.('\n") }]);
    expect(() => evaluateBundle(b, normalizeEvidence({}))).toThrow(/p.yaml:10:28: spec.validations.1.expression: syntax error: found \. but expecting end of input/);
  });

  it("failurePolicy Ignore skips rules that cannot be evaluated", () => {
    const b = compileBundle([{ path: "p.yaml", text: policy("    - name: m\n      expression: evidence.checks.drift.metrics.psi < 0.2\n", "  failurePolicy: Ignore\n") }]);
    const r = evaluateBundle(b, normalizeEvidence({}));
    expect(r.rules[0]!.outcome).toBe("skipped");
    expect(r.decision).toBe("allow");
  });

  it("an unexpired waiver lets a failing rule through; an expired one is ignored and reported", () => {
    const waiver = (expires: string) => ({
      path: "w.yaml",
      text: `apiVersion: rampart.dev/v1alpha1\nkind: Waiver\nmetadata: { name: cve-wait }\nspec:\n  rule: p/no-critical\n  justification: vendor patch expected next week\n  approver: ciso@example.com\n  expires: "${expires}"\n`,
    });
    const active = evaluateBundle(compileBundle(files([waiver("2026-03-31")])), critical, { now: new Date("2026-03-31T23:59:00Z") });
    expect(active.decision).toBe("allow");
    expect(active.rules[0]).toMatchObject({ outcome: "waived", waiver: { name: "cve-wait", approver: "ciso@example.com" } });
    const expired = evaluateBundle(compileBundle(files([waiver("2026-03-31")])), critical, { now: new Date("2026-04-01T00:00:00Z") });
    expect(expired.decision).toBe("deny");
    expect(expired.expiredWaivers).toEqual([{ name: "cve-wait", rule: "p/no-critical", approver: "ciso@example.com", expires: "2026-03-31" }]);
  });

  it("a variable that fails makes the rules reading it fail with the variable's error", () => {
    const b = compileBundle([
      {
        path: "p.yaml",
        text: policy(
          "    - name: r\n      expression: size(variables.v) == 0\n    - name: other\n      expression: 'true'\n",
          "  variables:\n    - name: v\n      expression: evidence.nothing.here\n",
        ),
      },
    ]);
    const r = evaluateBundle(b, normalizeEvidence({}));
    expect(r.rules.map((x) => x.outcome)).toEqual(["error", "pass"]);
    expect(r.rules[0]!.message).toMatch(/variable v:/);
  });
});

describe("CEL compiler on arbitrary input", () => {
  it("never throws, always returns problems or a program (property)", () => {
    const ctx = { variables: new Set(["v"]), params: new Set(["p"]), expect: "bool" as const };
    const pieces = fc.constantFrom(
      "evidence",
      ".",
      "findings",
      "(",
      ")",
      "[",
      "]",
      "'x'",
      "1",
      "2.5",
      "&&",
      "||",
      "!",
      "==",
      "<",
      "+",
      "*",
      "all",
      "f",
      ",",
      "size",
      "has",
      "variables.v",
      "params.p",
      "?",
      ":",
      " ",
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 60 }),
          fc.array(pieces, { maxLength: 20 }).map((a) => a.join("")),
        ),
        (src) => {
          const r = compileExpression(src, ctx);
          expect(r.problems.length > 0 || r.compiled !== undefined).toBe(true);
          if (r.compiled) r.compiled.evaluate({ evidence: { findings: [] }, params: { p: 1 }, variables: new Map() });
        },
      ),
      { numRuns: 400 },
    );
  });
});
