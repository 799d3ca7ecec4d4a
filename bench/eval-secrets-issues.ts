/**
 * Session 26 held-out set: the inter-rater samples of "Secret Leak Detection in Software Issue Reports using LLMs"
 * (Ahmed, Rahman, Wahab, Uddin, Shahriyar; arXiv 2410.23657, MSR 2026), never scored by a session: public GitHub
 * issue bodies, each with one candidate string extracted by the authors' regular expressions and labelled secret or
 * not by two of the authors. Read from the fetched git directory at the pinned commit (`git show COMMIT:PATH`);
 * nothing of it is committed.
 *
 *   npx tsx bench/eval-secrets-issues.ts ISSUES_GIT_DIR [--seen DIR ...] [--list]
 *
 * Two CSV files (`Kappa/1-…` and `Kappa/2-…`, 200 rows each), columns `,Issue_id,candidate_string,label,text,
 * Kappa_label`: the issue's body, the candidate, the first rater's label (the dataset's) and the second rater's.
 *
 * Units, one per (issue body, candidate):
 * - kept when both raters gave the same label: 1 is a positive, 0 a negative;
 * - left out (counted in the output): the raters disagree; the candidate (trimmed) is not in the body; a later
 *   row repeating an earlier (body, candidate) pair (the first keeps its label; a repeat labelled otherwise is counted);
 * - a unit whose candidate line is a verbatim copy of a seen corpus (`--seen` trees, `seenCopies`) is left out.
 * Each distinct body is scanned once, as a Markdown file (`issue-<n>.md`: an issue is prose with pasted code,
 * logs and configuration). A unit is found when a counted finding (every severity but `info`) overlaps one of the
 * candidate's occurrences in the body (finding and candidate as character ranges).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Finding } from "../src/core/index.js";
import { scanSecrets } from "../src/scan/secrets/index.js";
import { counted, gitShowAt, oneLine, Tally, withoutSeenCopies } from "./eval-secrets-tally.js";

export const ISSUES_COMMIT = "17218de3aac3a240af0dc239c5d00cb9a366276b";
export const ISSUES_FILES = ["Kappa/1-Kappa-potential-breaches-manually-labelled.csv", "Kappa/2-Kappa-potential-breaches-manually-labelled.csv"] as const;
const HEADER = ["", "Issue_id", "candidate_string", "label", "text", "Kappa_label"];

/** RFC 4180 rows: quoted fields may hold commas, newlines and doubled quotes. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c !== '"') field += c;
      else if (text[i + 1] === '"') {
        field += '"';
        i++;
      } else quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += c;
  }
  if (quoted) throw new Error("unterminated quoted field");
  if (field !== "" || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

export interface IssueUnit {
  set: string;
  issue: string;
  candidate: string;
  positive: boolean;
  body: string;
  /** The body's line holding the candidate's first occurrence (what the seen-copy probe reads). */
  text: string;
}

/** The kept units, and why the others were left out. */
export function issueUnits(csvBySet: ReadonlyArray<[string, string]>): { units: IssueUnit[]; left: Map<string, number> } {
  const units: IssueUnit[] = [];
  const left = new Map<string, number>();
  const leave = (why: string) => left.set(why, (left.get(why) ?? 0) + 1);
  const seen = new Map<string, boolean>();
  for (const [set, csv] of csvBySet) {
    const rows = parseCsv(csv);
    if (rows[0]?.join(",") !== HEADER.join(",")) throw new Error(`${set}: unexpected header ${rows[0]?.join(",")}`);
    for (const r of rows.slice(1)) {
      if (r.length === 1 && r[0] === "") continue;
      if (r.length !== HEADER.length) throw new Error(`${set}: row ${r[0]} has ${r.length} fields`);
      const [, issue, raw, first, body, second] = r as [string, string, string, string, string, string];
      if (!/^[01]$/.test(first) || !/^[01]$/.test(second)) throw new Error(`${set}: row ${r[0]}: labels ${first}/${second}`);
      const candidate = raw.trim();
      if (first !== second) {
        leave("the two raters disagree");
        continue;
      }
      const at = candidate ? body.indexOf(candidate) : -1;
      if (at === -1) {
        leave("the candidate is not in the body");
        continue;
      }
      const key = `${body}\u0000${candidate}`;
      const earlier = seen.get(key);
      if (earlier !== undefined) {
        leave(earlier === (first === "1") ? "a repeat of an earlier (body, candidate) pair" : "a repeat of an earlier pair, labelled otherwise");
        continue;
      }
      seen.set(key, first === "1");
      const lineStart = body.lastIndexOf("\n", at) + 1;
      const lineEnd = body.indexOf("\n", at + candidate.length);
      units.push({ set, issue, candidate, positive: first === "1", body, text: body.slice(lineStart, lineEnd === -1 ? body.length : lineEnd) });
    }
  }
  return { units, left };
}

