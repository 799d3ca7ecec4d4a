/**
 * Precision/recall of `rampart scan code` (and Bandit) on Bearer's Python rule tests
 * (Bearer/bearer-rules, `tests/python/<group>/<rule>/testdata/*.py`), labelled line by line by Bearer's
 * authors: a comment `# bearer:expected <rule id>` marks the next code line as a finding the rule must
 * report; Bearer's test fails on any finding of that rule elsewhere in the file ("Extra"), so every other
 * code line of the rule's test files is a safe look-alike for that rule.
 *
 *   npx tsx bench/eval-code-bearer.ts <bearer-rules checkout> [--bandit | --list]
 *
 * The checkout is read at evaluation time; nothing of it is committed. The rule → category mapping and
 * the exclusions below were written and committed (session 6) before Rampart or Bandit was run on any of
 * these files, and are not to be changed after looking at scores.
 *
 * Scoring, per (file, line, category), only in the test files of mapped rules:
 * - a line is vulnerable for the rule's category when a `bearer:expected` comment naming the rule marks
 *   it (the first non-blank, non-comment line after the comment);
 * - every other code line of the file is safe for that category; not scored either way: blank and
 *   comment lines, import statements (Rampart reports uses, not imports), and — in `code_injection` only —
 *   lines that call none of `exec`, `eval`, `compile` (that rule also covers `setattr`, `import_module`,
 *   `__import__` and `globals()[…]` on user input, which Rampart does not claim);
 * - every finding each tool prints by default counts (all severities, both tools); a finding on a
 *   vulnerable line of its category (any line of its span) is a true positive, on a safe line of its
 *   category a false positive; findings of other categories are not scored (counted apart).
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type Category, LINE_TABLE_HEADER, type LineLabels, scoreLines, scoreRampartAndBandit } from "./eval-code-categories.js";

/** Bearer rule (folder under tests/python) → Rampart category. */
const MAPPED: Record<string, Category> = {
  "lang/avoid_pickle": "deser", // any pickle use
  "lang/deserialization_of_user_input": "deser", // pickle/shelve/yaml/… on user input
  "lang/eval_using_user_input": "exec",
  "lang/code_injection": "exec", // exec/compile lines only (see above)
  "lang/os_command_injection": "shell",
  "lang/sql_injection": "sql",
  "django/sql_injection": "sql",
  "lang/ssl_verification": "tls", // certificate verification switched off
  "lang/bind_to_all_interfaces": "debug", // Rampart's debug-server rule covers 0.0.0.0 binds
  "django/debug_mode_enabled": "debug",
};
/*
 * Deliberately NOT mapped (decided with the list above, before any run): django/weak_secret_key (its safe
 * look-alikes are hard-coded keys of 12 characters or more — "weak" means short there, while Rampart's
 * category is any hard-coded credential, so the labels and the category disagree by design),
 * lang/path_traversal, django/path_traversal, path_using_user_input (open() on input; Rampart's CWE-22 rule
 * is archive extraction only), reflection, regex, nosql, xpath, XXE, HTML/template/response/redirect/
 * cookie/CORS/CSRF/file-permission/logger/exception rules, weak hashes/ciphers/random/TLS versions, JWT
 * rules, insecure_ftp/http/smtp/websocket (plain-text protocols) and third_parties/* (data sent to
 * vendors) — weaknesses Rampart does not claim.
 */

const CODE_INJECTION_IN_SCOPE = /\b(exec|eval|compile)\s*\(/;

function ruleId(rule: string): string {
  return `python_${rule.replace("/", "_")}`;
}

function readLabels(checkout: string): { labels: LineLabels; files: string[] } {
  const labels: LineLabels = new Map();
  const files: string[] = [];
  const listed = execFileSync("git", ["ls-files", "tests/python"], { cwd: checkout, encoding: "utf8" }).split("\n");
  for (const [rule, category] of Object.entries(MAPPED)) {
    const prefix = `tests/python/${rule}/testdata/`;
    for (const file of listed.filter((f) => f.startsWith(prefix) && f.endsWith(".py")).sort()) {
      files.push(file);
      const lines = readFileSync(join(checkout, file), "utf8").split(/\r?\n/);
      let pending = false;
      lines.forEach((line, i) => {
        const t = line.trim();
        // The marker opens the comment; a header such as "# Use bearer:expected RULE to flag …" is an instruction, not a label.
        const marker = /^#\s*bearer:expected\s+([\w, ]+)/.exec(t);
        if (marker?.[1]?.split(/[\s,]+/).includes(ruleId(rule))) pending = true;
        if (t === "" || t.startsWith("#")) return;
        const vulnerable = pending;
        pending = false;
        if (/^(import|from)\s/.test(t) && !vulnerable) return;
        if (rule === "lang/code_injection" && !CODE_INJECTION_IN_SCOPE.test(t)) return;
        labels.set(`${file}:${i + 1}:${category}`, vulnerable);
      });
    }
  }
  return { labels, files };
}

async function main(): Promise<void> {
  const [checkout, ...rest] = process.argv.slice(2);
  if (!checkout) {
    console.error("usage: npx tsx bench/eval-code-bearer.ts <bearer-rules checkout> [--bandit | --list]");
    process.exit(2);
  }
  const { labels, files } = readLabels(checkout);
  const vulnerable = [...labels.values()].filter(Boolean).length;
  console.log(`${files.length} test files of mapped rules, ${vulnerable} vulnerable lines, ${labels.size - vulnerable} safe code lines`);
  if (rest.includes("--list")) {
    for (const [k, v] of labels) if (v) console.log(`${k} vulnerable`);
    return;
  }
  for (const l of LINE_TABLE_HEADER) console.log(l);
  await scoreRampartAndBandit(checkout, files, rest, (tool, hits) => scoreLines(tool, hits, labels, (k) => k.replace("tests/python/", "")));
}

await main();
