/**
 * Session 31 held-out set: the labelled examples of pyWhat (bee-san/pyWhat, MIT), a tool that names what a string is,
 * never scored by a session. Its database `pywhat/Data/regex.json` lists about 140 kinds (provider tokens, webhooks,
 * private keys, passwords on command lines, and many kinds that are not secrets: identifiers, addresses, public keys,
 * personal data, timestamps); each kind holds `Examples.Valid` (strings its authors say are that kind) and some
 * `Examples.Invalid` (strings they say are not), and `tests/test_regex_identifier.py` checks every one of them. Read from
 * the fetched git directory at the pinned commit (`git show COMMIT:PATH`); nothing of it is committed.
 *
 *   npx tsx bench/eval-secrets-pywhat.ts PYWHAT_GIT_DIR [--seen DIR ...] [--list] [--dist DIST]
 *
 * Unit: one example string, scanned as its own file (`example.txt`); found (positive) or reported (negative) when the
 * scan has a counted finding (every severity but `info`). Labels come from the kind the authors name the string as
 * (`SECRET_KINDS`, `OUT_OF_SCOPE` below, fixed before the first run):
 * - a Valid example of a secret kind is a positive;
 * - an Invalid example of any kind, and a Valid example of a kind that is not a secret, is a negative, unless the same
 *   string is a Valid example of a secret kind (it stays a positive, once);
 * - Valid examples of the kinds in OUT_OF_SCOPE are left out (counted): the name calls them keys or credentials but the
 *   value is public by design, or a URL example carries a user name and password inside a kind that is not a secret.
 * A repeated string counts once. Units whose text is a verbatim copy of a seen corpus (`--seen` trees) are left out.
 */
import { gitDirArguments, gitShowAt, leaveOutSeenCopies, oneLine, tallyUnits } from "./eval-secrets-tally.js";

export const PYWHAT_COMMIT = "75a1592cbc4151acdaaeab78b71dd65ea9a9230e";
export const PYWHAT_FILE = "pywhat/Data/regex.json";

/** Kinds whose Valid examples are secrets: keys, tokens, webhook URLs with their token, passwords, private keys. */
export const SECRET_KINDS: ReadonlySet<string> = new Set([
  "PGP Private Key",
  "PEM-formatted Private Key",
  "Heroku API Key",
  "Slack API Key",
  "Slack Webhook",
  "Square Application Secret",
  "Square Access Token",
  "Stripe API Key",
  "GitHub Access Token",
  "Facebook Secret Key",
  "Twitter Secret API Key",
  "Node Package Manager (NPM) Token",
  "GitHub Personal Access Token",
  "GitHub OAuth Access Token",
  "GitHub App Token",
  "GitHub Refresh Token",
  "LinkedIn Secret Key",
  "Stripe Restricted API Token",
  "Stripe Standard API Token",
  "Square OAuth Token",
  "PayPal/Braintree Access Token",
  "MWS Auth Token",
  "Picatic API Key",
  "Google OAuth Access Key",
  "StackHawk API Key",
  "NuGet API Key",
  "SendGrid Token",
  "Zoho Webhook Token",
  "Zapier Webhook Token",
  "New Relic Admin API Key",
  "New Relic Insights API Key",
  "New Relic REST API Key",
  "New Relic Synthetics Location Key",
  "New Relic User API Key",
  "Microsoft Teams Webhook",
  "Google FCM Server Key",
  "Discord Webhook",
  "Guilded Webhook",
  "Cloudinary Credentials",
  "PyPI Upload Token",
  "Shopify Private App Access Token",
  "Shopify Custom App Access Token",
  "Shopify Access Token",
  "Shopify Shared Secret",
  "Dynatrace Token",
  "Time-Based One-Time Password (TOTP) URI",
  "SSHPass Clear Password Argument",
  "Mount Command With Clear Credentials",
  "CIFS Fstab Entry With Clear Credentials",
  "Google Cloud Platform API Key",
  "Mailchimp API Key",
  "Notion Integration Token",
  "Bitly Secret Key",
  "Visual Studio App Center API Token",
  "Discord Bot Token",
  "Slack Token",
  "Google API Key",
  "Google OAuth Token",
  "Mailgun API Key",
  "Twilio API Key",
  "Facebook App Token",
  "JSON Web Token (JWT)",
  "Amazon Web Services Access Key",
  "Amazon Web Services Secret Access Key",
  "Facebook Access Token",
  "Datadog API Key",
  "Datadog Application Key",
  "Key:Value Pair",
]);

