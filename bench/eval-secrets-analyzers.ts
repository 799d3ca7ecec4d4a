/**
 * Secrets precision/recall on code analysers' own tests for hard-coded credentials (session 14):
 *
 * - SonarSource sonar-java and sonar-php: the sample files their rule tests verify with the **default**
 *   configuration (listed below). A comment `// Noncompliant` marks an expected issue on its own line,
 *   `// Noncompliant@+N` / `@-N` on the line N below / above; the verifier fails on any issue not
 *   marked, so every other line is, by the authors' test, not a hard-coded credential.
 * - securego/gosec `testutils/g101_samples.go`: the G101 (hard-coded credentials) samples, each a Go
 *   program with the number of issues gosec must report under its default configuration.
 *
 * Read from checkouts at evaluation time (source read as text, never built or run); nothing of them is
 * committed.
 *
 *   npx tsx bench/eval-secrets-analyzers.ts SONAR_JAVA SONAR_PHP GOSEC [--seen DIR ...] [--list]
 *
 * Units (fixed before the first run):
 * - Sonar: per line, as for the annotated sets. A positive is a marked line; every other non-blank line
 *   is a negative, except annotation-only lines (`// Noncompliant@+1`, `// ^^^^` issue-location marks).
 *   Each file is scanned whole under its own name (`.java`, `.php`: code).
 * - gosec: per sample. A sample with an expected count ≥ 1 is one positive block (all its lines: the
 *   count says how many issues, not where); a sample with count 0 has every non-blank line as a negative.
 *   Each sample is scanned as `main.go` (a sample of several files: their texts joined, see gosecFiles).
 * - hit: a positive is found when Rampart prints a counted finding (every severity except `info`) on one
 *   of its lines; a negative line is a false positive when a counted finding lies on it.
 * - units whose text occurs verbatim in a seen corpus (`--seen` trees) are left out and counted.
 */
import { readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { evaluateLineFiles, type LineFile } from "./eval-secrets-tally.js";

/**
 * Sonar sample files verified with the default configuration (from the rules' `*CheckTest.java`).
 * Left out: the `*Custom*` samples (tests with non-default credential words or randomness), S6437
 * "credentials passed to a sensitive call" (a literal given to a known API with no name: data flow, not a
 * kind Rampart claims), empty database passwords (the empty value is the finding), IP/URI rules.
 */
export const SONAR_JAVA_FILES = [
  "java-checks-test-sources/default/src/main/java/checks/HardCodedPasswordCheckSample.java",
  "java-checks-test-sources/default/src/main/files/non-compiling/checks/HardCodedPasswordCheckSample.java",
  "java-checks-test-sources/default/src/main/java/checks/HardCodedSecretCheckSample.java",
];
export const SONAR_PHP_FILES = [
  "php-checks/src/test/resources/checks/HardCodedCredentialsInVariablesAndUrisCheck.php",
  "php-checks/src/test/resources/checks/HardCodedSecretCheckAST.php",
  "php-checks/src/test/resources/checks/HardCodedSecretCheckSecrets.php",
];
/** The gosec sample lists of G101 (all run with `gosec.NewConfig()`, the default). */
export const GOSEC_FILE = "testutils/g101_samples.go";
const GOSEC_LISTS = ["SampleCodeG101", "SampleCodeG101Values"];

const NONCOMPLIANT = /(?:\/\/|#|\/\*)\s*Noncompliant(?:@([+-]?)(\d+))?/;
const ANNOTATION_ONLY = /^\s*(?:\/\/|#)\s*(?:Noncompliant|\^|secondary)/;

/** A Sonar sample file labelled by its `Noncompliant` comments. */
export function sonarFile(group: string, path: string, text: string): LineFile {
  const lines = text.split("\n");
  const marked = new Set<number>();
  const excluded = new Set<number>();
  lines.forEach((l, i) => {
    const m = NONCOMPLIANT.exec(l);
    if (m) {
      const n = !m[2] ? i + 1 : m[1] === "+" ? i + 1 + Number(m[2]) : m[1] === "-" ? i + 1 - Number(m[2]) : Number(m[2]);
      marked.add(n);
    }
    if (ANNOTATION_ONLY.test(l)) excluded.add(i + 1);
  });
  for (const n of marked) excluded.delete(n);
  const positives = [...marked].sort((a, b) => a - b).map((n): [number, number] => [n, n]);
  return { group, name: basename(path), text, positives, excluded };
}

/** The Go raw-string sources and expected counts of one `[]CodeSample{…}` list in gosec's samples file. */
export function gosecSamples(text: string, list: string): Array<{ sources: string[]; count: number }> {
  const start = text.indexOf(`${list} = []CodeSample{`);
  if (start < 0) throw new Error(`${GOSEC_FILE}: list ${list} not found`);
  const out: Array<{ sources: string[]; count: number }> = [];
  // A sample: {[]string{`…`, `…`}, N, gosec.NewConfig()} — raw strings hold no backtick.
  const SAMPLE = /\{\s*\[\]string\s*\{((?:\s*`[^`]*`\s*,?)+)\s*\}\s*,\s*(\d+)\s*,\s*gosec\.NewConfig\(\)\s*\}/gy;
  let at = start + list.length + " = []CodeSample{".length;
  for (;;) {
    while (/[\s,]/.test(text[at] ?? "")) at++;
    // Comments between samples.
    if (text.startsWith("//", at)) {
      at = text.indexOf("\n", at);
      continue;
    }
    SAMPLE.lastIndex = at;
    const m = SAMPLE.exec(text);
    if (!m) break;
    out.push({ sources: [...m[1]!.matchAll(/`([^`]*)`/g)].map((s) => s[1]!), count: Number(m[2]) });
    at = SAMPLE.lastIndex;
  }
  if (text[at] !== "}") throw new Error(`${GOSEC_FILE}: ${list}: unreadable sample at offset ${at}`);
  return out;
}

/**
 * gosec samples as labelled files, one per sample, scanned as `main.go`; a sample of several files is
 * scanned as their texts joined by a blank line (the detector reads lines, so this changes nothing it
 * sees). A positive sample is one block over all its lines.
 */
export function gosecFiles(text: string): LineFile[] {
  const out: LineFile[] = [];
  for (const list of GOSEC_LISTS)
    for (const s of gosecSamples(text, list)) {
      const src = s.sources.join("\n\n");
      out.push({ group: `gosec ${list}`, name: "main.go", text: src, positives: s.count > 0 ? [[1, src.split("\n").length]] : [], excluded: new Set() });
    }
  return out;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const [java, php, gosec] = args;
  if (!java || !php || !gosec || [java, php, gosec].some((a) => a.startsWith("--"))) {
    console.error("usage: npx tsx bench/eval-secrets-analyzers.ts SONAR_JAVA SONAR_PHP GOSEC [--seen DIR ...] [--list]");
    process.exit(2);
  }
  const files: LineFile[] = [
    ...SONAR_JAVA_FILES.map((p) => sonarFile("sonar-java", p, readFileSync(join(java, p), "utf8"))),
    ...SONAR_PHP_FILES.map((p) => sonarFile("sonar-php", p, readFileSync(join(php, p), "utf8"))),
    ...gosecFiles(readFileSync(join(gosec, GOSEC_FILE), "utf8")),
  ];
  await evaluateLineFiles(files, args, "analyzers", "analysers' credential rule tests");
}

if (process.argv[1]?.endsWith("eval-secrets-analyzers.ts"))
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
