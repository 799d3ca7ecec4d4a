/**
 * Precision/recall of `rampart scan code` (and Bandit) on SonarSource's sonar-python check test files,
 * labelled line by line by Sonar's authors: each expected issue is a `# Noncompliant` comment on its line
 * (`# Noncompliant@+1` / `@-2` relative, `@12` absolute).
 *
 *   npx tsx bench/eval-code-sonar.ts <sonar-python checkout> [--bandit | --list]
 *
 * The checkout is read at evaluation time; nothing of it is committed. The file → category mapping below
 * was written and committed (session 5) before Rampart or Bandit was run on any of these files, and is
 * not to be changed after looking at scores.
 *
 * Scoring, per (file, line, category), only in the mapped files (each is one rule's own test, written with
 * safe look-alikes next to the noncompliant lines):
 * - a line is vulnerable for the file's category when a `Noncompliant` marker points at it;
 * - every other code line of that file is safe for that category (blank and comment-only lines are not
 *   scored);
 * - every finding each tool prints by default counts (all severities, both tools); a finding on a
 *   vulnerable line of its category is a true positive, on a safe line of its category a false positive;
 *   findings of other categories are not scored (counted apart); a finding spanning several lines matches
 *   a label on any of them.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type Category, LINE_TABLE_HEADER, type LineLabels, scoreLines, scoreRampartAndBandit } from "./eval-code-categories.js";

const ROOT = "python-checks/src/test/resources/checks";

/** Test file (under ROOT) → the Rampart category its rule checks. */
const MAPPED: Record<string, Category> = {
  "torchLoadLeadsToUntrustedCodeExecution.py": "deser", // torch.load
  "bindToAllNetworkInterfaces.py": "debug", // bind to all interfaces
  "hotspots/debugMode/debugModeActivated.py": "debug", // debug features
  "hotspots/debugMode/settings.py": "debug",
  "hotspots/debugMode/global_settings.py": "debug",
  "hotspots/debugMode/graphql.py": "debug",
  "hotspots/sqlQuery.py": "sql", // formatted SQL
  "hotspots/sqlQueryNoDjango.py": "sql",
  "hardCodedCredentials.py": "cred", // hard-coded passwords
  "hardcodedCredentialsCall.py": "cred",
  "hotspots/hardcodedCredentialsEntropy.py": "cred", // hard-coded secrets
  "flaskHardCodedSecretKey.py": "cred", // Flask secret key
  "flaskHardCodedJWTSecretKey.py": "cred", // JWT secret key
  "verifiedSslTlsCertificateCheck.py": "tls", // certificate validation
  "hotspots/unverifiedHostname.py": "tls", // hostname verification
};
/*
 * Deliberately NOT mapped (decided with the list above, before any run):
 * - hardCodedCredentialsCustom.py, hotspots/hardcodedCredentialsEntropy_custom.py: labels for a
 *   non-default rule configuration;
 * - dbNoPassword*: an empty database password (CWE-521), not a hard-coded credential;
 * - execStatementUsage.py: the Python 2 `exec` statement as a code smell, not code from data;
 * - expandingArchive.py: decompression bombs (CWE-409), not path traversal;
 * - weakSSLProtocol*, robustCipherAlgorithm, cipherBlockChaining, hashing, hardcodedIP, csrf, cors, cookies,
 *   disabledHtmlAutoEscape, xml*, jwtVerification, pythonJoseVerification, ldapAuthentication: weaknesses
 *   Rampart does not claim.
 */

/** Lines that `# Noncompliant` markers point at (1-based). */
export function noncompliantLines(source: string): number[] {
  const out: number[] = [];
  source.split(/\r?\n/).forEach((line, i) => {
    const m = /#\s*Noncompliant(?:@([+-]?)(\d+))?/.exec(line);
    if (!m) return;
    const n = Number(m[2] ?? 0);
    out.push(m[2] === undefined ? i + 1 : m[1] === "+" ? i + 1 + n : m[1] === "-" ? i + 1 - n : n);
  });
  return out;
}

function readLabels(checkout: string): { labels: LineLabels; files: string[] } {
  const labels: LineLabels = new Map();
  const files: string[] = [];
  for (const [name, category] of Object.entries(MAPPED)) {
    const file = join(ROOT, name);
    const text = readFileSync(join(checkout, file), "utf8");
    const vulnerable = new Set(noncompliantLines(text));
    files.push(file);
    text.split(/\r?\n/).forEach((line, i) => {
      const t = line.trim();
      if (t === "" || t.startsWith("#")) return;
      labels.set(`${file}:${i + 1}:${category}`, vulnerable.has(i + 1));
    });
    for (const l of vulnerable) labels.set(`${file}:${l}:${category}`, true);
  }
  return { labels, files };
}

async function main(): Promise<void> {
  const [checkout, ...rest] = process.argv.slice(2);
  if (!checkout) {
    console.error("usage: npx tsx bench/eval-code-sonar.ts <sonar-python checkout> [--bandit | --list]");
    process.exit(2);
  }
  const { labels, files } = readLabels(checkout);
  const vulnerable = [...labels.values()].filter(Boolean).length;
  console.log(`${files.length} mapped test files, ${vulnerable} vulnerable lines, ${labels.size - vulnerable} safe code lines`);
  if (rest.includes("--list")) {
    for (const [k, v] of labels) if (v) console.log(`${k} vulnerable`);
    return;
  }
  for (const l of LINE_TABLE_HEADER) console.log(l);
  await scoreRampartAndBandit(checkout, files, rest, (tool, hits) => scoreLines(tool, hits, labels, (k) => k.replace(`${ROOT}/`, "")));
}

await main();
