/**
 * Precision/recall of `rampart scan code` (and Bandit) on ruff's flake8-bandit test fixtures, labelled
 * line by line by ruff's authors: each fixture `S<NNN>.py` exercises one rule, and the snapshot
 * `snapshots/ruff_linter__rules__flake8_bandit__tests__S<NNN>_S<NNN>.py.snap` lists every diagnostic that
 * rule gives on it (` --> S<NNN>.py:LINE:COL`).
 *
 *   npx tsx bench/eval-code-ruff.ts <ruff checkout> [--bandit | --list]
 *
 * The checkout is read at evaluation time; nothing of ruff is committed. The rule → category mapping
 * below was written and committed before Rampart was run on any of these files, and is not to be
 * changed after looking at scores.
 *
 * Scoring, per (file, line, category), only in fixtures of mapped rules:
 * - a line is vulnerable for the fixture rule's category when the (stable, non-preview) snapshot has a
 *   diagnostic of that rule starting on it;
 * - every other code line of that fixture is safe for that category (the fixture is the rule's own
 *   test, written with safe look-alikes next to the vulnerable lines);
 * - a finding (every severity since session 5; ≥ medium before) on a vulnerable line of its category is a true positive, on a safe
 *   line of its category a false positive; findings of other categories are not scored (counted apart);
 * - a finding spanning several lines matches a label on any of them.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type Category, LINE_TABLE_HEADER, scoreLines, scoreRampartAndBandit } from "./eval-code-categories.js";

/** ruff rule code → Rampart category; only rules for weaknesses Rampart claims. */
const MAPPED: Record<string, Category> = {
  S102: "exec", // exec-builtin
  S307: "exec", // suspicious-eval-usage
  S104: "debug", // hardcoded-bind-all-interfaces
  S201: "debug", // flask-debug-true
  S105: "cred", // hardcoded-password-string
  S106: "cred", // hardcoded-password-func-arg
  S107: "cred", // hardcoded-password-default
  S202: "archive", // tarfile-unsafe-members
  S301: "deser", // suspicious-pickle-usage
  S506: "deser", // unsafe-yaml-load
  S501: "tls", // request-with-no-cert-validation
  S601: "shell", // paramiko-call
  S602: "shell", // subprocess-popen-with-shell-equals-true
  S604: "shell", // call-with-shell-equals-true
  S605: "shell", // start-process-with-a-shell
  S608: "sql", // hardcoded-sql-expression
  S610: "sql", // django-extra
  S611: "sql", // django-raw-sql
};
/*
 * Deliberately NOT mapped (decided with the list above, before any run):
 * - S603, S606, S607: a process started without a shell / by partial path (an argv, not shell injection);
 * - S609 unix-command-wildcard-injection: wildcard expansion in a constant command (CWE-155), not claimed;
 * - S502, S503, S504, S505, S507, S508, S509: protocol versions, key sizes, SSH host keys, SNMP — advice
 *   about TLS/crypto settings, not certificate verification disabled;
 * - S101, S103, S108, S110, S112, S113, S308, S310, S311, S312, S324, S4xx imports, S612, S701, S702:
 *   other weaknesses (asserts, permissions, temp files, timeouts, XSS, hashes, imports, templates).
 */

const FIXTURES = "crates/ruff_linter/resources/test/fixtures/flake8_bandit";
const SNAPSHOTS = "crates/ruff_linter/src/rules/flake8_bandit/snapshots";

interface Labels {
  /** "file:line:category" → vulnerable (true) or safe (false). */
  lines: Map<string, boolean>;
}

/** The lines each rule's snapshot reports, read from ` --> FILE:LINE:COL` after a `SNNN …` header. */
export function snapshotLines(text: string, code: string): number[] {
  const out: number[] = [];
  let current = "";
  for (const raw of text.split(/\r?\n/)) {
    const head = /^(S\d{3})\b/.exec(raw);
    if (head) {
      current = head[1]!;
      continue;
    }
    const loc = /^\s*-->\s*\S+?:(\d+):\d+/.exec(raw) ?? /^\S+\.pyi?:(\d+):\d+: (S\d{3})/.exec(raw); // older snapshots: FILE:L:C: SNNN …
    if (!loc) continue;
    const rule = loc[2] ?? current;
    if (rule === code) out.push(Number(loc[1]));
  }
  return out;
}

function readLabels(checkout: string): { labels: Labels; files: string[] } {
  const labels: Labels = { lines: new Map() };
  const files: string[] = [];
  for (const [code, category] of Object.entries(MAPPED)) {
    const file = join(FIXTURES, `${code}.py`);
    const source = readFileSync(join(checkout, file), "utf8").split(/\r?\n/);
    const snap = readFileSync(join(checkout, SNAPSHOTS, `ruff_linter__rules__flake8_bandit__tests__${code}_${code}.py.snap`), "utf8");
    const vulnerable = new Set(snapshotLines(snap, code));
    if (vulnerable.size === 0) throw new Error(`no ${code} diagnostics read from its snapshot`);
    files.push(file);
    source.forEach((line, i) => {
      const t = line.trim();
      if (t === "" || t.startsWith("#")) return;
      labels.lines.set(`${file}:${i + 1}:${category}`, vulnerable.has(i + 1));
    });
    for (const l of vulnerable) labels.lines.set(`${file}:${l}:${category}`, true);
  }
  return { labels, files };
}

async function main(): Promise<void> {
  const [checkout, ...rest] = process.argv.slice(2);
  if (!checkout) {
    console.error("usage: npx tsx bench/eval-code-ruff.ts <ruff checkout> [--bandit | --list]");
    process.exit(2);
  }
  const { labels, files } = readLabels(checkout);
  const vulnerable = [...labels.lines.values()].filter(Boolean).length;
  console.log(`${files.length} fixtures of mapped rules, ${vulnerable} vulnerable lines, ${labels.lines.size - vulnerable} safe code lines`);
  if (rest.includes("--list")) {
    // The labels alone, without running any tool (to check the snapshot reader).
    for (const [k, v] of labels.lines) if (v) console.log(`${k} vulnerable`);
    return;
  }
  for (const l of LINE_TABLE_HEADER) console.log(l);
  await scoreRampartAndBandit(checkout, files, rest, (tool, hits) => scoreLines(tool, hits, labels.lines, (k) => k.replace(`${FIXTURES}/`, "")));
}

await main();
