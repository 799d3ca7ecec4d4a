/**
 * Session 28 held-out set: the labelled snippets of rishav-iitr29/Hidden-Secrets-Detection-using-Hybrid-Multi-Task-
 * Transformer (repository `rishav-iitr29/Hybrid-Multi-Task-Secret-Detection`, MIT), a 2025–26 CodeBERT secrets-detection
 * project whose dataset mixes synthetic secrets written into code under ~40 provider names with three kinds of negatives
 * the author built to be hard: high-entropy values that are not secrets (hashes, UUIDs, trace ids, request ids under
 * non-secret names, dummy words), snippets of real files around look-alikes (test certificates, key material in JDK
 * tests, data tables) and random code. Read from the fetched git directory at the pinned commit (`git show
 * COMMIT:PATH`); nothing of it is committed.
 *
 *   npx tsx bench/eval-secrets-hybrid.ts HYBRID_GIT_DIR [--seen DIR ...] [--list] [--dist DIST]
 *
 * One unit per row of `data/final/final_dataset.csv` (the whole dataset: train, validation and test splits are
 * samples of it; Rampart was trained on none of them). Columns used: `source`, `code_snippet`, `secret`, `file_path`,
 * `rule`, `has_secret`, `obfuscation_type`. Each unit's snippet is scanned as its own file (`unit-<n>/<name>`: the
 * basename of `file_path` for rows taken from real files, so its extension decides code or configuration as for a
 * user; `snippet.txt` for the generated rows, which have none). A unit is found (positive) or reported (negative)
 * when the scan of its file has a counted finding (every severity but `info`).
 *
 * Headline units, the author's labels as they are:
 * - positives: rows of source `synthetic` whose `secret` occurs verbatim in the snippet (the value is written out:
 *   plain, in a comment, as an environment default, behind one assignment…), grouped by `obfuscation_type`;
 * - negatives: every row of source `hard_negative`, `contextual_negative` and `random_negative`.
 * Reported beside the headline, not in it: `synthetic` rows whose value is encoded, reversed, split or interleaved
 * (the secret is not in the snippet; Rampart does not claim to decode these), and the rows of source `gitleaks` and
 * `trufflehog` (positives that are two scanners' raw matches on public repositories: the label is the scanner's rule
 * firing, not a judgement of the value).
 * Left out (counted in the output): a later row whose snippet repeats an earlier one (the first keeps its label;
 * snippets labelled both ways are counted apart and both left out), and units whose snippet is a verbatim copy of a
 * seen corpus (`--seen` trees, `seenCopies`).
 */
import { basename } from "node:path";
import { parseCsv } from "./eval-secrets-issues.js";
import { distOption, gitShowAt, leaveOutSeenCopies, oneLine, scanUnits, Tally } from "./eval-secrets-tally.js";

export const HYBRID_COMMIT = "9c7d647d19e382d2342b80242bb56618a8634d5d";
export const HYBRID_FILE = "data/final/final_dataset.csv";
const HEADER = "source,code_snippet,secret,secret_span_start,secret_span_end,file_path,line_number,length,entropy,rule,rule_group,has_secret,obfuscation_type,hard_negative";
const NEGATIVE_SOURCES = new Set(["hard_negative", "contextual_negative", "random_negative"]);
const SCANNER_SOURCES = new Set(["gitleaks", "trufflehog"]);

export type Part = "headline" | "encoded" | "scanner";

export interface HybridUnit {
  row: number;
  part: Part;
  group: string;
  positive: boolean;
  /** The snippet (what is scanned, and what the seen-copy probe reads). */
  text: string;
  name: string;
  secret: string;
}

