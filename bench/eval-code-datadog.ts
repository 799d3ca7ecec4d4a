/**
 * Precision/recall of `rampart scan code` (and Bandit) on the session-27 held-out set: the code examples of Datadog's
 * static-analysis rule pages for Python (DataDog/documentation, `content/en/security/code_security/static_analysis/
 * static_analysis_rules/python-{security,flask,django}/<rule>.md`). Each page holds a "Non-Compliant Code Examples"
 * and a "Compliant Code Examples" section of fenced Python blocks: what the rule's authors say it must and must not
 * report. Labels are theirs.
 *
 *   npx tsx bench/eval-code-datadog.ts <pages dir> --codiga <folder holding Codiga's python-security/> --work <scratch dir> [--list | --bandit] [--dist <built dist/>]
 *
 * `<pages dir>` holds `python-security/`, `python-flask/`, `python-django/` with each page as `<rule>.md`, the page
 * text as the repository stores it. The repository is too big for a snapshot, so the pages are copied one by one
 * from the public file index; `--list` prints each page's SHA-256 so that a copy can be checked. Each block is
 * written to its own `.py` file in the scratch folder; nothing of the corpus is committed or executed. The label
 * rule, the mapping and the scoring below were written and committed (session 27) before either tool ran on any unit.
 *
 * Units: every Python block of a page that `RULE_FAMILY` maps; the unit's family is its rule's, a Non-Compliant block
 * is vulnerable and a Compliant block safe — for that family only. Left out, and counted: a block whose text was
 * already in the Codiga set (session 26's held-out set, now seen: the same rules' older tests, `--codiga`) or found
 * whole in a file of another corpus scored before (`SEEN_ELSEWHERE`), a block
 * whose text the set holds with both labels, and a repeat of a block already taken with the same label (one unit).
 * Texts are compared without comments and white space (`codeText`). The pages of `OUT_OF_SCOPE` make no units; a page
 * in neither table is an error (another snapshot of the corpus: map it first). Scoring as `eval-code-files.ts`
 * scores files: a unit is found when the tool prints a finding of its family anywhere in its file (every severity and
 * confidence, both tools); findings of a family on a file that is no unit of that family are listed apart ("other
 * flagged"), not scored. Families of findings and Bandit ids as the session-25 harness gives them
 * (`eval-code-families.ts`).
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CODIGA_RULE_FAMILY, codeText, printFamilyScores, unitListLines } from "./eval-code-families.js";
import { type Family, type FileCase, optionValue } from "./eval-code-files.js";

const GROUPS = ["python-security", "python-flask", "python-django"] as const;

/** The Codiga rules whose successors keep their names: mapped as the Codiga set maps them (`CODIGA_RULE_FAMILY`). */
const CODIGA_SUCCESSORS = [
  "avoid-random",
  "deserialize-untrusted-data",
  "file-write-others",
  "insecure-hash-functions",
  "insecure-jwt",
  "insecure-ssl-protocols",
  "mktemp",
  "no-eval",
  "request-verify",
  "sql-server-security-credentials",
  "ssl-unverified-context",
  "subprocess-shell-true",
  "variable-sql-statement-injection",
  "yaml-load",
];

/** Page (`group/rule`) → family, decided from each rule's name, CWE and description before any run. */
const RULE_FAMILY: Record<string, Family> = {
  ...Object.fromEntries(CODIGA_SUCCESSORS.map((r) => [`python-security/${r}`, CODIGA_RULE_FAMILY[r] as Family])),
  "python-security/asyncio-subprocess-create-shell": "shell", // CWE-78
  "python-security/asyncio-subprocess-exec": "shell", // CWE-78
  "python-security/aws-boto-credentials": "cred", // CWE-798
  "python-security/hardcoded-tmp-file": "tempfile", // CWE-377: a temporary file name written in the source
  "python-security/html-string-from-parameters": "xss", // CWE-79
  "python-security/jinja-autoescape": "xss", // the page says CWE-94; its text says XSS (autoescape off, CWE-79)
  "python-security/no-compile": "exec", // CWE-94
  "python-security/no-exec": "exec", // CWE-94
  "python-security/os-spawn": "shell", // CWE-78
  "python-security/os-system": "shell", // CWE-78
  "python-security/ruamel-unsafe-yaml": "deser", // CWE-502
  "python-flask/avoid-ssrf": "ssrf", // CWE-918
  "python-flask/disable-sqlalchemy-text": "sql", // CWE-89: any SQLAlchemy text() query
  "python-flask/html-format-from-user-input": "xss", // CWE-79
  "python-flask/listen-all-interfaces": "debug", // CWE-668: a server on 0.0.0.0, the debug family as Bandit's B104 (session 8)
  "python-flask/no-render-template-string": "exec", // CWE-96 (a kind of CWE-94): a template made from a string
  "python-flask/open-file-unsanitized-data": "path", // CWE-22
  "python-flask/os-system-unsanitized-data": "shell", // CWE-78
  "python-flask/sqlalchemy-injection": "sql", // CWE-89
  "python-flask/ssrf-requests": "ssrf", // CWE-918 (its text speaks of SQL; its code and title of API calls)
  "python-flask/urlopen-unsanitized-data": "ssrf", // CWE-918
  "python-django/http-response-from-request": "xss", // the page says CWE-22 (its text CWE-20): request data written into an HttpResponse, CWE-79 here
  "python-django/open-filename-from-request": "path", // CWE-22
  "python-django/os-system-from-request": "shell", // the page says CWE-20: a command from the request, CWE-78 here
  "python-django/subprocess-from-request": "shell", // the page says CWE-20: a command from the request, CWE-78 here
};

