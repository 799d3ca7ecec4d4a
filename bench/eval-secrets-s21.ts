/**
 * Session 21 held-out set: the secrets code examples of SonarSource's rule documentation (SonarSource/rspec),
 * never scored by a secrets harness. Each rule page shows code the rule reports ("Noncompliant code example",
 * "Sensitive Code Example", `diff-type=noncompliant`) beside code it accepts ("Compliant solution",
 * `diff-type=compliant`); both labels come from Sonar's authors. Read from a fetched git directory at the
 * pinned commit (`git show COMMIT:PATH`); nothing of it is committed.
 *
 *   npx tsx bench/eval-secrets-s21.ts RSPEC_GIT_DIR [--seen DIR ...] [--list]
 *
 * Pages read (fixed before any score):
 * - every `rules/S*\/secrets/rule.adoc` (the secrets language: one page per provider). 311 of them fill the
 *   shared template `shared_content/secrets/examples.adoc` with their own `:example_name:`,
 *   `:example_secret:` and `:example_env:` attributes (asciidoc `{attr}` substitution and `ifdef::a+b[]`
 *   blocks applied as asciidoctor would); the others write their own listings.
 * - the hard-coded credential pages of the other languages: `rules/{S2068,S6418,S6437}/<language>/rule.adoc`
 *   (Python left out: those pages were scored by the code harness, eval-code-rspec.ts, so they are seen).
 *
 * Unit: one listing block (`----` … `----`), scanned as its own file named for the block's language
 * (`[source,java]` → `Example.java`, the page's language folder when the block names none). Label, in this
 * order: `diff-type=noncompliant` → positive, `diff-type=compliant` → negative; otherwise the nearest heading
 * above: "Noncompliant" or "Sensitive Code" → positive, "Compliant" → negative; any other block is no unit.
 * A positive needs at least one counted finding (every severity except `info`); a negative must give none.
 *
 * Mapping to Rampart's classes: every page's subject is a credential. A positive is in scope when it holds a
 * kind Rampart claims: a value under a credential name (the generic rule: the block names a password,
 * secret, token, key, credential or auth), a private key block, a JWT, or a URL with a user and password.
 * Positives with none of these (a provider's webhook URL, a bare id) are dropped as unclaimed and counted.
 * Whole pages dropped: S8215 (password hashes: Rampart's stated policy is that a hash is not a credential),
 * S8214 (a spreadsheet component's licence key: not a credential), S7203 (binary keystore files).
 *
 * Dedupe, in this order: a text labelled both ways is left out on both sides; a repeated text with the same
 * label is kept once; a unit that is a verbatim copy of a seen corpus (`--seen` trees; a block's longest
 * lines, or for a template example its secret value) is left out. Every remaining unit is scored.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { scanSecrets } from "../src/scan/secrets/index.js";
import { counted, oneLine, printCountsByFile, seenCopies, Tally } from "./eval-secrets-tally.js";

export const RSPEC_COMMIT = "b897a1a0f84da7b0993b40199d6241fb7a93c4f5";
const TEMPLATE = "shared_content/secrets/examples.adoc";
const LANGUAGE_PAGES = ["S2068", "S6418", "S6437"];
const DROPPED_PAGES: Record<string, string> = {
  S8215: "password hashes (not a credential by Rampart's stated policy)",
  S8214: "licence keys (not a credential)",
  S7203: "binary keystore files",
};

/** File name a block is scanned under, by its asciidoc source language (or the page's language folder). */
const FILE_FOR: Record<string, string> = {
  java: "Example.java",
  csharp: "Example.cs",
  cs: "Example.cs",
  vbnet: "Example.vb",
  vb: "Example.vb",
  go: "main.go",
  javascript: "example.js",
  js: "example.js",
  typescript: "example.ts",
  ts: "example.ts",
  kotlin: "Example.kt",
  php: "example.php",
  swift: "Example.swift",
  cfamily: "example.cpp",
  c: "example.c",
  cpp: "example.cpp",
  abap: "example.abap",
  apex: "Example.cls",
  cobol: "example.cbl",
  json: "config.json",
  kubernetes: "deployment.yaml",
  yaml: "config.yaml",
  yml: "config.yaml",
  xml: "config.xml",
  python: "example.py",
  ruby: "example.rb",
  scala: "Example.scala",
  sql: "example.sql",
  tsql: "example.sql",
  shell: "script.sh",
  sh: "script.sh",
  bash: "script.sh",
  text: "example.txt",
  properties: "application.properties",
  ini: "config.ini",
  toml: "config.toml",
  docker: "Dockerfile",
  dockerfile: "Dockerfile",
  terraform: "main.tf",
  hcl: "main.tf",
  secrets: "example.txt",
};

