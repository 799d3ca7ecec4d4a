/**
 * Precision/recall of `rampart scan code` (and Bandit) on the session-25 held-out set: the Python test applications
 * ("weblogs") of DataDog/system-tests, whose IAST sink tests name, per weakness, one endpoint that must be reported
 * (`insecure_endpoint`) and one that must not (`secure_endpoint`).
 *
 *   npx tsx bench/eval-code-iast.ts <scratch> [--bandit | --list] [--dist <built dist/>]
 *
 * <scratch> holds `tests/appsec/iast/sink/` and `utils/build/docker/python/` written out with `git archive`; nothing
 * of it is committed or executed. The mapping, the unit rule and the scoring below were written and committed
 * (session 25) before either tool ran on any unit; only the sink tests' endpoint lines and `--list` were read.
 *
 * Units, per (weblog, weakness, endpoint):
 * - weblogs: the folders `flask`, `django`, `fastapi`, `tornado` under `utils/build/docker/python/`, each with the
 *   shared `iast.py` beside them;
 * - a weakness's endpoints are the first `insecure_endpoint = "…"` and `secure_endpoint = "…"` of its sink test;
 * - the handler of an endpoint in a weblog is found from the string literal that spells its path (a leading `^`
 *   or `/` and a trailing `$` or `/?` ignored): the function under a route decorator holding it, or else the
 *   function or class a route entry beside it names (`path("…", view)`, `(r"/…", Handler)`); an endpoint without a
 *   handler is not in that weblog and is no unit;
 * - a unit's code is the handler's lines plus those of the module-level functions and classes, of the weblog's
 *   files or `iast.py`, that the handler calls by name (one level);
 * - the insecure endpoint's unit is vulnerable, the secure one's safe; found when the tool prints a finding of the
 *   weakness's family on a line of the unit's code (every severity and confidence, both tools).
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { Node } from "web-tree-sitter";
import { pythonParser } from "../src/scan/code/index.js";
import { type CategoryTally, countUnit, tallyLines, tallyOf } from "./eval-code-categories.js";

type Family = "hash" | "cipher" | "random" | "shell" | "sql" | "path" | "deser" | "exec";

/** Sink test file → family. The first three are the headline (session 25's rules); the rest are the secondary table. */
const SINK_TESTS: Record<string, Family> = {
  "test_weak_hash.py": "hash",
  "test_weak_cipher.py": "cipher",
  "test_weak_randomness.py": "random",
  "test_command_injection.py": "shell",
  "test_sql_injection.py": "sql",
  "test_path_traversal.py": "path",
  "test_untrusted_deserialization.py": "deser",
  "test_code_injection.py": "exec",
  "test_template_injection.py": "exec",
};
const HEADLINE = new Set<Family>(["hash", "cipher", "random"]);

const RAMPART: Record<string, Family> = {
  "code.weak-hash": "hash",
  "code.weak-cipher": "cipher",
  "code.insecure-random": "random",
  "code.shell-injection": "shell",
  "code.argument-injection": "shell",
  "code.sql-injection": "sql",
  "code.path-traversal": "path",
  "code.archive-extraction": "path",
  "code.unsafe-deserialization": "deser",
  "code.torch-load-unsafe": "deser",
  "code.numpy-allow-pickle": "deser",
  "code.yaml-unsafe-load": "deser",
  "code.keras-unsafe-load": "deser",
  "code.eval-exec": "exec",
  "code.template-injection": "exec",
};

/** Bandit 1.6.2's ids (docs: plugins and blacklists) in the same families. */
const BANDIT: Record<string, Family> = {
  B303: "hash", // md5, sha1 (and md2/md4)
  B324: "hash", // hashlib.new with a weak name
  B304: "cipher", // DES, RC4, Blowfish, … ciphers
  B305: "cipher", // ECB mode
  B505: "cipher", // short RSA/DSA keys
  B311: "random",
  B602: "shell",
  B604: "shell",
  B605: "shell",
  B608: "sql",
  B610: "sql",
  B611: "sql",
  B202: "path",
  B301: "deser",
  B302: "deser",
  B506: "deser",
  B102: "exec",
  B307: "exec",
};

const WEBLOGS = ["flask", "django", "fastapi", "tornado"];
const PY = "utils/build/docker/python";

interface Unit {
  weblog: string;
  family: Family;
  endpoint: string;
  vulnerable: boolean;
  handler: string;
  /** file (relative to the scratch folder) → 1-based line ranges */
  ranges: Array<{ file: string; from: number; to: number }>;
}

function pyFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...pyFiles(p));
    else if (name.endsWith(".py")) out.push(p);
  }
  return out;
}