/** Pages with no family of Rampart's, and why (most were not copied: their blocks are not counted then). */
const OUT_OF_SCOPE: Record<string, string> = {
  "python-security/requests-http": "CWE-319 (a plain-http URL)",
  "python-security/requests-timeout": "CWE-1088 (a request without a timeout)",
  "python-security/no-empty-list-as-parameter": "no CWE (a mutable default argument)",
  "python-flask/cookie-injection": "CWE-20 (a cookie value from input)",
  "python-flask/secure-cookie": "CWE-614 (cookie flags; no family of the shared tables)",
  "python-flask/use-jsonify": "no CWE (best practice)",
  "python-django/http-response-with-json-dumps": "no CWE (best practice)",
  "python-django/jsonresponse-no-content-type": "no CWE (best practice)",
  "python-django/model-charfield-max-length": "no CWE (model style)",
  "python-django/model-help-text": "no CWE (model style)",
  "python-django/no-null-boolean": "no CWE (model style)",
  "python-django/no-unicode-on-models": "no CWE (model style)",
  "python-django/use-convenience-imports": "no CWE (import style)",
};

/**
 * Blocks whose code text (as `codeText` reads it) lies whole inside a Python file of a corpus the project scored
 * before, found by a one-off search of those corpora's snapshots (session 27, before any run; every other unit's text
 * is in none of them). Left out as seen, like the Codiga texts.
 */
const SEEN_ELSEWHERE: Record<string, string> = {
  "avoid-ssrf/noncompliant-1": "blabla1337/skf-labs python/RFI/RFI.py (the SKF labs set)",
  "listen-all-interfaces/noncompliant-1": "semgrep/semgrep-rules python/flask/security/audit/app-run-param-config.py (the semgrep-rules set)",
};

interface Block {
  code: string;
  vulnerable: boolean;
}

interface Corpus {
  cases: FileCase[];
  files: string[];
  pages: { page: string; sha256: string }[];
  outOfScope: Map<string, number>;
  leftOut: { seen: string[]; seenElsewhere: string[]; bothLabels: string[]; repeats: string[] };
}

/** The fenced Python blocks of a page's two example sections, in page order. */
function pageBlocks(text: string, page: string): Block[] {
  const blocks: Block[] = [];
  let section: boolean | undefined;
  let open: string[] | undefined;
  for (const line of text.split("\n")) {
    if (open) {
      if (line.trimEnd() === "```") {
        if (section === undefined) throw new Error(`page ${page}: a code block outside the example sections`);
        blocks.push({ code: `${open.join("\n")}\n`, vulnerable: section });
        open = undefined;
      } else open.push(line);
    } else if (line.startsWith("## ")) {
      const title = line.slice(3).trim();
      section = title === "Non-Compliant Code Examples" ? true : title === "Compliant Code Examples" ? false : undefined;
    } else if (line.trimEnd() === "```python") open = [];
    else if (line.startsWith("```")) throw new Error(`page ${page}: a code block that is not Python`);
  }
  if (open) throw new Error(`page ${page}: a code block without its end`);
  return blocks;
}

/** The code text of every Codiga test (each rule folder's `tests/*.js`). */
function codigaTexts(dir: string): Set<string> {
  const root = join(dir, "python-security");
  const texts = new Set<string>();
  for (const rule of readdirSync(root)) {
    const tests = join(root, rule, "tests");
    if (!existsSync(tests) || !statSync(tests).isDirectory()) continue;
    for (const f of readdirSync(tests)) texts.add(codeText(readFileSync(join(tests, f), "utf8")));
  }
  if (texts.size === 0) throw new Error(`no Codiga tests under ${root}`);
  return texts;
}

