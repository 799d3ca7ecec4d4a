/**
 * Precision/recall of `rampart scan code` (and Bandit) on the session-22 held-out set: BenchProctor
 * (TheAuditorTool/BenchProctor), an OWASP-Benchmark-style generated suite. Its Django part
 * (`Benchmarks/enterprise/python/django/`) has one view per test file, `testcode/benchmark_test_NNNNN.py`, and
 * `expectedresults-2026.2.csv` gives for each `BenchmarkTestNNNNN` a category, whether the file is a real
 * vulnerability (`true`) or a safe look-alike (`false`), and a CWE. Both labels come from the corpus.
 *
 *   npx tsx bench/eval-code-benchproctor.ts <folder holding expectedresults-2026.2.csv and testcode/> [--bandit | --list] [--dist <built dist/>]
 *
 * `--dist` scores another build's `scanCode` (its `dist/scan/code/index.js`), for the previous-build column.
 * The folder is read at evaluation time; nothing of it is committed and nothing of it is executed. The mapping, the
 * unit range and the scoring below were written and committed (session 22) before either tool ran on any unit.
 *
 * Units: the test files numbered 00001–01368 (the first 1,368 rows of the 81,500-row file, the part read here)
 * whose category is mapped below: 129 files. The whole suite could not be had as a snapshot here (too many files),
 * so the files were read one by one and written out; each written file's length equals the stored file's.
 *
 * Scoring, per (test file, family) as the OWASP scorecard does:
 * - a file is found when the tool prints at least one finding of the file's family anywhere in it (every severity
 *   and confidence, both tools, as every code harness counts since session 5);
 * - found and labelled `true`: true positive; found and labelled `false`: false positive; not found and labelled
 *   `true`: missed;
 * - findings of a counted family in a file of another family are not scored (counted apart).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type Family, type FileCase, runFileScoring } from "./eval-code-files.js";

/**
 * BenchProctor category (its CWE) → Rampart family; only weaknesses Rampart claims. Decided by CWE before any run.
 */
const MAPPED: Record<string, Family> = {
  sqli: "sql", // CWE-89
  cmdi: "shell", // CWE-78
  genericcmdi: "shell", // CWE-77
  eval_injection: "exec", // CWE-95
  codeinj: "exec", // CWE-94
  ssti: "exec", // CWE-1336: template text from data runs as code (Rampart's code.template-injection)
  deserial: "deser", // CWE-502
  pathtraver: "path", // CWE-22
  relative_path_traversal: "path", // CWE-23
  absolute_path_traversal: "path", // CWE-36
  hardcodedcreds: "cred", // CWE-798
  hardcoded_password: "cred", // CWE-259
  password_in_source: "cred", // CWE-259
  hardcoded_crypto_key: "cred", // CWE-321 (Rampart's code.hardcoded-crypto-key)
  tlsverify: "tls", // CWE-295
  bad_cert_chain: "tls", // CWE-296
  cert_host_mismatch: "tls", // CWE-297 (hostname check disabled)
  debug_code_production: "debug", // CWE-489
  debug_info_leak: "debug", // CWE-215 (in the debug family as session 21 declared it for RealVuln)
};
/*
 * Deliberately NOT mapped (decided with the list above, before any run): ssrf (CWE-918: Rampart has no general SSRF
 * rule; its CWE-918 rule is about agents' open request tools), weakcipher/weakhash/weakrand and the other crypto and
 * randomness categories (no rule), static_code_injection (CWE-96), argument_injection (CWE-88, not a shell, as in
 * session 21), download_no_integrity (CWE-494: Rampart's 494 rule is about unpinned model-hub revisions, not the
 * integrity of any download), password_in_config_file (260), default_credentials (1392), default_password_use
 * (1393), weak_cred_generic (1391), empty_password_config (258), hardcoded_security_constant (547),
 * resource_wrong_sphere (668: a generic category name here, not bind-all), external_control_path (73),
 * external_file_access (552), insecuretemp, xxe, ldapi, xpathi, xss and the rest: no Rampart family.
 */

/** The unit range: test numbers up to this one (inclusive). */
const LAST_TEST = 1368;

/** A unit, named by its test number. */
interface Case extends FileCase {
  id: string;
}

function readCases(root: string): { cases: Case[]; unmapped: number } {
  const cases: Case[] = [];
  let unmapped = 0;
  for (const line of readFileSync(join(root, "expectedresults-2026.2.csv"), "utf8").split(/\r?\n/)) {
    if (line.startsWith("#") || line.trim() === "") continue;
    const [name, kind, real] = line.split(",").map((s) => s.trim());
    const n = Number((name ?? "").replace(/^BenchmarkTest/, ""));
    if (!Number.isInteger(n) || n < 1 || n > LAST_TEST) continue;
    const family = MAPPED[kind ?? ""];
    if (!family) {
      unmapped++;
      continue;
    }
    const id = (name ?? "").replace(/^BenchmarkTest/, "");
    cases.push({ file: `testcode/benchmark_test_${id}.py`, label: id, id, family, vulnerable: real === "true" });
  }
  return { cases, unmapped };
}

async function main(): Promise<void> {
  const [root, ...rest] = process.argv.slice(2);
  if (!root || root.startsWith("--")) {
    console.error("usage: npx tsx bench/eval-code-benchproctor.ts <django folder> [--bandit | --list] [--dist <built dist/>]");
    process.exit(2);
  }
  const { cases, unmapped } = readCases(root);
  const vulnerable = cases.filter((c) => c.vulnerable).length;
  console.log(
    `${cases.length} test files of mapped categories (${vulnerable} vulnerable, ${cases.length - vulnerable} safe) among tests 1-${LAST_TEST}; ${unmapped} of other categories not scored`,
  );
  if (rest.includes("--list")) {
    for (const c of cases) console.log(`${c.id} ${c.family} ${c.vulnerable ? "vulnerable" : "safe"}`);
    return;
  }
  const files = cases.map((c) => c.file);
  const header = "| tool | vulnerable files | safe files | true positives | false positives | precision | recall | other-family files flagged |";
  await runFileScoring(root, files, cases, rest, header);
}

await main();
