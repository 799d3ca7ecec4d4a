/** Shared counting for the secrets evaluations (one labelled case = one scanned text). */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parse as parseYaml } from "yaml";
import type { Finding } from "../src/core/index.js";
import { scanSecrets } from "../src/scan/secrets/index.js";

/**
 * Counted findings: every one `rampart scan secrets` prints by default, i.e. every severity except the
 * `info` file notices (session 6; sessions 3–5 counted medium and above, which hid the `low` stand-ins
 * and checksum failures that a user does see). One rule for every harness, like the code harnesses.
 */
export const counted = (f: Finding) => f.ruleId.startsWith("secrets.") && f.severity !== "info";

export class Tally {
  tp = 0;
  fn = 0;
  fp = 0;
  tn = 0;
  readonly misses: string[] = [];
  readonly wrong: string[] = [];
  readonly groups = new Map<string, { tp: number; pos: number; fp: number; neg: number }>();

  /** Records one case: a positive needs a finding, a negative must have none. */
  add(group: string, positive: boolean, findings: readonly Finding[], what: string): void {
    const g = this.groups.get(group) ?? { tp: 0, pos: 0, fp: 0, neg: 0 };
    this.groups.set(group, g);
    const found = findings.length > 0;
    if (positive) {
      g.pos++;
      if (found) {
        this.tp++;
        g.tp++;
      } else {
        this.fn++;
        this.misses.push(what);
      }
    } else {
      g.neg++;
      if (found) {
        this.fp++;
        g.fp++;
        this.wrong.push(`${what}  → ${[...new Set(findings.map((f) => `${f.ruleId}@${f.severity}`))].join(", ")}`);
      } else this.tn++;
    }
  }

  print(groupTitle: string, note = ""): void {
    console.log(`| ${groupTitle} | positives found | negatives reported |\n|---|---|---|`);
    for (const [name, g] of this.groups) console.log(`| ${name} | ${g.tp}/${g.pos} | ${g.fp}/${g.neg} |`);
    const precision = this.tp / Math.max(1, this.tp + this.fp);
    const recall = this.tp / Math.max(1, this.tp + this.fn);
    console.log(`\nprecision ${precision.toFixed(3)}, recall ${recall.toFixed(3)} (tp ${this.tp}, fn ${this.fn}, fp ${this.fp}, tn ${this.tn}${note})`);
    console.log(`missed:\n  ${this.misses.join("\n  ") || "none"}`);
    console.log(`false positives:\n  ${this.wrong.join("\n  ") || "none"}`);
  }
}

/** One labelled text, scanned as its own file. */
export interface TextCase {
  group: string;
  positive: boolean;
  text: string;
  /** How the case is named in the lists of misses and false positives. */
  what: string;
}

