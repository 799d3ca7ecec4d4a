/**
 * Precision/recall of `rampart scan code` (and Bandit) on the session-18 held-out set: the rule tests of two IDE and
 * linter security plugins, where each test gives a piece of Python and says whether the plugin must report it. Two
 * public corpora the project had not scored; each plugin's authors label their own code.
 *
 *   npx tsx bench/eval-code-s18.ts --pycharm <pycharm-security git dir> --pylint <pylint-secure-coding-standard git dir> \
 *     --work <scratch dir> [--seen DIR]… [--bandit | --list]
 *
 * The trees and the scratch files stay outside the repository; nothing of the corpora is committed. The file lists,
 * mapping, unit rules, dedupe and scoring below were written and committed (session 18) before either tool ran on
 * any unit, from the corpora's file names, their READMEs and check pages, their test helpers' signatures, and the
 * tests of one unmapped check of each (TryExceptPass, os.chmod), read to learn the layout.
 *
 * Units and labels (all from the corpora):
 * - pycharm-security (Kotlin, `src/test/java/security/validators/<Inspection>Test.kt`): in each test function, every
 *   call of a test helper `test<Kind>(code, times, Checks.X, "file.py", XInspection())` whose code resolves to a Kotlin
 *   raw string (`"""…"""`, written in the call or held by a `val` of the same function) without a `$` template. The
 *   helper asserts the inspection reports the code `times` times (default 1): `times` 0 → a *safe* unit, ≥ 1 → a
 *   *vulnerable* unit of the inspection's category. The text is `trimIndent()`ed as Kotlin does, and written under
 *   the file name the test gives (`settings.py`, `test.py`: checks may read it).
 * - pylint-secure-coding-standard (`tests/<check>_test.py`): every test function decorated with exactly one
 *   `@pytest.mark.parametrize('s', [<string literals>])` (no other parametrize, so the text alone decides), whose
 *   body hands `s` itself to astroid (`astroid.extract_node(s)`, `astroid.parse(s)`, optionally `s + '…'` with a
 *   literal) and asserts either only `assertAddsMessages` (→ every `s` is a *vulnerable* unit of the file's category)
 *   or only `assertNoMessages` (→ *safe*). Any other shape (both assertions, templated code, other parameters) is
 *   left out and counted.
 * Each unit is written to its own folder in the scratch folder; both tools scan one file at a time.
 * Dedupe, as sessions 16–17 (text normalised: comments, blank lines and outer spaces dropped), among the units of
 * one file name (the same text is another unit under another name: `DEBUG = True` in `settings.py` or `test.py`):
 * a text labelled both ways is left out on both sides; a repeat of the same label and category is kept once; a unit whose normalised text
 * occurs inside a seen corpus given with `--seen` is left out. No sampling: every remaining unit is scored (no seed).
 *
 * Scoring, per unit (as sessions 13–17): a unit is flagged when the tool prints at least one finding of the unit's
 * category anywhere in it, every severity and confidence (a `low` finding counts), both tools. Flagged vulnerable
 * unit: true positive; flagged safe unit: false positive. Bandit: Debian's 1.6.2, default configuration, ids mapped by
 * eval-code-categories.ts's BANDIT table. With `--constant-uses`, a side row (not the headline) scores Rampart with its
 * session-18 opt-in (`constantUses`: unsafe APIs given only constants, printed at low) on the same units.
 */

import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Node } from "web-tree-sitter";
import { pythonParser } from "../src/scan/code/python.js";
import { BANDIT, banditHits, type Category, type CategoryTally, countUnit, type Hit, rampartHits, tallyLines, tallyOf } from "./eval-code-categories.js";
import { selectUnits } from "./eval-code-s16.js";
import { literalValue } from "./eval-code-s17.js";

/**
 * pycharm-security inspection tests → category, decided before any run from each check's documentation page
 * (`doc/checks/*.md`) and the issue's list of weaknesses.
 */
