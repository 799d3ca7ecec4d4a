/**
 * Session 19's held-out set: the rule examples of Kingfisher (mongodb/kingfisher) and Titus (praetorian-inc/titus)
 * for the token kinds Rampart claimed after those projects were scored (Kingfisher in session 5, Titus in session
 * 11, each for the kinds of its day: `SELECTED` in eval-secrets-kingfisher.ts and eval-secrets-titus.ts). The
 * rules below were never scored. Read from checkouts at evaluation time; nothing of them is committed.
 *
 *   npx tsx bench/eval-secrets-s19.ts KINGFISHER TITUS NOSEYPARKER GITLEAKS [--seen DIR ...] [--list]
 *
 * Unit: one example text, scanned alone as `case-<n>.txt`. Positive when it is in a selected rule's `examples`,
 * negative when it is in its `negative_examples` and in no rule's `examples` of the same file (selected or not).
 * The same text in both projects is one unit; a text labelled both ways is left out. Left out as seen copies: a
 * text (trimmed) found verbatim in Nosey Parker's rule files, gitleaks' rule sources, or the examples scored in
 * sessions 5 and 11; and a text whose longest line occurs in a `--seen` tree. A positive is found when Rampart
 * prints a counted finding (every severity except `info`); a negative is a false positive when it prints one.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { SELECTED as KINGFISHER_SCORED } from "./eval-secrets-kingfisher.js";
import { listOrScore, withoutSeenCopies } from "./eval-secrets-tally.js";
import { SELECTED as TITUS_SCORED } from "./eval-secrets-titus.js";

/**
 * Rules of token forms a Rampart provider rule claims, by file and rule name; a `pattern` test as well where
 * one name covers two forms. Fixed in the declaration commit before any score. Left out: legacy forms without
 * a prefix found by a keyword and a UUID or hex run (Heroku, Sentry access tokens, Atlassian's 24-character
 * token, Kingfisher's Notion `secret_…`, Vault `s.`/`b.`/`r.` tokens), Square `EAAA…` tokens and `sq0idp-`
 * application ids, Grafana's legacy `eyJrIjoi…` keys, identifiers (age recipients, Shopify domains, Supabase
 * URLs, Sentry DSNs), 1Password account secret keys, Notion OAuth refresh tokens, and every New Relic kind but
 * user (personal) API keys.
 */
type Pick = { name: RegExp; pattern?: RegExp };
export const S19_KINGFISHER: Record<string, Pick> = {
  "age.yml": { name: /^Age Identity/ },
  "digitalocean.yml": { name: /./ },
  "django.yml": { name: /./ },
  "dockerhub.yml": { name: /./ },
  "doppler.yml": { name: /./ },
  "gcp.yml": { name: /^GCP API Token$/ },
  "grafana.yml": { name: /^Grafana (Cloud API|Service Account) Token$/ },
  "linear.yml": { name: /./ },
  "newrelic.yml": { name: /^New Relic Personal API Key$/ },
  "postman.yml": { name: /./ },
  "pulumi.yml": { name: /./ },
  "rubygems.yml": { name: /./ },
  "shopify.yml": { name: /^Shopify access token$/ },
  "square.yml": { name: /./, pattern: /sq0/ },
  "supabasetoken.yml": { name: /./ },
  "xai.yml": { name: /./ },
};
export const S19_TITUS: Record<string, Pick> = {
  "age.yml": { name: /^Age Identity/ },
  "atlassian.yml": { name: /^Atlassian Cloud API Token$/ },
  "azure-notification-hub.yml": { name: /./ },
  "digitalocean.yml": { name: /./ },
  "dockerhub.yml": { name: /./ },
  "doppler.yml": { name: /./ },
  "google.yml": { name: /^Google API Key \(Base64 Encoded\)$/ },
  "grafana.yml": { name: /^Grafana (Cloud API|Service Account) Token$/ },
  "hashicorp.yml": { name: /^Hashicorp Vault (Service|Batch) Token \(>= v1\.10\)$/ },
  "linear.yml": { name: /./ },
  "newrelic.yml": { name: /^New Relic API Service Key$/ },
  "notion.yml": { name: /^Notion Token$/ },
  "onepassword.yml": { name: /^1Password Service-Account Token$/ },
  "openrouter.yml": { name: /./ },
  "perplexity.yml": { name: /./ },
  "postman.yml": { name: /./ },
  "pulumi.yml": { name: /./ },
  "rubygems.yml": { name: /./ },
  "sentry.yml": { name: /^Sentry (Organization|User) Token$/ },
  "shopify.yml": { name: /^Shopify (App Secret|Access Token)/ },
  "square.yml": { name: /./ },
  "supabase.yml": { name: /^Supabase (Management Token|Project API Key)$/ },
  "xAI.yml": { name: /./ },
};

