/**
 * Precision/recall of `rampart scan code` (and Bandit) on Amazon CodeGuru Reviewer's Python detector
 * examples (aws-samples/amazon-codeguru-detectors, `python/src/detectors/<detector>/*.py`), labelled block
 * by block by their authors: each example sits between `# {fact rule=<rule>@vN defects=1|0}` and
 * `# {/fact}`; `defects=1` is a non-compliant (vulnerable) example, `defects=0` its compliant look-alike.
 *
 *   npx tsx bench/eval-code-codeguru.ts <amazon-codeguru-detectors checkout> [--bandit | --list]
 *
 * The checkout is read at evaluation time; nothing of it is committed. The detector → category mapping
 * and the exclusions below were written and committed (session 7) before Rampart or Bandit was run on any
 * of these files, and are not to be changed after looking at scores.
 *
 * Scoring, per (fact block, category), only in the files of mapped detectors:
 * - a block is found when the tool prints at least one finding of the detector's category on a line
 *   inside the block (every severity and confidence, both tools, as every code harness since session 5);
 * - found and `defects=1`: true positive; found and `defects=0`: false positive; not found and
 *   `defects=1`: missed;
 * - findings outside fact blocks and findings of other categories are not scored (counted apart).
 */

import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { banditHits, type Category, type CategoryTally, type Hit, rampartHits, tallyLines, tallyOf } from "./eval-code-categories.js";

/** CodeGuru detector folder → Rampart category; only weaknesses Rampart claims. */
const MAPPED: Record<string, Category> = {
  code_injection: "exec", // CWE-94/95: eval/exec of untrusted input
  os_command_injection: "shell", // CWE-77/78
  sql_injection: "sql", // CWE-89
  untrusted_deserialization: "deser", // CWE-502
  improper_certificate_validation: "tls", // CWE-295
  hardcoded_credentials: "cred", // CWE-798
  detect_activated_debug_feature: "debug", // CWE-489/215: debug mode on
  insecure_socket_bind: "debug", // CWE-200: binding every interface (Rampart's debug-server rule covers 0.0.0.0)
};
/*
 * Deliberately NOT mapped (decided with the list above, before any run): path_traversal (open() on
 * input; Rampart's CWE-22 rule is archive extraction), zip_bomb_attack (CWE-409 size limits, a different
 * judgement from extraction filters), clear_text_credentials (how passwords are stored/hashed),
 * do_not_auto_add_or_warning_missing_hostkey_policy (SSH host keys), insecure_connection (plain-text
 * protocols), module_injection, ldap/xpath/XXE/XSS/CSRF/cookie/CORS/log injection, weak hashing and
 * cryptography, temp files, file permissions, and the code-quality, AWS and ML-correctness detectors —
 * weaknesses Rampart does not claim.
 */

interface Block {
  file: string;
  start: number;
  end: number;
  category: Category;
  vulnerable: boolean;
}

function readBlocks(checkout: string): { blocks: Block[]; files: string[] } {
  const blocks: Block[] = [];
  const files: string[] = [];
  const listed = execFileSync("git", ["ls-files", "python/src/detectors"], { cwd: checkout, encoding: "utf8" }).split("\n");
  for (const [detector, category] of Object.entries(MAPPED)) {
    const prefix = `python/src/detectors/${detector}/`;
    for (const file of listed.filter((f) => f.startsWith(prefix) && f.endsWith(".py")).sort()) {
      files.push(file);
      let open: { start: number; vulnerable: boolean } | undefined;
      readFileSync(join(checkout, file), "utf8")
        .split(/\r?\n/)
        .forEach((line, i) => {
          const start = /^\s*#\s*\{fact\s+rule=\S+\s+defects=([01])\s*\}/.exec(line);
          if (start) open = { start: i + 1, vulnerable: start[1] === "1" };
          else if (/^\s*#\s*\{\/fact\}/.test(line) && open) {
            blocks.push({ file, start: open.start, end: i + 1, category, vulnerable: open.vulnerable });
            open = undefined;
          }
        });
    }
  }
  return { blocks, files };
}

function scoreBlocks(tool: string, hits: Hit[], blocks: Block[]): string[] {
  const byCat = new Map<Category, CategoryTally>();
  const missed: string[] = [];
  const fps: string[] = [];
  let tp = 0;
  let wanted = 0;
  const inside = new Set<Hit>();
  for (const b of blocks) {
    const s = tallyOf(byCat, b.category);
    const mine = hits.filter((h) => h.file === b.file && h.category === b.category && h.endLine >= b.start && h.line <= b.end);
    for (const h of mine) inside.add(h);
    const id = `${b.file.replace(/^python\/src\/detectors\/[^/]+\//, "")}:${b.start}`;
    if (b.vulnerable) {
      wanted++;
      s.n++;
      if (mine.length) {
        tp++;
        s.tp++;
      } else missed.push(id);
    } else {
      s.neg++;
      if (mine.length) {
        s.fp++;
        fps.push(`${id} ${mine.map((h) => `${h.id}@${h.line}`).join(",")}`);
      }
    }
  }
  const precision = tp + fps.length ? tp / (tp + fps.length) : 1;
  const recall = wanted ? tp / wanted : 1;
  return [
    `| ${tool} | ${wanted} | ${blocks.length - wanted} | ${tp} | ${fps.length} | ${precision.toFixed(3)} | ${recall.toFixed(3)} | ${hits.length - inside.size} |`,
    ...tallyLines(byCat, missed, fps),
  ];
}

async function main(): Promise<void> {
  const [checkout, ...rest] = process.argv.slice(2);
  if (!checkout) {
    console.error("usage: npx tsx bench/eval-code-codeguru.ts <amazon-codeguru-detectors checkout> [--bandit | --list]");
    process.exit(2);
  }
  const { blocks, files } = readBlocks(checkout);
  const vulnerable = blocks.filter((b) => b.vulnerable).length;
  console.log(`${files.length} files of mapped detectors, ${blocks.length} fact blocks (${vulnerable} non-compliant, ${blocks.length - vulnerable} compliant)`);
  if (rest.includes("--list")) {
    for (const b of blocks) console.log(`${b.file}:${b.start}-${b.end} ${b.category} ${b.vulnerable ? "vulnerable" : "safe"}`);
    return;
  }
  console.log("| tool | vulnerable blocks | safe blocks | true positives | false positives | precision | recall | findings not scored |");
  console.log("|---|---|---|---|---|---|---|---|");
  for (const l of scoreBlocks("rampart", await rampartHits(checkout, files), blocks)) console.log(l);
  if (!rest.includes("--bandit")) return;
  const bandit = banditHits(checkout, files);
  for (const l of scoreBlocks(`bandit ${bandit.version}`, bandit.hits, blocks)) console.log(l);
  console.log(`  bandit could not parse ${bandit.errors.length} files: ${bandit.errors.join(" ")}`);
}

await main();
