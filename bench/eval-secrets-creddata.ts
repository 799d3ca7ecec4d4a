/**
 * Session 33 held-out set: Samsung/CredData's hand-reviewed markup of candidate credential lines in public repositories,
 * never scored by a session. CredData's `meta/<repo id>.csv` files list, for each reviewed line span of a file of one
 * repository at one commit, the reviewers' verdict `GroundTruth`: `T` (looks like a real credential; the README's ground
 * rules call values in test and example folders `T` too), `F` (a false candidate: a placeholder, a call, a variable, a
 * hash, a translation) or `X` (a test value, an example or a placeholder, neither). `snapshot.json` maps each repository
 * id (its first 40 characters are the commit) to the repository's address. CredData ships the markup and a downloader;
 * the files themselves are read here from fetched git directories of those repositories at the recorded commits, as the
 * downloader does (a file's id is the first 8 hex digits of the SHA-256 of its path in the repository; symbolic links,
 * `.xml` files and git's own files are not part of the set). Nothing of either is committed.
 *
 *   npx tsx bench/eval-secrets-creddata.ts CREDDATA_GIT_DIR --repos DIR [--skip N] [--list] [--dist DIST] [--seen TREE…]
 *
 * CREDDATA_GIT_DIR is a fetched git directory of Samsung/CredData (read at CREDDATA_COMMIT). DIR holds one folder per
 * repository named `<owner>+<name>`, which is a git directory or holds one at `repo` or `repo/.git`.
 *
 * Repositories scored (fixed before the first run): in the order of their meta file names, every repository with 10 to
 * 400 `T` and `F` rows together and at least one `T` row, the first 40 of them; one whose folder or commit is missing is
 * left out and named. `--skip 40` (session 37's held-out slice) passes over the first 40 qualifying repositories (session
 * 33's) and takes the next 40 by the same rule. Each labelled file is written under its own path in the repository (so its name, extension and
 * folders are what a user's scan sees) and the tree is scanned once.
 *
 * Units: a line span `[LineStart, LineEnd]` of a file. A span of a `T` row is a positive unit; a span of an `F` row is a
 * negative unit unless it overlaps a positive span or an `X` row's span (left out, counted); `X` spans are left out.
 * Spans repeated by several rows are one unit. A positive is found, a negative reported, when a counted finding (every
 * severity but `info`) lies on one of its lines; for a negative, a finding that also overlaps a positive span of the same
 * file is that positive's. Findings on lines CredData did not review are printed as a count, not scored.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { Finding } from "../src/core/index.js";
import { counted, gitDirArguments, oneLine, optionValues, Tally, withoutSeenCopies } from "./eval-secrets-tally.js";

export const CREDDATA_COMMIT = "c2e5761aa1923330eaf7460e44a20bdd0dc86926";
/** How many repositories are taken, and the bounds on their `T` + `F` rows (fixed before the first run). */
export const TAKE = 40;
export const MIN_ROWS = 10;
export const MAX_ROWS = 400;

export interface MetaRow {
  fileId: string;
  repo: string;
  line: number;
  endLine: number;
  label: "T" | "F" | "X";
  category: string;
}

const COLUMNS = [
  "Id",
  "FileID",
  "Domain",
  "RepoName",
  "FilePath",
  "LineStart",
  "LineEnd",
  "GroundTruth",
  "ValueStart",
  "ValueEnd",
  "CryptographyKey",
  "PredefinedPattern",
  "Category",
];

