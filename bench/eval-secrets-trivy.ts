/**
 * Secrets precision/recall on aquasecurity/trivy's secret-scanner tests (`pkg/fanal/secret/`):
 * `scanner_test.go` states, for each input file under `testdata/`, every finding trivy's scanner must
 * report (rule id, first and last line). Read from a checkout at evaluation time (Go source parsed as
 * text, never built or run); nothing of it is committed.
 *
 *   npx tsx bench/eval-secrets-trivy.ts TRIVY_CHECKOUT [--seen DIR ...] [--list]
 *
 * Which test cases: `TestSecretScanner` cases that run the built-in rules unchanged (config
 * `config.yaml`, which adds one custom rule, or `skip-test.yaml`, which only lets test paths be
 * scanned); for an input file used by several such cases the first one is read. Units, as in
 * eval-secrets-annotated.ts: each input file is scanned whole under its own name; a positive is the
 * line range of one expected finding of a kind Rampart claims, found when Rampart prints a finding
 * (every severity except `info`) on one of its lines; every other non-blank line is a negative (trivy's
 * test asserts nothing is there), a false positive when Rampart prints a finding on it. Lines of
 * expected findings of kinds Rampart does not claim, or of the custom test rule, are neither.
 */
import { readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { evaluateLineFiles, type LineFile } from "./eval-secrets-tally.js";

/**
 * trivy built-in rule ids of kinds Rampart claims (fixed, commit of this file, before the first run).
 * Not claimed (their lines are left out): Alibaba, Grafana, Private Packagist, Azure AI services keys,
 * Azure Container Registry credentials, Azure DevOps PATs, Azure App Configuration connection strings,
 * Stripe publishable keys (public by design), OpenAI Realtime client secrets (`ek_…`, ephemeral session
 * keys), and the tests' custom rules (`rule1`, `multi-line-secret`).
 */
export const CLAIMED = new Set([
  "aws-access-key-id",
  "aws-secret-access-key",
  "azure-entra-client-secret",
  "azure-sas-token",
  "azure-storage-account-key",
  "dockerconfig-secret",
  "github-app-token",
  "github-fine-grained-pat",
  "github-pat",
  "hugging-face-access-token",
  "jwt-token",
  "maven-settings-passphrase",
  "openai-admin-api-key",
  "openai-legacy-api-key",
  "openai-project-api-key",
  "openai-service-account-key",
  "openai-service-api-key",
  "maven-settings-password",
  "maven-settings-security-master",
  "private-key",
  "stripe-secret-token",
  "symfony-default-secret",
]);

const BUILTIN_CONFIGS = new Set(["config.yaml", "skip-test.yaml"]);

interface Expected {
  rule: string;
  start: number;
  end: number;
}

/** Rule id and line range of each `types.SecretFinding{…}` literal in a piece of Go source, in order. */
function findingsIn(src: string): Expected[] {
  const out: Expected[] = [];
  const re = /RuleID:\s*"([^"]+)"[\s\S]*?StartLine:\s*(\d+),[\s\S]*?EndLine:\s*(\d+),/g;
  for (const m of src.matchAll(re)) out.push({ rule: m[1]!, start: Number(m[2]), end: Number(m[3]) });
  return out;
}

export function trivyFiles(checkout: string): LineFile[] {
  const dir = join(checkout, "pkg/fanal/secret");
  const go = readFileSync(join(dir, "scanner_test.go"), "utf8");
  const body = go.slice(go.indexOf("func TestSecretScanner(t *testing.T)"), go.indexOf("func TestSecretScannerWithStreaming"));
  // Named expectations: `wantFindingX := types.SecretFinding{ … }` up to the next declaration.
  const vars = new Map<string, Expected>();
  const decl = /\n\t(\w+)\s*:=\s*types\.SecretFinding\{/g;
  const starts = [...body.matchAll(decl)];
  starts.forEach((m, i) => {
    const end = i + 1 < starts.length ? starts[i + 1]!.index : body.indexOf("tests := []struct");
    const f = findingsIn(body.slice(m.index, end))[0];
    if (f) vars.set(m[1]!, f);
  });
  // Expectations built by a local helper: `x := helper("rule-id", …)`, the helper's literal sets the lines.
  for (const m of body.matchAll(/\n\t(\w+)\s*:=\s*func\([^)]*\)\s*types\.SecretFinding\s*\{([\s\S]*?)\n\t\}\n/g)) {
    const lines = /StartLine:\s*(\d+),[\s\S]*?EndLine:\s*(\d+),/.exec(m[2]!);
    if (!lines) continue;
    for (const call of body.matchAll(new RegExp(`\\n\\t(\\w+)\\s*:=\\s*${m[1]}\\("([^"]+)"`, "g")))
      vars.set(call[1]!, { rule: call[2]!, start: Number(lines[1]), end: Number(lines[2]) });
  }
  const table = body.slice(body.indexOf("tests := []struct"));
  const out: LineFile[] = [];
  const done = new Set<string>();
  // Each case: `{ name: …, configPath: …, inputFilePath: …, want: … }` up to the next `name:`.
  const cases = table.split(/\n\t\t\{\n\t\t\tname:/).slice(1);
  for (const c of cases) {
    const config = /configPath:\s*(?:filepath\.Join\("testdata",\s*"([^"]+)"\)|"([^"]*)")/.exec(c);
    const input = /inputFilePath:\s*(?:filepath\.Join\("testdata",\s*"([^"]+)"\)|"testdata\/([^"]+)")/.exec(c);
    if (!config || !input) continue;
    const cfg = basename(config[1] ?? config[2] ?? "");
    const file = input[1] ?? input[2]!;
    if (!BUILTIN_CONFIGS.has(cfg) || done.has(file)) continue;
    done.add(file);
    const list = /Findings:\s*\[\]types\.SecretFinding\{([\s\S]*?)\n\t\t\t\t\},?\n|Findings:\s*\[\]types\.SecretFinding\{([^\n]*)\},?\n/.exec(c);
    const expected: Expected[] = [];
    if (list) {
      const inner = list[1] ?? list[2] ?? "";
      expected.push(...findingsIn(inner));
      for (const id of inner.match(/\bwantFinding\w*\b/g) ?? []) {
        const v = vars.get(id);
        if (!v) throw new Error(`trivy harness: no declaration found for ${id}`);
        expected.push(v);
      }
    }
    const text = readFileSync(join(dir, "testdata", file), "utf8");
    const f: LineFile = { group: file, name: basename(file), text, positives: [], excluded: new Set() };
    for (const e of expected) {
      if (CLAIMED.has(e.rule)) f.positives.push([e.start, e.end]);
      else for (let n = e.start; n <= e.end; n++) f.excluded.add(n);
    }
    out.push(f);
  }
  return out;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const checkout = args[0];
  if (!checkout || checkout.startsWith("--")) {
    console.error("usage: npx tsx bench/eval-secrets-trivy.ts TRIVY_CHECKOUT [--seen DIR ...] [--list]");
    process.exit(2);
  }
  const files = trivyFiles(checkout);
  await evaluateLineFiles(files, args, "trivy", "trivy secret-scanner test");
}

if (process.argv[1]?.endsWith("eval-secrets-trivy.ts"))
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
