/**
 * Secrets precision/recall on CredSweeper's test samples (Samsung/CredSweeper `tests/samples/`),
 * labelled by CredSweeper's own expected results (`tests/data/*.json`, reviewed by its maintainers
 * in every change). Read from a checkout at evaluation time; nothing of CredSweeper is committed.
 *
 *   npx tsx bench/eval-secrets-credsweeper.ts CREDSWEEPER_CHECKOUT [--list]
 *
 * Unit: one CredSweeper candidate (a credential on one line, or on several: a PEM block, an id/secret
 * pair), identified by its set of lines; candidates of several rules on the same lines are one unit.
 * - Positive: a candidate that `tests/data/output.json` (CredSweeper's default run: rules, filters and
 *   its ML validation) reports for a rule of a kind Rampart claims (SELECTED below).
 * - Negative: a candidate that `tests/data/no_filters_no_ml.json` (every regex candidate, before
 *   filters and ML) has for a SELECTED rule, none of whose lines the default run reports for ANY rule
 *   — a candidate CredSweeper's maintainers judged not to be a credential.
 * - Rampart scans the samples folder as a user would (`scanSecrets(dir)`); findings printed by default (every
 *   severity but `info`) count. A finding on any line of a positive unit makes it a true positive, on a negative unit a
 *   false positive; findings on other lines are not scored (counted and listed separately: the labels cover only what
 *   CredSweeper's rules look at).
 * - A finding "is on" a labelled line when it has the same line number or the same line text (trimmed,
 *   and without a diff's leading `+`/`-`): CredSweeper numbers lines of `.patch` files in the patched
 *   file, Rampart in the patch itself.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { scanSecrets } from "../src/scan/secrets/index.js";
import { counted } from "./eval-secrets-tally.js";

/**
 * CredSweeper rule names of kinds Rampart claims, by group; fixed (commit of this file) before the
 * first run. Left out, with reasons:
 * - providers Rampart does not claim: 1Password, Akamai, Alibaba, Atlassian, Bitbucket, Brevo, Clojars,
 *   CloudFlare, DeepSeek, Defined Networking, Digital Ocean, Discord, Docker, Doppler, Dropbox,
 *   Dynatrace, Facebook/Instagram, Figma, Grafana, Groq, Hashicorp, Heroku, Jfrog, Jira, LLAMA, Linear,
 *   MailChimp, MailGun, NKEY, Netlify, NewRelic, Notion, NuGet, PayPal, Perplexity, Picatic,
 *   PlanetScale, PostHog, Postman, RubyGems, Salesforce, Sentry, Shopify, SonarQube, Square, Supabase,
 *   Tavily, Telegram, Together, Vercel, WunderGraph, X AI, X bearer, Age keys, AWS MWS, AWS AppSync,
 *   Google OAuth access/refresh tokens (`ya29.`, `1//`), OTP seeds;
 * - identifiers and non-secrets: UUID, Nonce, Salt, AWS S3 Bucket, Firebase Domain, WeChat App ID;
 * - forms Rampart does not claim: command-line passwords (`CMD *`, `CURL *`), `Authorization: Basic/
 *   Bearer` headers, NTLM, base64-wrapped PEM (`BASE64 Private Key`, `BASE64 encoded PEM Private Key`),
 *   JSON Web Keys, passwords inside SQL statements (`SQL Password`).
 */
export const SELECTED: Record<string, readonly string[]> = {
  aws: ["AWS Client ID", "AWS Multi", "Amazon Bedrock API Key"],
  azure: ["Azure Secret Value", "Azure Storage Account Key"],
  github: ["Github App Installation Token", "Github Classic Token", "Github Fine-granted Token"],
  gitlab: ["Gitlab Prefix Token"],
  google: ["Google API Key", "Google Multi", "Google OAuth Secret"],
  "llm providers": ["Anthropic API Key", "OpenAI Token", "Hugging Face User Access Token"],
  "other providers": ["Databricks Access Token", "NPM Token", "PyPi API Token", "SendGrid API Key", "Slack Token", "Slack Webhook", "Stripe Credentials", "Twilio Credentials"],
  "private key": ["PEM Private Key"],
  jwt: ["JSON Web Token", "Azure Access Token"],
  generic: ["Password", "Secret", "Token", "Key", "API", "Auth", "Credential", "URL Credentials"],
};

interface LineData {
  line: string;
  line_num: number;
  path: string;
}
interface Candidate {
  rule: string;
  line_data_list: LineData[];
}

const groupOf = new Map(Object.entries(SELECTED).flatMap(([g, rules]) => rules.map((r) => [r, g] as const)));
const norm = (s: string) =>
  s
    .trim()
    .replace(/^[+-]\s*/, "")
    .trim();
