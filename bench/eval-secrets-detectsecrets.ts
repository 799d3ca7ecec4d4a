/**
 * Secrets precision/recall on detect-secrets' plugin tests (Yelp/detect-secrets `tests/plugins/`):
 * each provider plugin's test lists `(line, should_flag)` cases in a `pytest.mark.parametrize`
 * decorator (a one-name list means every line must be flagged). The lists are read with Python's
 * own parser (`ast`, literals only, never executed; needs python3) from a checkout at evaluation
 * time; nothing of it is committed.
 *
 *   npx tsx bench/eval-secrets-detectsecrets.ts DETECT_SECRETS_CHECKOUT [--seen DIR ...] [--list]
 *
 * Unit: one case's line (or file content), scanned as its own file. A positive needs at least one
 * finding Rampart prints by default (every severity except the `info` file notices); a negative must
 * give none. Cases built with `.format(…)` or other expressions are left out (counted), and so are
 * cases whose text occurs verbatim in a seen corpus (the `--seen` trees).
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { listOrScore, withoutSeenCopies } from "./eval-secrets-tally.js";

/**
 * Plugin tests of kinds Rampart claims (fixed, commit of this file, before the first run). Left out:
 * kinds Rampart does not claim (Artifactory, Cloudant, Discord, IBM Cloud IAM / COS HMAC, public IP
 * addresses, Mailchimp, SoftLayer, Square, Telegram), the bare high-entropy-string plugins (a random
 * string with no name is not a claimed kind) and the keyword plugin, whose labels encode its own
 * per-file-type quoting rules ("double quotes required" in C, "secret without quotes" in C++) rather
 * than whether the line holds a credential, and whose cases are mostly built with `.format(…)`.
 */
export const CLAIMED = [
  "aws_key_test.py",
  "azure_storage_key_test.py",
  "basic_auth_test.py",
  "github_token_test.py",
  "gitlab_token_test.py",
  "jwt_test.py",
  "npm_test.py",
  "openai_test.py",
  "private_key_test.py",
  "pypi_token_test.py",
  "sendgrid_test.py",
  "slack_test.py",
  "stripe_key_test.py",
  "twilio_test.py",
];

/** Prints one JSON line per parametrize case: [text, label] or ["<expr>", null] for a non-literal case. */
const EXTRACT = `
import ast, json, sys
tree = ast.parse(open(sys.argv[1], encoding="utf-8").read())
for node in ast.walk(tree):
    if not isinstance(node, ast.Call) or not ast.unparse(node.func).endswith("mark.parametrize") or len(node.args) < 2:
        continue
    try:
        names = [n.strip() for n in ast.literal_eval(node.args[0]).split(",")]
    except Exception:
        continue
    if names[0] not in ("line", "payload", "file_content"):
        continue
    if not isinstance(node.args[1], (ast.List, ast.Tuple)):
        continue
    for elt in node.args[1].elts:
        try:
            v = ast.literal_eval(elt)
        except Exception:
            print(json.dumps(["<expr>", None]))
            continue
        if isinstance(v, str) and len(names) == 1:
            print(json.dumps([v, True]))
        elif isinstance(v, tuple) and len(v) == 2 and isinstance(v[0], str) and isinstance(v[1], bool) and names[1] == "should_flag":
            print(json.dumps([v[0], v[1]]))
        else:
            print(json.dumps(["<expr>", None]))
`;

export interface DsCase {
  file: string;
  text: string;
  positive: boolean;
}

export function detectSecretsCases(checkout: string): { cases: DsCase[]; expressions: number } {
  const cases: DsCase[] = [];
  let expressions = 0;
  for (const file of CLAIMED) {
    const r = spawnSync("python3", ["-c", EXTRACT, join(checkout, "tests/plugins", file)], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`${file}: ${r.stderr}`);
    for (const l of r.stdout.split("\n")) {
      if (!l) continue;
      const [text, label] = JSON.parse(l) as [string, boolean | null];
      if (label === null) expressions++;
      else cases.push({ file, text, positive: label });
    }
  }
  return { cases, expressions };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const checkout = args[0];
  if (!checkout || checkout.startsWith("--")) {
    console.error("usage: npx tsx bench/eval-secrets-detectsecrets.ts DETECT_SECRETS_CHECKOUT [--seen DIR ...] [--list]");
    process.exit(2);
  }
  const { cases: all, expressions } = detectSecretsCases(checkout);
  // The same text listed twice (in one file or two) is one case.
  const unique = [...new Map(all.map((c) => [c.text, c])).values()];
  const { cases, seenDirs } = withoutSeenCopies(unique, args);
  console.log(
    `${expressions} non-literal cases left out, ${all.length - unique.length} repeated texts merged, ${unique.length - cases.length} left out as verbatim copies of seen corpora (${seenDirs.length} trees searched)`,
  );
  await listOrScore(cases, args, "detect-secrets", "detect-secrets plugin test");
}

if (process.argv[1]?.endsWith("eval-secrets-detectsecrets.ts"))
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
