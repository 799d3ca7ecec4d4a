/**
 * Session 18's held-out set: trufflehog detector pattern tests of the credential kinds Rampart has claimed since
 * session 3, whose detectors were never scored (session 3 scored the 30 detectors of `DETECTORS` in
 * eval-secrets-trufflehog.ts; those stay seen). Each `Test*_Pattern` case is an input text and the secrets
 * trufflehog's authors expect from it (`want`); read from a trufflehog checkout at evaluation time, nothing of it
 * is committed.
 *
 *   npx tsx bench/eval-secrets-s18.ts TRUFFLEHOG_CHECKOUT [--seen DIR ...] [--list]
 *
 * Unit: one case's text, scanned alone as `case-<n>.txt`. Positive when `want` is non-empty, negative when it is
 * empty or nil. The same text twice is one unit; a text labelled both ways is left out; a text whose longest line
 * occurs verbatim in a seen corpus (`--seen` trees, plus the session-3 detectors' folders of this checkout) is
 * left out. A positive is found when Rampart prints a counted finding (every severity except `info`); a
 * negative is a false positive when it prints one.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { listOrScore, withoutSeenCopies } from "./eval-secrets-tally.js";
import { casesOf, DETECTORS as SCORED_IN_SESSION_3 } from "./eval-secrets-trufflehog.js";

/**
 * Detector folders of the kinds Rampart claims, fixed in the declaration commit before any score. Left out
 * (another credential kind, or a format no Rampart rule names): `digitaloceantoken`, `dockerhub/v1`,
 * `heroku/v1`, `sentrytoken/v1` (unprefixed legacy keys found by a keyword plus a UUID or hex run),
 * `atlassian/v2` (organisation admin keys, `ATCTT3…`), `ldap` (a URI paired with a password variable),
 * `gcpapplicationdefaultcredentials`, `github_oauth2`, `githubapp`, `gitlaboauth2` (OAuth client pairs), and
 * every kind without a Rampart rule.
 */
export const S18_DETECTORS = [
  "atlassian/v1",
  "deno",
  "digitaloceanv2",
  "docker",
  "dockerhub/v2",
  "doppler",
  "ftp",
  "googlegemini",
  "grafana",
  "grafanaserviceaccount",
  "hashicorpvault",
  "heroku/v2",
  "linearapi",
  "newrelicpersonalapikey",
  "notion",
  "openrouter",
  "postman",
  "pulumi",
  "rubygems",
  "sentryorgtoken",
  "sentrytoken/v2",
  "shopify",
  "square",
  "squareapp",
  "supabasetoken",
  "uri",
  "xai",
];

function testFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...testFiles(p));
    else if (name.endsWith("_test.go") && !name.includes("integration")) out.push(p);
  }
  return out;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const checkout = args[0];
  if (!checkout || checkout.startsWith("--") || !existsSync(join(checkout, "pkg/detectors"))) {
    console.error("usage: npx tsx bench/eval-secrets-s18.ts TRUFFLEHOG_CHECKOUT [--seen DIR ...] [--list]");
    process.exit(2);
  }
  const all: { file: string; positive: boolean; text: string }[] = [];
  let skipped = 0;
  for (const d of S18_DETECTORS) {
    for (const f of testFiles(join(checkout, "pkg/detectors", d))) {
      const r = casesOf(readFileSync(f, "utf8"), d, f);
      for (const c of r.cases) all.push({ file: d, positive: c.positive, text: c.input });
      skipped += r.skipped;
    }
  }
  // One unit per distinct text; a text labelled both ways (two detectors disagree) is left out.
  const labels = new Map<string, Set<boolean>>();
  for (const c of all) labels.set(c.text, (labels.get(c.text) ?? new Set()).add(c.positive));
  const seenText = new Set<string>();
  const unique = all.filter((c) => c.text.trim() !== "" && labels.get(c.text)!.size === 1 && !seenText.has(c.text) && seenText.add(c.text));
  const both = [...labels.values()].filter((l) => l.size === 2).length;
  const scoredBefore = SCORED_IN_SESSION_3.map((d) => join(checkout, "pkg/detectors", d));
  const seenArgs = args.includes("--seen") ? args : [...args, "--seen"];
  const { cases, seenDirs } = withoutSeenCopies(unique, [...seenArgs, ...scoredBefore]);
  console.log(
    `${skipped} cases not evaluable, ${both} texts labelled both ways and ${all.length - unique.length} repeats or empty texts left out, ${unique.length - cases.length} left out as verbatim copies of seen corpora (${seenDirs.length} trees searched)`,
  );
  await listOrScore(cases, args, "s18", "trufflehog detector (session 18)");
}

if (process.argv[1]?.endsWith("eval-secrets-s18.ts"))
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