/** The units of the dataset, and why rows were left out. */
export function hybridUnits(csv: string): { units: HybridUnit[]; left: Map<string, number> } {
  const rows = parseCsv(csv);
  if (rows[0]?.join(",") !== HEADER) throw new Error(`unexpected header ${rows[0]?.join(",")}`);
  const left = new Map<string, number>();
  const leave = (why: string, n = 1) => left.set(why, (left.get(why) ?? 0) + n);
  const bySnippet = new Map<string, HybridUnit>();
  const conflicted = new Set<string>();
  for (const [i, r] of rows.slice(1).entries()) {
    if (r.length === 1 && r[0] === "") continue;
    if (r.length !== 14) throw new Error(`row ${i + 1} has ${r.length} fields`);
    const [source = "", snippet = "", secret = "", , , filePath = "", , , , rule = "", , hasSecret = "", obfuscation = ""] = r;
    if (hasSecret !== "0" && hasSecret !== "1") throw new Error(`row ${i + 1}: has_secret ${hasSecret}`);
    const positive = hasSecret === "1";
    let part: Part;
    let group: string;
    if (NEGATIVE_SOURCES.has(source)) {
      if (positive) throw new Error(`row ${i + 1}: ${source} labelled positive`);
      part = "headline";
      group = `negatives: ${source}`;
    } else if (SCANNER_SOURCES.has(source)) {
      part = "scanner";
      group = `${source} rows (${positive ? "positive" : "negative"})`;
    } else if (source === "synthetic") {
      if (!positive) throw new Error(`row ${i + 1}: synthetic row labelled negative`);
      const written = secret !== "" && snippet.includes(secret);
      part = written ? "headline" : "encoded";
      group = `synthetic, ${written ? "written out" : "not verbatim"}: ${obfuscation}`;
    } else throw new Error(`row ${i + 1}: unknown source ${source}`);
    const earlier = bySnippet.get(snippet);
    if (earlier) {
      if (earlier.positive !== positive) conflicted.add(snippet);
      leave("a repeat of an earlier row's snippet");
      continue;
    }
    const name = filePath && filePath !== "-1" ? basename(filePath) : "snippet.txt";
    bySnippet.set(snippet, { row: i + 1, part, group, positive, text: snippet, name, secret: secret || rule });
  }
  for (const s of conflicted) bySnippet.delete(s);
  if (conflicted.size) leave("a snippet labelled both ways (every row of it)", conflicted.size);
  return { units: [...bySnippet.values()], left };
}

/** Scans every unit as its own file and tallies the three parts apart. */
async function score(units: readonly HybridUnit[], dist: string | undefined): Promise<Map<Part, Tally>> {
  const tallies = new Map<Part, Tally>([
    ["headline", new Tally()],
    ["encoded", new Tally()],
    ["scanner", new Tally()],
  ]);
  const findings = await scanUnits(units, dist, "hybrid");
  for (const [i, u] of units.entries()) tallies.get(u.part)!.add(u.group, u.positive, findings[i]!, `row ${u.row} (${u.name}): ${oneLine(u.text)}`);
  return tallies;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const gitDir = args[0];
  if (!gitDir || gitDir.startsWith("--")) {
    console.error("usage: npx tsx bench/eval-secrets-hybrid.ts HYBRID_GIT_DIR [--seen DIR ...] [--list] [--dist DIST]");
    process.exit(2);
  }
  const dist = distOption(args);
  const { units: all, left } = hybridUnits(gitShowAt(gitDir, HYBRID_COMMIT, HYBRID_FILE));
  for (const [why, n] of left) console.log(`${n} rows left out: ${why}`);
  const units = leaveOutSeenCopies(all, args);
  if (args.includes("--list")) {
    const groups = new Map<string, number>();
    for (const u of units) groups.set(`${u.part} | ${u.group}`, (groups.get(`${u.part} | ${u.group}`) ?? 0) + 1);
    for (const [g, n] of [...groups].sort()) console.log(`${g}: ${n}`);
    for (const part of ["headline", "encoded", "scanner"] as const) {
      const mine = units.filter((u) => u.part === part);
      console.log(`${part}: ${mine.filter((u) => u.positive).length} positive, ${mine.filter((u) => !u.positive).length} negative`);
    }
    return;
  }
  const cpu = process.cpuUsage();
  const tallies = await score(units, dist);
  tallies.get("headline")!.print(`session-28 held-out set (hybrid multi-task dataset), headline${dist ? `, ${dist}` : ""}`);
  console.log("\n## beside the headline: values not written out (encoded, reversed, split, interleaved)\n");
  tallies.get("encoded")!.print("synthetic, not verbatim");
  console.log("\n## beside the headline: two scanners' raw matches\n");
  tallies.get("scanner")!.print("scanner rows");
  console.log(`${(process.cpuUsage(cpu).user / 1e6).toFixed(1)} s user CPU (scan and tally)`);
}

if (process.argv[1]?.endsWith("eval-secrets-hybrid.ts"))
  main().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
