/**
 * Secrets precision/recall on SonarSource's secrets rule examples (SonarSource/sonar-text,
 * `sonar-text-plugin/src/main/resources/org/sonar/plugins/secrets/configuration/*.yaml`): each rule of a
 * provider file lists `examples`, a `text` with `containsSecret: true | false` written by Sonar's authors,
 * sometimes with the `fileName` the text is meant to sit in. Read from a checkout at evaluation time;
 * nothing of it is committed.
 *
 *   npx tsx bench/eval-secrets-sonar.ts SONAR_TEXT [--list] [--seen SEEN_TREE...]
 *
 * Unit: one example text, scanned as its own file, named by its `fileName` (base name) when it has one
 * (so `settings.py` is code and `.env` configuration, as for a user), else `case-N.txt`. A positive needs at
 * least one Rampart finding printed by default (every severity except `info`); a negative must give none.
 * Labels are per rule: a negative of one selected rule whose text is a positive of any selected rule is not
 * counted as a negative. Texts found verbatim in a seen corpus (`--seen` trees) are left out and counted.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { parse as parseYaml } from "yaml";
import { scanSecrets } from "../src/scan/secrets/index.js";
import { counted, oneLine, printCountsByFile, Tally, withoutSeenCopies } from "./eval-secrets-tally.js";

const RULES_DIR = "sonar-text-plugin/src/main/resources/org/sonar/plugins/secrets/configuration";

/**
 * Sonar rules of kinds Rampart claims, by file and rule id; fixed (commit of this file) before the first
 * run, by the criteria of the Titus, Nosey Parker and Kingfisher harnesses. Left out: kinds Rampart does
 * not claim (Docker Swarm join tokens, Artifactory, Discord webhooks, Docker Hub PATs, Grafana, Infura,
 * Amazon MWS, Postman, SonarQube, Splunk, Telegram, AWS session tokens, Azure API Management / Cognitive
 * subscription keys) and the .NET-specific form (RSA key as `<RSAKeyValue>` XML).
 */
export const SELECTED: Record<string, RegExp> = {
  "OpenAI.yaml": /./,
  "aws.yaml": /^aws-secret-access-keys-/,
  "azure.yaml": /^azure-storage-account-key/,
  "django.yaml": /./,
  "gcp.yaml": /./,
  "github.yaml": /./,
  "gitlab.yaml": /./,
  "google-api.yaml": /./,
  "mongodb.yaml": /./,
  "mysql.yaml": /./,
  "npm.yaml": /./,
  "odbc.yaml": /./,
  "postgresql.yaml": /./,
  "pubkey-crypto.yaml": /^(?!dotnet-)/,
  "pypi.yaml": /./,
  "redis.yaml": /./,
  "ssh.yaml": /./,
};

export interface SonarCase {
  file: string;
  rule: string;
  text: string;
  fileName?: string;
  positive: boolean;
}

interface SonarExample {
  text?: unknown;
  containsSecret?: unknown;
  fileName?: unknown;
}

/** Sonar's files include shared lists as `${common/…}` (outside `examples`); blanked before parsing. */
function readProvider(path: string): Array<{ id: string; examples: SonarExample[] }> {
  const doc = parseYaml(readFileSync(path, "utf8").replace(/\$\{[^}\n]*\}/g, "")) as { provider?: { rules?: Array<{ id?: unknown; examples?: SonarExample[] }> } };
  return (doc.provider?.rules ?? []).map((r) => ({ id: String(r.id), examples: r.examples ?? [] }));
}

export function sonarCases(checkout: string): SonarCase[] {
  const dir = join(checkout, RULES_DIR);
  const present = new Set(readdirSync(dir));
  const all: SonarCase[] = [];
  for (const [file, select] of Object.entries(SELECTED)) {
    if (!present.has(file)) throw new Error(`${join(dir, file)}: missing (is this a sonar-text checkout?)`);
    for (const r of readProvider(join(dir, file)))
      if (select.test(r.id))
        for (const ex of r.examples) {
          if (typeof ex.text !== "string" || typeof ex.containsSecret !== "boolean") continue;
          all.push({ file, rule: r.id, text: ex.text, fileName: typeof ex.fileName === "string" ? basename(ex.fileName) : undefined, positive: ex.containsSecret });
        }
  }
  const positives = new Set(all.filter((c) => c.positive).map((c) => c.text));
  const out: SonarCase[] = [];
  for (const c of all) {
    if (!c.positive && positives.has(c.text)) continue;
    if (!out.some((o) => o.text === c.text && o.positive === c.positive && o.fileName === c.fileName)) out.push(c);
  }
  return out;
}

async function score(cases: readonly SonarCase[]): Promise<Tally> {
  const dir = mkdtempSync(join(tmpdir(), "eval-sonar-"));
  const tally = new Tally();
  try {
    for (const [i, c] of cases.entries()) {
      const sub = join(dir, String(i));
      mkdirSync(sub);
      const file = join(sub, c.fileName ?? `case-${i}.txt`);
      writeFileSync(file, c.text.endsWith("\n") ? c.text : `${c.text}\n`);
      const findings = (await scanSecrets(file, { workers: 1 })).findings.filter(counted);
      tally.add(c.file.replace(/\.yaml$/, ""), c.positive, findings, `${c.rule}${c.fileName ? ` [${c.fileName}]` : ""}: ${oneLine(c.text)}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return tally;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const checkout = args[0];
  if (!checkout || checkout.startsWith("--")) {
    console.error("usage: npx tsx bench/eval-secrets-sonar.ts SONAR_TEXT [--list] [--seen SEEN_TREE...]");
    process.exit(2);
  }
  const all = sonarCases(checkout);
  const { cases, seenDirs } = withoutSeenCopies(all, args);
  const note = `${all.length - cases.length} verbatim copies of seen corpora left out (${seenDirs.length} trees searched)`;
  if (args.includes("--list")) {
    printCountsByFile(cases);
    console.log(
      `${cases.filter((c) => c.positive).length} positive, ${cases.filter((c) => !c.positive).length} negative (${cases.filter((c) => c.fileName).length} with a file name); ${note}`,
    );
    return;
  }
  (await score(cases)).print("Sonar provider file", `; ${note}`);
}

if (process.argv[1]?.endsWith("eval-secrets-sonar.ts"))
  main().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(2);
  });
