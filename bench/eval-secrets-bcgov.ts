/**
 * Session 29 held-out set: the labelled snippets of bcgov/Smart-Secrets-Scanner (a 2025 project of the Government of
 * British Columbia that fine-tunes an LLM to flag hard-coded secrets before a commit). Its training data are short
 * snippets of code and configuration in many languages, each labelled by the authors `ALERT: …` (a secret is there, and
 * which) or `No secrets detected.`; the negatives were written to be hard (placeholders, values read from the
 * environment or a secret manager, public keys, test data, hashes, ids). Read from the fetched git directory at the
 * pinned commit (`git show COMMIT:PATH`); nothing of it is committed.
 *
 *   npx tsx bench/eval-secrets-bcgov.ts SMART_SECRETS_GIT_DIR [--seen DIR ...] [--list] [--dist DIST]
 *
 * One unit per distinct `input` of the JSONL files in `data/processed/` (all four: the authors' training, validation
 * and starter sets; Rampart was trained on none of them). Each unit is scanned as its own file `unit-<n>/snippet.txt`
 * (the rows carry no file name). Positive when the row's `output` starts with `ALERT`, negative when it starts with
 * `No secrets detected`; any other output is an error. A unit is found (positive) or reported (negative) when the scan
 * of its file has a counted finding (every severity but `info`).
 * Positives are grouped by the kind the authors' `output` names (keys and certificates; connection strings and URLs;
 * provider tokens, named with their prefix such as `(ghp_...)`; passwords and credentials; other keys and tokens).
 * Left out (counted in the output): lines that are not JSON, a later row repeating an earlier row's input (the first
 * keeps its label; an input labelled both ways loses every row), and units whose input is a verbatim copy of a seen
 * corpus (`--seen` trees, `seenCopies`).
 */
import { distOption, gitShowAt, leaveOutSeenCopies, oneLine, scanUnits, Tally } from "./eval-secrets-tally.js";

export const BCGOV_COMMIT = "d77007a32b2b496c0b50586290e893e53cc4fe31";
export const BCGOV_FILES = [
  "data/processed/smart-secrets-scanner-train-v2.jsonl",
  "data/processed/smart-secrets-scanner-dataset.jsonl",
  "data/processed/smart-secrets-scanner-dataset.train.jsonl",
  "data/processed/smart-secrets-scanner-val.jsonl",
];

export interface BcgovUnit {
  /** `file:line` of the first row with this input. */
  where: string;
  group: string;
  positive: boolean;
  text: string;
}

/** The kind a positive row's `output` names, in five coarse groups (the order of the tests matters). */
export function alertKind(output: string): string {
  const o = output.replace(/^ALERT:\s*/, "");
  if (/private key|ssh key|certificate|pgp/i.test(o)) return "keys and certificates";
  if (/connection string|\burl\b|\buri\b|dsn|webhook/i.test(o)) return "connection strings and URLs";
  if (/\([^)]*\.\.\.\)/.test(o)) return "provider tokens (named with their prefix)";
  if (/password|credential|basic auth/i.test(o)) return "passwords and credentials";
  return "other keys and tokens";
}

/** The units of the four files, and why rows were left out. */
export function bcgovUnits(files: ReadonlyArray<{ path: string; text: string }>): { units: BcgovUnit[]; left: Map<string, number> } {
  const left = new Map<string, number>();
  const leave = (why: string, n = 1) => left.set(why, (left.get(why) ?? 0) + n);
  const byInput = new Map<string, BcgovUnit>();
  const conflicted = new Set<string>();
  for (const { path, text } of files) {
    for (const [i, line] of text.split("\n").entries()) {
      if (line.trim() === "") continue;
      let row: { input?: unknown; output?: unknown };
      try {
        row = JSON.parse(line);
      } catch {
        leave("a line that is not JSON");
        continue;
      }
      if (typeof row.input !== "string" || typeof row.output !== "string") throw new Error(`${path}:${i + 1}: no input/output`);
      const output = row.output.trim();
      let positive: boolean;
      if (output.startsWith("ALERT")) positive = true;
      else if (output.startsWith("No secrets detected")) positive = false;
      else throw new Error(`${path}:${i + 1}: unknown label ${output.slice(0, 40)}`);
      const earlier = byInput.get(row.input);
      if (earlier) {
        if (earlier.positive !== positive) conflicted.add(row.input);
        leave("a repeat of an earlier row's input");
        continue;
      }
      const group = positive ? `positives: ${alertKind(output)}` : "negatives";
      byInput.set(row.input, { where: `${path.split("/").pop()}:${i + 1}`, group, positive, text: row.input });
    }
  }
  for (const s of conflicted) byInput.delete(s);
  if (conflicted.size) leave("an input labelled both ways (every row of it)", conflicted.size);
  return { units: [...byInput.values()], left };
}

/** Scans every unit as its own file (`snippet.txt`) and tallies it. */
async function score(units: readonly BcgovUnit[], dist: string | undefined): Promise<Tally> {
  const tally = new Tally();
  const findings = await scanUnits(
    units.map((u) => ({ name: "snippet.txt", text: u.text })),
    dist,
    "bcgov",
  );
  for (const [i, u] of units.entries()) tally.add(u.group, u.positive, findings[i]!, `${u.where}: ${oneLine(u.text)}`);
  return tally;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const gitDir = args[0];
  if (!gitDir || gitDir.startsWith("--")) {
    console.error("usage: npx tsx bench/eval-secrets-bcgov.ts SMART_SECRETS_GIT_DIR [--seen DIR ...] [--list] [--dist DIST]");
    process.exit(2);
  }
  const dist = distOption(args);
  const { units: all, left } = bcgovUnits(BCGOV_FILES.map((path) => ({ path, text: gitShowAt(gitDir, BCGOV_COMMIT, path) })));
  for (const [why, n] of left) console.log(`${n} rows left out: ${why}`);
  const units = leaveOutSeenCopies(all, args);
  if (args.includes("--list")) {
    const groups = new Map<string, number>();
    for (const u of units) groups.set(u.group, (groups.get(u.group) ?? 0) + 1);
    for (const [g, n] of [...groups].sort()) console.log(`${g}: ${n}`);
    console.log(`${units.filter((u) => u.positive).length} positive, ${units.filter((u) => !u.positive).length} negative`);
    return;
  }
  const cpu = process.cpuUsage();
  const tally = await score(units, dist);
  tally.print(`session-29 held-out set (bcgov Smart Secrets Scanner data)${dist ? `, ${dist}` : ""}`);
  console.log(`${(process.cpuUsage(cpu).user / 1e6).toFixed(1)} s user CPU (scan and tally)`);
}

if (process.argv[1]?.endsWith("eval-secrets-bcgov.ts"))
  main().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
