/**
 * Precision/recall of `rampart scan code` (and Bandit) on the Python query tests of GitHub's CodeQL
 * (github/codeql, `python/ql/test/query-tests/Security/<folder>/**.py` and two experimental folders),
 * labelled line by line by CodeQL's authors with inline expectations: a comment `# $ Alert` (or
 * `Alert[py/<query>]`) on a line says the folder's query must report that line; `MISSING: Alert` marks a
 * vulnerable line the query is known to miss, `SPURIOUS: Alert` a line it reports that is not vulnerable;
 * the test fails on any other alert, so every other code line of the test files is safe for the query.
 *
 *   npx tsx bench/eval-code-codeql.ts <codeql tree> [--bandit | --list]
 *
 * `<codeql tree>` holds the test files at their repository paths (a sparse checkout, or the files the
 * declaration in docs/code-secrets.md lists, with their blob hashes). It is read at evaluation time;
 * nothing of it is committed. The folder → category mapping, the exclusions and the counting below were
 * written and committed (session 8) before Rampart or Bandit was run on any of these files, and are not to
 * be changed after looking at scores.
 *
 * Scoring, per (file, line, category), in the `.py` files under the mapped folders:
 * - a line is vulnerable for the folder's category when an inline expectation on it names `Alert` without
 *   `SPURIOUS:` (so `MISSING: Alert` counts as vulnerable); `SPURIOUS: Alert` lines are safe;
 * - every other code line is safe for that category; not scored either way: blank and comment lines and
 *   import statements (Rampart reports uses, not imports);
 * - shell folders: a vulnerable line whose statement shows no shell (none of `shell=True`, `system(`,
 *   `popen`, `getoutput`, `getstatusoutput`, `_shell(`, a `"-c"` argument) is argv execution, which
 *   Rampart's shell rule does not claim (decided in session 3): not scored;
 * - eval/exec folder: a vulnerable line whose statement calls none of `eval`, `exec`, `compile` is not
 *   scored (as for Bearer: other code-loading APIs are not claimed);
 * - a folder none of whose files carries an `Alert` expectation is not in the inline format in the served
 *   version (its labels live in a `.expected` file whose version may differ): not scored, and listed;
 * - every finding each tool prints by default counts (all severities, both tools); a finding on a
 *   vulnerable line of its category (any line of its span) is a true positive, on a safe line of its
 *   category a false positive; findings of other categories are not scored (counted apart).
 * Path injection (`CWE-022-PathInjection`) is scored apart (a side table, Rampart only, not pooled):
 * `code.path-traversal` is a session-7 rule outside the issue's list of ML-code categories.
 * The headline is the pooled per-line figure; the per-category table and the mean of the per-category
 * precisions and recalls (each category weighted equally, so that SQL's many lines cannot decide alone)
 * are printed with it.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { scanCode } from "../src/scan/code/index.js";
import { type Category, type Hit, LINE_TABLE_HEADER, type LineLabels, scoreLines, scoreRampartAndBandit } from "./eval-code-categories.js";

const STABLE = "python/ql/test/query-tests/Security/";
const EXPERIMENTAL = "python/ql/test/experimental/query-tests/Security/";

/** Test folder → Rampart category (suffixed folder names only: the unsuffixed ones are older copies). */
const MAPPED: Record<string, Category> = {
  [`${STABLE}CWE-078-CommandInjection`]: "shell",
  [`${STABLE}CWE-078-CommandInjection-py2`]: "shell",
  [`${STABLE}CWE-078-UnsafeShellCommandConstruction`]: "shell",
  [`${STABLE}CWE-089-SqlInjection`]: "sql",
  [`${STABLE}CWE-089-SqlInjection-local-threat-model`]: "sql",
  [`${STABLE}CWE-089-SQLAlchemyTextClauseInjection`]: "sql",
  [`${STABLE}CWE-094-CodeInjection`]: "exec",
  [`${STABLE}CWE-502-UnsafeDeserialization`]: "deser",
  [`${STABLE}CWE-022-TarSlip`]: "archive",
  [`${EXPERIMENTAL}CWE-022-TarSlip`]: "archive", // tar and zip slip
  [`${EXPERIMENTAL}CWE-022-UnsafeUnpacking`]: "archive", // archives from untrusted places unpacked
  [`${STABLE}CWE-295-RequestWithoutValidation`]: "tls",
  [`${STABLE}CWE-798-HardcodedCredentials`]: "cred",
  [`${STABLE}CWE-215-FlaskDebug`]: "debug",
  [`${STABLE}CVE-2018-1281`]: "debug", // bind to all interfaces
};
/** Scored apart, Rampart only. */
const PATH_FOLDER = `${STABLE}CWE-022-PathInjection`;
/*
 * Deliberately NOT mapped (decided with the list above, before any run): SSH host-key policy (Rampart's
 * TLS rule is about certificate verification), remote command execution over SSH/Netmiko/Pexpect
 * (commands run on another host, not a local shell), template injection, XSS, LDAP/XPath/NoSQL/regex/
 * log/header/cookie injection, URL redirection, SSRF, XXE, weak crypto and hashes, temporary files,
 * file permissions, stack-trace exposure, incomplete URL sanitisation, Jinja2 autoescape, and the
 * "ExternalAPIs" meta-queries — weaknesses Rampart does not claim.
 */

