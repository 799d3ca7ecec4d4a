/**
 * Secrets precision/recall on semgrep-rules' secrets test fixtures (semgrep/semgrep-rules
 * `generic/secrets/security/`): each fixture file annotates its cases with a comment line
 * `# ruleid: RULE` (the next lines hold a secret) or `# ok: RULE` (they do not); `todoruleid` /
 * `todook` are the authors' labels for cases their own rule gets wrong, and count as ruleid / ok.
 * Semgrep's `generic/secrets/gitleaks/` folder is a port of gitleaks' rules (a SEEN set) and is not
 * used. Read from a checkout at evaluation time; nothing of it is committed.
 *
 *   npx tsx bench/eval-secrets-semgrep.ts SEMGREP_RULES_CHECKOUT [--seen DIR ...] [--list]
 *
 * Unit: the lines after one annotation, up to a blank line or the next annotation, scanned as their
 * own file. A positive needs at least one finding Rampart prints by default (every severity except the
 * `info` file notices); a negative must give none. Cases whose text occurs verbatim in a seen corpus
 * (the `--seen` trees) are left out and counted.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { listOrScore, withoutSeenCopies } from "./eval-secrets-tally.js";

/**
 * Fixture files of kinds Rampart claims (fixed, commit of this file, before the first run). Left out:
 * identifiers (AWS account ids, Google OAuth client ids), kinds Rampart does not claim (AWS session
 * tokens, AppSync, MWS, Artifactory, Code Climate, Facebook, Google `ya29.` access tokens, Heroku,
 * HockeyApp, Kolide, Mailchimp, Mailgun, Onfido, Outlook webhooks, PayPal/Braintree, Picatic, Sauce,
 * Snyk, SoftLayer, SonarQube, Square, Telegram, Google Maps key-leak pages), and password hashes
 * (`/etc/shadow` lines, bcrypt hashes: not credentials in Rampart's sense).
 */
export const CLAIMED = new Set([
  "detected-aws-access-key-id-value.txt",
  "detected-aws-secret-access-key.txt",
  "detected-generic-api-key.txt",
  "detected-generic-secret.txt",
  "detected-github-token.txt",
  "detected-google-api-key.txt",
  "detected-google-cloud-api-key.txt",
  "detected-jwt-token.txt",
  "detected-npm-registry-auth-token.npmrc",
  "detected-pgp-private-key-block.txt",
  "detected-private-key.txt",
  "detected-sendgrid-api-key.txt",
  "detected-slack-token.txt",
  "detected-slack-webhook.txt",
  "detected-ssh-password.txt",
  "detected-stripe-api-key.txt",
  "detected-stripe-restricted-api-key.txt",
  "detected-twilio-api-key.txt",
  "detected-username-and-password-in-uri.txt",
]);

const ANNOTATION = /^\s*(?:#|\/\/|<!--|\/\*)\s*(todoruleid|ruleid|todook|ok)\s*:\s*[\w.-]+/;

export interface SemgrepCase {
  file: string;
  text: string;
  positive: boolean;
}

export function semgrepCases(checkout: string): SemgrepCase[] {
  const dir = join(checkout, "generic/secrets/security");
  const out: SemgrepCase[] = [];
  for (const file of readdirSync(dir).sort()) {
    if (!CLAIMED.has(file)) continue;
    const lines = readFileSync(join(dir, file), "utf8").split("\n");
    for (let i = 0; i < lines.length; i++) {
      const a = ANNOTATION.exec(lines[i]!);
      if (!a) continue;
      const body: string[] = [];
      for (let j = i + 1; j < lines.length && lines[j]!.trim() !== "" && !ANNOTATION.test(lines[j]!); j++) body.push(lines[j]!);
      if (body.length) out.push({ file, text: body.join("\n"), positive: a[1]!.endsWith("ruleid") });
    }
  }
  return out;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const checkout = args[0];
  if (!checkout || checkout.startsWith("--")) {
    console.error("usage: npx tsx bench/eval-secrets-semgrep.ts SEMGREP_RULES_CHECKOUT [--seen DIR ...] [--list]");
    process.exit(2);
  }
  const all = semgrepCases(checkout);
  const { cases, seenDirs } = withoutSeenCopies(all, args);
  console.log(`${all.length - cases.length} cases left out as verbatim copies of seen corpora (${seenDirs.length} trees searched)`);
  await listOrScore(cases, args, "semgrep", "semgrep-rules secrets fixture");
}

if (process.argv[1]?.endsWith("eval-secrets-semgrep.ts"))
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
