/**
 * Secrets precision/recall on GitHub's custom secret-scanning patterns
 * (advanced-security/secret-scanning-custom-patterns): each folder holds a `patterns.yml` and the test
 * files its patterns run over. A pattern with an `expected` list names every span (file, start and end
 * byte offset) it must report in the folder's files, and the repository's test runner fails on any match
 * that is not listed, so within a folder those spans are the authors' positives for that pattern and
 * everything else is not a match of it. Read from a checkout at evaluation time (YAML read as data, the
 * test runner never run); nothing of it is committed.
 *
 *   npx tsx bench/eval-secrets-ghcustom.ts CHECKOUT [--seen DIR ...] [--list]
 *
 * Units (declared before the first run, docs/code-secrets.md "session 13"): every file directly in a
 * folder with a selected pattern (the files the runner scans there; `patterns.yml` and the folder's
 * generated `README.md` left out) is scanned whole under its own name. A positive is the line block of an
 * `expected` span of a selected pattern, found when Rampart prints a counted finding (every severity except
 * `info`) on one of its lines. Neither positive nor negative: lines of spans expected by patterns of kinds
 * Rampart does not claim, and lines matched by patterns that have no `expected` list (unlabelled: the
 * runner only logs them), as recorded in the folder's `__snapshots__/*.csv`. Every other non-blank line is
 * a negative, a false positive when Rampart prints a counted finding on it.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { evaluateLineFiles, type LineFile } from "./eval-secrets-tally.js";

/**
 * Patterns of kinds Rampart claims, fixed before the first run: passwords under a name (Spring datasource,
 * YAML password fields, .NET `<add key="…Password" value=…>`, T-SQL `CREATE LOGIN … WITH PASSWORD`, the
 * generic password rule), generated secrets under a name (Django `SECRET_KEY`, ASP.NET `machineKey`
 * validation/decryption keys), connection strings with a password, passwords in URLs, Authorization
 * Bearer/Token values, JWTs, private keys (PEM, OpenSSH, PGP) and SendGrid keys. Every other pattern with
 * an `expected` list is unclaimed (UUIDs, IP addresses, e-mail addresses, internal URLs, image-name typos,
 * SSH *public* keys, Datadog, Grafana, Okta and Sentry tokens, card numbers, IBANs, a word list).
 */
export const SELECTED = new Set([
  "hardcoded_spring_sql_passwords",
  "django_secret_key",
  "yaml_static_password_fields",
  "dotnet_configuration",
  "dotnet_machinekey",
  "database_connection_string_1",
  "database_connection_string_2",
  "database_connection_string_3",
  "database_connection_string_full",
  "tsql_create_login_or_user",
  "sqlalchemy_connection_string",
  "mongodb_connection_string",
  "jdbc_connection_string",
  "generic_passwords",
  "bearer_tokens",
  "jwt",
  "generic_rsa_keys",
  "ssh_private_keys",
  "gpg_private_key",
  "hardcoded_uri_passwords",
  "azure_sql_connection_string",
  "sendgrid",
]);

interface Expected {
  name: string;
  start_offset: number;
  end_offset: number;
}
interface Pattern {
  type: string;
  expected?: Expected[];
}

/** 1-based line of a byte offset in a file's bytes. */
function lineAt(bytes: Buffer, offset: number): number {
  let n = 1;
  for (let i = 0; i < Math.min(offset, bytes.length); i++) if (bytes[i] === 0x0a) n++;
  return n;
}

/** Lines matched by one pattern in a folder, as its snapshot CSV records them: file → line numbers. */
function snapshotLines(csv: string): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const row of csv.split("\n").slice(1)) {
    // "type","display name","sha256","path","start_line","end_line","start_col","end_col",
    const cells = [...row.matchAll(/"([^"]*)"/g)].map((m) => m[1]!);
    if (cells.length < 6) continue;
    const file = cells[3]!.split("/").pop()!;
    const [a, b] = [Number(cells[4]), Number(cells[5])];
    const lines = out.get(file) ?? [];
    for (let n = a; n <= b; n++) lines.push(n);
    out.set(file, lines);
  }
  return out;
}

export function ghCustomFiles(checkout: string): LineFile[] {
  const out: LineFile[] = [];
  for (const folder of readdirSync(checkout).sort()) {
    const dir = join(checkout, folder);
    if (!statSync(dir).isDirectory() || !existsSync(join(dir, "patterns.yml"))) continue;
    const patterns = ((parseYaml(readFileSync(join(dir, "patterns.yml"), "utf8")) as { patterns?: Pattern[] }).patterns ?? []).filter((p) => p && typeof p.type === "string");
    if (!patterns.some((p) => SELECTED.has(p.type) && p.expected?.length)) continue;
    const names = readdirSync(dir)
      .filter((n) => n !== "patterns.yml" && n !== "README.md" && statSync(join(dir, n)).isFile())
      .sort();
    const files = new Map<string, LineFile & { bytes: Buffer }>();
    for (const name of names) {
      const bytes = readFileSync(join(dir, name));
      if (bytes.subarray(0, 8192).includes(0)) continue; // binary (a Java keystore): nothing to read per line
      files.set(name, { group: folder, name, text: bytes.toString("utf8"), positives: [], excluded: new Set(), bytes });
    }
    for (const p of patterns) {
      if (p.expected?.length) {
        for (const e of p.expected) {
          const f = files.get(e.name);
          if (!f) continue;
          const block: [number, number] = [lineAt(f.bytes, e.start_offset), lineAt(f.bytes, Math.max(e.start_offset, e.end_offset - 1))];
          if (SELECTED.has(p.type)) {
            if (!f.positives.some(([a, b]) => a === block[0] && b === block[1])) f.positives.push(block);
          } else for (let n = block[0]; n <= block[1]; n++) f.excluded.add(n);
        }
      } else {
        const snap = join(dir, "__snapshots__", `${p.type}.csv`);
        if (!existsSync(snap)) continue;
        for (const [name, lines] of snapshotLines(readFileSync(snap, "utf8"))) {
          const f = files.get(name);
          if (f) for (const n of lines) f.excluded.add(n);
        }
      }
    }
    for (const f of files.values()) {
      // Overlapping positive blocks (two patterns on one key) are one unit: keep the widest.
      f.positives = f.positives.filter(([a, b]) => !f.positives.some(([c, d]) => c <= a && d >= b && (c !== a || d !== b)));
      out.push({ group: f.group, name: f.name, text: f.text, positives: f.positives, excluded: f.excluded });
    }
  }
  return out;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const checkout = args[0];
  if (!checkout || checkout.startsWith("--")) {
    console.error("usage: npx tsx bench/eval-secrets-ghcustom.ts CHECKOUT [--seen DIR ...] [--list]");
    process.exit(2);
  }
  await evaluateLineFiles(ghCustomFiles(checkout), args, "ghcustom", "GitHub custom secret-scanning patterns");
}

if (process.argv[1]?.endsWith("eval-secrets-ghcustom.ts"))
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
