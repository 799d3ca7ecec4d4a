/**
 * Precision/recall of `rampart scan code` (and Bandit) on the session-17 held-out set: the test cases of an
 * automatic security fixer (pixee/codemodder-python), where each case gives code the fixer rewrites and the code
 * it must produce. A public corpus the project had not scored; the fixer's authors label their own code.
 *
 *   npx tsx bench/eval-code-s17.ts --codemodder <codemodder-python tree> --work <scratch dir> \
 *     [--seen DIR]… [--bandit | --list]
 *
 * The tree and the scratch files stay outside the repository; nothing of the corpus is committed. The file list,
 * mapping, unit rules, dedupe and scoring below were written and committed (session 17) before either tool ran
 * on any unit, from the corpus's file names, its test helper (`run_and_assert`) and one test of an unmapped
 * codemod (`secure-random`), read to learn the layout.
 *
 * Units and labels (all from the corpus):
 * - Unit tests (`tests/codemods/**`): every call `self.run_and_assert(tmpdir, input_code, expected, …)` (or
 *   `run_and_assert_filepath(root, file_path, input_code, expected)`) whose input
 *   and expected text resolve to string literals (written in the call, or a name assigned a literal in the same
 *   test function, class or module; f-strings with `{…}` and parametrised texts are left out, counted). The
 *   helper asserts that the codemod rewrites `input_code` into `expected`, so when the two differ (normalised
 *   below) the input is a *vulnerable* unit and the expected output a *safe* unit of the codemod's category.
 *   When they are the same (the helper then asserts that nothing changed), the text is an "unchanged" unit:
 *   side table only, not in the headline (the fixer leaves code alone both when it is safe and when it cannot
 *   fix it, so the corpus does not say which).
 * - Integration tests (`integration_tests/**`): a class attribute `original_code = """…"""` is code the codemod
 *   changes (the test asserts a diff): a *vulnerable* unit of its category. Its expected code is given as line
 *   replacements, not as text, so it is not a unit.
 * Texts are dedented as the helper does (`textwrap.dedent`). Each unit is written to its own file in the scratch
 * folder; both tools scan one file at a time.
 * Dedupe, in this order (text normalised: comments, blank lines and outer spaces dropped): a text labelled
 * vulnerable in one place and safe in another is left out on both sides; a repeated text of the same label and
 * category is kept once; a unit whose normalised text occurs inside a seen corpus given with `--seen` (every `.py`
 * file's text, and every string of every `.json`/`.jsonl` file) is left out. No sampling: every remaining unit is
 * scored (no seed).
 *
 * Scoring, per unit (as sessions 13–16): a unit is flagged when the tool prints at least one finding of the unit's
 * category anywhere in it (every severity and confidence, both tools). Flagged vulnerable unit: true positive;
 * flagged safe unit: false positive. Unchanged units: side table (flagged / total). Bandit: Debian's 1.6.2,
 * default configuration, ids mapped by eval-code-categories.ts's BANDIT table.
 */

import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Node } from "web-tree-sitter";
import { pythonParser } from "../src/scan/code/python.js";
import { BANDIT, banditHits, type Category, type CategoryTally, countUnit, type Hit, rampartHits, tallyLines, tallyOf } from "./eval-code-categories.js";
import { selectUnits } from "./eval-code-s16.js";

/**
 * Codemod test file → category, decided before any run from each codemod's name and documented purpose (the
 * issue's list of weaknesses). Both the unit test and the integration test of a codemod are listed.
 */
