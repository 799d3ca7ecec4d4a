/**
 * Session 25 held-out set: SecretScout's labelled CI configuration files (UD-X-Lab/SecretScout, the data of
 * "SecretScout: Effective Hard-coded Secrets Detection in CI Configuration Files", SRDS 2025), never scored by a
 * session. Read from the fetched git directory at the pinned commit (`git show COMMIT:PATH`, the archives unpacked
 * into a temporary folder); nothing of it is committed.
 *
 *   npx tsx bench/eval-secrets-secretscout.ts SECRETSCOUT_GIT_DIR [--seen DIR ...] [--list]
 *
 * Two sets, each an archive of GitHub Actions workflow files (`config_<idx>.yml`) and a CSV of the authors' labels
 * (`unique_idx,secret,location`: one row per hard-coded secret, the secret's text and its 1-based line; a file with
 * no secret has one row with both empty). The authors' own evaluation compares secret texts per file.
 *
 * Units (eval-secrets-tally.ts, `LineFile`), each file scanned whole under its own base name:
 * - a labelled (file, line): one positive, however many secrets the line holds;
 * - left out as no written secret (neither label, counted in the output), decided from the label and its line alone:
 *   a label whose text is not on its line (the published files mask some values, such as owner names, as `***`,
 *   and a few locations are off), GitHub's `secrets: inherit` (a reusable workflow's keyword: the caller's secrets
 *   are passed on, no value is written), and setup-java's `server-password:` / `server-username:` /
 *   `gpg-passphrase:` inputs holding an upper-case identifier (that action's inputs take the *name* of an
 *   environment variable, e.g. `server-password: MAVEN_PASSWORD`);
 * - every other non-blank line is a negative.
 * Files with identical text (forks of one workflow) are scanned once: the first by set, then by index, keeps its
 * labels; how many copies were dropped, and how many of them carried other labels, is printed.
 * A positive is found when a counted finding (every severity but `info`) lies on its line.
 *
 * Dedupe: a unit whose text is a verbatim copy of a seen corpus (`--seen` trees, `seenCopies`) is left out.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { evaluateLineFiles, type LineFile } from "./eval-secrets-tally.js";

export const SECRETSCOUT_COMMIT = "0d534a9e4ea5ae334ef31af2b94caa10ff0c3216";
export const SECRETSCOUT_SETS = [
  { group: "evaluation set", archive: "data/evaluation/evaluation-dataset.tar.gz", labels: "data/evaluation/evaluation-dataset-labels.csv" },
  { group: "preliminary-study set", archive: "data/prelim/prelim-dataset.tar.gz", labels: "data/prelim/prelim-study-dataset-labels.csv" },
] as const;

function gitShow(gitDir: string, path: string): Buffer {
  const r = spawnSync("git", ["--git-dir", gitDir, "show", `${SECRETSCOUT_COMMIT}:${path}`], { maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`${gitDir}: git show ${path}: ${r.stderr.toString().trim()}`);
  return r.stdout;
}

/** One label row: which file, which 1-based line, which text. */
export interface ScoutLabel {
  idx: number;
  line: number;
  secret: string;
}

/** The label CSV (no field of it is quoted: checked, a quote stops the harness rather than being misread). */
export function parseScoutLabels(csv: string, where: string): ScoutLabel[] {
  const rows = csv.split("\n").filter((l) => l.trim() !== "");
  if (rows[0]?.trim() !== "unique_idx,secret,location") throw new Error(`${where}: unexpected header ${rows[0]}`);
  const out: ScoutLabel[] = [];
  for (const row of rows.slice(1)) {
    if (row.includes('"')) throw new Error(`${where}: a quoted field, not handled: ${row}`);
    const first = row.indexOf(",");
    const last = row.lastIndexOf(",");
    const idx = Number(row.slice(0, first));
    const secret = row.slice(first + 1, last);
    const location = row.slice(last + 1).trim();
    if (!Number.isInteger(idx)) throw new Error(`${where}: bad index in ${row}`);
    if (!secret && !location) continue;
    const line = Number(location);
    if (!secret || !Number.isInteger(line) || line < 1) throw new Error(`${where}: bad label row ${row}`);
    out.push({ idx, line, secret });
  }
  return out;
}

