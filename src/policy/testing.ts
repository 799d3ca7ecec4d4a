import { type CheckResult, type Finding, registerRules, VERSION } from "../core/index.js";
import { type Action, authorize, type CedarValue, type Entity, type EntityRef } from "./access.js";
import type { Bundle } from "./bundle.js";
import { evaluateBundle } from "./evaluate.js";
import { normalizeEvidence } from "./evidence.js";

registerRules([
  {
    id: "policy.invalid",
    title: "A policy file does not parse, type-check or validate",
    help: "Fix the YAML, CEL or Cedar at the reported line and column.",
    defaultSeverity: "high",
  },
  {
    id: "policy.test-failed",
    title: "A policy unit test did not get the expected decision",
    help: "Either the policy or the test's expectation is wrong; the message lists expected and actual outcomes.",
    defaultSeverity: "high",
  },
]);

export interface CaseResult {
  file: string;
  test: string;
  name: string;
  passed: boolean;
  /** What differed, one entry per mismatch. */
  mismatches: string[];
}

export interface PolicyTestReport {
  bundleDigest: string;
  problems: number;
  cases: CaseResult[];
  result: CheckResult;
}

/**
 * `rampart policy test`: first every YAML/CEL/Cedar problem (nothing runs when there is one), then
 * each test case evaluated and compared with its expected decision and rule outcomes.
 */
export function runPolicyTests(bundle: Bundle): PolicyTestReport {
  const findings: Finding[] = [];
  const problems = bundle.problems;
  for (const p of problems) findings.push({ ruleId: "policy.invalid", severity: "high", message: p.message, location: { file: p.file, line: p.line, column: p.column } });
  const cases: CaseResult[] = [];
  const outcome = (test: string, c: { name: string; file: string; line: number; column: number }, mismatches: string[]) => {
    cases.push({ file: c.file, test, name: c.name, passed: mismatches.length === 0, mismatches });
    if (mismatches.length > 0)
      findings.push({
        ruleId: "policy.test-failed",
        severity: "high",
        message: `${test} / ${c.name}: ${mismatches.join("; ")}`,
        location: { file: c.file, line: c.line, column: c.column },
      });
  };
  if (problems.length === 0) {
    for (const test of bundle.tests) {
      const now = test.now ? new Date(`${test.now}T12:00:00Z`) : new Date();
      for (const c of test.cases) {
        const got = evaluateBundle(bundle, normalizeEvidence(c.evidence), { now, params: c.params });
        const mismatches: string[] = [];
        if (c.expect.decision && c.expect.decision !== got.decision)
          mismatches.push(`decision: expected ${c.expect.decision}, got ${got.decision}${got.denied.length ? ` (denied by ${got.denied.join(", ")})` : ""}`);
        for (const [id, want] of Object.entries(c.expect.rules ?? {})) {
          const rule = got.rules.find((r) => r.id === id);
          if (rule?.outcome !== want) mismatches.push(`${id}: expected ${want}, got ${rule?.outcome ?? "nothing"}${rule?.message ? ` (${rule.message})` : ""}`);
        }
        outcome(test.name, c, mismatches);
      }
    }
  }
  if (problems.length === 0) {
    for (const test of bundle.accessTests) {
      const entities: Entity[] = test.entities.map((e) => ({
        uid: parseRef(e.uid),
        attrs: refs(e.attrs ?? {}) as Record<string, CedarValue>,
        parents: (e.parents ?? []).map(parseRef),
      }));
      for (const c of test.cases) {
        const got = authorize(
          { principal: parseRef(c.principal), action: c.action as Action, resource: parseRef(c.resource), context: refs(c.context) as Record<string, CedarValue>, entities },
          bundle.access,
        );
        const mismatches: string[] = [];
        if (got.decision !== c.expect.decision)
          mismatches.push(
            `decision: expected ${c.expect.decision}, got ${got.decision} (${got.policyIds.join(", ") || "no policy applied"}${got.errors.length ? `; errors: ${got.errors.join("; ")}` : ""})`,
          );
        if (c.expect.policyIds && [...c.expect.policyIds].sort().join(",") !== got.policyIds.join(","))
          mismatches.push(`policyIds: expected [${c.expect.policyIds.join(", ")}], got [${got.policyIds.join(", ")}]`);
        outcome(test.name, c, mismatches);
      }
    }
  }
  const passed = cases.filter((c) => c.passed).length;
  return {
    bundleDigest: bundle.digest,
    problems: problems.length,
    cases,
    result: {
      check: "policy-test",
      version: VERSION,
      subjects: [{ name: "policy-bundle", digest: { sha256: bundle.digest } }],
      findings,
      metrics: {
        policies: bundle.policies.length,
        rules: bundle.policies.reduce((n, p) => n + p.rules.length, 0),
        waivers: bundle.waivers.length,
        accessPolicies: bundle.cedar.length,
        problems: problems.length,
        cases: cases.length,
        passed,
        failed: cases.length - passed,
      },
    },
  };
}

/** `User::alice` or `Release::"rel-1"` → an entity reference. */
function parseRef(text: string): EntityRef {
  const i = text.indexOf("::");
  return { type: text.slice(0, i) as EntityRef["type"], id: text.slice(i + 2).replace(/^"(.*)"$/, "$1") };
}

/** YAML values to Cedar values: `{entity: Type::id}` becomes an entity reference. */
function refs(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(refs);
  if (v !== null && typeof v === "object") {
    const o = v as Record<string, unknown>;
    if (Object.keys(o).length === 1 && typeof o.entity === "string") return parseRef(o.entity);
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, refs(x)]));
  }
  return v;
}