function endpoints(root: string): Array<{ family: Family; test: string; insecure: string; secure: string }> {
  const out: Array<{ family: Family; test: string; insecure: string; secure: string }> = [];
  for (const [test, family] of Object.entries(SINK_TESTS)) {
    const text = readFileSync(join(root, "tests/appsec/iast/sink", test), "utf8");
    const insecure = /^\s*insecure_endpoint\s*=\s*["']([^"']+)["']/m.exec(text)?.[1];
    const secure = /^\s*secure_endpoint\s*=\s*["']([^"']+)["']/m.exec(text)?.[1];
    if (insecure && secure) out.push({ family, test, insecure, secure });
    else console.log(`  ${test}: no insecure/secure endpoint pair, not scored`);
  }
  return out;
}

function stringText(n: Node): string {
  return n.namedChildren
    .filter((c) => c?.type === "string_content")
    .map((c) => c!.text)
    .join("");
}

function routeKey(s: string): string {
  return s.replace(/^\^/, "").replace(/^\//, "").replace(/\$$/, "").replace(/\/\?$/, "").replace(/\/$/, "");
}

interface Parsed {
  file: string;
  root: Node;
  /** module-level (and class-level for views) definitions by name */
  defs: Map<string, Node>;
}

function definitionsOf(root: Node): Map<string, Node> {
  const defs = new Map<string, Node>();
  for (const st of root.namedChildren) {
    const def = st?.type === "decorated_definition" ? st.childForFieldName("definition") : st;
    if (def && (def.type === "function_definition" || def.type === "class_definition")) {
      const name = def.childForFieldName("name")?.text;
      if (name && !defs.has(name)) defs.set(name, st!);
    }
  }
  return defs;
}

/** The handler a route string belongs to; `parsed[0]` is the string's own file, searched first for a named view. */
function handlerOf(str: Node, parsed: Parsed[]): { node: Node; file: string } | undefined {
  const own = parsed[0];
  for (let a: Node | null = str.parent; a && a.type !== "module" && a.type !== "function_definition"; a = a.parent)
    if (a.type === "decorator" && a.parent?.type === "decorated_definition") return own ? { node: a.parent, file: own.file } : undefined;
  for (let a: Node | null = str.parent; a; a = a.parent) {
    if (a.type === "argument_list" || a.type === "tuple") {
      for (const c of a.namedChildren) {
        if (!c || (c.type !== "identifier" && c.type !== "attribute")) continue;
        const name = c.type === "attribute" ? (c.childForFieldName("attribute")?.text ?? "") : c.text;
        for (const p of parsed) {
          const d = p.defs.get(name);
          if (d) return { node: d, file: p.file };
        }
      }
      if (a.type === "argument_list") return undefined;
    }
    if (a.type === "module" || a.type === "function_definition") return undefined;
  }
  return undefined;
}

async function readUnits(root: string): Promise<Unit[]> {
  const parser = await pythonParser();
  const units: Unit[] = [];
  const eps = endpoints(root);
  const shared = join(root, PY, "iast.py");
  for (const weblog of WEBLOGS) {
    const files = [...pyFiles(join(root, PY, weblog)), shared];
    const parsed: Parsed[] = [];
    for (const f of files) {
      const tree = parser.parse(readFileSync(f, "utf8"));
      if (!tree) continue;
      parsed.push({ file: relative(root, f), root: tree.rootNode, defs: definitionsOf(tree.rootNode) });
    }
    const strings = parsed.flatMap((p) => p.root.descendantsOfType("string").map((s) => ({ s: s!, p })));
    for (const ep of eps)
      for (const [endpoint, vulnerable] of [
        [ep.insecure, true],
        [ep.secure, false],
      ] as const) {
        const key = routeKey(endpoint);
        let found: { node: Node; file: string } | undefined;
        for (const { s, p } of strings) {
          if (routeKey(stringText(s)) !== key) continue;
          found = handlerOf(s, [p, ...parsed.filter((q) => q !== p)]);
          if (found) break;
        }
        if (!found) continue;
        const ranges = [{ file: found.file, from: found.node.startPosition.row + 1, to: found.node.endPosition.row + 1 }];
        const called = new Set<string>();
        for (const c of found.node.descendantsOfType("call")) {
          const fn = c?.childForFieldName("function");
          if (fn?.type === "identifier") called.add(fn.text);
          else if (fn?.type === "attribute") called.add(fn.childForFieldName("attribute")?.text ?? "");
        }
        for (const name of called)
          for (const p of parsed) {
            const d = p.defs.get(name);
            if (d && d !== found.node) ranges.push({ file: p.file, from: d.startPosition.row + 1, to: d.endPosition.row + 1 });
          }
        const name = (found.node.type === "decorated_definition" ? found.node.childForFieldName("definition") : found.node)?.childForFieldName("name")?.text ?? "?";
        units.push({ weblog, family: ep.family, endpoint, vulnerable, handler: `${found.file}:${name}`, ranges });
      }
  }
  return units;
}

interface Hit {
  file: string;
  line: number;
  family: Family;
}

async function rampartHits(root: string, files: readonly string[], dist: string | undefined): Promise<Hit[]> {
  const mod = dist ? await import(pathToFileURL(join(resolve(dist), "scan/code/index.js")).href) : await import("../src/scan/code/index.js");
  const scan = mod.scanCode as (p: string, o: { workers: number }) => Promise<{ findings: Array<{ ruleId: string; location?: { line?: number } }> }>;
  const hits: Hit[] = [];
  for (const f of files) {
    const r = await scan(join(root, f), { workers: 1 });
    for (const x of r.findings) {
      const family = RAMPART[x.ruleId];
      if (family) hits.push({ file: f, line: x.location?.line ?? 0, family });
    }
  }
  return hits;
}

function banditHits(root: string, files: readonly string[]): { version: string; hits: Hit[] } {
  const version = (execFileSync("bandit", ["--version"], { encoding: "utf8" }).split("\n")[0] ?? "").replace(/^bandit\s*/, "");
  let out: string;
  try {
    out = execFileSync("bandit", ["-f", "json", "-q", ...files.map((f) => join(root, f))], { encoding: "utf8", maxBuffer: 64 << 20 });
  } catch (e) {
    out = (e as { stdout: string }).stdout;
  }
  const parsed = JSON.parse(out) as { results: Array<{ filename: string; line_number: number; test_id: string }> };
  const hits: Hit[] = [];
  for (const r of parsed.results) {
    const family = BANDIT[r.test_id];
    if (family) hits.push({ file: relative(root, r.filename), line: r.line_number, family });
  }
  return { version, hits };
}

function score(tool: string, hits: readonly Hit[], units: readonly Unit[], families: (f: Family) => boolean): string[] {
  const all: CategoryTally = { n: 0, tp: 0, fp: 0, neg: 0 };
  const byFamily = new Map<string, CategoryTally>();
  const missed: string[] = [];
  const flaggedSafe: string[] = [];
  for (const u of units) {
    if (!families(u.family)) continue;
    const flagged = hits.some((h) => h.family === u.family && u.ranges.some((r) => r.file === h.file && h.line >= r.from && h.line <= r.to));
    countUnit([all, tallyOf(byFamily, u.family)], u.vulnerable, flagged);
    const label = `${u.weblog}:${u.family}:${u.endpoint}`;
    if (u.vulnerable && !flagged) missed.push(label);
    else if (!u.vulnerable && flagged) flaggedSafe.push(label);
  }
  const precision = all.tp + all.fp ? all.tp / (all.tp + all.fp) : 1;
  const recall = all.n ? all.tp / all.n : 1;
  return [`| ${tool} | ${all.n} | ${all.neg} | ${all.tp} | ${all.fp} | ${precision.toFixed(3)} | ${recall.toFixed(3)} |`, ...tallyLines(byFamily, missed, flaggedSafe)];
}

async function main(): Promise<void> {
  const [root, ...rest] = process.argv.slice(2);
  if (!root || root.startsWith("--")) {
    console.error("usage: npx tsx bench/eval-code-iast.ts <scratch with tests/appsec/iast/sink and utils/build/docker/python> [--bandit | --list] [--dist <built dist/>]");
    process.exit(2);
  }
  const units = await readUnits(root);
  const vulnerable = units.filter((u) => u.vulnerable).length;
  console.log(`${units.length} units (${vulnerable} vulnerable, ${units.length - vulnerable} safe)`);
  if (rest.includes("--list")) {
    for (const u of units)
      console.log(`${u.weblog} ${u.family} ${u.vulnerable ? "vulnerable" : "safe"} ${u.endpoint} -> ${u.ranges.map((r) => `${r.file}:${r.from}-${r.to}`).join(" ")}`);
    return;
  }
  const files = [...new Set(units.flatMap((u) => u.ranges.map((r) => r.file)))].sort();
  const at = rest.indexOf("--dist");
  const dist = at >= 0 ? rest[at + 1] : undefined;
  const tools: Array<[string, Hit[]]> = [[dist ? `rampart (${dist})` : "rampart", await rampartHits(root, files, dist)]];
  if (rest.includes("--bandit")) {
    const b = banditHits(root, files);
    tools.push([`bandit ${b.version}`, b.hits]);
  }
  for (const [title, pick] of [
    ["headline: weak hash, weak cipher, insecure randomness", (f: Family) => HEADLINE.has(f)],
    ["secondary: the families Rampart had before session 25", (f: Family) => !HEADLINE.has(f)],
  ] as const) {
    console.log(`\n${title}`);
    console.log("| tool | vulnerable units | safe units | true positives | false positives | precision | recall |");
    console.log("|---|---|---|---|---|---|---|");
    for (const [tool, hits] of tools) for (const l of score(tool, hits, units, pick)) console.log(l);
  }
}

await main();
