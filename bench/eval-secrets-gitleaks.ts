/**
 * Secrets precision/recall on gitleaks' own labelled examples: the literal true-positive and
 * false-positive strings (`tps` / `fps`) its rule definitions are validated with, for the providers
 * Rampart covers. Read from a gitleaks checkout at evaluation time (nothing of it is committed).
 *
 *   npx tsx bench/eval-secrets-gitleaks.ts GITLEAKS_CHECKOUT
 *
 * Each example is scanned alone, as one file; a true positive must give at least one finding and a
 * false positive none. Only literal strings are used (examples gitleaks generates at random are not).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { scanSecrets } from "../src/scan/secrets/index.js";
import { counted } from "./eval-secrets-tally.js";

const PROVIDERS = [
  "anthropic",
  "aws",
  "azure",
  "databricks",
  "gcp",
  "generic",
  "github",
  "gitlab",
  "huggingface",
  "jwt",
  "npm",
  "openai",
  "privatekey",
  "pypi",
  "sendgrid",
  "slack",
  "stripe",
  "twilio",
];

function literals(body: string): string[] {
  const out: string[] = [];
  for (const line of body.split("\n")) {
    const s = line.trim();
    const dq = /^"((?:[^"\\]|\\.)*)",?\s*(\/\/.*)?$/.exec(s);
    const bq = /^`([^`]*)`,?\s*(\/\/.*)?$/.exec(s);
    if (dq) {
      try {
        out.push(JSON.parse(`"${dq[1]}"`) as string);
      } catch {
        // a Go escape JSON does not know: skip the example
      }
    } else if (bq) out.push(bq[1]!);
  }
  return out;
}

export function examples(source: string): { tps: string[]; fps: string[] } {
  const out = { tps: [] as string[], fps: [] as string[] };
  const add = (kind: string, v: string[]) => out[kind === "tps" ? "tps" : "fps"].push(...v);
  for (const m of source.matchAll(/\b(tps|fps)\s*:?=\s*\[\]string\{([\s\S]*?)\n\t\}/g)) add(m[1]!, literals(m[2]!));
  for (const m of source.matchAll(/\b(tps|fps)\s*=\s*append\(\1,\s*\n([\s\S]*?)\n\t\)/g)) add(m[1]!, literals(m[2]!));
  for (const m of source.matchAll(/\b(tps|fps)\s*:?=\s*(?:append\(\w+,\s*)?utils\.GenerateSampleSecrets\("[^"]*",\s*"((?:[^"\\]|\\.)*)"\)/g))
    add(m[1]!, [JSON.parse(`"${m[2]}"`) as string]);
  return out;
}

async function main(): Promise<void> {
  const checkout = process.argv[2];
  if (!checkout) {
    console.error("usage: npx tsx bench/eval-secrets-gitleaks.ts GITLEAKS_CHECKOUT");
    process.exit(2);
  }
  const dir = mkdtempSync(join(tmpdir(), "eval-gitleaks-"));
  const rows: string[] = [];
  let tp = 0;
  let fn = 0;
  let fp = 0;
  let tn = 0;
  const misses: string[] = [];
  const wrong: string[] = [];
  try {
    for (const provider of PROVIDERS) {
      let source: string;
      try {
        source = readFileSync(join(checkout, "cmd/generate/config/rules", `${provider}.go`), "utf8");
      } catch {
        continue;
      }
      const ex = examples(source);
      // gitleaks labels per rule: one rule's false positive can be a sibling rule's true positive
      // (an Anthropic admin key is an "fp" of the api03 rule). A string that is a true positive of any
      // rule in the file is not a negative.
      const anyTp = new Set(ex.tps);
      ex.fps = ex.fps.filter((f) => !anyTp.has(f));
      let ptp = 0;
      let pfp = 0;
      for (const [kind, list] of [
        ["tps", ex.tps],
        ["fps", ex.fps],
      ] as const)
        for (const [i, text] of list.entries()) {
          const file = join(dir, `${provider}-${kind}-${i}.txt`);
          writeFileSync(file, `${text}\n`);
          const found = (await scanSecrets(file, { workers: 1 })).findings.filter(counted).length > 0;
          if (kind === "tps" && found) {
            tp++;
            ptp++;
          } else if (kind === "tps") {
            fn++;
            misses.push(`${provider}: ${text.slice(0, 70)}`);
          } else if (found) {
            fp++;
            pfp++;
            wrong.push(`${provider}: ${text.slice(0, 70)}`);
          } else tn++;
        }
      if (ex.tps.length + ex.fps.length) rows.push(`| ${provider} | ${ptp}/${ex.tps.length} | ${pfp}/${ex.fps.length} |`);
    }
    console.log("| gitleaks rule file | true positives found | false positives reported |\n|---|---|---|");
    for (const r of rows) console.log(r);
    console.log(`\nprecision ${(tp / Math.max(1, tp + fp)).toFixed(3)}, recall ${(tp / Math.max(1, tp + fn)).toFixed(3)} (tp ${tp}, fn ${fn}, fp ${fp}, tn ${tn})`);
    console.log(`missed:\n  ${misses.join("\n  ") || "none"}`);
    console.log(`false positives:\n  ${wrong.join("\n  ") || "none"}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1]?.endsWith("eval-secrets-gitleaks.ts"))
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
