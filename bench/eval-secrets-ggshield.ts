/**
 * Secrets precision/recall on GitGuardian/ggshield's recorded API exchanges (`tests/unit/cassettes/*.yaml`):
 * each records the documents ggshield sent to GitGuardian's secret-detection API and the policy
 * breaks the API answered with, so every document carries GitGuardian's own engine's labels. Read
 * from a checkout at evaluation time (YAML and JSON parsed, nothing run); nothing of it is committed.
 *
 *   npx tsx bench/eval-secrets-ggshield.ts GGSHIELD_CHECKOUT [--seen DIR ...] [--list]
 *
 * Unit: one distinct document text (the same document recorded in several cassettes counts once),
 * scanned as its own file. Positive: the API reported a break of a kind Rampart claims (private keys,
 * SendGrid keys, database and username/password assignments); negative: the API reported no break;
 * documents whose only breaks are GitGuardian's own key kinds (`GitGuardian Development Secret`,
 * `GitGuardian Test Token Checked`) are left out. A positive needs at least one finding Rampart prints
 * by default (every severity except `info`); a negative must give none.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { listOrScore, withoutSeenCopies } from "./eval-secrets-tally.js";

/** GitGuardian detector names of kinds Rampart claims (fixed before the first run). */
export const CLAIMED_KINDS = new Set(["RSA Private Key", "SendGrid Key", "MySQL Assignment", "Username Password"]);

interface Interaction {
  request: { method: string; uri: string; body: string | null };
  response: { body: { string: string } };
}

export function ggshieldCases(checkout: string): { cases: Array<{ file: string; text: string; positive: boolean }>; notClaimed: number; repeats: number } {
  const dir = join(checkout, "tests/unit/cassettes");
  const byText = new Map<string, { file: string; positive: boolean }>();
  let notClaimed = 0;
  let repeats = 0;
  for (const name of readdirSync(dir).sort()) {
    if (!name.endsWith(".yaml")) continue;
    const tape = parse(readFileSync(join(dir, name), "utf8")) as { interactions?: Interaction[] };
    for (const it of tape.interactions ?? []) {
      if (it.request.method !== "POST" || !/\/(?:multi)?scan(?:\?|$)/.test(it.request.uri) || !it.request.body) continue;
      const sent = JSON.parse(it.request.body) as unknown;
      const got = JSON.parse(it.response.body.string) as unknown;
      const docs = (Array.isArray(sent) ? sent : [sent]) as Array<{ document: string }>;
      const results = (Array.isArray(got) ? got : [got]) as Array<{ policy_breaks?: Array<{ type: string }> }>;
      docs.forEach((d, i) => {
        const kinds = (results[i]?.policy_breaks ?? []).map((b) => b.type);
        if (kinds.length && !kinds.some((k) => CLAIMED_KINDS.has(k))) {
          notClaimed++;
          return;
        }
        if (byText.has(d.document)) {
          repeats++;
          return;
        }
        byText.set(d.document, { file: kinds.find((k) => CLAIMED_KINDS.has(k)) ?? "no break", positive: kinds.length > 0 });
      });
    }
  }
  return { cases: [...byText].map(([text, c]) => ({ ...c, text })), notClaimed, repeats };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const checkout = args[0];
  if (!checkout || checkout.startsWith("--")) {
    console.error("usage: npx tsx bench/eval-secrets-ggshield.ts GGSHIELD_CHECKOUT [--seen DIR ...] [--list]");
    process.exit(2);
  }
  const { cases: all, notClaimed, repeats } = ggshieldCases(checkout);
  const { cases, seenDirs } = withoutSeenCopies(all, args);
  console.log(`${notClaimed} documents left out (only GitGuardian's own key kinds), ${repeats} repeats`);
  console.log(`${all.length - cases.length} cases left out as verbatim copies of seen corpora (${seenDirs.length} trees searched)`);
  await listOrScore(cases, args, "ggshield", "ggshield cassette document");
}

if (process.argv[1]?.endsWith("eval-secrets-ggshield.ts"))
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
