/**
 * Session 27 held-out set: LeakTK's `fake-leaks` repository (Red Hat's leak tool kit; files made to look like
 * leaks, and look-alikes that must not be reported) with the expected results of LeakTK's own pattern tests.
 * Neither repository was named in bench/ or docs/ before this file. Read from the fetched git directories at
 * the pinned commits; nothing of them is committed.
 *
 *   npx tsx bench/eval-secrets-leaktk.ts FAKE_LEAKS_GIT_DIR PATTERNS_GIT_DIR [--seen DIR ...] [--list] [--dist DIST]
 *
 * Labels come from the corpora's authors: leaktk/patterns' `testdata/leaktk-scanner-results.yaml` lists every
 * (file, rule, match, secret) the LeakTK scanner must report on the fake-leaks tree, and its test
 * (`tests/test_leaktk_scanner.py`) fails on any other result, so every other line is one the authors say must
 * not be reported. PATTERNS_COMMIT is the commit whose submodule pins FAKE_LEAKS_COMMIT (checked below).
 *
 * Units (line-based, as the KICS harness):
 * - positive: each expected result, located in its file by its `match` text (every occurrence), else by its
 *   `secret`, else by the first line of `match`, else by the first 24 characters of `secret`; the unit is the
 *   lines the located text spans (a private key is its block). Results on the same lines are one unit,
 *   named by the most specific kind (a provider's rule rather than "Generic Secret"). A
 *   result found in none of these ways (LeakTK decoded it from base64, or unescaped it) is a *file unit*: found
 *   when a counted finding lies in that file on a line outside every located unit; such a file gives no
 *   negative lines (the encoded line cannot be told from the others).
 * - negative: every other non-blank line of every file in scope, except lines carrying a suppression marker
 *   (LeakTK's allow tag, matched as its global allowlist does: `not secret` with any of ` -_` or nothing
 *   between, any case; `nosec`, `noqa`, `nolint:gosec`): a marker is an instruction to one tool, not a property
 *   of the value, so such lines are neither positive nor negative.
 * A finding counts when its severity is not `info` (every secrets harness since session 6) and it overlaps the
 * unit's lines; a finding that overlaps a positive unit is never a false positive on a line next to it.
 *
 * Scope (fixed before any score):
 * - left out, copies of a seen corpus: `semgrep-rules-examples/` (semgrep-rules' secrets fixtures, seen since
 *   session 6); and any unit whose text is a verbatim copy of a `--seen` tree (`seenCopies`).
 * - left out, the repository's own files (not test material): README.md, LICENSE, Containerfile, hack/, and the
 *   scanner configuration `.gitleaks.toml` / `.gitleaksignore`.
 * - left out, files LeakTK skips by *where* they are, not by what they hold (PATH_POLICY): its global path
 *   allowlist (quickstarts, `lib/python…/site-packages`, `.yarn/releases`, `specs/github.json`,
 *   `.secrets.baseline`), the `testdata/` folders that nearly every rule skips, the repository's allowlist
 *   (`ignore.d`, `*.ignore.txt`, one named key path) and `.gitleaksignore` (one file).
 * - left out, a file under a `valid/` folder that no expected result names (the folder says leak, the
 *   expected results say nothing: the two label sources disagree).
 * - dropped kinds, lines neither positive nor negative (DROPPED_RULES): AWS IAM unique identifiers (ids, not
 *   credentials), Controlled Unclassified Information markings, password hashes and htpasswd files (hashes, no
 *   credential Rampart claims), a GitHub workflow that checks out a pull request's head (not a secret), and a
 *   `.p12` file reported by name (no content to locate).
 * Every other expected result is kept, whether or not Rampart has a rule for its provider: the set measures
 * breadth, and the per-kind table shows which providers are missed.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parse as parseYaml } from "yaml";
import type { Finding } from "../src/core/index.js";
import { counted, distOption, oneLine, optionValues, seenCopies, Tally } from "./eval-secrets-tally.js";

export const FAKE_LEAKS_COMMIT = "7ba6ca3ea2f165ecd61276c7460f2facdb313c87";
export const PATTERNS_COMMIT = "55c7046d456b5420d8e83d4af53877752541ea6a";
const RESULTS = "testdata/leaktk-scanner-results.yaml";
const GENERIC = "Generic Secret";

/** Whole folders or files out of scope: a seen corpus's copy, and the repository's own files. */
const OUT_OF_SCOPE = [/^semgrep-rules-examples\//, /^(?:README\.md|LICENSE|Containerfile|\.gitleaks\.toml|\.gitleaksignore)$/, /^hack\//];

/**
 * Files LeakTK leaves alone by location (its 8.27.0 configuration at PATTERNS_COMMIT, the repository's
 * `.gitleaks.toml` and `.gitleaksignore`); written as JavaScript regular expressions.
 */
export const PATH_POLICY: ReadonlyArray<[RegExp, string]> = [
  [/quickstart/, "global allowlist: quickstarts"],
  [/vendor/, "global allowlist: vendor code"],
  [/(?:^|\/)node_modules\//, "global allowlist: node_modules"],
  [/(?:^|\/)lib\/python[^/]+\/site-packages/, "global allowlist: installed Python packages"],
  [/(?:^|\/)\.?secrets\.baseline$/, "global allowlist: detect-secrets baseline"],
  [/(?:^|\/)specs\/github\.(?:ya?ml|json)$/, "global allowlist: GitHub's API spec"],
  [/(?:^|\/)\.yarn\/releases\//, "global allowlist: yarn releases"],
  [/(?:^|\/)testdata\//, "rule allowlists: testdata folders"],
  [/ignore\.d/, "repository allowlist: ignore.d"],
  [/\.ignore\.txt$/, "repository allowlist: *.ignore.txt"],
  [/examples\/some\/long\/path\/server\.key$/, "repository allowlist: a named path"],
  [/^pki\/invalid\/ignored-by-config$/, "repository .gitleaksignore"],
];

/** Expected results of these rules are not credentials Rampart claims: their lines are neither label. */
export const DROPPED_RULES: Record<string, string> = {
  "AWS IAM Unique Identifier": "an IAM unique id (identifier)",
  "Controlled Unclassified Information": "a document marking, not a credential",
  "Password Hash": "a password hash",
  "Htpasswd File": "a password hash file",
  "Vulnerable GitHub Workflow (pull_request_target + PR Head Checkout)": "a workflow weakness, not a secret",
  "PKCS #12 File": "reported by file name, nothing to locate",
};

/** Suppression markers: LeakTK's allow tag (as its global allowlist matches it) and other tools' comments. */
export const MARKER = /\bnot[\t\x20\-_]*secret\b|#\s*nosec(?:\s|$)|#\s*noqa(?::[\s\w]+)?$|\/\/\s*nolint:gosec(?:\s|$)/i;

interface Expected {
  "rule.description": string;
  "location.path": string;
  match: string;
  secret: string;
}

export interface LeakFile {
  path: string;
  text: string;
  /** Located positive units: [first, last] 1-based lines and the kind. */
  blocks: Array<{ lines: [number, number]; kind: string }>;
  /** Kinds of the expected results that could not be located (file units). */
  fileUnits: string[];
  /** Lines neither positive nor negative. */
  excluded: Set<number>;
  /** Where the file's negatives are counted: valid folders, invalid/benign folders, other files. */
  negGroup: string;
}

function git(gitDir: string, args: string[]): string {
  const r = spawnSync("git", ["--git-dir", gitDir, ...args], { encoding: "utf8", maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`${gitDir}: git ${args.join(" ")}: ${r.stderr.trim()}`);
  return r.stdout;
}

/** 1-based line of a character offset. */
const lineAt = (text: string, offset: number) => text.slice(0, offset).split("\n").length;

/** Every occurrence of `needle` in `text` as the lines it spans. */
function occurrences(text: string, needle: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  if (!needle) return out;
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) out.push([lineAt(text, at), lineAt(text, at + needle.length - 1)]);
  return out;
}

/** The lines of an expected result, tried in the order the header says; empty when none is found verbatim. */
export function locate(text: string, e: Pick<Expected, "match" | "secret">): Array<[number, number]> {
  for (const probe of [e.match, e.secret, e.match.split("\n")[0]!, e.secret.slice(0, 24)]) {
    if (probe.trim().length < 8) continue;
    const found = occurrences(text, probe);
    if (found.length) return found;
  }
  return [];
}

const negGroupOf = (path: string) =>
  /(?:^|\/)valid\//.test(path)
    ? "negatives: valid/ files (unlabelled lines)"
    : /(?:^|\/)(?:invalid|benign)\//.test(path)
      ? "negatives: invalid/ and benign/ files"
      : "negatives: other files";

/** The files in scope with their units, and what was left out (printed). */
export function leaktkFiles(fakeLeaksGit: string, patternsGit: string): { files: LeakFile[]; notes: string[] } {
  const pinned = git(patternsGit, ["ls-tree", PATTERNS_COMMIT, "testdata/fake-leaks"]).split(/\s+/)[2];
  if (pinned !== FAKE_LEAKS_COMMIT) throw new Error(`${patternsGit}: ${PATTERNS_COMMIT} pins fake-leaks ${pinned}, not ${FAKE_LEAKS_COMMIT}`);
  const expected = parseYaml(git(patternsGit, ["show", `${PATTERNS_COMMIT}:${RESULTS}`])) as Expected[];
  const paths = git(fakeLeaksGit, ["ls-tree", "-r", "-z", "--name-only", FAKE_LEAKS_COMMIT]).split("\0").filter(Boolean);
  const notes: string[] = [];
  const files: LeakFile[] = [];
  const byPath = new Map<string, LeakFile>();
  for (const path of paths) {
    if (OUT_OF_SCOPE.some((r) => r.test(path))) continue;
    const policy = PATH_POLICY.find(([r]) => r.test(path));
    if (policy) {
      notes.push(`left out (${policy[1]}): ${path}`);
      continue;
    }
    const text = git(fakeLeaksGit, ["show", `${FAKE_LEAKS_COMMIT}:${path}`]);
    const lines = text.split("\n");
    const excluded = new Set<number>();
    for (const [i, l] of lines.entries()) if (MARKER.test(l)) excluded.add(i + 1);
    const f: LeakFile = { path, text, blocks: [], fileUnits: [], excluded, negGroup: negGroupOf(path) };
    files.push(f);
    byPath.set(path, f);
  }
  const named = new Set(expected.map((e) => e["location.path"]));
  for (const e of expected) {
    const path = e["location.path"];
    if (OUT_OF_SCOPE.some((r) => r.test(path))) continue;
    const f = byPath.get(path);
    if (!f) {
      notes.push(`expected result in a file not in scope: ${path} (${e["rule.description"]})`);
      continue;
    }
    const kind = e["rule.description"];
    const at = locate(f.text, e);
    if (DROPPED_RULES[kind]) {
      // not located: the whole file is the dropped result's (a file reported by its name)
      const span = at.length ? at : [[1, f.text.split("\n").length] as [number, number]];
      for (const [a, b] of span) for (let n = a; n <= b; n++) f.excluded.add(n);
      notes.push(`dropped (${DROPPED_RULES[kind]}): ${path} ${kind}`);
      continue;
    }
    if (!at.length) {
      f.fileUnits.push(kind);
      continue;
    }
    for (const lines of at) {
      const same = f.blocks.find((b) => b.lines[0] === lines[0] && b.lines[1] === lines[1]);
      // one unit per lines, named by the most specific kind (a provider's rule over the generic one)
      if (!same) f.blocks.push({ lines, kind });
      else if (same.kind === GENERIC) same.kind = kind;
    }
  }
  // A file the authors put under a `valid/` folder (a leak) that the expected results do not name: the two
  // label sources disagree (the rule came later, or never), so the file is neither positive nor negative.
  const kept = files.filter((f) => {
    const silent = /(?:^|\/)valid\//.test(f.path) && !named.has(f.path);
    if (silent) notes.push(`left out (under valid/, no expected result): ${f.path}`);
    return !silent;
  });
  return { files: kept, notes };
}

/** Every unit's text, for the seen-copy probe: a block's lines, a negative line, or a file unit's whole file. */
function unitTexts(f: LeakFile): Array<{ text: string; drop: () => void }> {
  const lines = f.text.split("\n");
  const out: Array<{ text: string; drop: () => void }> = [];
  for (const b of f.blocks)
    out.push({
      text: lines.slice(b.lines[0] - 1, b.lines[1]).join("\n"),
      drop: () => {
        f.blocks = f.blocks.filter((x) => x !== b);
        for (let n = b.lines[0]; n <= b.lines[1]; n++) f.excluded.add(n);
      },
    });
  for (const i of f.fileUnits.keys())
    out.push({
      text: f.text,
      drop: () => {
        f.fileUnits[i] = "";
      },
    });
  for (const n of negativeLines(f)) out.push({ text: lines[n - 1]!, drop: () => f.excluded.add(n) });
  return out;
}

/** Negative lines: non-blank, outside every positive block, not excluded; none in a file with a file unit. */
export function negativeLines(f: LeakFile): number[] {
  if (f.fileUnits.some(Boolean)) return [];
  const lines = f.text.split("\n");
  const out: number[] = [];
  for (let n = 1; n <= lines.length; n++) if (lines[n - 1]!.trim() && !f.excluded.has(n) && !f.blocks.some((b) => n >= b.lines[0] && n <= b.lines[1])) out.push(n);
  return out;
}

/** Leaves out the units found verbatim in a `--seen` tree; returns how many. */
function dropSeen(files: LeakFile[], seenDirs: readonly string[]): number {
  const units = files.flatMap(unitTexts);
  const copies = seenCopies(
    units.map((u) => u.text),
    seenDirs,
  );
  let n = 0;
  for (const u of units)
    if (copies.has(u.text)) {
      u.drop();
      n++;
    }
  for (const f of files) f.fileUnits = f.fileUnits.filter(Boolean);
  return n;
}

type ScanSecrets = (root: string, o: { workers: number }) => Promise<{ findings: Finding[] }>;

/** Writes the files in scope under their paths, scans the tree once (as a user would) and tallies the units. */
async function score(files: readonly LeakFile[], dist: string | undefined): Promise<Tally> {
  const mod = dist ? await import(pathToFileURL(join(resolve(dist), "scan/secrets/index.js")).href) : await import("../src/scan/secrets/index.js");
  const scan = mod.scanSecrets as ScanSecrets;
  const root = mkdtempSync(join(tmpdir(), "eval-leaktk-"));
  const tally = new Tally();
  try {
    for (const f of files) {
      mkdirSync(dirname(join(root, f.path)), { recursive: true });
      writeFileSync(join(root, f.path), f.text);
    }
    const all = (await scan(root, { workers: 1 })).findings.filter(counted);
    for (const f of files) {
      const mine = all.filter((x) => x.location?.file === f.path);
      const lines = f.text.split("\n");
      const span = (x: Finding): [number, number] => [x.location?.line ?? 1, x.location?.endLine ?? x.location?.line ?? 1];
      const overlaps = (x: Finding, a: number, b: number) => span(x)[0] <= b && span(x)[1] >= a;
      const inBlock = (x: Finding) => f.blocks.some((bl) => overlaps(x, bl.lines[0], bl.lines[1]));
      for (const b of f.blocks) {
        const [a, z] = b.lines;
        tally.add(
          `kind: ${b.kind}`,
          true,
          mine.filter((x) => overlaps(x, a, z)),
          `${f.path}:${a} (${b.kind}): ${oneLine(lines.slice(a - 1, z).join(" "))}`,
        );
      }
      for (const k of f.fileUnits)
        tally.add(
          `kind: ${k}`,
          true,
          mine.filter((x) => !inBlock(x)),
          `${f.path} (${k}, not verbatim in the file): ${oneLine(f.text)}`,
        );
      for (const n of negativeLines(f))
        tally.add(
          f.negGroup,
          false,
          mine.filter((x) => overlaps(x, n, n) && !inBlock(x)),
          `${f.path}:${n}: ${oneLine(lines[n - 1]!)}`,
        );
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  return tally;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const [fakeLeaksGit, patternsGit] = args;
  if (!fakeLeaksGit || !patternsGit || fakeLeaksGit.startsWith("--") || patternsGit.startsWith("--")) {
    console.error("usage: npx tsx bench/eval-secrets-leaktk.ts FAKE_LEAKS_GIT_DIR PATTERNS_GIT_DIR [--seen DIR ...] [--list] [--dist DIST]");
    process.exit(2);
  }
  const dist = distOption(args);
  const { files, notes } = leaktkFiles(fakeLeaksGit, patternsGit);
  console.log(notes.join("\n"));
  const seenDirs = optionValues(args, "--seen");
  console.log(`${dropSeen(files, seenDirs)} units left out as verbatim copies of seen corpora (${seenDirs.length} trees searched)`);
  const positives = files.reduce((s, f) => s + f.blocks.length + f.fileUnits.length, 0);
  const negatives = files.reduce((s, f) => s + negativeLines(f).length, 0);
  if (args.includes("--list")) {
    const kinds = new Map<string, number>();
    for (const f of files) for (const k of [...f.blocks.map((b) => b.kind), ...f.fileUnits]) kinds.set(k, (kinds.get(k) ?? 0) + 1);
    for (const [k, n] of [...kinds].sort((a, b) => b[1] - a[1])) console.log(`kind ${k}: ${n}`);
    const groups = new Map<string, number>();
    for (const f of files) groups.set(f.negGroup, (groups.get(f.negGroup) ?? 0) + negativeLines(f).length);
    for (const [g, n] of groups) console.log(`${g}: ${n}`);
    console.log(`${files.length} files, ${positives} positive units (${files.reduce((s, f) => s + f.fileUnits.length, 0)} file units), ${negatives} negative lines`);
    return;
  }
  const cpu = process.cpuUsage();
  const tally = await score(files, dist);
  tally.print(`session-27 held-out set (LeakTK fake-leaks)${dist ? `, ${dist}` : ""}`);
  console.log(`${(process.cpuUsage(cpu).user / 1e6).toFixed(1)} s user CPU (scan and tally)`);
}

if (process.argv[1]?.endsWith("eval-secrets-leaktk.ts"))
  main().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
