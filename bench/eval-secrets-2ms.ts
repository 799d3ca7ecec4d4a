/**
 * Secrets precision/recall on Checkmarx/2ms's per-rule tests (`engine/rules/ruledefine/*_test.go`):
 * each test lists `truePositives: []string{…}` (texts its rule must flag) and `falsePositives:
 * []string{…}` (texts it must not). Read from a checkout at evaluation time (Go source is parsed as
 * text, never built or run); nothing of it is committed.
 *
 *   npx tsx bench/eval-secrets-2ms.ts TWOMS_CHECKOUT [--seen DIR ...] [--list]
 *
 * Unit: one listed string, scanned as its own file. A positive needs at least one finding Rampart
 * prints by default (every severity except the `info` file notices); a negative must give none.
 * Strings that are not plain Go literals (built with `fmt.Sprintf`, a function call) are left out and
 * counted; `"a" + "b"` concatenations of literals are joined. A string listed twice in one file counts
 * once. Cases whose text occurs verbatim in a seen corpus (the `--seen` trees, e.g. gitleaks' rule
 * sources, from which many 2ms rules were ported) are left out and counted.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { listOrScore, withoutSeenCopies } from "./eval-secrets-tally.js";

/**
 * Test files of kinds Rampart claims (fixed, commit of this file, before the first run). Left out:
 * every provider Rampart has no rule for (Adafruit … Zendesk, 1Password, Yandex, Vault, …), the GitLab
 * session cookie (`_gitlab_session=`, not a token), base64-wrapped JWTs (`jwt_base64`), Kubernetes
 * `Secret` manifests (`kubernetes_secret`: any data value, not a credential format), Sidekiq secrets
 * (a provider not claimed). Kept under the generic rule: `generic_credential`, `hashicorp_tf_password`
 * (Terraform passwords); under URL passwords: `authenticated_url`, `sidekiq_sensitive_url`; under
 * command lines and headers: `curl_basic_auth`, `curl_header_auth`.
 */
export const CLAIMED = new Set([
  "anthropic_admin_api_key",
  "anthropic_api_key",
  "authenticated_url",
  "aws",
  "azure",
  "curl_basic_auth",
  "curl_header_auth",
  "databricks",
  "gcp_api_key",
  "generic_credential",
  "github_app_token",
  "github_fine_grained_pat",
  "github_oauth",
  "github_pat",
  "github_refresh_token",
  "gitlab_auth_token_routable",
  "gitlab_cicd_job_token",
  "gitlab_deploy_token",
  "gitlab_feature_flag_client",
  "gitlab_feed_token",
  "gitlab_incoming_mail_token",
  "gitlab_kubernetes_agent_token",
  "gitlab_oauth_app_secret",
  "gitlab_pat",
  "gitlab_pat_routable",
  "gitlab_pipeline_trigger_token",
  "gitlab_runner_auth_token",
  "gitlab_runner_registration_token",
  "gitlab_scim_token",
  "hashicorp_tf_password",
  "hugging_face_access_token",
  "hugging_face_org_api_token",
  "jwt",
  "npm",
  "openai",
  "privatekey",
  "pypi",
  "sendgrid",
  "sidekiq_sensitive_url",
  "slack_app_level_token",
  "slack_bot_token",
  "slack_config_refresh_token",
  "slack_config_token",
  "slack_legacy_bot_token",
  "slack_legacy_token",
  "slack_user_token",
  "slack_webhook_url",
  "stripe",
  "twilio",
]);

export interface TwomsCase {
  file: string;
  text: string;
  positive: boolean;
}

/** Reads one Go string literal at `i` (`"…"` with escapes or a raw `` `…` ``); undefined if none. */
export function goLiteral(src: string, i: number): { value: string; end: number } | undefined {
  if (src[i] === "`") {
    const end = src.indexOf("`", i + 1);
    return end === -1 ? undefined : { value: src.slice(i + 1, end), end: end + 1 };
  }
  if (src[i] !== '"') return undefined;
  let out = "";
  for (let j = i + 1; j < src.length; j++) {
    const c = src[j]!;
    if (c === '"') return { value: out, end: j + 1 };
    if (c === "\n") return undefined;
    if (c !== "\\") {
      out += c;
      continue;
    }
    const e = src[++j]!;
    const simple: Record<string, string> = { n: "\n", t: "\t", r: "\r", '"': '"', "\\": "\\", "'": "'", a: "\x07", b: "\b", f: "\f", v: "\v" };
    if (e in simple) out += simple[e];
    else if (e === "x") {
      out += String.fromCharCode(Number.parseInt(src.slice(j + 1, j + 3), 16));
      j += 2;
    } else if (e === "u" || e === "U") {
      const n = e === "u" ? 4 : 8;
      out += String.fromCodePoint(Number.parseInt(src.slice(j + 1, j + 1 + n), 16));
      j += n;
    } else if (/[0-7]/.test(e)) {
      out += String.fromCharCode(Number.parseInt(src.slice(j, j + 3), 8));
      j += 2;
    } else return undefined;
  }
  return undefined;
}

