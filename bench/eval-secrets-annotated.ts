/**
 * Secrets precision/recall on other tools' annotated rule tests for hard-coded credentials in code:
 *
 * - `semgrep`: semgrep/semgrep-rules fixtures OUTSIDE `generic/` (the language rules for hard-coded
 *   secrets, passwords, JWT keys, tokens; `generic/secrets/` is a seen set and is never read). A comment
 *   `ruleid: RULE` / `todoruleid: RULE` marks the next lines as a positive case (or its own line, when
 *   the comment trails code), `ok: RULE` / `todook: RULE` a negative one.
 * - `bearer`: Bearer/bearer-rules `tests/<lang>/…/<rule>/testdata/*`: a comment `bearer:expected RULE`
 *   marks the next lines as a positive case.
 *
 * Read from a checkout at evaluation time (source parsed as text, never built or run); nothing of it is
 * committed.
 *
 *   npx tsx bench/eval-secrets-annotated.ts semgrep|bearer CHECKOUT [--seen DIR ...] [--list]
 *
 * Units, the same for both: each fixture file is scanned whole under its own name. A positive is the
 * annotated line and the lines after it up to a blank line or the next annotation; it is found when
 * Rampart prints a finding (every severity except the `info` file notices) on one of those lines.
 * Every other non-blank line of the file is a negative (the authors' test asserts their rule reports
 * nothing there), a false positive when Rampart prints a finding on it. Annotation lines and the
 * cases of rules not listed below are neither. Units whose text occurs verbatim in a seen corpus (the
 * `--seen` trees) are left out and counted.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join, relative } from "node:path";
import { evaluateLineFiles, type LineFile } from "./eval-secrets-tally.js";

/**
 * semgrep rules whose positives are hard-coded credential values (fixed, commit of this file, before
 * the first run). Left out: rules about configuration or use rather than a value (basic auth enabled,
 * password authentication allowed, MD5 for passwords, empty or None passwords, JWT `none`, unverified
 * decodes, cookie flags, logging of credentials, secrets passed as Docker build args, hashids salts).
 */
export const SEMGREP_RULES = new Set([
  "avoid_hardcoded_config_SECRET_KEY",
  "aws-lambda-environment-credentials",
  "aws-provider-static-credentials",
  "build-gradle-password-hardcoded",
  "check-secrets",
  "express-jwt-hardcoded-secret",
  "express-session-hardcoded-secret",
  "hardcoded-hmac-key",
  "hardcoded-http-auth-in-controller",
  "hardcoded-jwt-key",
  "hardcoded-jwt-secret",
  "hardcoded-passport-secret",
  "hardcoded-password-default-argument",
  "hardcoded-secret-rsa-passphrase",
  "hardcoded-token",
  "java-jwt-hardcoded-secret",
  "jwt-python-hardcoded-secret",
  "jwt-scala-hardcode",
  "rds-insecure-password-storage-in-source-code",
  "ruby-jwt-hardcoded-secret",
  "scala-jwt-hardcoded-secret",
]);

/**
 * Bearer rule test folders whose positives are hard-coded credential values (fixed before the first
 * run). Left out: weak hashes/ciphers for passwords, empty database passwords, missing authentication,
 * session keys from user input, key sizes, password length, Django "weak" secret keys (a label on the
 * key's strength, not on its being written in the code).
 */
export const BEARER_RULES = new Set([
  "go/gosec/secrets",
  "go/lang/hardcoded_mysql_database_password",
  "go/lang/hardcoded_pg_database_password",
  "java/lang/hardcoded_database_password",
  "java/lang/hardcoded_secret",
  "javascript/express/hardcoded_secret",
  "javascript/lang/hardcoded_secret",
  "javascript/lang/jwt_hardcoded_secret",
  "javascript/third_parties/passport_hardcoded_secret",
  "php/lang/hardcoded_secret",
  "ruby/lang/hardcoded_secret",
]);

