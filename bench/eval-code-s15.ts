/**
 * Precision/recall of `rampart scan code` (and Bandit) on the session-15 held-out set: vulnerable code beside
 * its fixed version, from three public corpora the project had not scored, each labelling its own files.
 *
 *   npx tsx bench/eval-code-s15.ts --holmes <SecLLMHolmes tree> --securepy <securepy tree> --pyt <pyt tree> \
 *     --work <scratch dir> [--seen DIR]… [--bandit | --list]
 *
 * The trees and the scratch files stay outside the repository; nothing of the corpora is committed. The unit
 * lists, labels, mapping, dedupe and scoring below were written and committed (session 15) before either
 * tool ran on any unit, from the corpora's file names, ground-truth files and test assertions only.
 *
 * Units and labels (all from the corpora):
 * - SecLLMHolmes (ai4cloudops/SecLLMHolmes): every Python file of a `CWE-89` folder under `datasets/hand-crafted/
 *   dataset`, `datasets/augmented/trivial/A*\/dataset` and `datasets/augmented/non-trivial/A*\/A*_*\/dataset`, and
 *   `datasets/few-shot/examples/cwe-89(-p).py`. The dataset names a patched scenario `p_N.py` (few-shot: `…-p.py`)
 *   and a vulnerable one `N.py`; its ground-truth texts say the same. Category: SQL.
 * - securepy (marsgokturk/securepy): the files named in `test/ground_truth.json`, read from `test/vuln_code_samples/`
 *   (`"secure": false` → vulnerable) or `test/vuln_code_fixed/` (`"secure": true` → safe); the category comes from
 *   the weakness the file name states (SECUREPY below). Other weaknesses are not units.
 * - pyt (python-security/pyt): the example files whose number of vulnerabilities pyt's own tests
 *   (`tests/vulnerabilities/*_test.py`) assert and whose file name names a command-injection or SQL sink (PYT
 *   below): an asserted count above 0 → vulnerable, 0 → safe.
 * Each unit is written to its own file in the scratch folder; both tools scan one file at a time (as every
 * harness), so a pyt unit that imports a helper from another example file is scanned without that file.
 * Dedupe, in this order (text normalised: comments, blank lines and outer spaces dropped): a text labelled
 * vulnerable in one place and safe in another is left out on both sides; a repeated text of the same label and
 * category is kept once; a unit whose normalised text occurs inside a `.py` file of a seen corpus given with
 * `--seen` is left out. No sampling: every remaining unit is scored (no seed).
 *
 * Scoring, per unit (as eval-code-rspec.ts): a unit is flagged when the tool prints at least one finding of the
 * unit's category anywhere in it (every severity and confidence, both tools). Flagged vulnerable unit: true
 * positive; flagged safe unit: false positive. Findings of other categories are not scored (counted). Bandit:
 * Debian's 1.6.2, default configuration, ids mapped by eval-code-categories.ts's BANDIT table.
 */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { BANDIT, banditHits, type Category, type CategoryTally, countUnit, type Hit, rampartHits, tallyLines, tallyOf } from "./eval-code-categories.js";

/** securepy file-name stem → Rampart category, from the weakness each name states (decided before any run). */
const SECUREPY: Record<string, Category> = {
  cwe_78: "shell", // OS command injection
  cwe_89: "sql", // SQL injection
  cwe_94: "exec", // code injection
  cwe_1336: "exec", // server-side template injection (counted as exec since session 10)
  semgrep_listen_eval: "exec", // logging.config.listen evaluates what it receives (semgrep's listen-eval rule: code execution)
  cwe_502: "deser", // deserialisation of untrusted data
  cve_2017_18342: "deser", // PyYAML yaml.load without a safe loader
  unsafe_yaml_load: "deser",
  cwe_295: "tls", // improper certificate validation
  cwe_798: "cred", // hard-coded credentials
  cwe_321: "cred", // hard-coded cryptographic key (a kind of CWE-798)
  cwe_489: "debug", // active debug code
  debug_mode: "debug",
  bandit_b104: "debug", // binding to all interfaces
  binding_network: "debug",
};
/*
 * Not mapped (decided with the table): path traversal (CWE-22: not a counted category), XSS, open redirect, XXE,
 * LDAP, NoSQL, SSRF, CSRF, cookies, logging, weak crypto and hashes, randomness, deprecated TLS versions
 * (code.tls-weak-protocol is not counted), cleartext FTP/telnet/HTTP, asserts, regex DoS, permissions, uploads,
 * authentication and authorisation, and the `trojan` sample: weaknesses outside the issue's list.
 */