const PYCHARM: Record<string, Category> = {
  BindAllInterfacesInspectionTest: "debug", // NET100: bind to 0.0.0.0 / :: (Bandit B104; debug / all interfaces as session 8)
  FlaskDebugModeInspectionTest: "debug", // FLK100: app.run(debug=True), the Werkzeug debugger
  DjangoDebugModeSettingsInspectorTest: "debug", // DJG100: DEBUG = True in settings
  BuiltinExecInspectionTest: "exec", // EX100: exec()
  DjangoExpressionInspectionTest: "sql", // DJG104: a Django expression with a dangerous template string (SQL)
  DjangoExtraSqlInspectionTest: "sql", // DJG103: extra() with quoted parameters
  DjangoRawSqlInspectionTest: "sql", // DJG101: RawSQL / raw() with quoted parameters
  SqlAlchemyUnsafeQueryInspectionTest: "sql", // SQL200
  SqlInjectionInspectionTest: "sql", // SQL100: SQL built by string formatting
  HardcodedPasswordInspectorTest: "cred", // PW101
  HttpxNoVerifyInspectionTest: "tls", // RQ101: httpx verify=False
  RequestsNoVerifyInspectionTest: "tls", // RQ100: requests verify=False
  ParamikoExecCommandInspectionTest: "shell", // paramiko exec_command (Bandit B601)
  SpawnShellInjectionInspectionTest: "shell", // SH101: spawned process functions
  StandardShellInjectionInspectionTest: "shell", // SH100: shell injection with unescaped input
  SubprocessShellModeInspectionTest: "shell", // subprocess with shell=True
  PickleLoadInspectionTest: "deser", // PIC100
  PyyamlLoadInspectionTest: "deser", // YML100
};
/*
 * Not mapped: assert, Django middleware / permission mixins / safe strings (CSRF, clickjacking, access control, XSS),
 * temp files, insecure hashes, Jinja2 and Mako escaping (XSS), os.chmod, paramiko host-key policy (CWE-322, not
 * claimed), the standard library's XML parsers (XXE), str.format attribute access, tempfile.mktemp, timing attacks,
 * try/except/pass, XML-RPC dotted names, SSL protocol versions and wrap_socket defaults (CWE-327, not certificate
 * validation).
 */

/** pylint-secure-coding-standard tests → category (its README's code table). */
const PYLINT: Record<string, Category> = {
  "tests/eval_exec_test.py": "exec", // E8001 exec() / eval()
  "tests/shell_exec_test.py": "shell", // E8002 os.system, E8003 shell=True, E8010 os.popen
  "tests/yaml_load_test.py": "deser", // E8005 unsafe PyYAML loading
  "tests/jsonpickle_decode_test.py": "deser", // E8006
  "tests/pickle_load_test.py": "deser", // E8013
  "tests/marshal_load_test.py": "deser", // E8014
  "tests/shelve_open_test.py": "deser", // E8015
};
/*
 * Not mapped: assert, pdb/debug statements (a breakpoint left in code, not a debug server), builtin open for
 * writing and os.open/mkdir/mkfifo/mknod/chmod modes (permissions), os.path.abspath vs realpath, shlex.quote on
 * non-POSIX platforms, tempfile.mktemp, plugin options.
 */

interface Found {
  corpus: string;
  category: Category;
  vulnerable: boolean;
  source: string;
  text: string;
}

function show(tree: string, rel: string): string {
  return execFileSync("git", ["-C", tree, "show", `HEAD:${rel}`], { encoding: "utf8", maxBuffer: 64 << 20 });
}

/** Kotlin's `trimIndent()`: drop a blank first and last line, then the smallest indent of the non-blank lines. */
export function trimIndent(text: string): string {
  const lines = text.split("\n");
  if (lines.length && (lines[0] ?? "").trim() === "") lines.shift();
  if (lines.length && (lines.at(-1) ?? "").trim() === "") lines.pop();
  let margin = Number.POSITIVE_INFINITY;
  for (const l of lines) if (l.trim() !== "") margin = Math.min(margin, /^[ \t]*/.exec(l)![0].length);
  if (!Number.isFinite(margin)) margin = 0;
  return lines.map((l) => (l.trim() === "" ? "" : l.slice(margin))).join("\n");
}

