import { access, mkdir, readdir } from "node:fs/promises";
import { extname, join, relative, resolve } from "node:path";
import { type Command, Option } from "commander";
import { createColors } from "picocolors";
import { generateKeyFiles } from "../../attest/index.js";
import { FORMATS, type Format, RampartError, render, SEVERITIES, type Severity, VERSION, writeFileAtomic } from "../../core/index.js";
// The runner and the stage registry load every capability: imported when a command needs them, so
// `rampart --help` and the light commands start fast.
import { CONFIG_FILE, DEFAULT_KEY } from "../../pipeline/config.js";
import type { RunReport } from "../../pipeline/index.js";
import { globalFlags, interactive } from "../output.js";
import { stageProgress } from "../progress.js";

export function registerProject(program: Command): void {
  program
    .command("init")
    .description("scaffold rampart.yaml, a policies/ folder and a signing key in a project")
    .argument("[dir]", "project folder", ".")
    .option("--force", "overwrite an existing rampart.yaml")
    .addHelpText(
      "after",
      "\nArtifacts are detected by file type (datasets, models, code) and listed in rampart.yaml for review.\nExample:\n  rampart init my-model && rampart run my-model",
    )
    .action(async (dir: string, opts: { force?: boolean }) => {
      const root = resolve(dir);
      const configPath = join(root, CONFIG_FILE);
      if (!opts.force && (await exists(configPath))) throw new RampartError("conflict", `${configPath}: already exists (use --force to overwrite)`);
      await mkdir(root, { recursive: true });
      const artifacts = await detectArtifacts(root);
      await writeFileAtomic(configPath, scaffold(root, artifacts));
      await mkdir(join(root, "policies"), { recursive: true });
      const policyPath = join(root, "policies", "release.yaml");
      if (!(await exists(policyPath))) await writeFileAtomic(policyPath, POLICY_TEMPLATE);
      await writeFileAtomic(join(root, ".rampart", ".gitignore"), "*\n!.gitignore\n");
      const keyBase = join(root, DEFAULT_KEY.replace(/\.key$/, ""));
      const key = (await exists(`${keyBase}.key`)) ? undefined : await generateKeyFiles(keyBase);
      const out = [`wrote ${relative(process.cwd(), configPath) || CONFIG_FILE} (${artifacts.length} artifact(s) detected)`, `wrote ${relative(process.cwd(), policyPath)}`];
      if (key) out.push(`created signing key ${relative(process.cwd(), key.privateKeyPath)} (key id ${key.keyId.slice(0, 16)}…)`);
      out.push(`next: rampart run ${dir}`);
      process.stdout.write(`${out.join("\n")}\n`);
    });

  program
    .command("run")
    .description("run the stages of a project's rampart.yaml: sign and store every result, print a summary, write a JSON report")
    .argument("[dir]", "project folder holding rampart.yaml", ".")
    .option("--key <file>", "signing key (overrides rampart.yaml signing.key and RAMPART_SIGNING_KEY*)")
    .addOption(new Option("--fail-on <severity>", "exit 1 when a finding is at or above this (default: rampart.yaml failOn, else high)").choices(SEVERITIES))
    .addOption(new Option("-f, --format <format>", "format of the findings report").choices(FORMATS).default("table"))
    .option("-o, --output <file>", "write the findings report to FILE instead of standard output")
    .option("--report <file>", "also copy the run's JSON report to FILE")
    .option("--database-url <url>", "store (postgres://… or a SQLite path; default RAMPART_DATABASE_URL, then DIR/.rampart/rampart.db)")
    .addHelpText(
      "after",
      `\nExit codes: 0 all stages passed, 1 a finding reached --fail-on, 2 bad input or a stage could not run.\nThe stages a rampart.yaml can use: rampart stages\nExample:\n  rampart run examples/credit-risk --format sarif -o rampart.sarif`,
    )
    .action(async (dir: string, opts: { key?: string; failOn?: Severity; format: Format; output?: string; report?: string; databaseUrl?: string }) => {
      const { runPipeline } = await import("../../pipeline/index.js");
      const report = await runPipeline(dir, { keyFile: opts.key, failOn: opts.failOn, databaseUrl: opts.databaseUrl, observer: stageProgress() });
      if (opts.report) await writeFileAtomic(opts.report, `${JSON.stringify(report, null, 2)}\n`);
      const results = report.stages.flatMap((s) => s.results);
      const color = globalFlags.color ?? (!opts.output && interactive());
      const text = render(results, opts.format, { color, width: process.stdout.columns, failOn: report.failOn, toolVersion: VERSION });
      if (opts.output) await writeFileAtomic(opts.output, text);
      if (opts.format === "table" && !opts.output) process.stdout.write(`${stageTable(report, color)}\n${text}`);
      else if (!opts.output) process.stdout.write(text);
      if (!globalFlags.quiet) process.stderr.write(`report: ${join(dir, report.reportFile)}\n`);
      for (const s of report.stages) if (s.error) process.stderr.write(`rampart: stage ${s.label}: ${s.error}\n`);
      process.exitCode = report.status === "error" ? 2 : report.status === "failed" ? 1 : 0;
    });

  program
    .command("stages")
    .description("list the stages a rampart.yaml can use")
    .action(async () => {
      const { STAGES } = await import("../../pipeline/index.js");
      const width = Math.max(...[...STAGES.keys()].map((k) => k.length));
      for (const stage of STAGES.values()) process.stdout.write(`${stage.name.padEnd(width)}  ${stage.description}\n`);
    });
}