export interface RspecCase {
  /** Rule key and page language, e.g. `S6290/secrets`. */
  page: string;
  positive: boolean;
  text: string;
  fileName: string;
  /** For a template example, its secret value (a copy of it in a seen corpus makes the unit seen). */
  secret?: string;
}

const git = (dir: string, ...args: string[]) => execFileSync("git", ["--git-dir", dir, ...args], { encoding: "utf8", maxBuffer: 1 << 28 });

/** `:name: value` attribute lines of a page. */
function attributes(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of text.matchAll(/^:([A-Za-z0-9_-]+):[ \t]*(.*)$/gm)) out.set(m[1]!, m[2]!.trim());
  return out;
}

/** Asciidoc's conditional blocks (`ifdef::a+b[]` needs all, `ifdef::a,b[]` any, `ifndef` the opposite) and `{attr}` references. */
function expand(text: string, attrs: Map<string, string>): string {
  const out: string[] = [];
  const keep: boolean[] = [];
  for (const line of text.split("\n")) {
    const cond = /^(ifn?def)::([^[]*)\[\]\s*$/.exec(line);
    if (cond) {
      const names = cond[2]!;
      const has = names.includes("+") ? names.split("+").every((n) => attrs.has(n)) : names.split(",").some((n) => attrs.has(n));
      keep.push(cond[1] === "ifdef" ? has : !has);
      continue;
    }
    if (/^endif::.*\[\]\s*$/.test(line)) {
      keep.pop();
      continue;
    }
    if (keep.every(Boolean)) out.push(line.replace(/\{([A-Za-z0-9_-]+)\}/g, (whole, n: string) => attrs.get(n) ?? whole));
  }
  return out.join("\n");
}

/** Labelled listing blocks of one expanded page. */
function blocks(text: string, pageLanguage: string): Array<{ positive: boolean; text: string; language: string }> {
  const lines = text.split("\n");
  const out: Array<{ positive: boolean; text: string; language: string }> = [];
  let heading = "";
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^=+ /.test(line)) heading = line;
    if (line.trim() !== "----") continue;
    const attr = i > 0 && /^\[.*\]\s*$/.test(lines[i - 1]!) ? lines[i - 1]! : "";
    let end = i + 1;
    while (end < lines.length && lines[end]!.trim() !== "----") end++;
    const body = lines.slice(i + 1, end).join("\n");
    i = end;
    const diff = /diff-type=(noncompliant|compliant)/.exec(attr)?.[1];
    const positive = diff ? diff === "noncompliant" : /noncompliant|sensitive code/i.test(heading) ? true : /compliant/i.test(heading) ? false : undefined;
    if (positive === undefined || !body.trim()) continue;
    const source = /^\[source,\s*([A-Za-z0-9_+-]+)/.exec(attr)?.[1]?.toLowerCase();
    out.push({ positive, text: body, language: source ?? pageLanguage });
  }
  return out;
}

