/**
 * Precision/recall of `rampart scan code` (and Bandit) on the session-23 held-out set: the OpenSSF Secure Coding
 * Guide for Python (ossf/wg-best-practices-os-developers, `docs/Secure-Coding-Guide-for-Python/`). Each rule folder
 * `pyscg-NNNN` holds `noncompliantNN.py` files (code the guide calls insecure for the folder's rule) and
 * `compliantNN.py` files (the guide's fixed version). The label is the file name; the family is the folder's rule.
 *
 *   npx tsx bench/eval-code-pyscg.ts <Secure-Coding-Guide-for-Python folder> [--bandit | --list] [--dist <built dist/>]
 *
 * `--dist` scores another build's `scanCode` (its `dist/scan/code/index.js`), for the previous-build column. The
 * folder is read at evaluation time (written out with `git archive`); nothing of it is committed or executed. The
 * mapping and the scoring below were written and committed (session 23) before either tool ran on any unit.
 *
 * Scoring, per (file, family) as the BenchProctor harness (session 22) does:
 * - a unit is found when the tool prints at least one finding of the folder's family anywhere in the file (every
 *   severity and confidence, both tools);
 * - found + noncompliant: true positive; found + compliant: false positive; not found + noncompliant: missed;
 * - `exampleNN.py` files are not units; findings of a counted family in any file that is not a unit of that family
 *   (other folders, examples) are not scored: counted apart and listed, to be read by hand.
 */
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { type Family, type FileCase, runFileScoring } from "./eval-code-files.js";

/** Guide rule folder → Rampart family; only rules whose weakness Rampart claims. Decided by the folder's CWEs before any run. */
const MAPPED: Record<string, Family> = {
  "pyscg-0009": "shell", // Prevent OS Command Injection (CWE-78)
  "pyscg-0010": "sql", // Prevent SQL Injection (CWE-89)
  "pyscg-0023": "deser", // Secure Deserialization (CWE-502)
  "pyscg-0012": "path", // Extract Archives Safely (CWE-180, 409, 209): Rampart's code.archive-extraction
  "pyscg-0041": "cred", // Externalize Configuration and Secrets (CWE-798, 259, 321)
  "pyscg-0021": "debug", // Exclude Developer Tools From the Final Product (CWE-489)
};
/*
 * Deliberately NOT mapped (decided with the list above, before any run): format string injection (0008, CWE-134: no
 * Rampart rule), canonicalise before validating (0044, CWE-180), allow lists over deny lists (0047, CWE-184), search
 * paths (0013, CWE-426), error output disclosure (0050, CWE-209), sensitive data in logs (0019, CWE-532), log
 * injection (0022, CWE-117), weak randomness (0038, CWE-330), and the numeric, exception, concurrency and
 * coding-standard rules: no Rampart family.
 */

/** Every `.py` file under the guide folder, relative to it. */
function pythonFiles(root: string, dir = ""): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(root, dir)).sort()) {
    const rel = dir ? `${dir}/${name}` : name;
    if (statSync(join(root, rel)).isDirectory()) out.push(...pythonFiles(root, rel));
    else if (name.endsWith(".py")) out.push(rel);
  }
  return out;
}

function readCases(files: readonly string[]): FileCase[] {
  const cases: FileCase[] = [];
  for (const file of files) {
    const parts = file.split("/");
    const family = MAPPED[parts.at(-2) ?? ""];
    const name = parts.at(-1) ?? "";
    if (!family) continue;
    if (/^noncompliant\d+\.py$/.test(name)) cases.push({ file, label: file, family, vulnerable: true });
    else if (/^compliant\d+\.py$/.test(name)) cases.push({ file, label: file, family, vulnerable: false });
  }
  return cases;
}

async function main(): Promise<void> {
  const [root, ...rest] = process.argv.slice(2);
  if (!root || root.startsWith("--")) {
    console.error("usage: npx tsx bench/eval-code-pyscg.ts <Secure-Coding-Guide-for-Python folder> [--bandit | --list] [--dist <built dist/>]");
    process.exit(2);
  }
  const files = pythonFiles(root);
  const cases = readCases(files);
  const vulnerable = cases.filter((c) => c.vulnerable).length;
  console.log(`${files.length} Python files; ${cases.length} units of mapped rules (${vulnerable} noncompliant, ${cases.length - vulnerable} compliant)`);
  if (rest.includes("--list")) {
    for (const c of cases) console.log(`${c.file} ${c.family} ${c.vulnerable ? "vulnerable" : "safe"}`);
    return;
  }
  const header = "| tool | noncompliant files | compliant files | true positives | false positives | precision | recall | other files flagged |";
  await runFileScoring(root, files, cases, rest, header, "list");
}

await main();
