/**
 * Session 10's held-out secrets set, three sources labelled by their authors on the literal, read from
 * checkouts at evaluation time (nothing of them is committed):
 *
 * - earlybird: americanexpress/earlybird `pkg/scan/falsePositives_test.go` (plus the one case of
 *   `pkg/scan/scan_test.go`). Each case is a hit of an earlybird credential rule with the author's verdict
 *   `wantIsFP`: false = a real finding (positive), true = a false positive (negative). The case's line
 *   (`LineValue`, else `MatchValue`) is scanned as its own file under the case's `Filename` (its extension
 *   decides code or configuration, as for a user). Cases of rules that are not credential rules
 *   (inclusivity 20014) are left out; so is one case whose own name contradicts its verdict ("Skip the
 *   github Url" with `wantIsFP: false`).
 * - checkov: bridgecrewio/checkov `tests/secrets/` fixture files whose expected number of findings the
 *   tests state for that file (or that group of files) without filtering by check id; listed in CHECKOV
 *   below with the count and the test that states it. Counted per unit like leaky-repo: reported =
 *   distinct lines with a counted finding, tp = min(reported, risk), fp = max(0, reported − risk),
 *   fn = risk − tp.
 * - ggsample: GitGuardian/sample_secrets, its README's table of secret incidents (8 rows, each a masked
 *   secret: first characters, `X`s, last characters) over the history of its branches (`refs/heads/*`;
 *   the pull-request refs of strangers are not part of it). Scanned with `--history`; an incident is found
 *   when a counted finding's lines contain a string with that row's first and last characters; a counted
 *   finding whose lines contain no incident is a false positive.
 *
 *   npx tsx bench/eval-secrets-s10.ts earlybird=CHECKOUT checkov=CHECKOUT ggsample=GIT_DIR [--seen DIR ...] [--list]
 *
 * Counted findings: every severity except `info` (`counted`). Headline: pooled tp / fp / fn of the three;
 * each source's figure and the macro mean over sources printed too.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import type { Finding } from "../src/core/index.js";
import { scanSecrets } from "../src/scan/secrets/index.js";
import { counted, oneLine, withoutSeenCopies } from "./eval-secrets-tally.js";

interface Score {
  tp: number;
  fp: number;
  fn: number;
  notes: string[];
}

const fresh = (): Score => ({ tp: 0, fp: 0, fn: 0, notes: [] });

function gitShow(gitDir: string, path: string): string {
  const r = spawnSync("git", ["--git-dir", gitDir, "show", `HEAD:${path}`], { encoding: "utf8", maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`s10 harness: ${path} not found in ${gitDir}: ${r.stderr}`);
  return r.stdout;
}

/** The git directory of a checkout (a work tree's `.git`, or a bare repository as given). */
function gitDirOf(checkout: string): string {
  const r = spawnSync("git", ["-C", checkout, "rev-parse", "--absolute-git-dir"], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : checkout;
}

// ---- earlybird -------------------------------------------------------------------------------------

export interface EarlybirdCase {
  name: string;
  code: number;
  file: string;
  text: string;
  positive: boolean;
}

/** A Go string literal (backquoted raw or double-quoted) after `field:` in a block of text. */
function goField(block: string, field: string): string | undefined {
  const m = new RegExp(`\\b${field}:\\s*(\`[^\`]*\`|"(?:[^"\\\\]|\\\\.)*")`).exec(block);
  if (!m) return undefined;
  const lit = m[1]!;
  return lit.startsWith("`") ? lit.slice(1, -1) : (JSON.parse(lit) as string);
}

/** The cases of earlybird's false-positive test table, read as text (never built or run). */
export function earlybirdCases(gitDir: string): { cases: EarlybirdCase[]; left: string[] } {
  const src = gitShow(gitDir, "pkg/scan/falsePositives_test.go");
  const cases: EarlybirdCase[] = [];
  const left: string[] = [];
  // Each table row starts at `name:` and ends at its `wantIsFP:`.
  const re = /name:\s*("(?:[^"\\]|\\.)*")([\s\S]*?)wantIsFP:\s*(true|false)/g;
  for (let m = re.exec(src); m; m = re.exec(src)) {
    const name = JSON.parse(m[1]!) as string;
    const block = m[2]!;
    const code = Number(/Code:\s*(\d+)/.exec(block)?.[1]);
    const file = goField(block, "Filename") ?? "source.txt";
    const text = goField(block, "LineValue") ?? goField(block, "MatchValue");
    const positive = m[3] === "false";
    if (text === undefined) throw new Error(`s10 harness: earlybird case ${name} has no value`);
    if (code === 20014) {
      left.push(`${name} (inclusivity rule)`);
      continue;
    }
    if (name === "Skip the github Url" && positive) {
      left.push(`${name} (its name contradicts its verdict)`);
      continue;
    }
    cases.push({ name, code, file, text, positive });
  }
  // scan_test.go: one file, one line, the password rule 3001 expected.
  const scan = gitShow(gitDir, "pkg/scan/scan_test.go");
  const line = /LineValue:\s*`([^`]*)`/.exec(scan)?.[1];
  if (line) cases.push({ name: "TestScanFiles", code: 3001, file: "file.py", text: line, positive: true });
  return { cases, left };
}

async function scoreEarlybird(cases: readonly EarlybirdCase[]): Promise<Score> {
  const s = fresh();
  const dir = mkdtempSync(join(tmpdir(), "eval-s10-eb-"));
  try {
    for (const [i, c] of cases.entries()) {
      const sub = join(dir, String(i));
      mkdirSync(sub);
      const file = join(sub, basename(c.file));
      writeFileSync(file, `${c.text}\n`);
      const found = (await scanSecrets(file, { workers: 1 })).findings.filter(counted);
      const what = `earlybird ${c.code} ${c.file}: ${oneLine(c.text)}`;
      if (c.positive && found.length) s.tp++;
      else if (c.positive) {
        s.fn++;
        s.notes.push(`miss  ${what}`);
      } else if (found.length) {
        s.fp++;
        s.notes.push(`fp    ${what} → ${found.map((f) => `${f.ruleId}@${f.severity}`).join(", ")}`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return s;
}

// ---- checkov ---------------------------------------------------------------------------------------

/**
 * Fixture files (paths under `tests/secrets/`) and the number of findings checkov's tests expect from
 * them, with the test that says so. Fixed before the first run. Left out: files whose expected findings
 * the tests filter by check id (`pomerium_compose.yml`, `multiline_finding/`, `single_line_finding/`,
 * custom-regex and log-prefix fixtures), `terraform_skip/` (a suppression comment decides its count), and
 * files no test gives a count for.
 */
export const CHECKOV: ReadonlyArray<{ files: string[]; risk: number; why: string }> = [
  { files: ["sanity/secrets/true_positive.json"], risk: 6, why: "test_runner.test_sanity_check_secrets" },
  { files: ["sanity/non_secrets/true_negative.json"], risk: 0, why: "test_runner.test_sanity_check_non_secrets" },
  { files: ["sanity/iac_fp/main.tf", "sanity/iac_fp/main.json"], risk: 0, why: "test_runner.test_fp_sanity_check_secrets_non_iac" },
  { files: ["sanity/non_iac_fp/a.py"], risk: 0, why: "test_runner.test_fp_sanity_check_secrets_iac" },
  { files: ["resources/cfn/secret.yml"], risk: 2, why: "test_runner.test_runner_failing_check (directory: 2; the other two files 0)" },
  { files: ["resources/cfn/secret-no-false-positive.yml"], risk: 0, why: "test_plugin.test_no_false_positive_yml_1" },
  { files: ["resources/cfn/secret-no-false-positive2.yml"], risk: 0, why: "test_plugin.test_no_false_positive_yml_2" },
  { files: ["resources/k8s/secret-name.yaml"], risk: 0, why: "test_plugin.test_k8s_secret_name" },
  { files: ["resources/terraform/main.tf"], risk: 0, why: "test_runner.test_runner_passing_check" },
  { files: ["resources/terraform_failed/main.tf"], risk: 2, why: "test_runner.test_runner_tf_failing_check" },
  { files: ["resources/file_type/test.ts"], risk: 2, why: "test_runner.test_runner_requested_file_type_only_ts" },
  { files: ["resources/file_type/test.py"], risk: 2, why: "test_runner.test_runner_requested_file_type_only_py" },
  { files: ["resources/file_type/Dockerfile", "resources/file_type/Dockerfile.simple"], risk: 4, why: "test_runner.test_runner_requested_file_only_dockerfile" },
  { files: ["json_multiline/test-multiline-secrets.json"], risk: 5, why: "test_plugin_multiline_json.test_multiline_keyword_password_report" },
  { files: ["json_multiline/pomerium_compose.json"], risk: 6, why: "test_plugin_multiline_json.test_non_multiline_pair_time_limit_creating_report" },
  { files: ["yml_multiline/test-multiline-secrets.yml"], risk: 5, why: "test_plugin_multiline_yml.test_multiline_keyword_password_report" },
  { files: ["terraform_multiline/pod.tf"], risk: 5, why: "test_plugin_multiline_terraform (5 failing resources)" },
  { files: ["terraform_multiline/ecs_jsonencode.tf"], risk: 5, why: "test_plugin_multiline_terraform (5 failing resources)" },
  { files: ["terraform_multiline/ecs_heredoc.tf"], risk: 5, why: "test_plugin_multiline_terraform (5 failing resources)" },
  { files: ["terraform_multiline/cfn_heredoc.tf"], risk: 5, why: "test_plugin_multiline_terraform (5 failing resources)" },
  { files: ["terraform_multiline/data.tf"], risk: 0, why: "test_plugin_multiline_terraform.test_multiline_keyword_password_skip_data_blocks" },
];

async function scoreCheckov(gitDir: string, units: ReadonlyArray<(typeof CHECKOV)[number]>): Promise<Score> {
  const s = fresh();
  const dir = mkdtempSync(join(tmpdir(), "eval-s10-ck-"));
  try {
    for (const [i, u] of units.entries()) {
      const sub = join(dir, String(i));
      mkdirSync(sub);
      for (const f of u.files) writeFileSync(join(sub, basename(f)), gitShow(gitDir, `tests/secrets/${f}`));
      const found = (await scanSecrets(sub, { workers: 1 })).findings.filter(counted);
      const reported = new Set(found.map((f) => `${f.location?.file}:${f.location?.line}`)).size;
      const tp = Math.min(reported, u.risk);
      s.tp += tp;
      s.fp += Math.max(0, reported - u.risk);
      s.fn += u.risk - tp;
      if (reported !== u.risk)
        s.notes.push(
          `${reported > u.risk ? "fp  " : "miss"}  checkov ${u.files.join(" + ")}: expected ${u.risk}, lines reported ${reported} (${found.map((f) => `${f.location?.line}:${f.ruleId}@${f.severity}`).join(", ")})`,
        );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return s;
}

// ---- GitGuardian sample_secrets ---------------------------------------------------------------------

export interface Incident {
  detector: string;
  head: string;
  tail: string;
}

/** README rows `| detector | \`head XXX…X tail\` | n |`: the masked secret's unmasked ends. */
export function ggIncidents(readme: string): Incident[] {
  const out: Incident[] = [];
  for (const l of readme.split("\n")) {
    const m = /^\|\s*([^|]+?)\s*\|\s*`([^`]+)`\s*\|\s*\d+\s*\|/.exec(l);
    if (!m) continue;
    const masked = m[2]!;
    const ends = /^(.+?)X[X.]*X(.+)$/.exec(masked);
    if (!ends) throw new Error(`s10 harness: cannot read the masked secret ${masked}`);
    out.push({ detector: m[1]!, head: ends[1]!, tail: ends[2]! });
  }
  return out;
}

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

async function scoreGg(gitDir: string, incidents: readonly Incident[]): Promise<Score> {
  const s = fresh();
  const dir = mkdtempSync(join(tmpdir(), "eval-s10-gg-"));
  try {
    const work = join(dir, "repo");
    // A plain clone takes the branches only (refs/heads/* as origin/*), not the pull-request refs.
    const c = spawnSync("git", ["clone", "-q", gitDir, work], { encoding: "utf8" });
    if (c.status !== 0) throw new Error(`s10 harness: clone failed: ${c.stderr}`);
    const found = (await scanSecrets(work, { workers: 1, history: true })).findings.filter(counted);
    const textOf = (f: Finding): string => {
      const commit = f.evidence?.commit as string | undefined;
      const path = f.location?.file ?? "";
      const r = commit ? spawnSync("git", ["-C", work, "show", `${commit}:${path}`], { encoding: "utf8", maxBuffer: 1 << 26 }).stdout : readFileSync(join(work, path), "utf8");
      const lines = r.split("\n");
      return lines.slice((f.location?.line ?? 1) - 1, f.location?.endLine ?? f.location?.line ?? 1).join("\n");
    };
    const pats = incidents.map((i) => new RegExp(`${esc(i.head)}[\\s\\S]*?${esc(i.tail)}`));
    const hit = new Set<number>();
    for (const f of found) {
      const t = textOf(f);
      const which = pats.map((p, k) => (p.test(t) ? k : -1)).filter((k) => k >= 0);
      if (which.length) for (const k of which) hit.add(k);
      else {
        s.fp++;
        s.notes.push(`fp    ggsample ${f.location?.file}:${f.location?.line} ${f.ruleId}@${f.severity}: ${oneLine(t)}`);
      }
    }
    for (const [k, i] of incidents.entries()) {
      if (hit.has(k)) s.tp++;
      else {
        s.fn++;
        s.notes.push(`miss  ggsample ${i.detector} ${i.head}…${i.tail}`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return s;
}

// ---- main ------------------------------------------------------------------------------------------

const fmt = (name: string, s: Score) => {
  const p = s.tp / Math.max(1, s.tp + s.fp);
  const r = s.tp / Math.max(1, s.tp + s.fn);
  return { p, r, line: `| ${name} | ${p.toFixed(3)} | ${r.toFixed(3)} | ${s.tp} / ${s.fn} / ${s.fp} |` };
};

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const path = (k: string) => args.find((a) => a.startsWith(`${k}=`))?.slice(k.length + 1);
  const eb = path("earlybird");
  const ck = path("checkov");
  const gg = path("ggsample");
  if (!eb || !ck || !gg) {
    console.error("usage: npx tsx bench/eval-secrets-s10.ts earlybird=CHECKOUT checkov=CHECKOUT ggsample=GIT_DIR [--seen DIR ...] [--list]");
    process.exit(2);
  }
  const ebDir = gitDirOf(eb);
  const ckDir = gitDirOf(ck);
  const ggDir = gitDirOf(gg);
  const e = earlybirdCases(ebDir);
  const ebKept = withoutSeenCopies(e.cases, args);
  const ckUnits = CHECKOV.map((u) => ({ ...u, text: u.files.map((f) => gitShow(ckDir, `tests/secrets/${f}`)).join("\n") }));
  const ckKept = withoutSeenCopies(ckUnits, args);
  const incidents = ggIncidents(gitShow(ggDir, "README.md"));
  console.log(
    `left out as verbatim copies of seen corpora (${ebKept.seenDirs.length} trees searched): earlybird ${e.cases.length - ebKept.cases.length}, checkov ${ckUnits.length - ckKept.cases.length} units`,
  );
  console.log(`earlybird cases left out by the declared rule: ${e.left.join("; ") || "none"}`);
  if (args.includes("--list")) {
    const pos = ebKept.cases.filter((c) => c.positive).length;
    console.log(`earlybird: ${pos} positive, ${ebKept.cases.length - pos} negative cases`);
    console.log(
      `checkov: ${ckKept.cases.length} units, ${ckKept.cases.reduce((a, u) => a + u.risk, 0)} expected findings, ${ckKept.cases.filter((u) => !u.risk).length} units expecting none`,
    );
    console.log(`ggsample: ${incidents.length} incidents (${incidents.map((i) => i.detector).join(", ")})`);
    return;
  }
  const scores: Array<[string, Score]> = [
    ["earlybird false-positive tests (per case)", await scoreEarlybird(ebKept.cases)],
    ["checkov secrets fixtures (per file count)", await scoreCheckov(ckDir, ckKept.cases)],
    ["GitGuardian sample_secrets (per incident, history)", await scoreGg(ggDir, incidents)],
  ];
  const pooled = fresh();
  console.log("| source | precision | recall | tp / fn / fp |\n|---|---|---|---|");
  let mp = 0;
  let mr = 0;
  for (const [n, s] of scores) {
    const f = fmt(n, s);
    mp += f.p;
    mr += f.r;
    console.log(f.line);
    pooled.tp += s.tp;
    pooled.fp += s.fp;
    pooled.fn += s.fn;
  }
  console.log(fmt("**pooled (headline)**", pooled).line);
  console.log(`| macro mean over the three | ${(mp / 3).toFixed(3)} | ${(mr / 3).toFixed(3)} | |`);
  console.log("\nmisses and false positives:");
  for (const [, s] of scores) for (const n of s.notes) console.log(`  ${n}`);
}

if (process.argv[1]?.endsWith("eval-secrets-s10.ts"))
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