/** The rows of one meta file (CredData writes no quoted fields); bad input throws a one-line error naming file, line and field. */
export function metaRows(text: string, file: string): MetaRow[] {
  const lines = text.replace(/\r\n/g, "\n").split("\n");
  if (lines[0] !== COLUMNS.join(",")) throw new Error(`${file}:1: header is not CredData's meta header`);
  const rows: MetaRow[] = [];
  for (let i = 1; i < lines.length; i++) {
    if (lines[i] === "") continue;
    const f = lines[i]!.split(",");
    if (f.length !== COLUMNS.length) throw new Error(`${file}:${i + 1}: ${f.length} fields, expected ${COLUMNS.length}`);
    const line = Number(f[5]);
    const endLine = Number(f[6]);
    if (!Number.isInteger(line) || line < 1) throw new Error(`${file}:${i + 1}: LineStart "${f[5]}" is not a line number`);
    if (!Number.isInteger(endLine) || endLine < line) throw new Error(`${file}:${i + 1}: LineEnd "${f[6]}" is not a line number ≥ LineStart`);
    const label = f[7];
    if (label !== "T" && label !== "F" && label !== "X") throw new Error(`${file}:${i + 1}: GroundTruth "${label}" is not T, F or X`);
    if (!/^[0-9a-f]{8}$/.test(f[1]!)) throw new Error(`${file}:${i + 1}: FileID "${f[1]}" is not 8 hex digits`);
    rows.push({ fileId: f[1]!, repo: f[3]!, line, endLine, label, category: f[12]!.split(":")[0] || "Other" });
  }
  return rows;
}

/** CredData's repository id for a snapshot key: the CRC-32 of the key's bytes, as 8 hex digits. */
export function repoId(snapshotKey: string): string {
  let c = ~0;
  for (const b of Buffer.from(snapshotKey, "hex")) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return (~c >>> 0).toString(16).padStart(8, "0");
}

/** The repositories taken: meta order, 10–400 `T` + `F` rows with one `T` at least, the first `skip` passed over, the next TAKE. */
export function chosenRepos(rowsByRepo: ReadonlyMap<string, readonly MetaRow[]>, skip = 0): string[] {
  const out: string[] = [];
  let passed = 0;
  for (const id of [...rowsByRepo.keys()].sort()) {
    const rows = rowsByRepo.get(id)!;
    const t = rows.filter((r) => r.label === "T").length;
    const tf = t + rows.filter((r) => r.label === "F").length;
    if (!(t >= 1 && tf >= MIN_ROWS && tf <= MAX_ROWS)) continue;
    if (passed < skip) passed++;
    else out.push(id);
    if (out.length === TAKE) break;
  }
  return out;
}

export interface Unit {
  positive: boolean;
  line: number;
  endLine: number;
  category: string;
}

/** The units of one file's rows, and how many `F` spans were left out for overlapping a `T` or `X` span. */
export function fileUnits(rows: readonly MetaRow[]): { units: Unit[]; overlapping: number } {
  const key = (r: MetaRow) => `${r.line}-${r.endLine}`;
  const overlaps = (a: MetaRow, b: MetaRow) => a.line <= b.endLine && b.line <= a.endLine;
  const pos = new Map<string, MetaRow>();
  for (const r of rows) if (r.label === "T" && !pos.has(key(r))) pos.set(key(r), r);
  const xs = rows.filter((r) => r.label === "X");
  const neg = new Map<string, MetaRow>();
  let overlapping = 0;
  for (const r of rows) {
    if (r.label !== "F" || neg.has(key(r))) continue;
    if ([...pos.values()].some((p) => overlaps(p, r)) || xs.some((x) => overlaps(x, r))) {
      if (!pos.has(key(r))) overlapping++;
      continue;
    }
    neg.set(key(r), r);
  }
  const unit = (r: MetaRow, positive: boolean): Unit => ({ positive, line: r.line, endLine: r.endLine, category: r.category });
  return { units: [...[...pos.values()].map((r) => unit(r, true)), ...[...neg.values()].map((r) => unit(r, false))], overlapping };
}

