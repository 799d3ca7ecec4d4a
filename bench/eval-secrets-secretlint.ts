/**
 * Secrets precision/recall on secretlint's rule snapshots: `packages/@secretlint/secretlint-rule-<rule>/
 * test/snapshots/<case>/` holds an input file and `output.json`, the messages secretlint's authors
 * accept for it (none = no secret). Read from a secretlint checkout at evaluation time; nothing of it is
 * committed.
 *
 *   npx tsx bench/eval-secrets-secretlint.ts SECRETLINT_CHECKOUT
 *
 * A case whose `output.json` has messages is a positive (Rampart must report at least one finding printed
 * by default, every severity but `info`); one without is a negative (any such finding is a false positive). The input is
 * scanned under its own file name (`.npmrc`, `package.json`, …).
 */
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { scanSecrets } from "../src/scan/secrets/index.js";
import { counted, Tally } from "./eval-secrets-tally.js";

/** secretlint rules for the credential kinds Rampart claims, fixed before the first run. */
export const RULES = [
  "anthropic",
  "aws",
  "azure",
  "database-connection-string",
  "databricks",
  "gcp",
  "github",
  "gitlab",
  "huggingface",
  "npm",
  "openai",
  "privatekey",
  "sendgrid",
  "slack",
  "stripe",
];

/**
 * Cases left out, with the reason (decided before the first run): snapshots whose labels depend on a
 * non-default `.secretlintrc.json`; Azure tenant and client ids and AWS account ids (identifiers, not
 * credentials; Rampart does not claim them); PKCS#12 files (binary key stores, not claimed).
 */
function excluded(rule: string, name: string, files: string[]): string | undefined {
  if (files.includes(".secretlintrc.json")) return "labels depend on a non-default configuration";
  if (rule === "azure" && /tenant_id|client_id/.test(name)) return "an identifier, not a credential";
  if (files.some((f) => f.endsWith(".p12"))) return "PKCS#12 key store (binary), not claimed";
  return undefined;
}

const NOT_INPUT = new Set(["output.json", "README.md", "options.ts", ".secretlintrc.json", "prvkey.pem", "pubkey.crt", "req.csr"]);

export interface SnapshotCase {
  rule: string;
  name: string;
  input: string;
  positive: boolean;
}

export function snapshotCases(checkout: string): { cases: SnapshotCase[]; left: string[] } {
  const cases: SnapshotCase[] = [];
  const left: string[] = [];
  for (const rule of RULES) {
    const root = join(checkout, "packages/@secretlint", `secretlint-rule-${rule}`, "test/snapshots");
    if (!existsSync(root)) continue;
    for (const name of readdirSync(root).sort()) {
      const files = readdirSync(join(root, name));
      const why = excluded(rule, name, files);
      if (why) {
        left.push(`${rule}/${name}: ${why}`);
        continue;
      }
      const inputs = files.filter((f) => !NOT_INPUT.has(f));
      if (inputs.length !== 1 || !files.includes("output.json")) {
        left.push(`${rule}/${name}: no single input file`);
        continue;
      }
      const out = JSON.parse(readFileSync(join(root, name, "output.json"), "utf8")) as { messages: unknown[] };
      cases.push({ rule, name, input: join(root, name, inputs[0]!), positive: out.messages.length > 0 });
    }
  }
  return { cases, left };
}

async function main(): Promise<void> {
  const checkout = process.argv[2];
  if (!checkout) {
    console.error("usage: npx tsx bench/eval-secrets-secretlint.ts SECRETLINT_CHECKOUT [--list]");
    process.exit(2);
  }
  const { cases, left } = snapshotCases(checkout);
  if (process.argv.includes("--list")) {
    for (const c of cases) console.log(`${c.rule}/${c.name}: ${c.positive ? "positive" : "negative"}`);
    console.log(`left out:\n  ${left.join("\n  ")}`);
    return;
  }
  const tally = new Tally();
  for (const c of cases) {
    const dir = mkdtempSync(join(tmpdir(), "eval-secretlint-"));
    try {
      const file = join(dir, c.input.split("/").pop()!);
      copyFileSync(c.input, file);
      const findings = (await scanSecrets(dir, { workers: 1 })).findings.filter(counted);
      tally.add(c.rule, c.positive, findings, `${c.rule}/${c.name}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  tally.print("secretlint rule", `; ${left.length} cases left out`);
}

if (process.argv[1]?.endsWith("eval-secrets-secretlint.ts"))
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
