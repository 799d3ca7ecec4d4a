/**
 * Session 22 held-out set: the tests of KICS's "Passwords And Secrets" query (the infrastructure-as-code
 * scanner's secrets check), never scored by a session. Taken from DataDog's fork of Checkmarx/kics (the
 * upstream snapshot is too large to fetch here; the query's folder is the same kind of fixture). Read from
 * the fetched git directory at the pinned commit (`git show COMMIT:PATH`); nothing of it is committed.
 *
 *   npx tsx bench/eval-secrets-kics.ts KICS_GIT_DIR [--seen DIR ...] [--list] [--all-labels]
 *
 * Files: every `positiveN.*` and `negativeN.*` of `assets/queries/common/passwords_and_secrets/test/`
 * (Terraform, CloudFormation and Kubernetes YAML, JSON, Dockerfiles, Ansible, GitHub workflows), each scanned
 * whole under its own base name. Labels come from the query's authors: `positive_expected_result.json` lists
 * every (file, line, sub-query) the query must report; KICS's test fails on any other result, so every other
 * non-blank line of those files, and every line of a `negativeN` file, is a negative.
 *
 * Units (eval-secrets-tally.ts, `LineFile`): one positive per expected result. A private key's expected line
 * (sub-queries "Asymmetric private key", "Putty User Key File Content") stands for its whole block: the unit runs
 * from the `-----BEGIN` / `PuTTY-User-Key-File` line above it to the `-----END` / `Private-MAC` line below. A
 * positive is found when a counted finding (every severity but `info`) lies on it; a negative line is a false
 * positive when a counted finding lies on it.
 *
 * Mapping to Rampart's classes (fixed before any score; `--all-labels` scores every expected result instead, as
 * the declared secondary figure):
 * - kept: generic passwords, secrets, tokens, API and access keys under credential names (the generic rule),
 *   passwords in URLs, private key blocks, AWS access and secret keys, Slack tokens and webhooks, Stripe, Google
 *   API keys and OAuth access tokens, Heroku, Square, Picatic, Amazon MWS, Mailchimp, SendGrid, Mailgun, Twilio,
 *   PayPal/Braintree, Facebook tokens (provider rules or the generic rule through the name).
 * - dropped, the sub-query is no credential Rampart claims (DROPPED_QUERIES): "Google OAuth" (an OAuth
 *   client id, a public identifier), "AWS Certificate" and "AWS Context-specific credential" (IAM unique ids
 *   `ASCA…`/`ACCA…`: identifiers), "MSTeams Webhook" (Rampart has no Teams webhook rule), "CloudFormation
 *   Secret Template" (`SecretStringTemplate: '{"username":"admin"}'`, a generation template with no secret).
 * - dropped, the labelled line holds no credential value (DROPPED_LINES): positive43.yaml:5 (a Secrets Manager
 *   `{{resolve:…}}` reference), positive44.yaml:17 (a `Description:` sentence), positive45.tf:9 (`"null"` as
 *   the fallback of a variable).
 * - excluded (neither label), positive18.tf:6 `client_secret = "j2323232324"`: a literal under a secret name
 *   that the expected results do not list; calling it a negative would be a label error.
 *
 * The infrastructure queries whose subject is a credential written in a template (IAC_QUERIES: CloudFormation
 * passwords, tokens and client secrets "exposed" or "in plaintext", a Bicep/ARM `securestring` parameter's
 * default, an AWS key in a Lambda's environment in Terraform and Ansible) are read the same way, one group per
 * query: each expected result is a positive on its line, every other line of their test files a negative. An
 * expected result whose line only opens a block (`Properties:`, `Variables:`, `"Properties": {`: the query
 * reports the resource, not the value) is dropped, said in the output. Not read: the "Hardcoded AWS Access
 * Key" queries of Terraform and Ansible (their one positive is `user_data = "1234567890…$"`, forty digits,
 * no key of any format), the CloudFormation Lambda query (every expected line opens a block), and the
 * queries about policies, rotation and exposure of resources rather than of a written value.
 *
 * Dedupe: a unit whose text is a verbatim copy of a seen corpus (`--seen` trees, `seenCopies`) is left out.
 */
import { spawnSync } from "node:child_process";
import { evaluateLineFiles, type LineFile } from "./eval-secrets-tally.js";

export const KICS_COMMIT = "d91e3669233f883ffa89d3013a4af2874ab87b40";
export const TEST_DIR = "assets/queries/common/passwords_and_secrets/test";
export const IAC_QUERIES = [
  "azureResourceManager/hardcoded_securestring_parameter_default_value",
  "cloudFormation/aws/alexa_skill_plaintext_client_secret_exposed",
  "cloudFormation/aws/amplify_app_access_token_exposed",
  "cloudFormation/aws/amplify_app_basic_auth_config_password_exposed",
  "cloudFormation/aws/amplify_app_oauth_token_exposed",
  "cloudFormation/aws/amplify_branch_basic_auth_config_password_exposed",
  "cloudFormation/aws/directory_service_microsoft_ad_password_set_to_plaintext_or_default_ref",
  "cloudFormation/aws/directory_service_simple_ad_password_exposed",
  "cloudFormation/aws/dms_endpoint_mongo_db_settings_password_exposed",
  "cloudFormation/aws/dms_endpoint_password_exposed",
  "cloudFormation/aws/docdb_cluster_master_password_in_plaintext",
  "cloudFormation/aws/iam_user_login_profile_password_is_in_plaintext",
  "cloudFormation/aws/refresh_token_is_exposed",
  "terraform/aws/hardcoded_aws_access_key_in_lambda",
  "ansible/aws/hardcoded_aws_access_key_in_lambda",
];