function git(gitDir: string, args: string[]): Buffer {
  const r = spawnSync("git", ["--git-dir", gitDir, ...args], { maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`git ${args.join(" ")}: ${r.stderr.toString().trim().split("\n")[0]}`);
  return r.stdout;
}

/** The git directory of `owner/name` under DIR, if there is one. */
function repoGitDir(reposDir: string, ownerName: string): string | undefined {
  const base = join(reposDir, ownerName.replace("/", "+"));
  return [join(base, "repo", ".git"), join(base, "repo"), base].find((d) => existsSync(join(d, "HEAD")));
}

interface LabelledFile {
  repo: string;
  path: string;
  bytes: Buffer;
  lines: string[];
  units: Unit[];
}

async function main(): Promise<void> {
  const usage = "npx tsx bench/eval-secrets-creddata.ts CREDDATA_GIT_DIR --repos DIR [--skip N] [--list] [--dist DIST] [--seen TREE…]";
  const { args, gitDir, dist } = gitDirArguments(usage);
  const reposDir = optionValues(args, "--repos")[0];
  if (!reposDir) {
    console.error(`usage: ${usage}`);
    process.exit(2);
  }
  const skipText = optionValues(args, "--skip")[0] ?? "0";
  if (!/^\d{1,4}$/.test(skipText)) {
    console.error(`--skip "${skipText}" is not a count of repositories`);
    process.exit(2);
  }
  const skip = Number(skipText);
  const snapshot = JSON.parse(git(gitDir, ["show", `${CREDDATA_COMMIT}:snapshot.json`]).toString("utf8")) as Record<string, string>;
  const urlOf = new Map<string, { key: string; url: string }>();
  for (const [key, url] of Object.entries(snapshot)) urlOf.set(repoId(key), { key, url });
  const rowsByRepo = new Map<string, MetaRow[]>();
  for (const name of git(gitDir, ["ls-tree", "--name-only", CREDDATA_COMMIT, "meta/"]).toString("utf8").split("\n").filter(Boolean)) {
    const id = name.replace(/^meta\//, "").replace(/\.csv$/, "");
    rowsByRepo.set(id, metaRows(git(gitDir, ["show", `${CREDDATA_COMMIT}:${name}`]).toString("utf8"), name));
  }
  const files: LabelledFile[] = [];
  const leftOut: string[] = [];
  let overlapping = 0;
  let xSpans = 0;
  for (const id of chosenRepos(rowsByRepo, skip)) {
    const snap = urlOf.get(id);
    if (!snap) throw new Error(`meta/${id}.csv: no repository in snapshot.json`);
    const ownerName = snap.url.replace(/^https:\/\/github\.com\//, "").replace(/\.git$/, "");
    const commit = snap.key.slice(0, 40);
    const dir = repoGitDir(reposDir, ownerName);
    let tree: string;
    try {
      if (!dir) throw new Error("no git directory");
      tree = git(dir, ["ls-tree", "-r", "-z", commit]).toString("utf8");
    } catch (e) {
      leftOut.push(`${ownerName} @ ${commit.slice(0, 12)} (${e instanceof Error ? e.message : e})`);
      continue;
    }
    const pathOf = new Map<string, { path: string; blob: string }>();
    for (const entry of tree.split("\0").filter(Boolean)) {
      const [meta, path] = [entry.slice(0, entry.indexOf("\t")), entry.slice(entry.indexOf("\t") + 1)];
      const [mode, type, blob] = meta.split(" ");
      if (type !== "blob" || mode === "120000" || path.endsWith(".xml")) continue;
      pathOf.set(createHash("sha256").update(path).digest("hex").slice(0, 8), { path, blob: blob! });
    }
    const byFile = new Map<string, MetaRow[]>();
    for (const r of rowsByRepo.get(id)!) byFile.set(r.fileId, [...(byFile.get(r.fileId) ?? []), r]);
    for (const [fileId, rows] of byFile) {
      const at = pathOf.get(fileId);
      if (!at) throw new Error(`meta/${id}.csv: FileID ${fileId} names no file of ${ownerName} @ ${commit}`);
      const bytes = git(dir!, ["cat-file", "blob", at.blob]);
      const lines = bytes.toString("utf8").replace(/\r\n/g, "\n").replace(/\r/g, "\n").split("\n");
      const bad = rows.find((r) => r.endLine > lines.length);
      if (bad) throw new Error(`meta/${id}.csv: FileID ${fileId} line ${bad.endLine} is past the end of ${at.path} (${lines.length} lines)`);
      const u = fileUnits(rows);
      overlapping += u.overlapping;
      xSpans += new Set(rows.filter((r) => r.label === "X").map((r) => `${r.line}-${r.endLine}`)).size;
      files.push({ repo: ownerName, path: at.path, bytes, lines, units: u.units });
    }
  }
  // Seen copies: a unit whose text occurs verbatim in a seen tree is left out.
  const all = files.flatMap((f) => f.units.map((u) => ({ f, u, text: f.lines.slice(u.line - 1, u.endLine).join("\n") })));
  const { cases, seenDirs } = withoutSeenCopies(all, args);
  const kept = new Set(cases.map((c) => c.u));
  for (const f of files) f.units = f.units.filter((u) => kept.has(u));
  console.log(`${leftOut.length} repositories left out: ${leftOut.join("; ") || "none"}`);
  console.log(`${xSpans} X spans left out; ${overlapping} F spans left out for overlapping a T or X span`);
  console.log(`${all.length - cases.length} units left out as verbatim copies of seen corpora (${seenDirs.length} trees searched)`);
  const repos = new Set(files.map((f) => f.repo));
  if (args.includes("--list")) {
    const by = new Map<string, [number, number]>();
    for (const f of files)
      for (const u of f.units) {
        const v = by.get(u.category) ?? [0, 0];
        v[u.positive ? 0 : 1]++;
        by.set(u.category, v);
      }
    for (const [c, [p, n]] of [...by].sort()) console.log(`${c}: ${p} positive, ${n} negative`);
    const p = files.reduce((s, f) => s + f.units.filter((u) => u.positive).length, 0);
    const n = files.reduce((s, f) => s + f.units.filter((u) => !u.positive).length, 0);
    console.log(`${repos.size} repositories, ${files.length} files, ${p} positive, ${n} negative`);
    return;
  }
  const mod = dist ? await import(pathToFileURL(join(resolve(dist), "scan/secrets/index.js")).href) : await import("../src/scan/secrets/index.js");
  const scan = mod.scanSecrets as (root: string, o: { workers: number }) => Promise<{ findings: Finding[] }>;
  const root = mkdtempSync(join(tmpdir(), "eval-creddata-"));
  const tally = new Tally();
  const cpu = process.cpuUsage();
  let unreviewed = 0;
  try {
    const where = files.map((f, i) => `${i}/${f.path}`);
    for (const [i, f] of files.entries()) {
      mkdirSync(dirname(join(root, where[i]!)), { recursive: true });
      writeFileSync(join(root, where[i]!), f.bytes);
    }
    const found = new Map<string, Finding[]>();
    for (const x of (await scan(root, { workers: 1 })).findings.filter(counted)) found.set(x.location?.file ?? "", [...(found.get(x.location?.file ?? "") ?? []), x]);
    for (const [i, f] of files.entries()) {
      const hits = found.get(where[i]!) ?? [];
      const span = (x: Finding): [number, number] => [x.location?.line ?? 1, x.location?.endLine ?? x.location?.line ?? 1];
      const on = (a: number, b: number) => hits.filter((x) => span(x)[0] <= b && span(x)[1] >= a);
      const positives = f.units.filter((u) => u.positive);
      for (const u of f.units) {
        const what = `${f.repo}/${f.path}:${u.line}: ${oneLine(f.lines.slice(u.line - 1, u.endLine).join(" "))}`;
        const mine = on(u.line, u.endLine).filter((x) => u.positive || !positives.some((p) => on(p.line, p.endLine).includes(x)));
        tally.add(u.category, u.positive, mine, what);
      }
      unreviewed += hits.filter((x) => !f.units.some((u) => span(x)[0] <= u.endLine && span(x)[1] >= u.line)).length;
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  const set = skip === 0 ? "session-33 held-out set" : skip === TAKE ? "session-37 held-out set" : `repositories after the first ${skip}`;
  tally.print(`${set} (CredData markup, ${repos.size} repositories)${dist ? `, ${dist}` : ""}`);
  console.log(`${unreviewed} counted findings on lines CredData did not review or left out (not scored)`);
  console.log(`${(process.cpuUsage(cpu).user / 1e6).toFixed(1)} s user CPU (scan and tally)`);
}

if (process.argv[1]?.endsWith("eval-secrets-creddata.ts"))
  main().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(2);
  });
