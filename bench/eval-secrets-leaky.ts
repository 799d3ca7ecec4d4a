/**
 * Secrets precision/recall on Plazmaz/leaky-repo, a repository of planted credentials in the files where
 * they are found in the wild (`.netrc`, `.docker/config.json`, `wp-config.php`, FileZilla XML, …). Its
 * author counts, per file, the lines that hold a "risk" (a credential) and the lines that are only
 * "informative" (user names, hosts) in `.leaky-meta/secrets.csv`; a line holding several risks counts
 * once. The labels are line counts per file, not line numbers. Read from a checkout at evaluation time;
 * nothing of it is committed.
 *
 *   npx tsx bench/eval-secrets-leaky.ts LEAKY_REPO_CHECKOUT [--seen DIR ...] [--list]
 *
 * Counting (declared before the first run): the checkout is scanned as one tree, as a user would scan a
 * repository; `.leaky-meta/` (the author's benchmark scripts and notes, not planted data) is left out.
 * For each file, `reported` = distinct lines holding a counted finding (every severity except `info`;
 * a multi-line finding counts on its first line) and `risk` = the author's count (0 for files the CSV does
 * not list). True positives min(reported, risk), false positives max(0, reported − risk), misses
 * risk − true positives. A finding on an "informative" line is a false positive (Rampart reports
 * credentials, not user names). Headline: files of kinds Rampart claims; also printed: every file, with the
 * author's risk counts as they are.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { scanSecrets } from "../src/scan/secrets/index.js";
import { counted } from "./eval-secrets-tally.js";

/**
 * Files whose risk lines are not a kind Rampart claims, fixed before the first run: password *hashes*
 * (`etc/shadow` crypt, `proftpdpasswd`, `.htpasswd`, the bcrypt column of `db/dump.sql`) and Firefox's
 * `logins.json`, whose `encryptedUsername`/`encryptedPassword` are ciphertext under a key kept in
 * `key4.db`. A hash or ciphertext is not a value anyone can present to a service; gitleaks and trufflehog
 * do not claim them either. Left out of the headline (neither positives nor negatives), kept in the
 * all-files line.
 */
export const UNCLAIMED_FILES = new Set(["etc/shadow", "proftpdpasswd", "web/var/www/public_html/.htpasswd", "db/dump.sql", ".mozilla/firefox/logins.json"]);

export interface LeakyFile {
  file: string;
  risk: number;
  informative: number;
}

/** The author's CSV: `name,num_risk,num_informative` rows, `#` comments and blank lines skipped. */
export function leakyLabels(checkout: string): LeakyFile[] {
  const out: LeakyFile[] = [];
  for (const raw of readFileSync(join(checkout, ".leaky-meta/secrets.csv"), "utf8").split("\n")) {
    const l = raw.trim();
    if (!l || l.startsWith("#")) continue;
    const [file, risk, informative] = l.split(",");
    if (!file || Number.isNaN(Number(risk))) throw new Error(`leaky harness: bad CSV row ${l}`);
    out.push({ file, risk: Number(risk), informative: Number(informative) });
  }
  return out;
}