const PREFIX = "Passwords And Secrets - ";
export const DROPPED_QUERIES: Record<string, string> = {
  "Google OAuth": "an OAuth client id (public identifier)",
  "AWS Certificate": "an IAM unique id (identifier)",
  "AWS Context-specific credential": "an IAM unique id (identifier)",
  "MSTeams Webhook": "no Teams webhook rule in Rampart",
  "CloudFormation Secret Template": "a generation template, no secret value",
};
export const DROPPED_LINES: Record<string, string> = {
  "positive43.yaml:5": "a Secrets Manager dynamic reference",
  "positive44.yaml:17": "a Description sentence",
  "positive45.tf:9": 'the string "null" as a fallback',
};
export const EXCLUDED_LINES = ["positive18.tf:6"];
const KEY_QUERIES = new Set(["Asymmetric private key", "Putty User Key File Content"]);

function git(gitDir: string, args: string[]): string {
  const r = spawnSync("git", ["--git-dir", gitDir, ...args], { encoding: "utf8", maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${gitDir}: git ${args.join(" ")}: ${r.stderr.trim()}`);
  return r.stdout;
}

/** The key block around a labelled line: armour (or PuTTY header) above to its end line below. */
function keyBlock(lines: readonly string[], at: number): [number, number] {
  let a = at;
  while (a > 1 && !/-----BEGIN|PuTTY-User-Key-File/.test(lines[a - 1]!)) a--;
  let b = at;
  while (b < lines.length && !/-----END|Private-MAC/.test(lines[b - 1]!)) b++;
  return [a, b];
}

/** The labelled files of one query's test folder; `common` is the passwords-and-secrets query (its mapping above). */
function queryFiles(gitDir: string, dir: string, group: (name: string) => string, common: boolean, allLabels: boolean, files: LineFile[], dropped: string[]): void {
  const expected = JSON.parse(git(gitDir, ["show", `${KICS_COMMIT}:${dir}/positive_expected_result.json`])) as Array<{ queryName: string; line: number; fileName?: string }>;
  const names = git(gitDir, ["ls-tree", "--name-only", KICS_COMMIT, `${dir}/`])
    .split("\n")
    .map((p) => p.slice(dir.length + 1))
    .filter((n) => /^(positive|negative)\d*\./.test(n));
  const positiveFiles = names.filter((n) => n.startsWith("positive"));
  for (const name of names) {
    const text = git(gitDir, ["show", `${KICS_COMMIT}:${dir}/${name}`]);
    const lines = text.split("\n");
    const f: LineFile = { group: group(name), name, text, positives: [], excluded: new Set() };
    // An expected result without a file name belongs to the folder's only positive file.
    for (const e of expected.filter((x) => x.fileName === name || (!x.fileName && positiveFiles.length === 1 && name === positiveFiles[0]))) {
      const query = e.queryName.startsWith(PREFIX) ? e.queryName.slice(PREFIX.length) : e.queryName;
      const where = common ? `${name}:${e.line}` : `${dir.split("/").at(-2)}/${name}:${e.line}`;
      if (e.line > lines.length || !lines[e.line - 1]!.trim()) throw new Error(`${where}: expected line is blank or past the end`);
      const opensBlock = !common && /[:{]\s*$/.test(lines[e.line - 1]!);
      const reason = common ? (DROPPED_QUERIES[query] ?? DROPPED_LINES[where]) : opensBlock ? "the line opens a block (the resource, not a value)" : undefined;
      if (reason && !allLabels) {
        dropped.push(`${where} (${query}): ${reason}`);
        f.excluded.add(e.line);
        continue;
      }
      f.positives.push(KEY_QUERIES.has(query) ? keyBlock(lines, e.line) : [e.line, e.line]);
    }
    if (common) for (const w of EXCLUDED_LINES) if (w.startsWith(`${name}:`)) f.excluded.add(Number(w.slice(name.length + 1)));
    files.push(f);
  }
  if (!names.length) throw new Error(`${gitDir}: no test files under ${dir} at ${KICS_COMMIT}`);
}

export function kicsFiles(gitDir: string, allLabels: boolean): { files: LineFile[]; dropped: string[] } {
  const files: LineFile[] = [];
  const dropped: string[] = [];
  queryFiles(gitDir, TEST_DIR, (n) => (n.startsWith("positive") ? "secrets query, positive files" : "secrets query, negative files"), true, allLabels, files, dropped);
  for (const q of IAC_QUERIES) queryFiles(gitDir, `assets/queries/${q}/test`, () => `IaC ${q.split("/")[0]} ${q.split("/").at(-1)}`, false, allLabels, files, dropped);
  return { files, dropped };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const gitDir = args[0];
  if (!gitDir || gitDir.startsWith("--")) {
    console.error("usage: npx tsx bench/eval-secrets-kics.ts KICS_GIT_DIR [--seen DIR ...] [--list] [--all-labels]");
    process.exit(2);
  }
  const { files, dropped } = kicsFiles(gitDir, args.includes("--all-labels"));
  console.log(`${dropped.length} expected results dropped as unclaimed:\n  ${dropped.join("\n  ") || "none"}`);
  await evaluateLineFiles(files, args, "kics", "session-22 held-out set (KICS passwords and secrets)");
}

if (process.argv[1]?.endsWith("eval-secrets-kics.ts"))
  main().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