const SHELL_MARKERS = /shell\s*=\s*True|system\s*\(|popen|getoutput|getstatusoutput|_shell\s*\(|["']-c["']/i;
const EXEC_MARKERS = /\b(eval|exec|compile)\s*\(/;

/** The inline expectations of a comment: is an alert expected, and is it marked spurious. */
function expectations(comment: string): { alert: boolean; spurious: boolean } {
  const at = comment.indexOf("$");
  if (at < 0) return { alert: false, spurious: false };
  let mode = "";
  let alert = false;
  let spurious = false;
  for (const token of comment.slice(at + 1).split(/\s+/)) {
    if (token === "MISSING:" || token === "SPURIOUS:") {
      mode = token;
      continue;
    }
    // `Alert`, `Alert[py/<query>]`, and the tagged form `Alert=<source tag>` (which source the alert is for)
    if (/^Alert(\[[^\]]*\])?(=\S*)?$/.test(token)) {
      if (mode === "SPURIOUS:") spurious = true;
      else alert = true;
    }
  }
  return { alert, spurious };
}

/** The comment of a line (text after a `#` outside string quotes, roughly: the last `# $` wins). */
function commentOf(line: string): string {
  const m = /#\s*(?:[^#]*?)\$[^#]*$/.exec(line);
  return m ? m[0] : "";
}

/** The statement starting at line i: lines joined until brackets balance (at most 12 lines). */
function statementAt(lines: string[], i: number): string {
  let depth = 0;
  let text = "";
  for (let j = i; j < Math.min(lines.length, i + 12); j++) {
    const code = (lines[j] ?? "").replace(/#.*$/, "");
    text += `${code}\n`;
    for (const ch of code) {
      if (ch === "(" || ch === "[" || ch === "{") depth++;
      else if (ch === ")" || ch === "]" || ch === "}") depth--;
    }
    if (depth <= 0) break;
  }
  return text;
}

function pythonFiles(root: string, dir: string): string[] {
  const abs = join(root, dir);
  if (!existsSync(abs)) return [];
  const out: string[] = [];
  for (const name of readdirSync(abs).sort()) {
    const rel = `${dir}/${name}`;
    if (statSync(join(root, rel)).isDirectory()) out.push(...pythonFiles(root, rel));
    else if (name.endsWith(".py")) out.push(rel);
  }
  return out;
}

interface Labelled {
  labels: LineLabels;
  files: string[];
  excluded: string[];
  notInline: string[];
}

function readLabels(root: string, folders: Record<string, Category>): Labelled {
  const labels: LineLabels = new Map();
  const files: string[] = [];
  const excluded: string[] = [];
  const notInline: string[] = [];
  for (const [folder, category] of Object.entries(folders)) {
    const found = pythonFiles(root, folder);
    const texts = found.map((f) => readFileSync(join(root, f), "utf8").split(/\r?\n/));
    if (!texts.some((lines) => lines.some((l) => expectations(commentOf(l)).alert || expectations(commentOf(l)).spurious))) {
      notInline.push(folder);
      continue;
    }
    found.forEach((file, k) => {
      files.push(file);
      const lines = texts[k]!;
      lines.forEach((line, i) => {
        const t = line.trim();
        if (t === "" || t.startsWith("#")) return;
        const e = expectations(commentOf(line));
        const vulnerable = e.alert && !e.spurious;
        if (/^(import|from)\s/.test(t) && !vulnerable) return;
        if (vulnerable) {
          const statement = statementAt(lines, i);
          if ((category === "shell" && !SHELL_MARKERS.test(statement)) || (category === "exec" && !EXEC_MARKERS.test(statement))) {
            excluded.push(`${file}:${i + 1}`);
            return;
          }
        }
        labels.set(`${file}:${i + 1}:${category}`, vulnerable);
      });
    });
  }
  return { labels, files, excluded, notInline };
}

function sha(root: string, file: string): string {
  // git's blob id, so the exact version can be found in the repository's history.
  const body = readFileSync(join(root, file));
  return createHash("sha1").update(`blob ${body.length}\0`).update(body).digest("hex");
}

/** Rampart's path-traversal findings as hits of a side category. */
async function pathHits(root: string, files: readonly string[]): Promise<Hit[]> {
  const hits: Hit[] = [];
  for (const f of files) {
    const r = await scanCode(join(root, f), { workers: 1 });
    for (const x of r.findings) {
      if (x.ruleId !== "code.path-traversal") continue;
      hits.push({ file: f, line: x.location?.line ?? 0, endLine: x.location?.endLine ?? x.location?.line ?? 0, category: "path" as Category, id: x.ruleId });
    }
  }
  return hits;
}

function macro(rows: string[]): string {
  // Per-category precision and recall from the "by category" line, averaged with equal weights.
  const line = rows.find((r) => r.includes("by category"));
  if (!line) return "";
  const ps: number[] = [];
  const rs: number[] = [];
  for (const m of line.matchAll(/(\w+) (\d+)\/(\d+) fp (\d+)/g)) {
    const [tp, n, fp] = [Number(m[2]), Number(m[3]), Number(m[4])];
    if (n === 0) continue;
    rs.push(tp / n);
    ps.push(tp + fp ? tp / (tp + fp) : 1);
  }
  const mean = (a: number[]) => (a.length ? a.reduce((x, y) => x + y, 0) / a.length : 0);
  return `  mean over ${rs.length} categories (equal weights): precision ${mean(ps).toFixed(3)}, recall ${mean(rs).toFixed(3)}`;
}

async function main(): Promise<void> {
  const [root, ...rest] = process.argv.slice(2);
  if (!root) {
    console.error("usage: npx tsx bench/eval-code-codeql.ts <codeql tree> [--bandit | --list]");
    process.exit(2);
  }
  const { labels, files, excluded, notInline } = readLabels(root, MAPPED);
  const vulnerable = [...labels.values()].filter(Boolean).length;
  console.log(`${files.length} test files, ${vulnerable} vulnerable lines, ${labels.size - vulnerable} safe code lines`);
  console.log(`not scored: ${excluded.length} argv/other-API alert lines; folders not in the inline format: ${notInline.join(" ") || "none"}`);
  const side = readLabels(root, { [PATH_FOLDER]: "path" as Category });
  if (rest.includes("--list")) {
    for (const f of [...files, ...side.files]) console.log(`${sha(root, f)} ${f}`);
    const byCat = new Map<string, [number, number]>();
    for (const [k, v] of labels) {
      const c = k.split(":").pop()!;
      const t = byCat.get(c) ?? [0, 0];
      t[v ? 0 : 1]++;
      byCat.set(c, t);
    }
    for (const [c, [v, s]] of [...byCat].sort()) console.log(`${c}: ${v} vulnerable / ${s} safe lines`);
    const sv = [...side.labels.values()].filter(Boolean).length;
    console.log(`path (side): ${sv} vulnerable / ${side.labels.size - sv} safe lines`);
    for (const e of excluded) console.log(`excluded ${e}`);
    return;
  }
  const short = (k: string) => k.replace(STABLE, "").replace(EXPERIMENTAL, "exp/");
  for (const l of LINE_TABLE_HEADER) console.log(l);
  await scoreRampartAndBandit(root, files, rest, (tool, hits) => {
    const rows = scoreLines(tool, hits, labels, short);
    return [...rows, macro(rows)];
  });
  console.log("\npath injection (side table, Rampart only):");
  for (const l of LINE_TABLE_HEADER) console.log(l);
  for (const l of scoreLines("rampart", await pathHits(root, side.files), side.labels, short)) console.log(l);
}

await main();