const rel = (p: string) => p.replace(/^\.\/tests\/samples\//, "");

export interface LabelledUnit {
  file: string;
  lines: Array<{ line: number; text: string }>;
  group: string;
  positive: boolean;
  rules: Set<string>;
}

export function credSweeperLabels(checkout: string): LabelledUnit[] {
  const read = (f: string) => JSON.parse(readFileSync(join(checkout, "tests/data", f), "utf8")) as Candidate[];
  const key = (d: LineData) => `${rel(d.path)}:${d.line_num}`;
  const reported = new Set(read("output.json").flatMap((c) => c.line_data_list.map(key)));
  const out = new Map<string, LabelledUnit>();
  const add = (c: Candidate, positive: boolean) => {
    const group = groupOf.get(c.rule);
    if (!group) return;
    if (!positive && c.line_data_list.some((d) => reported.has(key(d)))) return;
    const uniq = [...new Map(c.line_data_list.map((d) => [key(d), d])).values()].sort((a, b) => a.line_num - b.line_num);
    const k = uniq.map(key).join(",");
    const prev = out.get(k);
    if (prev) {
      prev.rules.add(c.rule);
      return;
    }
    out.set(k, { file: rel(uniq[0]!.path), lines: uniq.map((d) => ({ line: d.line_num, text: norm(d.line) })), group, positive, rules: new Set([c.rule]) });
  };
  for (const c of read("output.json")) add(c, true);
  for (const c of read("no_filters_no_ml.json")) add(c, false);
  return [...out.values()];
}

async function main(): Promise<void> {
  const checkout = process.argv[2];
  if (!checkout || !existsSync(join(checkout, "tests/samples"))) {
    console.error("usage: npx tsx bench/eval-secrets-credsweeper.ts CREDSWEEPER_CHECKOUT [--list]");
    process.exit(2);
  }
  const labels = credSweeperLabels(checkout);
  const groups = new Map<string, { pos: number; tp: number; neg: number; fp: number }>();
  for (const l of labels) {
    const g = groups.get(l.group) ?? { pos: 0, tp: 0, neg: 0, fp: 0 };
    groups.set(l.group, g);
    if (l.positive) g.pos++;
    else g.neg++;
  }
  if (process.argv.includes("--list")) {
    for (const [name, g] of groups) console.log(`${name}: ${g.pos} positive, ${g.neg} negative`);
    return;
  }
  // A private copy: the samples folder as it is, scanned as one tree.
  const dir = mkdtempSync(join(tmpdir(), "eval-credsweeper-"));
  try {
    cpSync(join(checkout, "tests/samples"), dir, { recursive: true });
    const t0 = process.cpuUsage();
    const result = await scanSecrets(dir, { workers: 1 });
    const cpu = process.cpuUsage(t0);
    const findings = result.findings.filter(counted);
    const textOf = new Map<string, string[]>();
    const lineText = (file: string, line: number) => {
      let lines = textOf.get(file);
      if (!lines) {
        lines = readFileSync(join(dir, file), "latin1").split(/\r?\n/);
        textOf.set(file, lines);
      }
      return norm(lines[line - 1] ?? "");
    };
    const hit = (u: LabelledUnit) =>
      findings.filter(
        (f) => f.location?.file === u.file && u.lines.some((l) => f.location!.line === l.line || (l.text.length > 0 && lineText(u.file, f.location!.line ?? 0) === l.text)),
      );
    let tp = 0;
    let fn = 0;
    let fp = 0;
    let tn = 0;
    const misses: string[] = [];
    const wrong: string[] = [];
    const scored = new Set<(typeof findings)[number]>();
    for (const l of labels) {
      const hs = hit(l);
      for (const h of hs) scored.add(h);
      const g = groups.get(l.group)!;
      const what = `${l.file}:${l.lines.map((x) => x.line).join(",")} [${[...l.rules].join(", ")}] ${l.lines[0]!.text.slice(0, 100)}`;
      if (l.positive) {
        if (hs.length) {
          tp++;
          g.tp++;
        } else {
          fn++;
          misses.push(what);
        }
      } else if (hs.length) {
        fp++;
        g.fp++;
        wrong.push(`${what}  → ${[...new Set(hs.map((f) => `${f.ruleId}@${f.severity}`))].join(", ")}`);
      } else tn++;
    }
    console.log("| CredSweeper group | positives found | negatives reported |\n|---|---|---|");
    for (const [name, g] of groups) console.log(`| ${name} | ${g.tp}/${g.pos} | ${g.fp}/${g.neg} |`);
    console.log(`\nprecision ${(tp / Math.max(1, tp + fp)).toFixed(3)}, recall ${(tp / Math.max(1, tp + fn)).toFixed(3)} (tp ${tp}, fn ${fn}, fp ${fp}, tn ${tn})`);
    console.log(`scan: ${readdirSync(dir).length} sample files, ${((cpu.user + cpu.system) / 1e3) | 0} ms CPU`);
    console.log(`missed:\n  ${misses.join("\n  ") || "none"}`);
    console.log(`false positives:\n  ${wrong.join("\n  ") || "none"}`);
    const unscored = findings.filter((f) => !scored.has(f));
    console.log(`not scored (lines without a label of a selected rule): ${unscored.length}`);
    for (const f of unscored) console.log(`  ${f.location?.file}:${f.location?.line} ${f.ruleId}@${f.severity} ${f.message.slice(0, 80)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1]?.endsWith("eval-secrets-credsweeper.ts"))
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