/** pyt example files with a vulnerability count asserted by pyt's tests, and the category their name names. */
const PYT: Array<{ path: string; category: Category; vulnerable: boolean }> = [
  { path: "examples/vulnerable_code/command_injection.py", category: "shell", vulnerable: true },
  { path: "examples/vulnerable_code/inter_command_injection.py", category: "shell", vulnerable: true },
  { path: "examples/vulnerable_code/inter_command_injection_2.py", category: "shell", vulnerable: true },
  { path: "examples/vulnerable_code/sql/sqli.py", category: "sql", vulnerable: true },
  { path: "examples/vulnerable_code_across_files/absolute_from_file_command_injection.py", category: "shell", vulnerable: true },
  { path: "examples/vulnerable_code_across_files/absolute_from_file_command_injection_2.py", category: "shell", vulnerable: true },
  { path: "examples/vulnerable_code_across_files/import_file_command_injection.py", category: "shell", vulnerable: true },
  { path: "examples/vulnerable_code_across_files/import_file_command_injection_2.py", category: "shell", vulnerable: true },
  { path: "examples/vulnerable_code_across_files/no_false_positive_absolute_from_file_command_injection_3.py", category: "shell", vulnerable: false },
  { path: "examples/vulnerable_code_across_files/no_false_positive_import_file_command_injection_3.py", category: "shell", vulnerable: false },
];

interface Unit {
  file: string;
  corpus: string;
  category: Category;
  vulnerable: boolean;
  source: string;
  text: string;
}

/** Code lines only: comments, blank lines and outer spaces dropped (for dedupe). */
function normalise(code: string): string {
  return code
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"))
    .join("\n");
}

/** Every file under `dir` (relative paths), depth first, sorted. */
function filesUnder(dir: string, rel = ""): string[] {
  const out: string[] = [];
  let names: string[];
  try {
    names = readdirSync(join(dir, rel)).sort();
  } catch {
    return out;
  }
  for (const n of names) {
    const r = rel ? `${rel}/${n}` : n;
    if (statSync(join(dir, r)).isDirectory()) out.push(...filesUnder(dir, r));
    else out.push(r);
  }
  return out;
}

type Found = Omit<Unit, "file">;

function holmesUnits(tree: string): Found[] {
  const out: Found[] = [];
  const scenario = /^datasets\/(hand-crafted\/dataset|augmented\/trivial\/A\d+\/dataset|augmented\/non-trivial\/A\d+\/A\d+_\d+\/dataset)\/CWE-89\/(p_)?\d+\.py$/;
  for (const rel of filesUnder(tree, "datasets")) {
    const m = scenario.exec(rel);
    const few = /^datasets\/few-shot\/examples\/cwe-89(-p)?\.py$/.exec(rel);
    if (!m && !few) continue;
    const vulnerable = m ? m[2] === undefined : few![1] === undefined;
    out.push({ corpus: "holmes", category: "sql", vulnerable, source: `SecLLMHolmes:${rel}`, text: readFileSync(join(tree, rel), "utf8") });
  }
  return out;
}

/** Files securepy's ground truth names that its tree does not hold (counted, not units). */
const absent: string[] = [];

function securepyUnits(tree: string): Found[] {
  const truth = JSON.parse(readFileSync(join(tree, "test", "ground_truth.json"), "utf8")) as Record<string, { secure?: boolean }>;
  const out: Found[] = [];
  for (const [name, v] of Object.entries(truth).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (typeof v.secure !== "boolean") continue;
    const stem = name.replace(/_(vuln_snippet|fixed)\.py$/, "");
    const category = SECUREPY[stem];
    if (!category) continue;
    const rel = `test/${v.secure ? "vuln_code_fixed" : "vuln_code_samples"}/${name}`;
    let text: string;
    try {
      text = readFileSync(join(tree, rel), "utf8");
    } catch {
      absent.push(rel); // named in the ground truth but absent from the tree
      continue;
    }
    out.push({ corpus: "securepy", category, vulnerable: !v.secure, source: `securepy:${rel}`, text });
  }
  return out;
}

function pytUnits(tree: string): Found[] {
  return PYT.map((u) => ({ corpus: "pyt", category: u.category, vulnerable: u.vulnerable, source: `pyt:${u.path}`, text: readFileSync(join(tree, u.path), "utf8") }));
}

/** Every .py file's text under the seen roots, normalised. */
function seenTexts(roots: readonly string[]): string {
  const out: string[] = [];
  for (const r of roots) for (const rel of filesUnder(r)) if (rel.endsWith(".py")) out.push(normalise(readFileSync(join(r, rel), "utf8")));
  return out.join("\n\u0000\n");
}