/** Scans each case as its own file (a trailing newline added when missing) and tallies the counted findings. */
export async function scoreTextCases(cases: readonly TextCase[], prefix: string): Promise<Tally> {
  const dir = mkdtempSync(join(tmpdir(), `eval-${prefix}-`));
  const tally = new Tally();
  try {
    for (const [i, c] of cases.entries()) {
      const file = join(dir, `case-${i}.txt`);
      writeFileSync(file, c.text.endsWith("\n") ? c.text : `${c.text}\n`);
      const findings = (await scanSecrets(file, { workers: 1 })).findings.filter(counted);
      tally.add(c.group, c.positive, findings, c.what);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return tally;
}

/** A case's text on one line, cut to 90 characters, for the lists. */
export const oneLine = (text: string): string => text.trim().replace(/\s+/g, " ").slice(0, 90);

/** `--list`: positive and negative cases per file, so a set can be sized before it is scored. */
export function printCountsByFile(cases: ReadonlyArray<{ file: string; positive: boolean }>): void {
  const by = new Map<string, [number, number]>();
  for (const c of cases) {
    const v = by.get(c.file) ?? [0, 0];
    v[c.positive ? 0 : 1]++;
    by.set(c.file, v);
  }
  for (const [f, [p, n]] of by) console.log(`${f}: ${p} positive, ${n} negative`);
}

/**
 * The end of a file-by-file harness: `--list` prints label counts only (a set is sized before it is
 * scored); otherwise every case is scanned as its own file and the tally printed under `title`.
 */
export async function listOrScore(cases: ReadonlyArray<{ file: string; positive: boolean; text: string }>, args: readonly string[], prefix: string, title: string): Promise<void> {
  if (args.includes("--list")) {
    printCountsByFile(cases);
    console.log(`${cases.filter((c) => c.positive).length} positive, ${cases.filter((c) => !c.positive).length} negative`);
    return;
  }
  const tally = await scoreTextCases(
    cases.map((c) => ({ group: c.file, positive: c.positive, text: c.text, what: `${c.file}: ${oneLine(c.text)}` })),
    prefix,
  );
  tally.print(title);
}

/**
 * Texts of `cases` that occur verbatim in a seen corpus (a directory tree), found with one `grep -F`
 * per tree. Texts shorter than 16 characters are never called copies (too common to prove anything).
 * Multi-line texts are matched by their longest lines other than PEM armour (`-----BEGIN …`): when
 * several lines share the longest length (a key body's full lines), every one of them must be found.
 * Probing only the first of them called two different unencrypted ed25519 keys copies of each other:
 * their first body line (`b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ…`) is the same for every such key.
 */
export function seenCopies(texts: readonly string[], seenDirs: readonly string[]): Set<string> {
  const probes = new Map<string, string[]>();
  for (const t of texts) {
    const longest = copyProbes(t);
    if (longest.length) probes.set(t, longest);
  }
  const found = new Set<string>();
  if (!probes.size) return found;
  const dir = mkdtempSync(join(tmpdir(), "eval-seen-"));
  try {
    const patterns = join(dir, "patterns");
    writeFileSync(patterns, `${[...new Set([...probes.values()].flat())].join("\n")}\n`);
    const hits = new Set<string>();
    for (const seen of seenDirs) {
      const r = spawnSync("grep", ["-rhoIF", "-f", patterns, seen], { encoding: "utf8", maxBuffer: 1 << 28 });
      for (const l of r.stdout.split("\n")) if (l) hits.add(l);
    }
    for (const [t, ps] of probes) if (ps.every((p) => hits.has(p))) found.add(t);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return found;
}

/** The lines a text is probed by: its longest trimmed non-armour lines (all of them on a tie), if ≥ 16 characters. */
export function copyProbes(text: string): string[] {
  const lines = text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => !l.startsWith("-----"));
  const most = Math.max(0, ...lines.map((l) => l.length));
  return most >= 16 ? [...new Set(lines.filter((l) => l.length === most))] : [];
}

/**
 * The cases whose text is not a verbatim copy of a seen corpus: the trees named after `--seen` in a
 * harness's arguments (up to the next option), searched with seenCopies.
 */
export function withoutSeenCopies<T extends { text: string }>(all: readonly T[], args: readonly string[]): { cases: T[]; seenDirs: string[] } {
  // The folders after `--seen` up to the next option (`--dist DIST` after them is not a seen tree).
  const seenDirs = optionValues(args, "--seen");
  const copies = seenCopies(
    all.map((c) => c.text),
    seenDirs,
  );
  return { cases: all.filter((c) => !copies.has(c.text)), seenDirs };
}

/**
 * A labelled file scored line by line (annotated rule tests, a scanner's expected findings): the file is
 * scanned whole under its own name (so its extension decides code or configuration, as for a user), and
 * each positive block `[first, last]` (1-based lines) is found when a counted finding lies on one of
 * its lines. Every other non-blank line not in `excluded` is a negative unit, a false positive when a
 * counted finding lies on it.
 */
export interface LineFile {
  group: string;
  /** Base name the file is scanned under (extension kept). */
  name: string;
  text: string;
  positives: Array<[number, number]>;
  /** Lines that are neither positive nor negative (annotations, other rules' cases, unclaimed kinds). */
  excluded: Set<number>;
}

/** The negative lines of a labelled file: non-blank, outside every positive block, not excluded. */
export function negativeLines(f: LineFile): number[] {
  const lines = f.text.split("\n");
  const inBlock = (n: number) => f.positives.some(([a, b]) => n >= a && n <= b);
  const out: number[] = [];
  for (let n = 1; n <= lines.length; n++) if (lines[n - 1]!.trim() !== "" && !inBlock(n) && !f.excluded.has(n)) out.push(n);
  return out;
}

/**
 * Leaves out units whose text is a verbatim copy of a seen corpus (see withoutSeenCopies): a positive
 * block or a negative line found in a `--seen` tree is moved to `excluded`. Returns how many were.
 */
export function dropSeenLines(files: LineFile[], args: readonly string[]): { dropped: number; seenDirs: string[] } {
  const units: Array<{ text: string; file: LineFile; block?: [number, number]; line?: number }> = [];
  for (const f of files) {
    const lines = f.text.split("\n");
    for (const b of f.positives) units.push({ text: lines.slice(b[0] - 1, b[1]).join("\n"), file: f, block: b });
    for (const n of negativeLines(f)) units.push({ text: lines[n - 1]!, file: f, line: n });
  }
  const { cases, seenDirs } = withoutSeenCopies(units, args);
  const kept = new Set(cases);
  let dropped = 0;
  for (const u of units) {
    if (kept.has(u)) continue;
    dropped++;
    if (u.block) {
      u.file.positives = u.file.positives.filter((b) => b !== u.block);
      for (let n = u.block[0]; n <= u.block[1]; n++) u.file.excluded.add(n);
    } else u.file.excluded.add(u.line!);
  }
  return { dropped, seenDirs };
}

/** Scans each labelled file whole (with the build in `dist`, or this checkout's source) and tallies its positive blocks and negative lines. */
export async function scoreLineFiles(files: readonly LineFile[], prefix: string, dist?: string): Promise<Tally> {
  const scan = dist ? ((await import(pathToFileURL(join(resolve(dist), "scan/secrets/index.js")).href)).scanSecrets as ScanSecrets) : scanSecrets;
  const dir = mkdtempSync(join(tmpdir(), `eval-${prefix}-`));
  const tally = new Tally();
  try {
    for (const [i, f] of files.entries()) {
      const sub = join(dir, String(i));
      mkdirSync(sub);
      const file = join(sub, f.name);
      writeFileSync(file, f.text);
      const findings = (await scan(file, { workers: 1 })).findings.filter(counted);
      const lines = f.text.split("\n");
      // A finding covers its lines from `line` to `endLine` (a PEM block spans many; fixed after the
      // session-8 held-out run, which matched on the first line only).
      const on = (a: number, b: number) => findings.filter((x) => (x.location?.line ?? 1) <= b && (x.location?.endLine ?? x.location?.line ?? 1) >= a);
      for (const [a, b] of f.positives) tally.add(f.group, true, on(a, b), `${f.group}/${f.name}:${a}: ${oneLine(lines.slice(a - 1, b).join(" "))}`);
      // A multi-line finding that overlaps a positive block is that block's finding, not a false positive
      // on the armour lines around it.
      const inBlock = (x: Finding) => f.positives.some(([a, b]) => (x.location?.line ?? 1) <= b && (x.location?.endLine ?? x.location?.line ?? 1) >= a);
      for (const n of negativeLines(f))
        tally.add(
          f.group,
          false,
          on(n, n).filter((x) => !inBlock(x)),
          `${f.group}/${f.name}:${n}: ${oneLine(lines[n - 1]!)}`,
        );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return tally;
}

/** `--list` for labelled files: positive blocks and negative lines per group; otherwise scores them (`--dist`: another build). */
export async function listOrScoreLines(files: readonly LineFile[], args: readonly string[], prefix: string, title: string): Promise<void> {
  if (args.includes("--list")) {
    const by = new Map<string, [number, number, number]>();
    for (const f of files) {
      const v = by.get(f.group) ?? [0, 0, 0];
      v[0]++;
      v[1] += f.positives.length;
      v[2] += negativeLines(f).length;
      by.set(f.group, v);
    }
    for (const [g, [n, p, q]] of by) console.log(`${g}: ${n} files, ${p} positive blocks, ${q} negative lines`);
    const p = files.reduce((s, f) => s + f.positives.length, 0);
    const q = files.reduce((s, f) => s + negativeLines(f).length, 0);
    console.log(`${files.length} files, ${p} positive, ${q} negative`);
    return;
  }
  const dist = distOption(args);
  (await scoreLineFiles(files, prefix, dist)).print(dist ? `${title}, ${dist}` : title);
}

/** Leaves out seen copies (dropSeenLines), says how many, then lists or scores the rest. */
export async function evaluateLineFiles(files: LineFile[], args: readonly string[], prefix: string, title: string): Promise<void> {
  const { dropped, seenDirs } = dropSeenLines(files, args);
  console.log(`${dropped} units left out as verbatim copies of seen corpora (${seenDirs.length} trees searched)`);
  await listOrScoreLines(files, args, prefix, title);
}

/** One labelled text from a rule file's `examples` (positive) or `negative_examples` (negative). */
export interface RuleExampleCase {
  file: string;
  rule: string;
  text: string;
  positive: boolean;
}

/**
 * The examples of the selected rules in Nosey Parker-style YAML rule files (`rules: [{ name, examples,
 * negative_examples }]`), one case per distinct text and label. A text found verbatim (without surrounding
 * blanks) in `seen` is left out and counted: a copy of a seen example proves nothing new. A negative of one
 * selected rule that is an example of another selected rule in the same file is not counted as a negative.
 */
export function ruleExampleCases(rulesDir: string, selected: Record<string, RegExp>, seen: string): { cases: RuleExampleCase[]; copies: number } {
  const out: RuleExampleCase[] = [];
  let copies = 0;
  for (const [file, select] of Object.entries(selected)) {
    const doc = parseYaml(readFileSync(join(rulesDir, file), "utf8")) as { rules: Array<{ name: string; examples?: string[]; negative_examples?: string[] }> };
    const rules = doc.rules.filter((r) => select.test(r.name));
    const positives = new Set(rules.flatMap((r) => r.examples ?? []));
    const add = (rule: string, text: string, positive: boolean) => {
      if (seen.includes(text.trim())) copies++;
      else if (!out.some((c) => c.text === text && c.positive === positive)) out.push({ file, rule, text, positive });
    };
    for (const r of rules) {
      for (const text of r.examples ?? []) add(r.name, text, true);
      for (const text of r.negative_examples ?? []) if (!positives.has(text)) add(r.name, text, false);
    }
  }
  return { cases: out, copies };
}

/** The values after option `name` in a harness's arguments, up to the next option. */
export function optionValues(args: readonly string[], name: string): string[] {
  const at = args.indexOf(name);
  if (at < 0) return [];
  const out: string[] = [];
  for (const a of args.slice(at + 1)) {
    if (a.startsWith("--")) break;
    out.push(a);
  }
  return out;
}

/** The built `dist/` after `--dist`, if any; `--dist` without a folder is a usage error (exit 2). */
export function distOption(args: readonly string[]): string | undefined {
  const dist = optionValues(args, "--dist")[0];
  if (args.includes("--dist") && !dist) {
    console.error("--dist needs a built dist/ folder");
    process.exit(2);
  }
  return dist;
}

/**
 * The arguments of a harness read from a fetched git directory: the directory first, then options (`--dist`, `--seen`,
 * `--list`). A missing directory is a usage error (exit 2).
 */
export function gitDirArguments(usage: string): { args: string[]; gitDir: string; dist: string | undefined } {
  const args = process.argv.slice(2);
  const gitDir = args[0];
  if (!gitDir || gitDir.startsWith("--")) {
    console.error(`usage: ${usage}`);
    process.exit(2);
  }
  return { args, gitDir, dist: distOption(args) };
}

/** A file's text at a commit of a fetched git directory (`git show COMMIT:PATH`). */
export function gitShowAt(gitDir: string, commit: string, path: string): string {
  const r = spawnSync("git", ["--git-dir", gitDir, "show", `${commit}:${path}`], { maxBuffer: 1 << 28, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${gitDir}: git show ${path}: ${r.stderr.trim()}`);
  return r.stdout;
}

/**
 * The units that are not verbatim copies of the trees after `--seen` (see withoutSeenCopies), with one line saying
 * how many were left out and from which groups.
 */
export function leaveOutSeenCopies<T extends { text: string; group: string }>(all: readonly T[], args: readonly string[]): T[] {
  const { cases, seenDirs } = withoutSeenCopies(all, ["--seen", ...optionValues(args, "--seen")]);
  const kept = new Set(cases);
  const copies = new Map<string, number>();
  for (const u of all) if (!kept.has(u)) copies.set(u.group, (copies.get(u.group) ?? 0) + 1);
  console.log(
    `${all.length - cases.length} units left out as verbatim copies of seen corpora (${seenDirs.length} trees searched)${[...copies].map(([g, n]) => `; ${g}: ${n}`).join("")}`,
  );
  return cases;
}

type ScanSecrets = (root: string, o: { workers: number }) => Promise<{ findings: Finding[] }>;

/**
 * Writes each unit as `unit-<i>/<name>` under one temporary folder, scans the folder once (with the build in `dist`,
 * or this checkout's source) and returns each unit's counted findings, in the units' order.
 */
export async function scanUnits(units: ReadonlyArray<{ name: string; text: string }>, dist: string | undefined, prefix: string): Promise<Finding[][]> {
  const mod = dist ? await import(pathToFileURL(join(resolve(dist), "scan/secrets/index.js")).href) : await import("../src/scan/secrets/index.js");
  const scan = mod.scanSecrets as ScanSecrets;
  const root = mkdtempSync(join(tmpdir(), `eval-${prefix}-`));
  try {
    const paths = units.map((u, i) => `unit-${i}/${u.name}`);
    for (const [i, u] of units.entries()) {
      mkdirSync(join(root, `unit-${i}`));
      writeFileSync(join(root, paths[i]!), u.text.endsWith("\n") ? u.text : `${u.text}\n`);
    }
    const byFile = new Map<string, Finding[]>();
    for (const f of (await scan(root, { workers: 1 })).findings.filter(counted)) {
      const file = f.location?.file ?? "";
      byFile.set(file, [...(byFile.get(file) ?? []), f]);
    }
    return paths.map((p) => byFile.get(p) ?? []);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** Scans each unit as its own file `name` (scanUnits) and tallies it: found or reported when it has a counted finding. */
export async function tallyUnits(units: readonly TextCase[], name: string, dist: string | undefined, prefix: string): Promise<Tally> {
  const tally = new Tally();
  const findings = await scanUnits(
    units.map((u) => ({ name, text: u.text })),
    dist,
    prefix,
  );
  for (const [i, u] of units.entries()) tally.add(u.group, u.positive, findings[i]!, u.what);
  return tally;
}