/** A kind Rampart claims: a credential name, a private key block, a JWT, or a URL with a user and password. */
export const claimedKind = (text: string): boolean =>
  /passw|passwd|pwd|secret|token|key|credential|auth/i.test(text) ||
  /-----BEGIN [A-Z ]*PRIVATE KEY/.test(text) ||
  /\beyJ[A-Za-z0-9_-]{8,}\.eyJ/.test(text) ||
  /[a-z][a-z0-9+.-]*:\/\/[^\s:/@"']+:[^\s/@"']+@/i.test(text);

export function rspecCases(gitDir: string): { cases: RspecCase[]; unclaimed: number; bothWays: number; repeats: number } {
  const files = git(gitDir, "ls-tree", "-r", "--name-only", RSPEC_COMMIT, "rules").split("\n");
  const show = (path: string) => git(gitDir, "show", `${RSPEC_COMMIT}:${path}`);
  const template = show(TEMPLATE);
  const raw: RspecCase[] = [];
  let unclaimed = 0;
  const pages = files.filter((f) => {
    const m = /^rules\/(S\d+)\/([a-z]+)\/rule\.adoc$/.exec(f);
    if (!m || DROPPED_PAGES[m[1]!]) return false;
    return m[2] === "secrets" || (LANGUAGE_PAGES.includes(m[1]!) && m[2] !== "python");
  });
  for (const path of pages) {
    const [, key, language] = /^rules\/(S\d+)\/([a-z]+)\//.exec(path)!;
    const page = show(path);
    const attrs = attributes(page);
    const secret = attrs.get("example_secret");
    const text = expand(page.includes(`include::../../../${TEMPLATE}[]`) ? page.replace(`include::../../../${TEMPLATE}[]`, template) : page, attrs);
    for (const b of blocks(text, language!)) {
      if (b.positive && !claimedKind(b.text)) {
        unclaimed++;
        continue;
      }
      raw.push({
        page: `${key}/${language}`,
        positive: b.positive,
        text: b.text,
        fileName: FILE_FOR[b.language] ?? FILE_FOR[language!] ?? "example.txt",
        secret: secret && b.text.includes(secret) ? secret : undefined,
      });
    }
  }
  const labels = new Map<string, Set<boolean>>();
  for (const c of raw) labels.set(c.text, (labels.get(c.text) ?? new Set()).add(c.positive));
  const bothWays = raw.filter((c) => labels.get(c.text)!.size > 1).length;
  const seen = new Set<string>();
  const cases: RspecCase[] = [];
  let repeats = 0;
  for (const c of raw) {
    if (labels.get(c.text)!.size > 1) continue;
    if (seen.has(c.text)) {
      repeats++;
      continue;
    }
    seen.add(c.text);
    cases.push(c);
  }
  return { cases, unclaimed, bothWays, repeats };
}

/** Leaves out units copied from a seen corpus: the block's longest lines, or a template example's secret value. */
export function withoutSeen(cases: readonly RspecCase[], seenDirs: readonly string[]): { kept: RspecCase[]; copies: number } {
  if (!seenDirs.length) return { kept: [...cases], copies: 0 };
  const blockCopies = seenCopies(
    cases.map((c) => c.text),
    seenDirs,
  );
  const secretCopies = seenCopies(
    cases.flatMap((c) => (c.secret ? [c.secret] : [])),
    seenDirs,
  );
  const kept = cases.filter((c) => !blockCopies.has(c.text) && !(c.secret && secretCopies.has(c.secret)));
  return { kept, copies: cases.length - kept.length };
}

/** How units are grouped in the tables: template examples, the secrets pages' own listings, and each language. */
const groupOf = (c: RspecCase): string =>
  c.page.endsWith("/secrets") ? (c.secret ? "secrets pages, template examples" : "secrets pages, own listings") : `${c.page.split("/")[1]} credential pages`;

async function score(cases: readonly RspecCase[]): Promise<Tally> {
  const dir = mkdtempSync(join(tmpdir(), "eval-s21-"));
  const tally = new Tally();
  try {
    for (const [i, c] of cases.entries()) {
      const sub = join(dir, String(i));
      mkdirSync(sub);
      const file = join(sub, c.fileName);
      writeFileSync(file, c.text.endsWith("\n") ? c.text : `${c.text}\n`);
      const findings = (await scanSecrets(file, { workers: 1 })).findings.filter(counted);
      const group = groupOf(c);
      tally.add(group, c.positive, findings, `${c.page} [${c.fileName}]: ${oneLine(c.text)}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return tally;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const gitDir = args[0];
  if (!gitDir || gitDir.startsWith("--")) {
    console.error("usage: npx tsx bench/eval-secrets-s21.ts RSPEC_GIT_DIR [--seen DIR ...] [--list]");
    process.exit(2);
  }
  const seenDirs = args.includes("--seen") ? args.slice(args.indexOf("--seen") + 1).filter((a) => !a.startsWith("--")) : [];
  const { cases: all, unclaimed, bothWays, repeats } = rspecCases(gitDir);
  const { kept, copies } = withoutSeen(all, seenDirs);
  const note = `${unclaimed} positives of unclaimed kinds dropped, ${bothWays} texts labelled both ways and ${repeats} repeats left out, ${copies} seen copies left out (${seenDirs.length} trees searched)`;
  if (args.includes("--list")) {
    printCountsByFile(kept.map((c) => ({ file: groupOf(c), positive: c.positive })));
    console.log(`${kept.filter((c) => c.positive).length} positive, ${kept.filter((c) => !c.positive).length} negative; ${note}`);
    return;
  }
  (await score(kept)).print("rspec pages", `; ${note}`);
}

if (process.argv[1]?.endsWith("eval-secrets-s21.ts"))
  main().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(2);
  });