type Rule = { name: string; pattern?: string; examples?: string[]; negative_examples?: string[] };
const rulesOf = (file: string): Rule[] => (parseYaml(readFileSync(file, "utf8")) as { rules: Rule[] }).rules;

/** Examples of the selected rules of one project: `[file, text, positive]`. */
function examples(dir: string, picks: Record<string, Pick>): Array<{ file: string; text: string; positive: boolean }> {
  const out: Array<{ file: string; text: string; positive: boolean }> = [];
  for (const [file, pick] of Object.entries(picks)) {
    const rules = rulesOf(join(dir, file));
    const anyExample = new Set(rules.flatMap((r) => r.examples ?? []));
    for (const r of rules.filter((r) => pick.name.test(r.name) && (!pick.pattern || pick.pattern.test(r.pattern ?? "")))) {
      for (const text of r.examples ?? []) out.push({ file, text, positive: true });
      for (const text of r.negative_examples ?? []) if (!anyExample.has(text)) out.push({ file, text, positive: false });
    }
  }
  return out;
}

/** The text of every example scored before (sessions 5 and 11) and of Nosey Parker's and gitleaks' rules. */
function seenText(kingfisher: string, titus: string, noseyparker: string, gitleaks: string): string {
  const files = (d: string) => readdirSync(d).map((f) => readFileSync(join(d, f), "utf8"));
  const scored = (dir: string, selected: Record<string, RegExp>) =>
    Object.entries(selected).flatMap(([f, name]) =>
      existsSync(join(dir, f))
        ? rulesOf(join(dir, f))
            .filter((r) => name.test(r.name))
            .flatMap((r) => [...(r.examples ?? []), ...(r.negative_examples ?? [])])
        : [],
    );
  return [
    ...files(join(noseyparker, "crates/noseyparker/data/default/builtin/rules")),
    ...files(join(gitleaks, "cmd/generate/config/rules")),
    ...scored(join(kingfisher, "data/rules"), KINGFISHER_SCORED),
    ...scored(join(titus, "pkg/rule/rules"), TITUS_SCORED),
  ].join("\n");
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const [kingfisher, titus, noseyparker, gitleaks] = args;
  if (!kingfisher || !titus || !noseyparker || !gitleaks || [kingfisher, titus, noseyparker, gitleaks].some((a) => a.startsWith("--") || !existsSync(a))) {
    console.error("usage: npx tsx bench/eval-secrets-s19.ts KINGFISHER TITUS NOSEYPARKER GITLEAKS [--seen DIR ...] [--list]");
    process.exit(2);
  }
  const all = [
    ...examples(join(kingfisher, "data/rules"), S19_KINGFISHER).map((c) => ({ ...c, file: `kingfisher/${c.file}` })),
    ...examples(join(titus, "pkg/rule/rules"), S19_TITUS).map((c) => ({ ...c, file: `titus/${c.file}` })),
  ];
  const labels = new Map<string, Set<boolean>>();
  for (const c of all) labels.set(c.text, (labels.get(c.text) ?? new Set()).add(c.positive));
  const once = new Set<string>();
  const unique = all.filter((c) => c.text.trim() !== "" && labels.get(c.text)!.size === 1 && !once.has(c.text) && once.add(c.text));
  const both = [...labels.values()].filter((l) => l.size === 2).length;
  const seen = seenText(kingfisher, titus, noseyparker, gitleaks);
  const fresh = unique.filter((c) => !seen.includes(c.text.trim()));
  const { cases, seenDirs } = withoutSeenCopies(fresh, args);
  console.log(
    `${both} texts labelled both ways and ${all.length - unique.length} repeats left out; ${unique.length - fresh.length} copies of scored or rule-source examples and ${fresh.length - cases.length} copies found in ${seenDirs.length} --seen trees left out`,
  );
  await listOrScore(
    cases.map((c) => ({ ...c, text: `${c.text}\n` })),
    args,
    "s19",
    "rule file (session 19)",
  );
}

if (process.argv[1]?.endsWith("eval-secrets-s19.ts"))
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