const SEMGREP_NOTE = /(?:#|\/\/|<!--|\/\*|--|;)\s*(todoruleid|ruleid|todook|ok)\s*:\s*([\w.-]+(?:\s*,\s*[\w.-]+)*)/;
const BEARER_NOTE = /(?:#|\/\/|<!--|\/\*)\s*bearer:expected\s+([\w.-]+)/;

function* walk(dir: string): Generator<string> {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* walk(p);
    else yield p;
  }
}

interface Note {
  /** First line of the case (1-based). */
  line: number;
  /** The line of the annotation itself (excluded), or 0 when it trails code on the case's line. */
  own: number;
  positive: boolean;
  claimed: boolean;
}

/** Builds a labelled file from its annotations: claimed cases become positive blocks (or negatives), others are excluded. */
function labelled(group: string, name: string, text: string, notes: Note[]): LineFile {
  const lines = text.split("\n");
  const noteLines = new Set(notes.map((n) => n.own).filter((n) => n > 0));
  const f: LineFile = { group, name, text, positives: [], excluded: new Set(noteLines) };
  for (const n of notes) {
    let end = n.line;
    while (end < lines.length && lines[end]!.trim() !== "" && !noteLines.has(end + 1)) end++;
    if (n.claimed && n.positive) f.positives.push([n.line, end]);
    else if (!n.claimed) for (let k = n.line; k <= end; k++) f.excluded.add(k);
  }
  return f;
}

export function semgrepFiles(checkout: string): LineFile[] {
  const out: LineFile[] = [];
  for (const path of walk(checkout)) {
    const rel = relative(checkout, path);
    if (rel.startsWith("generic/") || rel.startsWith(".") || /\.(ya?ml|md|json)$/.test(rel) || /\.fixed\./.test(rel)) continue;
    const text = readFileSync(path, "utf8");
    if (!/ruleid|ok:/.test(text)) continue;
    const lines = text.split("\n");
    const notes: Note[] = [];
    let any = false;
    lines.forEach((l, i) => {
      const m = SEMGREP_NOTE.exec(l);
      if (!m) return;
      const rules = m[2]!.split(/\s*,\s*/);
      const claimed = rules.some((r) => SEMGREP_RULES.has(r));
      any ||= claimed;
      const trailing = l.slice(0, m.index).trim() !== "";
      notes.push({ line: trailing ? i + 1 : i + 2, own: trailing ? 0 : i + 1, positive: m[1]!.endsWith("ruleid"), claimed });
    });
    if (any) out.push(labelled(rel.split("/").slice(0, -1).join("/"), basename(rel), text, notes));
  }
  return out;
}

export function bearerFiles(checkout: string): LineFile[] {
  const out: LineFile[] = [];
  for (const rule of [...BEARER_RULES].sort()) {
    const dir = join(checkout, "tests", rule);
    for (const path of walk(dir)) {
      if (!relative(dir, path).split("/").includes("testdata")) continue;
      const text = readFileSync(path, "utf8");
      const notes: Note[] = [];
      text.split("\n").forEach((l, i) => {
        const m = BEARER_NOTE.exec(l);
        if (m) notes.push({ line: i + 2, own: i + 1, positive: true, claimed: true });
      });
      out.push(labelled(rule, basename(path), text, notes));
    }
  }
  return out;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const [kind, checkout] = args;
  if ((kind !== "semgrep" && kind !== "bearer") || !checkout || checkout.startsWith("--")) {
    console.error("usage: npx tsx bench/eval-secrets-annotated.ts semgrep|bearer CHECKOUT [--seen DIR ...] [--list]");
    process.exit(2);
  }
  const files = kind === "semgrep" ? semgrepFiles(checkout) : bearerFiles(checkout);
  await evaluateLineFiles(files, args, kind, `${kind} rule test`);
}

if (process.argv[1]?.endsWith("eval-secrets-annotated.ts"))
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
