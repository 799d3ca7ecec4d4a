/**
 * Session 30 held-out set: the plaintext-secret test files of Microsoft's SARIF Pattern Matcher
 * (microsoft/sarif-pattern-matcher, the rules `SEC101/…` "Do not expose plaintext secrets"), never scored by a session.
 * Each rule has an input file of examples (`Src/Plugins/Tests.Security/TestData/SecurePlaintextSecrets/Inputs/`) and
 * the SARIF log its authors expect the scanner to write for it (`…/ExpectedOutputs/<same base name>.sarif`; the test
 * fails on any difference, so every line of an input without an expected result is one the authors say must not be
 * reported). Read from the fetched git directory at the pinned commit (`git show COMMIT:PATH`); nothing of it is
 * committed.
 *
 *   npx tsx bench/eval-secrets-patternmatcher.ts SARIF_PATTERN_MATCHER_GIT_DIR [--seen DIR ...] [--list] [--dist DIST]
 *
 * Units (eval-secrets-tally.ts, `LineFile`), each input scanned whole under its own base name (its extension decides
 * code or configuration, as for a user):
 * - a positive per distinct line range `[startLine, endLine]` of the expected results' locations in that input,
 *   grouped by the kind the input tests (its name: `SEC101_008.AwsCredentials.ps1` → `AwsCredentials`);
 * - every other non-blank line of the input is a negative, except lines that are only a comment (`#`, `//`, `<!--`):
 *   the authors' notes (`# These should not be matched`), left out and counted;
 * - a PEM private-key block with no expected result is left out (counted): the expected logs record the outcome of the
 *   scanner's key checks (`a valid …` key), not that no key is there;
 * - left out whole (counted): an input whose expected log has no result for it (a rule switched off in the test
 *   cannot be told from a file of negatives), and an expected log whose input is not in the commit.
 * A positive is found when a counted finding (every severity but `info`) lies on one of its lines; a negative line is
 * reported when one lies on it. A unit whose text is a verbatim copy of a seen corpus (`--seen` trees) is left out.
 */
import { spawnSync } from "node:child_process";
import { evaluateLineFiles, gitShowAt, type LineFile } from "./eval-secrets-tally.js";

export const PATTERN_MATCHER_COMMIT = "c61ea2668ee559ee5b607c27fcd7af78bd0e95cf";
export const PATTERN_MATCHER_DIR = "src/Plugins/Tests.Security/TestData/SecurePlaintextSecrets";

interface SarifLog {
  runs: Array<{
    results?: Array<{
      locations?: Array<{ physicalLocation?: { artifactLocation?: { uri?: string }; region?: { startLine?: number; endLine?: number } } }>;
    }>;
  }>;
}