const MAPPED: Record<string, Category> = {
  "tests/codemods/test_harden_pyyaml.py": "deser", // yaml.load with an unsafe loader → SafeLoader
  "tests/codemods/semgrep/test_semgrep_harden_pyyaml.py": "deser",
  "tests/codemods/test_harden_ruamel.py": "deser", // ruamel YAML(typ="unsafe") → safe
  "tests/codemods/test_harden_pickle_load.py": "deser", // pickle.load → fickling's checked load
  "tests/codemods/defectdojo/semgrep/test_avoid_insecure_deserialization.py": "deser",
  "integration_tests/test_harden_pyyaml.py": "deser",
  "integration_tests/test_harden_ruamel.py": "deser",
  "integration_tests/test_harden_pickle_load.py": "deser",
  "tests/codemods/test_request_verify.py": "tls", // requests verify=False → True
  "integration_tests/test_request_verify.py": "tls",
  "tests/codemods/test_sql_parameterization.py": "sql", // SQL built from strings → parameters
  "tests/codemods/semgrep/test_semgrep_sql_parametrization.py": "sql",
  "tests/codemods/sonar/test_sonar_sql_parameterization.py": "sql",
  "integration_tests/test_sql_parameterization.py": "sql",
  "tests/codemods/test_subprocess_shell_false.py": "shell", // subprocess shell=True → False
  "tests/codemods/semgrep/test_semgrep_subprocess_shell_false.py": "shell",
  "integration_tests/test_subprocess_shell_false.py": "shell",
  "tests/codemods/test_django_debug_flag_on.py": "debug", // Django DEBUG = True → False
  "integration_tests/test_django_debug_flag_on.py": "debug",
};
/*
 * Not mapped (outside the issue's counted weaknesses, or another weakness than the rule of the same area):
 * jwt-decode-verify (CWE-347), url-sandbox and process-creation-sandbox (hardening, not an injection by itself),
 * use-defusedxml and lxml-safe-* (XXE), tempfile-mktemp, secure-random, cookie and session flags, CSRF,
 * jinja2 autoescape (XSS), upgrade-sslcontext-* / use-secure-protocols / https-connection (weak protocol versions
 * and cleartext, CWE-327/319, not certificate validation, CWE-295), replace-flask-send-file (path traversal, not a
 * counted category), limit-readline, requests timeouts and the code-quality codemods.
 */

type Label = Category;

interface Found {
  corpus: string;
  category: Label | "any";
  vulnerable: boolean;
  source: string;
  text: string;
}

/** Python's `textwrap.dedent`: drop the longest common leading whitespace of the non-blank lines. */
export function dedent(text: string): string {
  const lines = text.split("\n").map((l) => (l.trim() === "" ? "" : l));
  let margin: string | undefined;
  for (const l of lines) {
    if (l === "") continue;
    const lead = /^[ \t]*/.exec(l)![0];
    if (margin === undefined || lead.startsWith(margin)) margin ??= lead;
    else if (!margin.startsWith(lead)) {
      let i = 0;
      while (i < margin.length && i < lead.length && margin[i] === lead[i]) i++;
      margin = margin.slice(0, i);
    } else margin = lead;
  }
  return lines.map((l) => l.slice(margin?.length ?? 0)).join("\n");
}

const ESCAPES: Record<string, string> = { n: "\n", t: "\t", r: "\r", "\\": "\\", "'": "'", '"': '"', "\n": "", "0": "\0" };

