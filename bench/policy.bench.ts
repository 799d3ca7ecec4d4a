import type { CheckResult } from "../src/core/index.js";
import { accessPolicies, authorize, type BundleFile, buildEvidence, compileBundle, entity, evaluateBundle, ref } from "../src/policy/index.js";
import { table, time } from "./util.js";

/** A bundle of `rules` rules spread over policies of 10, each scanning all findings (worst case: no short-circuit). */
function bundleOf(rules: number): BundleFile[] {
  const files: BundleFile[] = [];
  for (let p = 0; p * 10 < rules; p++) {
    const n = Math.min(10, rules - p * 10);
    const validations = Array.from(
      { length: n },
      (_, i) =>
        `    - name: r${i}\n      expression: evidence.findings.all(f, f.severity != 'critical' || f.ruleId != 'rule-${p}-${i}')\n      messageExpression: "'found ' + string(size(evidence.findings))"\n`,
    ).join("");
    files.push({ path: `p${p}.yaml`, text: `apiVersion: rampart.dev/v1alpha1\nkind: GatePolicy\nmetadata: { name: p${p} }\nspec:\n  validations:\n${validations}` });
  }
  return files;
}

/** `attestations` CheckResults of 20 findings each (the evidence a release would carry). */
function resultsOf(attestations: number): CheckResult[] {
  return Array.from({ length: attestations }, (_, a) => ({
    check: `check-${a % 25}`,
    version: "1",
    subjects: [{ name: `artifact-${a}`, digest: { sha256: a.toString(16).padStart(64, "0") } }],
    findings: Array.from({ length: 20 }, (_, f) => ({ ruleId: `rule-${f}`, severity: f % 5 === 0 ? ("high" as const) : ("low" as const), message: "m" })),
    metrics: { score: a / attestations },
  }));
}

export default async function bench(): Promise<void> {
  const rows: Array<Array<string | number>> = [];
  for (const rules of [10, 50, 200]) {
    const files = bundleOf(rules);
    const compileMs = await time(() => compileBundle(files), 3);
    const bundle = compileBundle(files);
    if (bundle.problems.length) throw new Error(bundle.problems[0]!.message);
    for (const attestations of [10, 100, 500]) {
      const evidence = buildEvidence({ results: resultsOf(attestations) });
      evaluateBundle(bundle, evidence); // warm-up: JIT and CEL plan caches
      const ms = await time(() => evaluateBundle(bundle, evidence), rules * attestations > 20_000 ? 1 : 3);
      rows.push([rules, attestations, attestations * 20, compileMs, ms, (rules * attestations * 20) / ms / 1000]);
    }
  }
  console.log("Gate evaluation (each rule scans every finding; best of 3):\n");
  table(["rules", "attestations", "findings", "compile ms", "evaluate ms", "M rule×finding/s"], rows);

  const policies = accessPolicies([
    {
      path: "a.cedar",
      text: `@id("review") permit (principal in Rampart::Role::"risk-reviewer", action == Rampart::Action::"approve", resource is Rampart::Release);
@id("sod") forbid (principal, action == Rampart::Action::"approve", resource is Rampart::Release) when { resource.owner == principal };
@id("promote") permit (principal in Rampart::Role::"release-manager", action == Rampart::Action::"promote", resource is Rampart::Release) when { context.gatesPassed };`,
    },
  ]);
  const release = entity("Release", "r1", { owner: ref("User", "dana"), model: "m", digest: "d", stage: "approved", tags: [] });
  const users = Array.from({ length: 50 }, (_, i) => entity("User", `u${i}`, {}, [ref("Role", i % 2 ? "risk-reviewer" : "release-manager")]));
  const n = 2000;
  let allowed = 0;
  const ms = await time(() => {
    allowed = 0;
    for (let i = 0; i < n; i++) {
      const d = authorize({ principal: ref("User", `u${i % 50}`), action: "approve", resource: ref("Release", "r1"), entities: [users[i % 50]!, release] }, policies);
      if (d.decision === "allow") allowed++;
    }
  }, 3);
  console.log("\nCedar authorisation (cedar-wasm, schema-validated requests, 3 policies, 2 entities per request):\n");
  table(["decisions", "allowed", "ms", "decisions/s"], [[n, allowed, ms, (n / ms) * 1000]]);
}
