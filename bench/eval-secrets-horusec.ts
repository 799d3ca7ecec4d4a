/**
 * Secrets precision/recall on ZupIT/horusec's leaks-engine rule tests (`internal/services/engines/leaks/`):
 * `samples.go` holds, for each rule HS-LEAKS-n, a vulnerable sample and a safe sample (Go raw strings);
 * `rules_test.go` states the line of every finding horusec must report in the vulnerable sample and none
 * in the safe one. The labels sit on the line of the literal itself. Read from a checkout at evaluation
 * time (Go source parsed as text, never built or run); nothing of it is committed.
 *
 *   npx tsx bench/eval-secrets-horusec.ts HORUSEC_CHECKOUT [--seen DIR ...] [--list]
 *
 * Units (declared before the first run, as in eval-secrets-trivy.ts): each sample is scanned whole under
 * the file name horusec's test gives it (`HS-LEAKS-n.test`); a positive is an expected finding's line of
 * a rule Rampart claims, found when Rampart prints a finding (every severity except `info`) on it; every
 * other non-blank line of both samples is a negative, a false positive when Rampart prints a finding on it.
 * Expected lines of unclaimed rules are neither.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { evaluateLineFiles, type LineFile } from "./eval-secrets-tally.js";

/**
 * Rules whose expected findings are not credentials, fixed before the first run: the three client-ID
 * rules (Facebook HS-LEAKS-5, Twitter HS-LEAKS-7, LinkedIn HS-LEAKS-9). A client id is a public
 * identifier sent in clear in every OAuth redirect; it authenticates nothing without its secret.
 * Every other rule (provider keys, hard-coded credentials and passwords, URL passwords, wp-config) counts.
 */
export const UNCLAIMED = new Set(["HS-LEAKS-5", "HS-LEAKS-7", "HS-LEAKS-9"]);

/** Every `SampleXxx = \`…\`` raw string of samples.go, by constant name. */
function samples(go: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of go.matchAll(/\b(Sample\w+)\s*=\s*`([^`]*)`/g)) out.set(m[1]!, m[2]!);
  return out;
}

export function horusecFiles(checkout: string): LineFile[] {
  const dir = join(checkout, "internal/services/engines/leaks");
  const src = samples(readFileSync(join(dir, "samples.go"), "utf8"));
  const test = readFileSync(join(dir, "rules_test.go"), "utf8");
  const out: LineFile[] = [];
  // Each test case: `Name: "HS-LEAKS-n", … Src: SampleXxx, … Findings: […]` up to the next `Name:`.
  for (const c of test.split(/\n\t\t\{\n\t\t\tName:/).slice(1)) {
    const name = /^\s*"([^"]+)"/.exec(c)?.[1];
    const sample = /Src:\s*(Sample\w+)/.exec(c)?.[1];
    if (!name || !sample) continue;
    const text = src.get(sample);
    if (text === undefined) throw new Error(`horusec harness: no sample ${sample}`);
    const lines = [...c.matchAll(/\bLine:\s*(\d+)/g)].map((m) => Number(m[1]));
    const f: LineFile = { group: sample.startsWith("SampleSafe") ? "safe samples" : "vulnerable samples", name: `${name}.test`, text, positives: [], excluded: new Set() };
    for (const n of lines) {
      if (UNCLAIMED.has(name)) f.excluded.add(n);
      else f.positives.push([n, n]);
    }
    out.push(f);
  }
  return out;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const checkout = args[0];
  if (!checkout || checkout.startsWith("--")) {
    console.error("usage: npx tsx bench/eval-secrets-horusec.ts HORUSEC_CHECKOUT [--seen DIR ...] [--list]");
    process.exit(2);
  }
  const files = horusecFiles(checkout);
  await evaluateLineFiles(files, args, "horusec", "horusec leaks rule test");
}

if (process.argv[1]?.endsWith("eval-secrets-horusec.ts"))
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