/** Reads every page, leaves out the blocks the rules above name, writes each unit's code to `work`. */
function readCorpus(dir: string, codiga: string, work: string): Corpus {
  const seen = codigaTexts(codiga);
  mkdirSync(work, { recursive: true });
  const found: { page: string; index: number; block: Block; text: string }[] = [];
  const pages: Corpus["pages"] = [];
  const outOfScope = new Map<string, number>();
  for (const group of GROUPS) {
    const folder = join(dir, group);
    if (!existsSync(folder)) throw new Error(`no folder ${group} under ${dir}`);
    for (const name of readdirSync(folder).sort()) {
      if (!name.endsWith(".md")) continue;
      const page = `${group}/${name.slice(0, -3)}`;
      const text = readFileSync(join(folder, name), "utf8");
      pages.push({ page, sha256: createHash("sha256").update(text).digest("hex") });
      const blocks = pageBlocks(text, page);
      if (page in OUT_OF_SCOPE) {
        outOfScope.set(page, blocks.length);
        continue;
      }
      if (!RULE_FAMILY[page]) throw new Error(`page ${page} is in neither RULE_FAMILY nor OUT_OF_SCOPE`);
      for (const [index, block] of blocks.entries()) found.push({ page, index, block, text: codeText(block.code) });
    }
  }
  // Both labels and repeats are judged within a family (the same text may be a unit of two families).
  const key = (b: (typeof found)[number]): string => `${RULE_FAMILY[b.page]}\n${b.text}`;
  const labels = new Map<string, Set<boolean>>();
  for (const b of found) labels.set(key(b), (labels.get(key(b)) ?? new Set()).add(b.block.vulnerable));
  const leftOut: Corpus["leftOut"] = { seen: [], seenElsewhere: [], bothLabels: [], repeats: [] };
  const taken = new Set<string>();
  const cases: FileCase[] = [];
  const files: string[] = [];
  for (const b of found) {
    const label = `${b.page.split("/")[1]}/${b.block.vulnerable ? "noncompliant" : "compliant"}-${b.index + 1}`;
    if (seen.has(b.text)) leftOut.seen.push(label);
    else if (label in SEEN_ELSEWHERE) leftOut.seenElsewhere.push(label);
    else if ((labels.get(key(b))?.size ?? 0) > 1) leftOut.bothLabels.push(label);
    else if (taken.has(key(b))) leftOut.repeats.push(label);
    else {
      taken.add(key(b));
      const file = `${label.replace("/", "__")}.py`;
      writeFileSync(join(work, file), b.block.code);
      files.push(file);
      cases.push({ file, label, family: RULE_FAMILY[b.page] as Family, vulnerable: b.block.vulnerable });
    }
  }
  return { cases, files, pages, outOfScope, leftOut };
}

async function main(): Promise<void> {
  const [dir, ...rest] = process.argv.slice(2);
  const work = optionValue(rest, "--work");
  const codiga = optionValue(rest, "--codiga");
  if (!dir || dir.startsWith("--") || !work || !codiga) {
    console.error(
      "usage: npx tsx bench/eval-code-datadog.ts <pages dir> --codiga <folder holding Codiga's python-security/> --work <scratch dir> [--list | --bandit] [--dist <built dist/>]",
    );
    process.exit(2);
  }
  let c: Corpus;
  try {
    c = readCorpus(dir, codiga, work);
  } catch (e) {
    console.error(`eval-code-datadog: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(2);
  }
  const vulnerable = c.cases.filter((x) => x.vulnerable);
  const all = createHash("sha256")
    .update(c.pages.map((p) => `${p.page} ${p.sha256}\n`).join(""))
    .digest("hex");
  console.log(`${c.pages.length} pages (digest of the page list ${all.slice(0, 16)})`);
  console.log(`${c.cases.length} units: ${vulnerable.length} vulnerable, ${c.cases.length - vulnerable.length} safe`);
  console.log(
    `left out: ${c.leftOut.seen.length} seen in the Codiga set, ${c.leftOut.seenElsewhere.length} seen in another scored corpus, ${c.leftOut.bothLabels.length} with both labels, ${c.leftOut.repeats.length} repeats`,
  );
  console.log(`out of scope (pages copied): ${[...c.outOfScope].map(([p, n]) => `${p} (${n} blocks; ${OUT_OF_SCOPE[p]})`).join(", ") || "none"}`);
  if (rest.includes("--list")) {
    for (const p of c.pages) console.log(`page ${p.page} ${p.sha256}`);
    for (const [why, labels] of Object.entries(c.leftOut)) for (const l of labels) console.log(`left out (${why}) ${l}`);
    for (const l of unitListLines(c.cases)) console.log(l);
    return;
  }
  await printFamilyScores(work, c.files, c.cases, rest);
}

await main();
