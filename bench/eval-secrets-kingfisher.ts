/**
 * Secrets precision/recall on Kingfisher's rule examples (mongodb/kingfisher `data/rules/*.yml`):
 * each rule lists `examples` (texts that hold the secret) and some `negative_examples`. Kingfisher
 * began as a fork of Nosey Parker and many of its examples are copies, and some come from gitleaks:
 * both are SEEN sets here, so any example whose text occurs verbatim in Nosey Parker's rule files or in
 * gitleaks' rule sources is left out (counted and printed). Read from checkouts at evaluation time;
 * nothing of them is committed.
 *
 *   npx tsx bench/eval-secrets-kingfisher.ts KINGFISHER_CHECKOUT NOSEYPARKER_CHECKOUT GITLEAKS_CHECKOUT [--list]
 *
 * Unit: one example text, scanned as its own file. A positive needs at least one Rampart finding printed
 * by default (every severity except `info`); a negative must give none. Labels are per rule: a negative of one selected rule
 * that is an example of another selected rule is not counted as a negative.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { oneLine, printCountsByFile, type RuleExampleCase, ruleExampleCases, scoreTextCases } from "./eval-secrets-tally.js";

/**
 * Kingfisher rules of kinds Rampart claims, by file and rule name; fixed (commit of this file) before
 * the first run. Left out: identifiers (AWS/Twilio/Google/GitHub client or account ids, storage account
 * names, Databricks domains, GCP private key ids), kinds Rampart does not claim (AWS session tokens,
 * Azure App Configuration and DevOps tokens, Google `ya29.` access tokens, GitHub OAuth-app secrets,
 * MongoDB Atlas API keys and service-account tokens, base64-wrapped PEM, whole GCP service-account JSON
 * objects), and the "Weak Password Pattern" rule (bare dictionary words with no credential context).
 */
export const SELECTED: Record<string, RegExp> = {
  "anthropic.yml": /^Anthropic API Key$/,
  "aws.yml": /^(AWS Access Key ID|AWS Secret Access Key)$/,
  "azure.yml": /^Azure Connection String$/,
  "azurestorage.yml": /^Azure Storage Account Key$/,
  "credentials.yml": /./,
  "databricks.yml": /^Databricks API [Tt]oken$/,
  "ftp.yml": /./,
  "generic.yml": /^(Generic Secret|Generic API Key|Generic Username and Password|Generic Password)$/,
  "github.yml": /^GitHub (Personal Access Token|OAuth Access Token|App Token|Refresh Token|Personal Access Token \(fine-grained permissions\))$/,
  "gitlab.yml": /./,
  "google.yml": /^(Google OAuth Client Secret|Google OAuth Credentials)$/,
  "huggingface.yml": /./,
  "jwt.yml": /./,
  "mongodb.yml": /^MongoDB URI Connection String$/,
  "mysql.yaml": /./,
  "netrc.yml": /./,
  "npm.yml": /./,
  "odbc.yml": /./,
  "openai.yml": /./,
  "pem.yml": /^PEM-Encoded Private Key$/,
  "postgres.yml": /./,
  "privkey.yml": /./,
  "pypi.yml": /./,
  "rabbitmq.yml": /./,
  "sendgrid.yml": /./,
  "slack.yml": /./,
  "stripe.yml": /./,
  "twilio.yml": /^Twilio API Key$/,
  "uri.yml": /./,
  "weightsandbiases.yml": /./,
};

export type KingfisherCase = RuleExampleCase;

function seenText(noseyparker: string, gitleaks: string): string {
  const dir = (d: string) => readdirSync(d).map((f) => readFileSync(join(d, f), "utf8"));
  return [...dir(join(noseyparker, "crates/noseyparker/data/default/builtin/rules")), ...dir(join(gitleaks, "cmd/generate/config/rules"))].join("\n");
}

export function kingfisherCases(checkout: string, noseyparker: string, gitleaks: string): { cases: KingfisherCase[]; copies: number } {
  const seen = seenText(noseyparker, gitleaks);
  return ruleExampleCases(join(checkout, "data/rules"), SELECTED, seen);
}

async function main(): Promise<void> {
  const [checkout, noseyparker, gitleaks] = process.argv.slice(2).filter((a) => !a.startsWith("--"));
  if (!checkout || !noseyparker || !gitleaks) {
    console.error("usage: npx tsx bench/eval-secrets-kingfisher.ts KINGFISHER_CHECKOUT NOSEYPARKER_CHECKOUT GITLEAKS_CHECKOUT [--list]");
    process.exit(2);
  }
  const { cases, copies } = kingfisherCases(checkout, noseyparker, gitleaks);
  if (process.argv.includes("--list")) {
    printCountsByFile(cases);
    console.log(`left out as copies of seen examples: ${copies}`);
    return;
  }
  const tally = await scoreTextCases(
    cases.map((c) => ({ group: c.file.replace(/\.ya?ml$/, ""), positive: c.positive, text: `${c.text}\n`, what: `${c.rule}: ${oneLine(c.text)}` })),
    "kingfisher",
  );
  tally.print("Kingfisher rule file", `; ${copies} copies of seen examples left out`);
}

if (process.argv[1]?.endsWith("eval-secrets-kingfisher.ts"))
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