function stageTable(report: RunReport, color: boolean): string {
  const c = createColors(color);
  const w = Math.max(5, ...report.stages.map((s) => s.label.length));
  const lines = [
    c.bold(`rampart run ${report.project}  ${c.dim(`run ${report.runId}, signed by ${report.keyId.slice(0, 16)}…`)}`),
    c.dim(`  ${"STAGE".padEnd(w)}  STATUS   FINDINGS  ATTESTED  TIME`),
  ];
  for (const s of report.stages) {
    const status = s.status === "passed" ? c.green("passed ") : s.status === "failed" ? c.red("failed ") : c.yellow("error  ");
    const findings = s.results.reduce((n, r) => n + r.findings.length, 0);
    lines.push(`  ${s.label.padEnd(w)}  ${status}  ${String(findings).padStart(8)}  ${String(s.attestations.length).padStart(8)}  ${s.durationMs} ms`);
  }
  const verdict =
    report.status === "passed"
      ? c.green("PASSED")
      : report.status === "failed"
        ? c.red(`FAILED (findings at or above ${report.failOn})`)
        : c.yellow("ERROR (a stage could not run)");
  lines.push(`  ${verdict}`, "");
  return lines.join("\n");
}

const DATASET = new Set([".csv", ".tsv", ".parquet", ".jsonl", ".ndjson", ".arrow", ".feather"]);
const MODEL = new Set([".pkl", ".pickle", ".pt", ".pth", ".bin", ".ckpt", ".joblib", ".onnx", ".safetensors", ".h5", ".keras", ".gguf", ".npy", ".npz", ".pb"]);
const CODE = new Set([".py", ".ipynb"]);

interface Detected {
  name: string;
  path: string;
  kind: "dataset" | "model" | "code";
}

/** Artifacts by file type, two levels deep; code folders are listed once. */
async function detectArtifacts(root: string): Promise<Detected[]> {
  const found: Detected[] = [];
  const codeDirs = new Set<string>();
  async function walk(dir: string, depth: number): Promise<void> {
    for (const e of await readdir(dir, { withFileTypes: true })) {
      if (e.name.startsWith(".") || e.name === "node_modules" || e.name === "policies") continue;
      const full = join(dir, e.name);
      const rel = relative(root, full).split("\\").join("/");
      if (e.isDirectory() && depth < 2) await walk(full, depth + 1);
      else if (e.isFile()) {
        const ext = extname(e.name).toLowerCase();
        if (DATASET.has(ext)) found.push({ name: e.name.replace(/\.[^.]+$/, ""), path: rel, kind: "dataset" });
        else if (MODEL.has(ext)) found.push({ name: e.name.replace(/\.[^.]+$/, ""), path: rel, kind: "model" });
        else if (CODE.has(ext)) codeDirs.add(relative(root, dir).split("\\").join("/") || ".");
      }
    }
  }
  await walk(root, 0);
  for (const d of codeDirs) found.push({ name: d === "." ? "code" : `${d.replace(/\//g, "-")}-code`, path: d, kind: "code" });
  const seen = new Map<string, number>();
  return found.map((a) => {
    const n = seen.get(a.name) ?? 0;
    seen.set(a.name, n + 1);
    return n ? { ...a, name: `${a.name}-${n + 1}` } : a;
  });
}

function scaffold(root: string, artifacts: Detected[]): string {
  const name = root.split(/[\\/]/).pop() || "project";
  const list = artifacts.length
    ? artifacts.map((a) => `  ${JSON.stringify(a.name)}:\n    path: ${JSON.stringify(a.path)}\n    kind: ${a.kind}`).join("\n")
    : "  # training-data:\n  #   path: data/train.csv\n  #   kind: dataset";
  return `# Rampart project: every stage's result is signed and recorded. See: rampart stages
version: 1
project: ${JSON.stringify(name)}
# Findings at or above this severity fail the run (exit 1).
failOn: high
signing:
  key: ${DEFAULT_KEY}
artifacts:
${list}
stages:
  - stage: inventory
`;
}

const POLICY_TEMPLATE = `# Release gates: CEL expressions over a release's evidence (see docs/policy.md).
apiVersion: rampart.dev/v1alpha1
kind: GatePolicy
metadata:
  name: release-gates
spec:
  failurePolicy: Fail
  validations:
    - expression: "evidence.findings.all(f, f.severity != 'critical' && f.severity != 'high')"
      message: "no high or critical findings may ship"
      reason: UnsafeArtifact
      action: Deny
`;

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