/** Splits a Kotlin argument list at top-level commas (raw strings, strings and brackets kept whole). */
function splitArgs(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = "";
  for (let i = 0; i < s.length; i++) {
    if (s.startsWith('"""', i)) {
      const end = s.indexOf('"""', i + 3);
      const stop = end < 0 ? s.length : end + 3;
      cur += s.slice(i, stop);
      i = stop - 1;
      continue;
    }
    const ch = s[i] as string;
    if (ch === '"') {
      let j = i + 1;
      while (j < s.length && s[j] !== '"') j += s[j] === "\\" ? 2 : 1;
      cur += s.slice(i, j + 1);
      i = j;
      continue;
    }
    if ("([{".includes(ch)) depth++;
    if (")]}".includes(ch)) depth--;
    if (ch === "," && depth === 0) {
      out.push(cur.trim());
      cur = "";
    } else cur += ch;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

/** The end (index after the closing parenthesis) of a call whose `(` is at `open`. */
function closeOf(s: string, open: number): number {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    if (s.startsWith('"""', i)) {
      const end = s.indexOf('"""', i + 3);
      if (end < 0) return -1;
      i = end + 2;
      continue;
    }
    if (s[i] === '"') {
      let j = i + 1;
      while (j < s.length && s[j] !== '"') j += s[j] === "\\" ? 2 : 1;
      i = j;
      continue;
    }
    if (s[i] === "(") depth++;
    if (s[i] === ")" && --depth === 0) return i + 1;
  }
  return -1;
}

const RAW = /^"""([\s\S]*)"""(\.trimIndent\(\))?$/;

/** The Python text of a raw-string argument, or undefined (not a raw string, or a `$` template). */
function rawText(arg: string, vals: Map<string, string>): string | undefined {
  const a = arg.replace(/^code\s*=\s*/, "").trim();
  const lit = RAW.exec(a);
  const raw = lit ? (lit[2] ? trimIndent(lit[1] ?? "") : lit[1]) : vals.get(a);
  if (raw === undefined || /\$[A-Za-z_{]/.test(raw)) return undefined;
  return raw;
}

/** Units of one pycharm-security test file, and how many helper calls could not be read. */
function pycharmUnits(tree: string, name: string, category: Category): { units: Found[]; files: Map<string, string>; unread: number } {
  const text = show(tree, `src/test/java/security/validators/${name}.kt`);
  const units: Found[] = [];
  const files = new Map<string, string>();
  let unread = 0;
  // one test function at a time: `fun `name`(…)` up to the next `fun `
  const starts = [...text.matchAll(/\bfun\s+`[^`]*`\s*\(/g)].map((m) => m.index ?? 0);
  for (let k = 0; k < starts.length; k++) {
    const body = text.slice(starts[k], starts[k + 1] ?? text.length);
    const vals = new Map<string, string>();
    for (const m of body.matchAll(/\bval\s+(\w+)\s*=\s*"""([\s\S]*?)"""(\.trimIndent\(\))?/g)) vals.set(m[1] as string, m[3] ? trimIndent(m[2] ?? "") : (m[2] ?? ""));
    for (const m of body.matchAll(/\btest[A-Z]\w*\(/g)) {
      const open = (m.index ?? 0) + m[0].length - 1;
      const close = closeOf(body, open);
      if (close < 0) continue;
      const args = splitArgs(body.slice(open + 1, close - 1));
      if (!args.some((a) => /^\w+(Inspection|Inspector)\(\)$/.test(a))) continue; // not a check helper (its last argument is the inspection)
      const line = text.slice(0, (starts[k] ?? 0) + open).split("\n").length;
      const code = args[0] === undefined ? undefined : rawText(args[0], vals);
      const named = (key: string) => args.find((a) => new RegExp(`^${key}\\s*=`).test(a))?.replace(/^\w+\s*=\s*/, "");
      const positional = args.filter((a) => !/^\w+\s*=/.test(a));
      const timesText = named("times") ?? (/^\d+$/.test(positional[1] ?? "") ? positional[1] : undefined);
      const times = timesText === undefined ? 1 : /^\d+$/.test(timesText) ? Number(timesText) : Number.NaN;
      const fileArg = named("filename") ?? positional.find((a) => /^"[^"]*\.py"$/.test(a));
      if (code === undefined || Number.isNaN(times)) {
        if (process.env.S18_DEBUG) console.error(`unread ${name}:L${line}`);
        unread++;
        continue;
      }
      const source = `pycharm:${name.replace(/InspectionTest$|InspectorTest$/, "")}:L${line}`;
      files.set(source, fileArg ? fileArg.slice(1, -1) : "test.py");
      units.push({ corpus: "pycharm", category, vulnerable: times > 0, source, text: code });
    }
  }
  return { units, files, unread };
}

/** Units of one pylint-secure-coding-standard test file, and how many test functions could not be read. */
async function pylintUnits(tree: string, rel: string, category: Category): Promise<{ units: Found[]; unread: number }> {
  const parsed = (await pythonParser()).parse(show(tree, rel));
  if (!parsed) throw new Error(`${rel}: could not parse`);
  const units: Found[] = [];
  let unread = 0;
  const stem = rel.replace(/^tests\//, "").replace(/_test\.py$/, "");
  const visit = (n: Node): void => {
    if (n.type === "decorated_definition") {
      const fn = n.childForFieldName("definition");
      if (fn?.type === "function_definition" && fn.childForFieldName("name")?.text.startsWith("test")) {
        const r = fromTest(n, fn);
        if (r === undefined) unread++;
        else units.push(...r.map((t, i) => ({ ...t, source: `pylint:${stem}:L${fn.startPosition.row + 1}:${i}` })));
        return;
      }
    }
    // a test without a decorator has no parametrised text: not a unit, counted
    if (n.type === "function_definition" && n.parent?.type !== "decorated_definition" && n.childForFieldName("name")?.text.startsWith("test")) {
      unread++;
      return;
    }
    for (const c of n.namedChildren) if (c) visit(c);
  };
  const fromTest = (dec: Node, fn: Node): Omit<Found, "source">[] | undefined => {
    const params = dec.namedChildren.filter((d): d is Node => d?.type === "decorator" && /pytest\.mark\.parametrize/.test(d.text));
    if (params.length !== 1) return undefined;
    const call = params[0]!.namedChildren.find((c) => c?.type === "call");
    const args = call?.childForFieldName("arguments")?.namedChildren.filter((a): a is Node => a !== null && a.type !== "comment") ?? [];
    if (args.length < 2 || args[0] === undefined || literalValue(args[0]) !== "s" || args[1]?.type !== "list") return undefined;
    const texts = args[1].namedChildren.filter((c): c is Node => c !== null && c.type !== "comment").map((c) => literalValue(c));
    if (texts.some((t) => t === undefined)) return undefined;
    const body = fn.childForFieldName("body")?.text ?? "";
    const adds = body.includes("assertAddsMessages");
    const none = body.includes("assertNoMessages");
    if (adds === none) return undefined;
    // the code handed to astroid must be `s` itself (a literal suffix such as ' #@' allowed)
    if (!/astroid\.(extract_node|parse)\(\s*s\s*(\+\s*(['"])[^'"]*\3\s*)?\)/.test(body)) return undefined;
    if (/\bf(['"])[^'"]*\{s\}/.test(body)) return undefined;
    return (texts as string[]).map((text) => ({ corpus: "pylint", category, vulnerable: adds, text: text.replace(/^\n+/, "") }));
  };
  visit(parsed.rootNode);
  return { units, unread };
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
  let tp = 0;
  let wanted = 0;
  let neg = 0;
  for (const u of units) {
    const id = u.file.replace(/\.py$/, "");
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
  const pycharm = option(args, "--pycharm");
  const pylint = option(args, "--pylint");
  const work = option(args, "--work");
  if (!pycharm || !pylint || !work) {
    console.error("usage: npx tsx bench/eval-code-s18.ts --pycharm <git dir> --pylint <git dir> --work <scratch dir> [--seen DIR]… [--bandit] [--constant-uses] [--list]");
    process.exit(2);
  }
  const seen = args.flatMap((a, i) => (a === "--seen" && args[i + 1] ? [args[i + 1] as string] : []));
  const found: Found[] = [];
  const fileNames = new Map<string, string>();
  const unread: Record<string, number> = {};
  for (const [name, category] of Object.entries(PYCHARM)) {
    const r = pycharmUnits(pycharm, name, category);
    found.push(...r.units);
    for (const [k, v] of r.files) fileNames.set(k, v);
    unread[name] = r.unread;
  }
  for (const [rel, category] of Object.entries(PYLINT)) {
    const r = await pylintUnits(pylint, rel, category);
    found.push(...r.units);
    unread[rel] = r.unread;
  }
  // The file name is part of a unit (DEBUG = True is reported in settings.py only): dedupe within each file name.
  const byName = new Map<string, Found[]>();
  for (const u of found) {
    const n = fileNames.get(u.source) ?? "test.py";
    byName.set(n, [...(byName.get(n) ?? []), u]);
  }
  const units: Unit[] = [];
  const dropped: Record<string, number> = {};
  for (const [name, group] of byName) {
    const selected = selectUnits(group, seen);
    for (const [k, v] of Object.entries(selected.dropped)) dropped[k] = (dropped[k] ?? 0) + v;
    // each unit in its own folder, under the file name its test gives (a check may read it)
    for (const u of selected.units)
      units.push({ ...u, category: u.category as Category, file: `${String(units.length + 1).padStart(3, "0")}${u.file.replace(/^\d+/, "").replace(/\.py$/, "")}/${name}` });
  }
  const selected = { dropped };
  for (const u of units) {
    mkdirSync(dirname(join(work, u.file)), { recursive: true });
    writeFileSync(join(work, u.file), u.text);
  }
  const unreadTotal = Object.values(unread).reduce((a, b) => a + b, 0);
  console.log(
    `${units.length} units written to the scratch folder; cases not read: ${unreadTotal} ${JSON.stringify(unread)}; left out: ${JSON.stringify(selected.dropped)} (seen roots: ${seen.length})`,
  );
  const count = (c: Category, v: boolean, corpus?: string) => units.filter((u) => u.category === c && u.vulnerable === v && (!corpus || u.corpus === corpus)).length;
  for (const c of [...new Set(units.map((u) => u.category))])
    console.log(
      `  ${c}: ${count(c, true)} vulnerable, ${count(c, false)} safe (pycharm ${count(c, true, "pycharm")}/${count(c, false, "pycharm")}, pylint ${count(c, true, "pylint")}/${count(c, false, "pylint")})`,
    );
  if (args.includes("--list")) {
    for (const u of units) console.log(`${u.file} ${u.category} ${u.vulnerable ? "vulnerable" : "safe"} ${u.source}`);
    return;
  }
  const files = units.map((u) => u.file);
  console.log("| tool | vulnerable units | safe units | true positives | false positives | precision | recall |");
  console.log("|---|---|---|---|---|---|---|");
  for (const l of score("rampart", await rampartHits(work, files), units)) console.log(l);
  // Side row, not the headline: with the unsafe APIs given only constants printed too (session 18's opt-in).
  if (args.includes("--constant-uses")) for (const l of score("rampart --constant-uses", await rampartHits(work, files, { constantUses: true }), units)) console.log(l);
  if (!args.includes("--bandit")) return;
  const bandit = banditHits(work, files, BANDIT);
  for (const l of score(`bandit ${bandit.version}`, bandit.hits, units)) console.log(l);
  console.log(`  bandit could not parse ${bandit.errors.length} files: ${bandit.errors.join(" ")}`);
}

if (process.argv[1]?.endsWith("eval-code-s18.ts")) await main();
