/**
 * Secrets precision/recall on Nosey Parker's rule examples: each rule in
 * `crates/noseyparker/data/default/builtin/rules/*.yml` lists `examples` (texts that hold the secret)
 * and `negative_examples` (texts that do not). Read from a noseyparker checkout at evaluation time;
 * nothing of it is committed.
 *
 *   npx tsx bench/eval-secrets-noseyparker.ts NOSEYPARKER_CHECKOUT
 *
 * An example is a positive: Rampart must report at least one finding printed by default (every severity but info). A negative
 * example must give none. As with gitleaks, labels are per rule: a negative of one rule that is an
 * example of another selected rule is not counted as a negative.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { oneLine, printCountsByFile, scoreTextCases } from "./eval-secrets-tally.js";

/**
 * Rules for the credential kinds Rampart claims, by file and rule name, fixed before the first run.
 * Left out: identifiers (account ids, client ids, buckets, ARNs), kinds Rampart does not claim (AWS
 * session tokens, MWS, AppSync, Azure DevOps and App Configuration, Google `ya29.` access tokens,
 * GitHub OAuth-app secrets, base64-wrapped PEM, .NET-specific credential forms, GitHub Actions
 * publishing steps).
 */
export const SELECTED: Record<string, RegExp> = {
  anthropic: /^Anthropic API Key$/,
  aws: /^(AWS API Key|AWS Secret Access Key|AWS API Credentials)$/,
  azure: /^Azure Connection String$/,
  databricks: /./,
  generic: /^(Generic Secret|Generic API Key|Generic Password|Generic Username and Password)$/,
  github: /^GitHub (Personal Access Token|OAuth Access Token|App Token|Refresh Token|Personal Access Token \(fine-grained permissions\))$/,
  gitlab: /./,
  google: /^(Google OAuth Client Secret|Google API Key|Google OAuth Credentials)$/,
  huggingface: /./,
  jwt: /./,
  mongo: /./,
  npm: /./,
  openai: /./,
  pem: /^PEM-Encoded Private Key$/,
  postgres: /./,
  pypi: /^PyPI Upload Token$/,
  sendgrid: /./,
  slack: /./,
  stripe: /./,
  twilio: /./,
};

interface Rule {
  name: string;
  examples?: string[];
  negative_examples?: string[];
}

export function noseyCases(checkout: string): Array<{ file: string; rule: string; text: string; positive: boolean }> {
  const out: Array<{ file: string; rule: string; text: string; positive: boolean }> = [];
  for (const [file, select] of Object.entries(SELECTED)) {
    const doc = parse(readFileSync(join(checkout, "crates/noseyparker/data/default/builtin/rules", `${file}.yml`), "utf8")) as { rules: Rule[] };
    const rules = doc.rules.filter((r) => select.test(r.name));
    const positives = new Set(rules.flatMap((r) => r.examples ?? []));
    for (const r of rules) {
      for (const text of r.examples ?? []) out.push({ file, rule: r.name, text, positive: true });
      for (const text of r.negative_examples ?? []) if (!positives.has(text)) out.push({ file, rule: r.name, text, positive: false });
    }
  }
  return out;
}

async function main(): Promise<void> {
  const checkout = process.argv[2];
  if (!checkout) {
    console.error("usage: npx tsx bench/eval-secrets-noseyparker.ts NOSEYPARKER_CHECKOUT [--list]");
    process.exit(2);
  }
  const cases = noseyCases(checkout);
  if (process.argv.includes("--list")) {
    printCountsByFile(cases);
    return;
  }
  const tally = await scoreTextCases(
    cases.map((c) => ({ group: c.file, positive: c.positive, text: `${c.text}\n`, what: `${c.rule}: ${oneLine(c.text)}` })),
    "noseyparker",
  );
  tally.print("Nosey Parker rule file");
}

if (process.argv[1]?.endsWith("eval-secrets-noseyparker.ts"))
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