/**
 * Valid examples left out: Google reCAPTCHA keys (the site key, same shape as the secret key, is public by design) and
 * Datadog client tokens (meant to ship in browser code). URL examples with `user:password@` are left out by rule in
 * pywhatUnits (the authors name them URLs, not credentials; a scanner reports the password).
 */
export const OUT_OF_SCOPE: ReadonlySet<string> = new Set(["Google ReCaptcha API Key", "Datadog Client Token"]);

interface PywhatKind {
  Name: string;
  Examples?: { Valid?: string[]; Invalid?: string[] };
}

export interface PywhatUnit {
  group: string;
  positive: boolean;
  text: string;
  /** The kind and side the string was first listed under. */
  what: string;
}

/** A URL whose authority carries a user name and a password. */
const urlWithPassword = (s: string): boolean => /^[a-z][a-z0-9+.-]*:\/\/[^/@\s]+:[^/@\s]+@/i.test(s);

/** The units of the database, and why examples were left out. */
export function pywhatUnits(kinds: readonly PywhatKind[]): { units: PywhatUnit[]; left: Map<string, number> } {
  const left = new Map<string, number>();
  const leave = (why: string) => left.set(why, (left.get(why) ?? 0) + 1);
  const secrets = new Set<string>();
  for (const k of kinds) if (SECRET_KINDS.has(k.Name)) for (const v of k.Examples?.Valid ?? []) secrets.add(v);
  const byText = new Map<string, PywhatUnit>();
  const add = (u: PywhatUnit) => {
    if (byText.has(u.text)) leave("a repeat of an earlier example");
    else byText.set(u.text, u);
  };
  for (const k of kinds) {
    const secret = SECRET_KINDS.has(k.Name);
    for (const v of k.Examples?.Valid ?? []) {
      if (secret) add({ group: `+ ${k.Name}`, positive: true, text: v, what: `${k.Name} (valid)` });
      else if (OUT_OF_SCOPE.has(k.Name)) leave(`out of scope: ${k.Name}`);
      else if (urlWithPassword(v)) leave("out of scope: a URL example with a user name and password");
      else if (secrets.has(v)) leave("a non-secret example that is also a secret kind's example");
      else add({ group: "- not a secret (valid examples of other kinds)", positive: false, text: v, what: `${k.Name} (valid)` });
    }
    for (const v of k.Examples?.Invalid ?? []) {
      if (secrets.has(v)) leave("an invalid example that is a secret kind's valid example");
      else add({ group: secret ? "- near misses of secret kinds (invalid)" : "- near misses of other kinds (invalid)", positive: false, text: v, what: `${k.Name} (invalid)` });
    }
  }
  return { units: [...byText.values()], left };
}

async function main(): Promise<void> {
  const { args, gitDir, dist } = gitDirArguments("npx tsx bench/eval-secrets-pywhat.ts PYWHAT_GIT_DIR [--seen DIR ...] [--list] [--dist DIST]");
  const kinds = JSON.parse(gitShowAt(gitDir, PYWHAT_COMMIT, PYWHAT_FILE)) as PywhatKind[];
  const { units: all, left } = pywhatUnits(kinds);
  for (const [why, n] of left) console.log(`${n} examples left out: ${why}`);
  const units = leaveOutSeenCopies(all, args);
  if (args.includes("--list")) {
    const groups = new Map<string, [number, number]>();
    for (const u of units) {
      const g = groups.get(u.group) ?? [0, 0];
      g[u.positive ? 0 : 1]++;
      groups.set(u.group, g);
    }
    for (const [g, [p, n]] of [...groups].sort()) console.log(`${g}: ${p} positive, ${n} negative`);
    console.log(`${units.filter((u) => u.positive).length} positive, ${units.filter((u) => !u.positive).length} negative`);
    return;
  }
  const cpu = process.cpuUsage();
  const tally = await tallyUnits(
    units.map((u) => ({ ...u, what: `${u.what}: ${oneLine(u.text)}` })),
    "example.txt",
    dist,
    "pywhat",
  );
  tally.print(`session-31 held-out set (pyWhat examples)${dist ? `, ${dist}` : ""}`);
  console.log(`${(process.cpuUsage(cpu).user / 1e6).toFixed(1)} s user CPU (scan and tally)`);
}

if (process.argv[1]?.endsWith("eval-secrets-pywhat.ts"))
  main().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
