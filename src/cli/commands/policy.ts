import { access } from "node:fs/promises";
import { join, resolve } from "node:path";
import { type Command, Option } from "commander";
import { loadPublicKey, type PublicKey } from "../../attest/index.js";
import { CheckResult, CheckResults, RampartError, readJson, writeFileAtomic } from "../../core/index.js";
import {
  assertValid,
  buildEvidence,
  evaluateBundle,
  type GateEvaluation,
  loadBundle,
  type RecordedDecision,
  recordDecision,
  replayDecision,
  runPolicyTests,
} from "../../policy/index.js";
import { gateRelease, STAGES, type Stage } from "../../registry/index.js";
import { openStore } from "../../store/index.js";
import { emitResults, type OutputOptions, withOutputOptions } from "../output.js";

export function registerPolicy(program: Command): void {
  const policy = program.command("policy").description("policy-as-code: gate bundles (YAML + CEL) and access rules (Cedar)");
  withOutputOptions(
    policy
      .command("test")
      .description("check a policy bundle (YAML, CEL, Cedar against Rampart's schema) and run its unit tests")
      .argument("[dir]", "policy bundle folder", "policies"),
  )
    .addHelpText(
      "after",
      `
Every YAML/CEL/Cedar problem is reported as FILE:LINE:COL before any test runs. Tests are
GatePolicyTest files: cases of evidence (inline or evidenceFile) and the expected decision and
rule outcomes (pass, fail, error, waived, skipped). Exit 1 when a problem or a failed case is found.
Example:
  rampart policy test examples/policies
  rampart policy test policies --format junit -o policy-tests.xml`,
    )
    .action(async (dir: string, opts: OutputOptions) => {
      const bundle = await loadBundle(dir);
      const report = runPolicyTests(bundle);
      if (opts.format === "table" && !opts.output) {
        const lines = report.cases.map((c) => `${c.passed ? "ok  " : "FAIL"}  ${c.test} / ${c.name}${c.passed ? "" : `\n        ${c.mismatches.join("\n        ")}`}`);
        const m = report.result.metrics as Record<string, number>;
        lines.push(
          `bundle sha256:${report.bundleDigest}  ${m.policies} gate policies, ${m.rules} rules, ${m.waivers} waivers, ${Object.keys(bundle.access.policies).length} Cedar policies`,
          `${m.problems} problem(s), ${m.passed}/${m.cases} case(s) passed`,
        );
        process.stdout.write(`${lines.join("\n")}\n`);
        if (report.result.findings.length === 0) return;
      }
      process.exitCode = await emitResults([report.result], opts);
    });

  program
    .command("gate")
    .description("evaluate the policy bundle over a release's evidence, print every rule's outcome and record the decision")
    .argument("[release]", "release id in the registry (or use --evidence)")
    .option("-p, --policies <dir>", "policy bundle folder", "policies")
    .option("--evidence <file>", "gate CheckResult JSON (one result or {results: [...]}) instead of a registry release")
    .addOption(new Option("--stage <stage>", "stage the release asks to move to (default: the next one)").choices(STAGES))
    .option("--trust <pub...>", "public keys that evidence must be signed by (default: .rampart/keys/signing.pub when present)")
    .option("--as <name>", "who asks (recorded with the decision)", process.env.RAMPART_USER)
    .option("--replay <decision-id>", "re-evaluate a recorded decision under the bundle, evidence and time it used")
    .option("--project <dir>", "project folder holding .rampart/", ".")
    .addOption(new Option("-f, --format <format>", "output format").choices(["table", "json"]).default("table"))
    .option("-o, --output <file>", "write the report to FILE instead of standard output")
    .addHelpText(
      "after",
      `
Exit 0 when the gate allows, 1 when a Deny rule fails (or errors under failurePolicy Fail), 2 on bad input.
Warn rules print a warning and Audit rules are only recorded. The decision is stored with the bundle's
digest and files, so --replay reproduces it later even after the policies changed.
Examples:
  rampart gate rel-3f2a9c1b7d20 --policies policies --stage production
  rampart gate --evidence results.json --policies examples/policies
  rampart gate --replay gd-20260101T120000-1a2b3c4d`,
    )
    .action(async (releaseId: string | undefined, opts: GateCliOptions) => {
      const store = await openStore({ projectDir: resolve(opts.project) });
      try {
        if (opts.replay) {
          const replay = await replayDecision(store, opts.replay);
          const text =
            opts.format === "json"
              ? `${JSON.stringify({ decision: replay.original, replayed: replay.replayed, identical: replay.identical, differences: replay.differences }, null, 2)}\n`
              : `${formatGate(replay.replayed, replay.original)}\nreplay of ${replay.original.id} (evaluated ${replay.original.evaluatedAt}): ${replay.identical ? "identical to the recorded decision" : `DIFFERS: ${replay.differences.join("; ")}`}\n`;
          await write(text, opts.output);
          process.exitCode = replay.identical ? (replay.replayed.decision === "allow" ? 0 : 1) : 1;
          return;
        }
        const bundle = await loadBundle(opts.policies);
        assertValid(bundle);
        let evaluation: GateEvaluation;
        let recorded: RecordedDecision;
        if (opts.evidence) {
          if (releaseId) throw new RampartError("usage", "give a release id or --evidence, not both");
          const results = await readResults(opts.evidence);
          const evidence = buildEvidence({ results });
          const now = new Date();
          evaluation = evaluateBundle(bundle, evidence, { now });
          recorded = await recordDecision(store, { bundle, evaluation, evidence, evaluatedAt: now, actor: opts.as });
        } else {
          if (!releaseId) throw new RampartError("usage", "name a release (rampart registry list) or pass --evidence FILE");
          const trustedKeys = await trustedKeysOf(opts.project, opts.trust);
          const out = await gateRelease(store, releaseId, { bundle, targetStage: opts.stage as Stage | undefined, trustedKeys, actor: opts.as });
          evaluation = out.evaluation;
          recorded = out.recorded;
        }
        const text =
          opts.format === "json"
            ? `${JSON.stringify({ ...recorded, evidence: undefined, expiredWaivers: evaluation.expiredWaivers }, null, 2)}\n`
            : `${formatGate(evaluation, recorded)}\n`;
        await write(text, opts.output);
        process.exitCode = evaluation.decision === "allow" ? 0 : 1;
      } finally {
        await store.close();
      }
    });
}