/** Character offset of each line's start, for turning a finding's line/column range into offsets. */
function lineStarts(text: string): number[] {
  const s = [0];
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) s.push(i + 1);
  return s;
}

function findingRange(f: Finding, starts: readonly number[]): [number, number] {
  const l = f.location;
  const line = l?.line ?? 1;
  const start = (starts[line - 1] ?? 0) + (l?.column ?? 1) - 1;
  const endLine = l?.endLine ?? line;
  const end = l?.endColumn !== undefined ? (starts[endLine - 1] ?? 0) + l.endColumn - 1 : (starts[endLine] ?? Number.MAX_SAFE_INTEGER);
  return [start, Math.max(end, start + 1)];
}

/** Scans each distinct body once and tallies its units. */
export async function scoreIssueUnits(units: readonly IssueUnit[]): Promise<Tally> {
  const tally = new Tally();
  const byBody = new Map<string, IssueUnit[]>();
  for (const u of units) byBody.set(u.body, [...(byBody.get(u.body) ?? []), u]);
  const dir = mkdtempSync(join(tmpdir(), "eval-issues-"));
  try {
    for (const [i, [body, mine]] of [...byBody].entries()) {
      const sub = join(dir, String(i));
      mkdirSync(sub);
      const file = join(sub, `issue-${i}.md`);
      writeFileSync(file, body);
      const findings = (await scanSecrets(file, { workers: 1 })).findings.filter(counted);
      const starts = lineStarts(body);
      const ranges = findings.map((f) => [f, findingRange(f, starts)] as const);
      for (const u of mine) {
        const hits = new Set<Finding>();
        for (let at = body.indexOf(u.candidate); at !== -1; at = body.indexOf(u.candidate, at + 1))
          for (const [f, [a, b]] of ranges) if (a < at + u.candidate.length && b > at) hits.add(f);
        tally.add(u.set, u.positive, [...hits], `${u.set} issue ${u.issue}: ${oneLine(u.candidate).slice(0, 60)}  in  ${oneLine(u.text)}`);
      }
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
    console.error("usage: npx tsx bench/eval-secrets-issues.ts ISSUES_GIT_DIR [--seen DIR ...] [--list]");
    process.exit(2);
  }
  const { units: all, left } = issueUnits(ISSUES_FILES.map((p, n) => [`rater sample ${n + 1}`, gitShowAt(gitDir, ISSUES_COMMIT, p)]));
  for (const [why, n] of left) console.log(`${n} rows left out: ${why}`);
  const { cases: units, seenDirs } = withoutSeenCopies(all, args);
  console.log(`${all.length - units.length} units left out as verbatim copies of seen corpora (${seenDirs.length} trees searched)`);
  if (args.includes("--list")) {
    for (const set of new Set(units.map((u) => u.set))) {
      const mine = units.filter((u) => u.set === set);
      console.log(`${set}: ${mine.filter((u) => u.positive).length} positive, ${mine.filter((u) => !u.positive).length} negative, ${new Set(mine.map((u) => u.body)).size} bodies`);
    }
    console.log(`${units.filter((u) => u.positive).length} positive, ${units.filter((u) => !u.positive).length} negative, ${new Set(units.map((u) => u.body)).size} bodies`);
    return;
  }
  (await scoreIssueUnits(units)).print("session-26 held-out set (issue-report candidates)");
}

if (process.argv[1]?.endsWith("eval-secrets-issues.ts"))
  main().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