/** Skips blanks and `//` comments. */
function skip(src: string, i: number): number {
  for (;;) {
    while (i < src.length && /\s/.test(src[i]!)) i++;
    if (src.startsWith("//", i)) {
      const nl = src.indexOf("\n", i);
      i = nl === -1 ? src.length : nl + 1;
    } else return i;
  }
}

/**
 * The elements of every `truePositives: []string{…}` / `falsePositives: []string{…}` list in a Go test
 * file; elements that are not literals (or `+` chains of literals) are returned as `undefined`.
 */
export function goStringLists(src: string): Array<{ positive: boolean; values: Array<string | undefined> }> {
  const out: Array<{ positive: boolean; values: Array<string | undefined> }> = [];
  const head = /\b(truePositives|falsePositives)\s*:\s*\[\]string\s*\{/g;
  for (let m = head.exec(src); m !== null; m = head.exec(src)) {
    const values: Array<string | undefined> = [];
    let i = m.index + m[0].length;
    for (;;) {
      i = skip(src, i);
      if (i >= src.length || src[i] === "}") break;
      // One element: literals joined by `+`, or anything else up to the next top-level comma.
      let value: string | undefined = "";
      for (;;) {
        const lit = goLiteral(src, i);
        if (!lit) {
          value = undefined;
          break;
        }
        value += lit.value;
        i = skip(src, lit.end);
        if (src[i] !== "+") break;
        i = skip(src, i + 1);
      }
      if (value === undefined) {
        let depth = 0;
        for (; i < src.length; i++) {
          const c = src[i]!;
          if (c === '"' || c === "`") i = (goLiteral(src, i)?.end ?? i + 1) - 1;
          else if (c === "(" || c === "{" || c === "[") depth++;
          else if (c === ")" || c === "]" || (c === "}" && depth > 0)) depth--;
          else if ((c === "," && depth === 0) || (c === "}" && depth === 0)) break;
        }
      }
      values.push(value);
      i = skip(src, i);
      if (src[i] === ",") i++;
    }
    out.push({ positive: m[1] === "truePositives", values });
    head.lastIndex = i;
  }
  return out;
}

export function twomsCases(checkout: string): { cases: TwomsCase[]; notLiteral: number; repeats: number } {
  const dir = join(checkout, "engine/rules/ruledefine");
  const cases: TwomsCase[] = [];
  let notLiteral = 0;
  let repeats = 0;
  for (const name of readdirSync(dir).sort()) {
    const rule = name.replace(/_test\.go$/, "");
    if (rule === name || !CLAIMED.has(rule)) continue;
    const seen = new Set<string>();
    for (const list of goStringLists(readFileSync(join(dir, name), "utf8")))
      for (const v of list.values) {
        if (v === undefined) notLiteral++;
        else if (v.trim() === "") continue;
        else if (seen.has(`${list.positive}\0${v}`)) repeats++;
        else {
          seen.add(`${list.positive}\0${v}`);
          cases.push({ file: rule, text: v, positive: list.positive });
        }
      }
  }
  return { cases, notLiteral, repeats };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const checkout = args[0];
  if (!checkout || checkout.startsWith("--")) {
    console.error("usage: npx tsx bench/eval-secrets-2ms.ts TWOMS_CHECKOUT [--seen DIR ...] [--list]");
    process.exit(2);
  }
  const { cases: all, notLiteral, repeats } = twomsCases(checkout);
  const { cases, seenDirs } = withoutSeenCopies(all, args);
  console.log(`${notLiteral} elements left out as not literal, ${repeats} repeats within a file`);
  console.log(`${all.length - cases.length} cases left out as verbatim copies of seen corpora (${seenDirs.length} trees searched)`);
  await listOrScore(cases, args, "2ms", "2ms rule test");
}

if (process.argv[1]?.endsWith("eval-secrets-2ms.ts"))
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