/** Why a labelled line holds no written secret, or undefined when it is kept as a positive. */
export function unclaimedReason(lineText: string, secret: string): string | undefined {
  if (!lineText.includes(secret)) return "the labelled text is not on its line (masked as *** or another line)";
  if (secret === "inherit" && /^\s*secrets\s*:\s*inherit\s*$/.test(lineText)) return "`secrets: inherit`: the caller's secrets passed on, no value";
  if (/^[A-Z][A-Z0-9_]*$/.test(secret) && /^\s*#?\s*(?:server-password|server-username|gpg-passphrase)\s*:\s*[A-Z][A-Z0-9_]*\s*$/.test(lineText))
    return "setup-java input naming an environment variable";
  return undefined;
}

export function secretScoutFiles(gitDir: string): { files: LineFile[]; dropped: Map<string, string[]>; copies: number; copiesWithOtherLabels: number } {
  const files: LineFile[] = [];
  const dropped = new Map<string, string[]>();
  const byText = new Map<string, string>();
  let copies = 0;
  let copiesWithOtherLabels = 0;
  const dir = mkdtempSync(join(tmpdir(), "eval-secretscout-"));
  try {
    for (const [n, set] of SECRETSCOUT_SETS.entries()) {
      const sub = join(dir, String(n));
      spawnSync("mkdir", ["-p", sub]);
      const untar = spawnSync("tar", ["-xzf", "-", "-C", sub], { input: gitShow(gitDir, set.archive) });
      if (untar.status !== 0) throw new Error(`${set.archive}: tar: ${untar.stderr.toString().trim()}`);
      const labels = parseScoutLabels(gitShow(gitDir, set.labels).toString("utf8"), set.labels);
      const names = readdirSync(sub)
        .filter((f) => /^config_\d+\.yml$/.test(f))
        .sort((a, b) => Number(a.slice(7, -4)) - Number(b.slice(7, -4)));
      if (!names.length) throw new Error(`${set.archive}: no config_<idx>.yml files`);
      const known = new Set(names.map((f) => Number(f.slice(7, -4))));
      for (const l of labels) if (!known.has(l.idx)) throw new Error(`${set.labels}: label for missing file ${l.idx}`);
      for (const name of names) {
        const idx = Number(name.slice(7, -4));
        const text = readFileSync(join(sub, name), "utf8");
        const lines = text.split("\n");
        const f: LineFile = { group: set.group, name, text, positives: [], excluded: new Set() };
        const mine = labels.filter((l) => l.idx === idx);
        const positive = new Set<number>();
        for (const l of mine) {
          if (l.line > lines.length) throw new Error(`${set.labels}: ${name} has no line ${l.line}`);
          const reason = unclaimedReason(lines[l.line - 1]!, l.secret);
          if (reason) {
            f.excluded.add(l.line);
            dropped.set(reason, [...(dropped.get(reason) ?? []), `${set.group}/${name}:${l.line}`]);
          } else positive.add(l.line);
        }
        // A line with one kept and one unclaimed label stays positive.
        for (const at of positive) f.excluded.delete(at);
        f.positives = [...positive].sort((a, b) => a - b).map((at) => [at, at] as [number, number]);
        const key = mine
          .map((l) => `${l.line}:${l.secret}`)
          .sort()
          .join("\n");
        const earlier = byText.get(text);
        if (earlier !== undefined) {
          copies++;
          if (earlier !== key) copiesWithOtherLabels++;
          continue;
        }
        byText.set(text, key);
        files.push(f);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { files, dropped, copies, copiesWithOtherLabels };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const gitDir = args[0];
  if (!gitDir || gitDir.startsWith("--")) {
    console.error("usage: npx tsx bench/eval-secrets-secretscout.ts SECRETSCOUT_GIT_DIR [--seen DIR ...] [--list]");
    process.exit(2);
  }
  const { files, dropped, copies, copiesWithOtherLabels } = secretScoutFiles(gitDir);
  console.log(`${copies} files left out as identical copies of an earlier file (${copiesWithOtherLabels} of them labelled differently)`);
  for (const [reason, at] of dropped) console.log(`${at.length} labelled lines left out: ${reason}`);
  await evaluateLineFiles(files, args, "secretscout", "session-25 held-out set (SecretScout CI files)");
}

if (process.argv[1]?.endsWith("eval-secrets-secretscout.ts"))
  main().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