export function selectUnits(found: readonly Found[], seen: readonly string[]): { units: Unit[]; dropped: Record<string, number> } {
  const dropped = { conflicting: 0, repeated: 0, seen: 0, empty: 0 };
  const labelsOf = new Map<string, Set<boolean>>();
  for (const u of found) {
    const n = normalise(u.text);
    labelsOf.set(n, (labelsOf.get(n) ?? new Set()).add(u.vulnerable));
  }
  const seenCorpus = seenTexts(seen);
  const taken = new Set<string>();
  const units: Unit[] = [];
  for (const u of found) {
    const n = normalise(u.text);
    if (n === "") {
      dropped.empty++;
      continue;
    }
    if (labelsOf.get(n)!.size > 1) {
      dropped.conflicting++;
      continue;
    }
    const key = `${u.category}\0${u.vulnerable}\0${n}`;
    if (taken.has(key)) {
      dropped.repeated++;
      continue;
    }
    if (seenCorpus.includes(n)) {
      dropped.seen++;
      continue;
    }
    taken.add(key);
    const stem = basename(u.source.split(":")[1]!, ".py").replace(/[^A-Za-z0-9_-]/g, "_");
    units.push({ ...u, file: `${String(units.length + 1).padStart(3, "0")}-${u.corpus}-${stem}-${u.vulnerable ? "vulnerable" : "safe"}.py` });
  }
  return { units, dropped };
}

function score(tool: string, hits: Hit[], units: readonly Unit[]): string[] {
  const flagged = new Set(hits.map((h) => `${h.file}:${h.category}`));
  const byCat = new Map<string, CategoryTally>();
  const byCorpus = new Map<string, CategoryTally>();
  const missed: string[] = [];
  const fps: string[] = [];
  let tp = 0;
  let wanted = 0;
  let neg = 0;
  for (const u of units) {
    const s = tallyOf(byCat, u.category);
    const c = tallyOf(byCorpus, u.corpus);
    const hit = flagged.has(`${u.file}:${u.category}`);
    const id = u.file.replace(/\.py$/, "");
    countUnit([s, c], u.vulnerable, hit);
    if (u.vulnerable) {
      wanted++;
      if (hit) tp++;
      else missed.push(id);
    } else {
      neg++;
      if (hit) fps.push(id);
    }
  }
  const scored = new Set(units.map((u) => `${u.file}:${u.category}`));
  const unscored = hits.filter((h) => !scored.has(`${h.file}:${h.category}`)).length;
  const precision = tp + fps.length ? tp / (tp + fps.length) : 1;
  const recall = wanted ? tp / wanted : 1;
  const corpora = [...byCorpus].map(([k, v]) => `${k} ${v.tp}/${v.n} fp ${v.fp}/${v.neg}`).join("; ");
  return [
    `| ${tool} | ${wanted} | ${neg} | ${tp} | ${fps.length} | ${precision.toFixed(3)} | ${recall.toFixed(3)} | ${unscored} |`,
    `  by corpus (found/vulnerable, false positives/safe): ${corpora}`,
    ...tallyLines(byCat, missed, fps),
  ];
}

function option(args: readonly string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const holmes = option(args, "--holmes");
  const securepy = option(args, "--securepy");
  const pyt = option(args, "--pyt");
  const work = option(args, "--work");
  if (!holmes || !securepy || !pyt || !work) {
    console.error("usage: npx tsx bench/eval-code-s15.ts --holmes DIR --securepy DIR --pyt DIR --work <scratch dir> [--seen DIR]… [--bandit | --list]");
    process.exit(2);
  }
  const seen = args.flatMap((a, i) => (a === "--seen" && args[i + 1] ? [args[i + 1] as string] : []));
  const { units, dropped } = selectUnits([...holmesUnits(holmes), ...securepyUnits(securepy), ...pytUnits(pyt)], seen);
  mkdirSync(work, { recursive: true });
  for (const u of units) writeFileSync(join(work, u.file), u.text);
  console.log(
    `${units.length} units written to the scratch folder; left out: ${JSON.stringify(dropped)} (seen roots: ${seen.length}); named by securepy's ground truth but absent: ${absent.join(" ") || "none"}`,
  );
  const count = (c: Category, v: boolean) => units.filter((u) => u.category === c && u.vulnerable === v).length;
  for (const c of [...new Set(units.map((u) => u.category))]) console.log(`  ${c}: ${count(c, true)} vulnerable, ${count(c, false)} safe`);
  if (args.includes("--list")) {
    for (const u of units) console.log(`${u.file} ${u.category} ${u.vulnerable ? "vulnerable" : "safe"} ${u.source}`);
    return;
  }
  const files = units.map((u) => u.file);
  console.log("| tool | vulnerable units | safe units | true positives | false positives | precision | recall | findings not scored |");
  console.log("|---|---|---|---|---|---|---|---|");
  for (const l of score("rampart", await rampartHits(work, files), units)) console.log(l);
  if (!args.includes("--bandit")) return;
  const bandit = banditHits(work, files, BANDIT);
  for (const l of score(`bandit ${bandit.version}`, bandit.hits, units)) console.log(l);
  console.log(`  bandit could not parse ${bandit.errors.length} files: ${bandit.errors.join(" ")}`);
}

if (process.argv[1]?.endsWith("eval-code-s15.ts")) await main();