/** A line that is only a comment (the authors' notes between examples). */
export const commentOnly = (line: string): boolean => /^\s*(#|\/\/|<!--)/.test(line);

const baseName = (p: string): string => p.slice(p.lastIndexOf("/") + 1);

/** The kind an input tests, from its name (`SEC101_008.AwsCredentials.ps1` → `AwsCredentials`). */
export const inputKind = (name: string): string => name.split(".")[1] ?? name;

/**
 * The 1-based line ranges of PEM private-key blocks (`-----BEGIN … PRIVATE KEY…-----` to its `-----END`). The expected
 * logs record the outcome of the scanner's key checks (`a valid …` key), so a block they leave out is not labelled
 * "no key here" by them: such blocks are left out, neither positive nor negative.
 */
export function privateKeyBlocks(lines: readonly string[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let start = 0;
  for (const [i, line] of lines.entries()) {
    if (/-----BEGIN [A-Z0-9 ]*PRIVATE KEY[A-Z ]*-----/.test(line)) start = i + 1;
    else if (start && /-----END [A-Z0-9 ]*PRIVATE KEY[A-Z ]*-----/.test(line)) {
      out.push([start, i + 1]);
      start = 0;
    }
  }
  return out;
}

/**
 * The labelled files: inputs and the expected logs' results that point at them. `leftOut` counts what the declared
 * rules leave out.
 */
export function patternMatcherFiles(
  inputs: ReadonlyArray<{ name: string; text: string }>,
  logs: ReadonlyArray<{ name: string; text: string }>,
): { files: LineFile[]; leftOut: Map<string, number> } {
  const leftOut = new Map<string, number>();
  const leave = (why: string, n = 1) => leftOut.set(why, (leftOut.get(why) ?? 0) + n);
  // Expected line ranges (`a-b`) per input base name.
  const blocks = new Map<string, Set<string>>();
  const inputNames = new Set(inputs.map((i) => i.name));
  for (const log of logs) {
    const sarif = JSON.parse(log.text) as SarifLog;
    let pointsAtInput = false;
    for (const run of sarif.runs) {
      for (const result of run.results ?? []) {
        for (const loc of result.locations ?? []) {
          const uri = loc.physicalLocation?.artifactLocation?.uri ?? "";
          const region = loc.physicalLocation?.region;
          if (!region?.startLine) throw new Error(`${log.name}: a result without a start line`);
          const input = baseName(uri);
          if (!inputNames.has(input)) continue;
          pointsAtInput = true;
          const at = blocks.get(input) ?? new Set<string>();
          blocks.set(input, at);
          at.add(`${region.startLine}-${region.endLine ?? region.startLine}`);
        }
      }
    }
    if (!pointsAtInput) leave("an expected log with no result on an input of the commit (its input is missing, or it has no result)");
  }
  const files: LineFile[] = [];
  for (const input of inputs) {
    const at = blocks.get(input.name);
    if (!at) {
      leave("an input with no expected result");
      continue;
    }
    const group = inputKind(input.name);
    const positives: Array<[number, number]> = [...at].map((k) => k.split("-").map(Number) as [number, number]);
    const inBlock = (n: number) => positives.some(([a, b]) => n >= a && n <= b);
    const excluded = new Set<number>();
    const lines = input.text.split("\n");
    for (const [a, b] of privateKeyBlocks(lines)) {
      if (inBlock(a)) continue;
      for (let n = a; n <= b; n++) excluded.add(n);
      leave("a PEM private-key block with no expected result (their key checks' outcome, not its absence)");
    }
    for (const [i, line] of lines.entries()) {
      const n = i + 1;
      if (line.trim() !== "" && commentOnly(line) && !inBlock(n) && !excluded.has(n)) {
        excluded.add(n);
        leave("a comment-only line (the authors' notes)");
      }
    }
    files.push({ group, name: input.name, text: input.text, positives, excluded });
  }
  return { files, leftOut };
}

/** The file names of a folder at the pinned commit. */
function listAt(gitDir: string, folder: string): string[] {
  const r = spawnSync("git", ["--git-dir", gitDir, "ls-tree", "--name-only", `${PATTERN_MATCHER_COMMIT}:${folder}`], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${gitDir}: git ls-tree ${folder}: ${r.stderr.trim()}`);
  return r.stdout.split("\n").filter((l) => l !== "");
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const gitDir = args[0];
  if (!gitDir || gitDir.startsWith("--")) {
    console.error("usage: npx tsx bench/eval-secrets-patternmatcher.ts SARIF_PATTERN_MATCHER_GIT_DIR [--seen DIR ...] [--list] [--dist DIST]");
    process.exit(2);
  }
  const read = (sub: string) =>
    listAt(gitDir, `${PATTERN_MATCHER_DIR}/${sub}`).map((name) => ({ name, text: gitShowAt(gitDir, PATTERN_MATCHER_COMMIT, `${PATTERN_MATCHER_DIR}/${sub}/${name}`) }));
  const { files, leftOut } = patternMatcherFiles(read("Inputs"), read("ExpectedOutputs"));
  for (const [why, n] of leftOut) console.log(`${n} left out: ${why}`);
  const cpu = process.cpuUsage();
  await evaluateLineFiles(files, args, "patternmatcher", "session-30 held-out set (SARIF Pattern Matcher plaintext-secret tests)");
  if (!args.includes("--list")) console.log(`${(process.cpuUsage(cpu).user / 1e6).toFixed(1)} s user CPU (seen-copy probe, scan and tally)`);
}

if (process.argv[1]?.endsWith("eval-secrets-patternmatcher.ts"))
  main().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