interface GateCliOptions {
  policies: string;
  evidence?: string;
  stage?: string;
  trust?: string[];
  as?: string;
  replay?: string;
  project: string;
  format: "table" | "json";
  output?: string;
}

const MARK = { pass: "PASS", fail: "FAIL", error: "ERROR", waived: "WAIVED", skipped: "SKIP" } as const;

/** Every rule's outcome with its reason, then the decision. */
export function formatGate(evaluation: GateEvaluation, recorded: Pick<RecordedDecision, "id" | "releaseId">): string {
  const width = Math.max(...evaluation.rules.map((r) => r.id.length), 10);
  const lines = evaluation.rules.map((r) => {
    const why = r.waiver ? `waived by ${r.waiver.approver} until ${r.waiver.expires}: ${r.waiver.justification}` : r.message && r.outcome !== "pass" ? r.message : "";
    return `  ${MARK[r.outcome].padEnd(6)} ${r.action.padEnd(5)} ${r.id.padEnd(width)}  ${why}`.trimEnd();
  });
  for (const w of evaluation.expiredWaivers) lines.push(`  note: waiver ${w.name} for ${w.rule} (approved by ${w.approver}) expired on ${w.expires} and was ignored`);
  const head = `gate ${recorded.releaseId ?? "(evidence file)"}  bundle sha256:${evaluation.bundleDigest.slice(0, 16)}…`;
  const verdict =
    evaluation.decision === "allow" ? `ALLOW${evaluation.warned.length ? ` with ${evaluation.warned.length} warning(s)` : ""}` : `DENY by ${evaluation.denied.join(", ")}`;
  return [head, ...lines, `decision ${verdict}  (recorded as ${recorded.id})`].join("\n");
}

async function readResults(file: string): Promise<CheckResult[]> {
  const json = await readJson(file);
  const many = CheckResults.safeParse(json);
  if (many.success) return many.data.results;
  const one = CheckResult.safeParse(json);
  if (one.success) return [one.data];
  const issue = one.error.issues[0]!;
  throw new RampartError("invalid-input", `${file}: not a CheckResult or {results: [...]} (${issue.path.join(".") || "root"}: ${issue.message})`);
}

/** --trust keys, else the project's own public key when it exists. */
export async function trustedKeysOf(project: string, trust: string[] | undefined): Promise<PublicKey[] | undefined> {
  if (trust?.length) return Promise.all(trust.map(loadPublicKey));
  const own = join(resolve(project), ".rampart", "keys", "signing.pub");
  try {
    await access(own);
    return [await loadPublicKey(own)];
  } catch {
    return undefined;
  }
}

async function write(text: string, output?: string): Promise<void> {
  if (output) await writeFileAtomic(output, text);
  else process.stdout.write(text);
}