/** Every file of the checkout outside `.leaky-meta/`, relative paths. */
function allFiles(checkout: string): string[] {
  const r = spawnSync("find", [".", "-type", "f", "-not", "-path", "./.leaky-meta/*", "-not", "-path", "./.git/*"], { cwd: checkout, encoding: "utf8" });
  return r.stdout
    .split("\n")
    .filter(Boolean)
    .map((p) => p.replace(/^\.\//, ""))
    .sort();
}

/**
 * Files that are copies of a seen corpus: more than half of their lines of 16 characters or more (PEM
 * armour aside) occur verbatim in a `--seen` tree. A whole file, because the labels are per file.
 */
function seenFiles(checkout: string, files: readonly string[], seenDirs: readonly string[]): Set<string> {
  const out = new Set<string>();
  if (!seenDirs.length) return out;
  const byFile = new Map<string, string[]>();
  for (const f of files) {
    let text: string;
    try {
      text = readFileSync(join(checkout, f), "utf8");
    } catch {
      continue;
    }
    if (text.includes("\0")) continue;
    const lines = [...new Set(text.split("\n").map((l) => l.trim()))].filter((l) => l.length >= 16 && !l.startsWith("-----"));
    if (lines.length) byFile.set(f, lines);
  }
  // One `grep -F -f` per tree (every probe line at once); `-o` prints the probe lines found.
  const dir = mkdtempSync(join(tmpdir(), "eval-leaky-seen-"));
  const hits = new Set<string>();
  try {
    const patterns = join(dir, "patterns");
    writeFileSync(patterns, `${[...new Set([...byFile.values()].flat())].join("\n")}\n`);
    for (const d of seenDirs) {
      const r = spawnSync("grep", ["-rhoIF", "-f", patterns, d], { encoding: "utf8", maxBuffer: 1 << 28 });
      for (const l of r.stdout.split("\n")) if (l) hits.add(l);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  for (const [f, lines] of byFile) if (lines.filter((l) => hits.has(l)).length * 2 > lines.length) out.add(f);
  return out;
}

interface Row {
  file: string;
  risk: number;
  reported: number;
  claimed: boolean;
}

function table(rows: readonly Row[], title: string): void {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const r of rows) {
    const t = Math.min(r.reported, r.risk);
    tp += t;
    fp += Math.max(0, r.reported - r.risk);
    fn += r.risk - t;
  }
  const precision = tp / Math.max(1, tp + fp);
  const recall = tp / Math.max(1, tp + fn);
  console.log(`${title}: precision ${precision.toFixed(3)}, recall ${recall.toFixed(3)} (tp ${tp}, fn ${fn}, fp ${fp}; ${rows.length} files)`);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const checkout = args[0];
  if (!checkout || checkout.startsWith("--")) {
    console.error("usage: npx tsx bench/eval-secrets-leaky.ts LEAKY_REPO_CHECKOUT [--seen DIR ...] [--list]");
    process.exit(2);
  }
  const labels = new Map(leakyLabels(checkout).map((l) => [l.file, l]));
  const files = allFiles(checkout);
  for (const l of labels.keys()) if (!files.includes(l)) throw new Error(`leaky harness: ${l} is in the CSV but not in the checkout`);
  const seenDirs = args.includes("--seen") ? args.slice(args.indexOf("--seen") + 1).filter((a) => !a.startsWith("--")) : [];
  const seen = seenFiles(checkout, files, seenDirs);
  console.log(`${seen.size} files left out as copies of seen corpora (${seenDirs.length} trees searched)${seen.size ? `: ${[...seen].join(", ")}` : ""}`);
  const kept = files.filter((f) => !seen.has(f));
  if (args.includes("--list")) {
    for (const f of kept) console.log(`${f}: risk ${labels.get(f)?.risk ?? 0}${UNCLAIMED_FILES.has(f) ? " (unclaimed kind)" : ""}`);
    const claimed = kept.filter((f) => !UNCLAIMED_FILES.has(f));
    console.log(
      `${kept.length} files, ${kept.reduce((s, f) => s + (labels.get(f)?.risk ?? 0), 0)} risk lines; claimed kinds: ${claimed.length} files, ${claimed.reduce((s, f) => s + (labels.get(f)?.risk ?? 0), 0)} risk lines`,
    );
    return;
  }
  const result = await scanSecrets(checkout, { workers: 1 });
  const lines = new Map<string, Set<number>>();
  const rules = new Map<string, string[]>();
  for (const x of result.findings.filter(counted)) {
    const f = x.location?.file;
    if (!f || f.startsWith(".leaky-meta/")) continue;
    const s = lines.get(f) ?? new Set<number>();
    s.add(x.location?.line ?? 1);
    lines.set(f, s);
    rules.set(f, [...(rules.get(f) ?? []), `${x.location?.line}:${x.ruleId}@${x.severity}`]);
  }
  const rows: Row[] = kept.map((f) => ({ file: f, risk: labels.get(f)?.risk ?? 0, reported: lines.get(f)?.size ?? 0, claimed: !UNCLAIMED_FILES.has(f) }));
  console.log("| file | risk lines (author) | lines reported | kind claimed |\n|---|---|---|---|");
  for (const r of rows) if (r.risk || r.reported) console.log(`| ${r.file} | ${r.risk} | ${r.reported} | ${r.claimed ? "yes" : "no"} |`);
  console.log("");
  table(
    rows.filter((r) => r.claimed),
    "leaky-repo, kinds Rampart claims (headline)",
  );
  table(rows, "leaky-repo, every file, the author's risk counts as they are");
  console.log("\nfindings by file:");
  for (const [f, rs] of rules) console.log(`  ${f}: ${rs.join(", ")}`);
}

if (process.argv[1]?.endsWith("eval-secrets-leaky.ts"))
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
