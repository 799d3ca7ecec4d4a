/**
 * Secrets precision/recall on IBM's detect-secrets plugin tests (IBM/detect-secrets `tests/plugins/`), a
 * fork of Yelp's scanner that grew its own provider plugins (Db2 connection strings, GitHub Enterprise
 * tokens, …) and rewrote others. Each plugin test lists cases in a `pytest.mark.parametrize` decorator
 * whose names include a text (`payload`, `line`, `file_content` or `content`) and a `should_flag` boolean
 * (a decorator naming only the text means every case must be flagged). The lists are read with Python's
 * own parser (`ast`, literals only, never executed; needs python3) from a checkout at evaluation time;
 * nothing of it is committed.
 *
 *   npx tsx bench/eval-secrets-ibm.ts IBM_DETECT_SECRETS_CHECKOUT [--seen DIR ...] [--list]
 *
 * Unit (declared before the first run, docs/code-secrets.md "session 15"): one case's text, scanned as
 * its own file. A positive is found when Rampart prints a counted finding (every severity except the
 * `info` file notices); a negative is a false positive when it prints one. Cases built with `.format(…)`
 * or other expressions are left out (counted), the same text listed twice is one case, and a case whose
 * text occurs verbatim in a seen corpus (the `--seen` trees: Yelp's detect-secrets at the commit scored in
 * session 6 above all) is left out.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { listOrScore, withoutSeenCopies } from "./eval-secrets-tally.js";

/**
 * Plugin tests of kinds Rampart claims, fixed before the first run: AWS, Azure storage keys, passwords in
 * URLs, Db2 connection strings with a password, GitHub tokens (github.com and Enterprise), JWTs, npm
 * tokens, private keys, Slack, Stripe, Twilio. Left out: kinds Rampart does not claim (Artifactory, Box,
 * Cloudant, IBM Cloud IAM and COS HMAC, Mailchimp, SoftLayer, Square), the bare high-entropy-string
 * plugins (a random string with no name or format is not a claimed kind) and the keyword plugin (every
 * case is built with `.format(…)`).
 */
export const IBM_CLAIMED = [
  "aws_key_test.py",
  "azure_storage_key_test.py",
  "basic_auth_test.py",
  "db2_test.py",
  "gh_enterprise_test.py",
  "github_token_test.py",
  "jwt_test.py",
  "npm_test.py",
  "private_key_test.py",
  "slack_test.py",
  "stripe_key_test.py",
  "twilio_test.py",
];

/** Prints one JSON line per case: [text, label], or ["<expr>", null] for a case that is not a literal. */
const EXTRACT = `
import ast, json, sys
TEXT = ("payload", "line", "file_content", "content")
tree = ast.parse(open(sys.argv[1], encoding="utf-8").read())
for node in ast.walk(tree):
    if not isinstance(node, ast.Call) or not ast.unparse(node.func).endswith("mark.parametrize") or len(node.args) < 2:
        continue
    try:
        names = [n.strip() for n in ast.literal_eval(node.args[0]).split(",")]
    except Exception:
        continue
    text = next((names.index(n) for n in names if n in TEXT), None)
    if text is None or not isinstance(node.args[1], (ast.List, ast.Tuple)):
        continue
    flag = names.index("should_flag") if "should_flag" in names else None
    if flag is None and len(names) != 1:
        continue
    for elt in node.args[1].elts:
        try:
            v = ast.literal_eval(elt)
        except Exception:
            print(json.dumps(["<expr>", None]))
            continue
        if len(names) == 1 and isinstance(v, str):
            print(json.dumps([v, True]))
        elif isinstance(v, tuple) and len(v) == len(names) and isinstance(v[text], str) and isinstance(v[flag], bool):
            print(json.dumps([v[text], v[flag]]))
        else:
            print(json.dumps(["<expr>", None]))
`;

export interface IbmCase {
  file: string;
  text: string;
  positive: boolean;
}

export function ibmCases(checkout: string): { cases: IbmCase[]; expressions: number } {
  const cases: IbmCase[] = [];
  let expressions = 0;
  for (const file of IBM_CLAIMED) {
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
    console.error("usage: npx tsx bench/eval-secrets-ibm.ts IBM_DETECT_SECRETS_CHECKOUT [--seen DIR ...] [--list]");
    process.exit(2);
  }
  const { cases: all, expressions } = ibmCases(checkout);
  // The same text listed twice (in one file or two) is one case; a text labelled both ways keeps its
  // first label (none is, at the commit declared).
  const unique = [...new Map(all.map((c) => [c.text, c])).values()];
  const { cases, seenDirs } = withoutSeenCopies(unique, args);
  console.log(
    `${expressions} non-literal cases left out, ${all.length - unique.length} repeated texts merged, ${unique.length - cases.length} left out as verbatim copies of seen corpora (${seenDirs.length} trees searched)`,
  );
  await listOrScore(cases, args, "ibm-detect-secrets", "IBM detect-secrets plugin test");
}

if (process.argv[1]?.endsWith("eval-secrets-ibm.ts"))
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
