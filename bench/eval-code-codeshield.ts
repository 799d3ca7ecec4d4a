/**
 * Precision/recall of `rampart scan code` (and Bandit) on the Python test files of Meta's CodeShield
 * insecure-code detector (meta-llama/PurpleLlama, `CodeShield/insecure_code_detector/rules/semgrep/python/
 * *.py`), labelled line by line by their authors in semgrep's test format: a comment `# ruleid: <rule>`
 * marks the next code line as a finding the rule must report, `# ok: <rule>` the next one as a line it
 * must not; semgrep's test fails on any other finding, so every other code line of the file is safe too.
 *
 *   npx tsx bench/eval-code-codeshield.ts <PurpleLlama checkout> [--bandit | --list]
 *
 * The checkout is read at evaluation time; nothing of it is committed. The file → category mapping was
 * written and committed (session 7) before Rampart or Bandit was run on any of these files, and is not to
 * be changed after looking at scores.
 *
 * Scoring, per (file, line, category), as for Bearer's tests: a line marked by `ruleid:` is vulnerable for
 * the file's category; every other code line is safe for it; blank, comment and import lines are not
 * scored. Every finding each tool prints by default counts (all severities, both tools); findings of
 * other categories are not scored (counted apart).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type Category, LINE_TABLE_HEADER, type LineLabels, scoreLines, scoreRampartAndBandit } from "./eval-code-categories.js";

const DIR = "CodeShield/insecure_code_detector/rules/semgrep/python/";

/** Test file (without `.py`) → Rampart category: every Python test file of that folder. */
const MAPPED: Record<string, Category> = {
  deserialization_pickle_use: "deser", // CWE-502
  eval_use: "exec", // CWE-95
  exec_use: "exec", // CWE-95
  sql_injection_cursor_execute: "sql", // CWE-89
  subprocess_using_shell: "shell", // CWE-78
};

function readLabels(checkout: string): { labels: LineLabels; files: string[] } {
  const labels: LineLabels = new Map();
  const files: string[] = [];
  for (const [name, category] of Object.entries(MAPPED)) {
    const file = `${DIR}${name}.py`;
    files.push(file);
    let pending = false;
    readFileSync(join(checkout, file), "utf8")
      .split(/\r?\n/)
      .forEach((line, i) => {
        const t = line.trim();
        if (/^#\s*ruleid\s*:/.test(t)) pending = true;
        if (t === "" || t.startsWith("#")) return;
        const vulnerable = pending;
        pending = false;
        if (/^(import|from)\s/.test(t) && !vulnerable) return;
        labels.set(`${file}:${i + 1}:${category}`, vulnerable);
      });
  }
  return { labels, files };
}

async function main(): Promise<void> {
  const [checkout, ...rest] = process.argv.slice(2);
  if (!checkout) {
    console.error("usage: npx tsx bench/eval-code-codeshield.ts <PurpleLlama checkout> [--bandit | --list]");
    process.exit(2);
  }
  const { labels, files } = readLabels(checkout);
  const vulnerable = [...labels.values()].filter(Boolean).length;
  console.log(`${files.length} test files, ${vulnerable} vulnerable lines, ${labels.size - vulnerable} safe code lines`);
  if (rest.includes("--list")) {
    for (const [k, v] of labels) if (v) console.log(`${k} vulnerable`);
    return;
  }
  for (const l of LINE_TABLE_HEADER) console.log(l);
  await scoreRampartAndBandit(checkout, files, rest, (tool, hits) => scoreLines(tool, hits, labels, (k) => k.replace(DIR, "")));
}

await main();