/** The value of a Python string literal without interpolation; undefined for f-strings with `{…}` and bytes. */
export function literalValue(node: Node): string | undefined {
  if (node.type === "concatenated_string") {
    let out = "";
    for (const c of node.namedChildren) {
      const v = c ? literalValue(c) : undefined;
      if (v === undefined) return undefined;
      out += v;
    }
    return out;
  }
  if (node.type !== "string") return undefined;
  if (node.namedChildren.some((c) => c?.type === "interpolation")) return undefined;
  const m = /^([A-Za-z]*)('''|"""|'|")([\s\S]*)\2$/.exec(node.text);
  if (!m) return undefined;
  const prefix = (m[1] ?? "").toLowerCase();
  if (prefix.includes("b")) return undefined;
  const body = m[3] ?? "";
  if (prefix.includes("r")) return body;
  return body.replace(/\\(x[0-9a-fA-F]{2}|[\s\S])/g, (all, e: string) => {
    if (e.startsWith("x") && e.length === 3) return String.fromCharCode(Number.parseInt(e.slice(1), 16));
    return ESCAPES[e] ?? all;
  });
}

/** A name's literal value: the last `name = "…"` above `at` in the enclosing function, class or module. */
function resolve(node: Node, at: number): string | undefined {
  if (node.type !== "identifier") return literalValue(node);
  for (let scope: Node | null = node.parent; scope; scope = scope.parent) {
    if (!["function_definition", "class_definition", "module"].includes(scope.type)) continue;
    let found: string | undefined;
    let assigned = false;
    const visit = (n: Node): void => {
      if (n.startIndex >= at) return;
      if (n !== scope && (n.type === "function_definition" || n.type === "class_definition")) return;
      if (n.type === "assignment" && n.childForFieldName("left")?.text === node.text) {
        const right = n.childForFieldName("right");
        assigned = true;
        found = right ? literalValue(right) : undefined;
      }
      for (const c of n.namedChildren) if (c) visit(c);
    };
    const body = scope.type === "module" ? scope : scope.childForFieldName("body");
    if (body) visit(body);
    if (assigned) return found;
  }
  return undefined;
}

function* calls(n: Node): Generator<Node> {
  if (n.type === "call") yield n;
  for (const c of n.namedChildren) if (c) yield* calls(c);
}

/** Units of one test file, and how many cases could not be read as literals. */
async function unitsOf(tree: string, rel: string, category: Category): Promise<{ units: Found[]; unread: number }> {
  const text = execFileSync("git", ["-C", tree, "show", `HEAD:${rel}`], { encoding: "utf8", maxBuffer: 64 << 20 });
  const parsed = (await pythonParser()).parse(text);
  if (!parsed) throw new Error(`${rel}: could not parse`);
  const units: Found[] = [];
  let unread = 0;
  const stem = rel.replace(/^tests\/codemods\/|^integration_tests\//, "").replace(/\.py$/, "");
  if (rel.startsWith("integration_tests/")) {
    const visit = (n: Node): void => {
      if (n.type === "assignment" && n.childForFieldName("left")?.text === "original_code" && n.parent?.parent?.parent?.type === "class_definition") {
        const right = n.childForFieldName("right");
        const v = right ? literalValue(right) : undefined;
        if (v === undefined) unread++;
        else units.push({ corpus: "integration", category, vulnerable: true, source: `${stem}:L${n.startPosition.row + 1}:original`, text: dedent(v).replace(/^\n+|\n+$/g, "") });
      }
      for (const c of n.namedChildren) if (c) visit(c);
    };
    visit(parsed.rootNode);
    return { units, unread };
  }
  for (const call of calls(parsed.rootNode)) {
    const fn = call.childForFieldName("function");
    const helper = fn?.type === "attribute" ? fn.childForFieldName("attribute")?.text : undefined;
    if (helper !== "run_and_assert" && helper !== "run_and_assert_filepath") continue;
    const args = call.childForFieldName("arguments")?.namedChildren.filter((a): a is Node => a !== null) ?? [];
    // run_and_assert(tmpdir, input, expected, …); run_and_assert_filepath(root, file_path, input, expected)
    const positional = args.filter((a) => a.type !== "keyword_argument").slice(helper === "run_and_assert" ? 0 : 1);
    const keyword = (k: string) => args.find((a) => a.type === "keyword_argument" && a.childForFieldName("name")?.text === k)?.childForFieldName("value") ?? undefined;
    const inNode = keyword("input_code") ?? positional[1];
    const outNode = keyword("expected") ?? positional[2];
    const input = inNode ? resolve(inNode, call.startIndex) : undefined;
    const expected = outNode ? resolve(outNode, call.startIndex) : undefined;
    const line = call.startPosition.row + 1;
    if (input === undefined || expected === undefined) {
      if (process.env.S17_DEBUG) console.error(`unread ${stem}:L${line}`);
      unread++;
      continue;
    }
    const before = dedent(input);
    const after = dedent(expected);
    if (normalise(before) === normalise(after)) {
      units.push({ corpus: "unchanged", category: "any", vulnerable: false, source: `${stem}:L${line}:unchanged:${category}`, text: before });
      continue;
    }
    units.push({ corpus: "unit", category, vulnerable: true, source: `${stem}:L${line}:input`, text: before });
    units.push({ corpus: "unit", category, vulnerable: false, source: `${stem}:L${line}:expected`, text: after });
  }
  return { units, unread };
}

/** Code lines only (as eval-code-s16.ts). */
function normalise(code: string): string {
  return code
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"))
    .join("\n");
}

interface Unit extends Found {
  file: string;
}

function score(tool: string, hits: Hit[], units: readonly Unit[]): string[] {
  const flagged = new Set(hits.map((h) => `${h.file}:${h.category}`));
  const byCat = new Map<string, CategoryTally>();
  const byCorpus = new Map<string, CategoryTally>();
  const missed: string[] = [];
  const fps: string[] = [];
  const unchangedFlagged: string[] = [];
  let unchanged = 0;
  let tp = 0;
  let wanted = 0;
  let neg = 0;
  for (const u of units) {
    const id = u.file.replace(/\.py$/, "");
    if (u.category === "any") {
      // the codemod's own category is kept in the source (…:unchanged:<category>)
      unchanged++;
      const own = u.source.split(":").at(-1) as Category;
      if (flagged.has(`${u.file}:${own}`)) unchangedFlagged.push(id);
      continue;
    }
    const s = tallyOf(byCat, u.category);
    const c = tallyOf(byCorpus, u.corpus);
    const hit = flagged.has(`${u.file}:${u.category}`);
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
  const precision = tp + fps.length ? tp / (tp + fps.length) : 1;
  const recall = wanted ? tp / wanted : 1;
  const corpora = [...byCorpus].map(([k, v]) => `${k} ${v.tp}/${v.n} fp ${v.fp}/${v.neg}`).join("; ");
  return [
    `| ${tool} | ${wanted} | ${neg} | ${tp} | ${fps.length} | ${precision.toFixed(3)} | ${recall.toFixed(3)} |`,
    `  by kind (found/vulnerable, false positives/safe): ${corpora}`,
    ...tallyLines(byCat, missed, fps),
    `  side table, unchanged by the codemod (flagged in the codemod's category): ${unchangedFlagged.length}/${unchanged}: ${unchangedFlagged.join(" ") || "none"}`,
  ];
}

function option(args: readonly string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const tree = option(args, "--codemodder");
  const work = option(args, "--work");
  if (!tree || !work) {
    console.error("usage: npx tsx bench/eval-code-s17.ts --codemodder <git dir or checkout> --work <scratch dir> [--seen DIR]… [--bandit | --list]");
    process.exit(2);
  }
  const seen = args.flatMap((a, i) => (a === "--seen" && args[i + 1] ? [args[i + 1] as string] : []));
  const found: Found[] = [];
  let unread = 0;
  for (const [rel, category] of Object.entries(MAPPED)) {
    const r = await unitsOf(tree, rel, category);
    found.push(...r.units);
    unread += r.unread;
  }
  const { units, dropped } = selectUnits(found, seen);
  mkdirSync(work, { recursive: true });
  for (const u of units) writeFileSync(join(work, u.file), u.text);
  console.log(`${units.length} units written to the scratch folder; cases not readable as literals: ${unread}; left out: ${JSON.stringify(dropped)} (seen roots: ${seen.length})`);
  const count = (c: Label | "any", v: boolean) => units.filter((u) => u.category === c && u.vulnerable === v).length;
  for (const c of [...new Set(units.map((u) => u.category))]) console.log(`  ${c}: ${count(c, true)} vulnerable, ${count(c, false)} safe`);
  if (args.includes("--list")) {
    for (const u of units) console.log(`${u.file} ${u.category} ${u.vulnerable ? "vulnerable" : "safe"} ${u.source}`);
    return;
  }
  const files = units.map((u) => u.file);
  console.log("| tool | vulnerable units | safe units | true positives | false positives | precision | recall |");
  console.log("|---|---|---|---|---|---|---|");
  for (const l of score("rampart", await rampartHits(work, files), units)) console.log(l);
  if (!args.includes("--bandit")) return;
  const bandit = banditHits(work, files, BANDIT);
  for (const l of score(`bandit ${bandit.version}`, bandit.hits, units)) console.log(l);
  console.log(`  bandit could not parse ${bandit.errors.length} files: ${bandit.errors.join(" ")}`);
}

if (process.argv[1]?.endsWith("eval-code-s17.ts")) await main();
