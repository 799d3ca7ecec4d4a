/**
 * Secrets precision/recall on Titus' rule examples (praetorian-inc/titus `pkg/rule/rules/*.yml`, the Go
 * successor of Nosey Parker): each rule lists `examples` (texts that hold the secret) and some
 * `negative_examples`. Titus took many rules from Nosey Parker, and some examples also stand in
 * Kingfisher's or gitleaks' rules: all three are SEEN sets here, so any example whose text (without
 * surrounding blanks) occurs verbatim in their rule files is left out (counted and printed). Read from
 * checkouts at evaluation time; nothing of them is committed.
 *
 *   npx tsx bench/eval-secrets-titus.ts TITUS NOSEYPARKER KINGFISHER GITLEAKS [--list]
 *
 * Unit: one example text, scanned as its own file. A positive needs at least one Rampart finding printed
 * by default (every severity except `info`); a negative must give none. Labels are per rule: a negative of
 * one selected rule that is an example of another selected rule is not counted as a negative.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { oneLine, printCountsByFile, type RuleExampleCase, ruleExampleCases, scoreTextCases } from "./eval-secrets-tally.js";

/**
 * Titus rules of kinds Rampart claims, by file and rule name; fixed (commit of this file) before the
 * first run, by the criteria of the Nosey Parker and Kingfisher harnesses. Left out: identifiers (AWS
 * account ids, buckets, ARNs, storage account names, Google/GitHub client ids, GCP private key ids,
 * Azure Cognitive Services hosts), kinds Rampart does not claim (AWS session and MWS tokens, AppSync,
 * Azure App Configuration, DevOps and API Management keys, Google `ya29.` access tokens and
 * base64-wrapped API keys, GitHub OAuth-app secrets, MongoDB Atlas API keys and service-account tokens,
 * Kubernetes bootstrap tokens, base64-wrapped PEM, PsExec command lines, Redis client debug output),
 * and the .NET-specific credential forms.
 */
export const SELECTED: Record<string, RegExp> = {
  "anthropic.yml": /^Anthropic API Key$/,
  "aws.yml": /^(AWS API Key|AWS Secret Access Key|AWS API Credentials)$/,
  "azure.yml": /^Azure Connection String$/,
  "azurestorage.yml": /^Azure Storage Account Key$/,
  "credentials.yml": /./,
  "curl.yml": /./,
  "databricks.yml": /^Databricks Personal Access Token$/,
  "django.yml": /./,
  "docker.yml": /^Docker Registry Credentials/,
  "generic.yml": /^(Generic Secret|Generic API Key|Generic Username and Password|Generic Password)$/,
  "github.yml": /^GitHub (Personal Access Token|OAuth Access Token|App Token|Refresh Token|Personal Access Token \(fine-grained permissions\))$/,
  "gitlab.yml": /./,
  "gcp.yml": /^GCP API Token$/,
  "google.yml": /^(Google OAuth Client Secret|Google OAuth Credentials|Google API Key|Google Maps API Key)$/,
  "huggingface.yml": /./,
  "http.yml": /./,
  "jdbc.yml": /./,
  "jwt.yml": /./,
  "mongo.yml": /./,
  "mongodb.yml": /^MongoDB URI Connection String$/,
  "mysql.yml": /./,
  "netrc.yml": /./,
  "npm.yml": /./,
  "odbc.yml": /./,
  "openai.yml": /./,
  "pem.yml": /^PEM-Encoded Private Key$/,
  "postgres.yml": /./,
  "privkey.yml": /./,
  "pypi.yml": /./,
  "rabbitmq.yml": /./,
  "redis.yml": /^Redis URI Connection String$/,
  "sendgrid.yml": /./,
  "slack.yml": /./,
  "stripe.yml": /./,
  "twilio.yml": /^Twilio API Key$/,
  "uri.yml": /./,
  "weightsandbiases.yml": /./,
};

export type TitusCase = RuleExampleCase;

/** The rule files of the seen sets Titus' examples may have been copied from, as one text. */
function seenText(noseyparker: string, kingfisher: string, gitleaks: string): string {
  const dir = (d: string) => readdirSync(d).map((f) => readFileSync(join(d, f), "utf8"));
  return [
    ...dir(join(noseyparker, "crates/noseyparker/data/default/builtin/rules")),
    ...dir(join(kingfisher, "data/rules")),
    ...dir(join(gitleaks, "cmd/generate/config/rules")),
  ].join("\n");
}

export function titusCases(checkout: string, seen: string): { cases: TitusCase[]; copies: number } {
  return ruleExampleCases(join(checkout, "pkg/rule/rules"), SELECTED, seen);
}

async function main(): Promise<void> {
  const [checkout, noseyparker, kingfisher, gitleaks] = process.argv.slice(2).filter((a) => !a.startsWith("--"));
  if (!checkout || !noseyparker || !kingfisher || !gitleaks) {
    console.error("usage: npx tsx bench/eval-secrets-titus.ts TITUS NOSEYPARKER KINGFISHER GITLEAKS [--list]");
    process.exit(2);
  }
  const { cases, copies } = titusCases(checkout, seenText(noseyparker, kingfisher, gitleaks));
  if (process.argv.includes("--list")) {
    printCountsByFile(cases);
    console.log(`${cases.filter((c) => c.positive).length} positive, ${cases.filter((c) => !c.positive).length} negative; left out as copies of seen examples: ${copies}`);
    return;
  }
  const tally = await scoreTextCases(
    cases.map((c) => ({ group: c.file.replace(/\.ya?ml$/, ""), positive: c.positive, text: `${c.text}\n`, what: `${c.rule}: ${oneLine(c.text)}` })),
    "titus",
  );
  tally.print("Titus rule file", `; ${copies} copies of seen examples left out`);
}

if (process.argv[1]?.endsWith("eval-secrets-titus.ts"))
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
