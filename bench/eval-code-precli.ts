/**
 * Precision/recall of `rampart scan code` (and Bandit) on the Python rule examples of securesauce/precli,
 * labelled by precli's authors in each example file's header (session 12 held-out set; declared in
 * docs/code-secrets.md before any run).
 *
 *   npx tsx bench/eval-code-precli.ts <precli checkout> [--bandit | --list] [--seen DIR ...]
 *
 * The checkout is read at evaluation time; nothing of it is committed. Which examples are read: every
 * `"….py"` name in a mapped rule's test (`tests/unit/rules/python/stdlib/<module>/test_<rule>.py`), read
 * from that folder's `examples/`, plus every other example of that folder whose level is NONE (the safe
 * look-alikes of the module: precli's authors assert that no precli rule, the mapped one included, fires on
 * them). Labels, as precli's own test (`tests/unit/rules/test_case.py`) reads them: the first header
 * comment `# level: X`; for X other than NONE the next ones give `start_line` and `end_line`, and the test
 * asserts exactly one finding (of any precli rule, notes aside) at that place; for NONE it asserts no
 * finding at all. So, per (file, line, category of the folder's mapped rule):
 * - `start_line` of a non-NONE example of a mapped test is vulnerable;
 * - every other code line of those examples (lines start_line+1..end_line aside) is safe, and so is every
 *   code line of the folder's NONE examples;
 * - blank and comment-only lines, and lines carrying a precli `# suppress:` comment (a finding its authors
 *   silenced, not a safe line), are not scored.
 * Every finding each tool prints by default counts (all severities, both tools; eval-code-categories.ts);
 * a finding on a vulnerable line of its category is a true positive, on a safe line of its category a
 * false positive; findings of other categories are not scored (counted apart).
 *
 * `--seen DIR` (repeatable): leave out an example whose code (comments and blank lines removed, lines
 * trimmed) occurs verbatim inside a `.py` file under DIR (the seen sets: Bandit's examples, semgrep-rules).
 *
 * The mapping below was written and committed (session 12) before Rampart or Bandit was run on any of
 * these files, and is not to be changed after looking at scores.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { banditHits, type Category, type Hit, LINE_TABLE_HEADER, type LineLabels, rampartHits, scoreLines } from "./eval-code-categories.js";

const ROOT = "tests/unit/rules/python/stdlib";

/** precli rule test (under ROOT) → the Rampart category its rule checks (precli's CWE in the comment). */
const MAPPED: Record<string, Category> = {
  "pickle/test_pickle_load.py": "deser", // PY013, CWE-502
  "marshal/test_marshal_load.py": "deser", // PY011, CWE-502
  "shelve/test_shelve_open.py": "deser", // PY015, CWE-502
  "ssl/test_ssl_create_context.py": "tls", // PY017 ssl._create_unverified_context, CWE-295
  "ftplib/test_ftplib_unverified_context.py": "tls", // PY022, CWE-295
  "imaplib/test_imaplib_unverified_context.py": "tls", // PY023
  "nntplib/test_nntplib_unverified_context.py": "tls", // PY024
  "poplib/test_poplib_unverified_context.py": "tls", // PY025
  "smtplib/test_smtplib_unverified_context.py": "tls", // PY026
  "socket/test_socket_unrestricted_bind.py": "debug", // PY029 bind to every interface, CWE-1327 (as Sonar's, session 5)
  "socketserver/test_socketserver_unrestricted_bind.py": "debug", // PY030
  "http/test_http_server_unrestricted_bind.py": "debug", // PY031
  "xmlrpc/test_xmlrpc_server_unrestricted_bind.py": "debug", // PY032
};

/**
 * Side table, scored apart and not in the headline: `logging.config.listen()` without `verify` runs the
 * configuration a socket sends (PY010, CWE-94). It is code from data, but not one of the issue's listed
 * sinks (eval/exec/compile), so it is reported on its own for both tools, as Rampart's exec category.
 */
const SIDE: Record<string, Category> = {
  "logging/test_logging_insecure_listen_config.py": "exec", // PY010, CWE-94
};
/*
 * Deliberately NOT mapped (decided with the lists above, before any run): json_load (PY009: JSON runs no
 * code; Rampart does not claim it), the cleartext, no-timeout, weak-hash, weak-key, TLS-version, ECDH-curve,
 * HMAC timing, file-permission, setuid, tempfile, ReDoS, argparse, URL-secret, weak-token and assert rules:
 * weaknesses Rampart does not claim.
 */

/** The header precli's test reads: level, and for a finding its first and last line. */
export function precliHeader(text: string): { level: string; start: number; end: number } {
  const lines = text.split(/\r?\n/, 3).map((l) => l.replace(/^[/#\s]+/, "").trim());
  const level = (lines[0] ?? "").replace(/^level:\s*/, "");
  if (!/^[A-Z]+$/.test(level)) throw new Error(`no "# level:" header on line 1`);
  if (level === "NONE") return { level, start: -1, end: -1 };
  const start = Number((lines[1] ?? "").replace(/^start_line:\s*/, ""));
  const end = Number((lines[2] ?? "").replace(/^end_line:\s*/, ""));
  if (!Number.isInteger(start) || !Number.isInteger(end)) throw new Error(`bad start_line/end_line header`);
  return { level, start, end };
}

/** A text reduced for the seen-copy check: code lines only, each trimmed, joined by newlines. */
function codeOnly(text: string): string {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"))
    .join("\n");
}

function pyFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const s = statSync(p);
    if (s.isDirectory()) pyFiles(p, out);
    else if (name.endsWith(".py")) out.push(p);
  }
  return out;
}

interface Corpus {
  labels: LineLabels;
  files: string[];
  left: string[];
}

function readLabels(checkout: string, mapping: Record<string, Category>, seen: readonly string[]): Corpus {
  const labels: LineLabels = new Map();
  const files: string[] = [];
  const left: string[] = [];
  for (const [test, category] of Object.entries(mapping)) {
    const testText = readFileSync(join(checkout, ROOT, test), "utf8");
    const folder = join(ROOT, test.split("/")[0] ?? "", "examples");
    const listed = [...testText.matchAll(/"([A-Za-z0-9_.-]+\.py)"/g)].map((m) => m[1] ?? "");
    const safeLookAlikes = readdirSync(join(checkout, folder))
      .filter((n) => n.endsWith(".py"))
      .sort()
      .filter((n) => /^#\s*level:\s*NONE\s*$/m.test(readFileSync(join(checkout, folder, n), "utf8").split(/\r?\n/, 1)[0] ?? ""));
    for (const name of new Set([...listed, ...safeLookAlikes])) {
      const file = join(folder, name);
      if (files.includes(file) || left.includes(file)) continue;
      const text = readFileSync(join(checkout, file), "utf8");
      let header: ReturnType<typeof precliHeader>;
      try {
        header = precliHeader(text);
      } catch (e) {
        console.error(`${file}:1: ${(e as Error).message}`);
        process.exit(2);
      }
      const code = codeOnly(text);
      if (seen.some((s) => s.includes(code))) {
        left.push(file);
        continue;
      }
      files.push(file);
      text.split(/\r?\n/).forEach((line, i) => {
        const n = i + 1;
        const t = line.trim();
        if (t === "" || t.startsWith("#") || /#\s*suppress:/.test(line)) return;
        if (n > header.start && n <= header.end) return; // continuation lines of the finding: not scored
        labels.set(`${file}:${n}:${category}`, n === header.start);
      });
    }
  }
  return { labels, files, left };
}

function describe(name: string, c: Corpus): string {
  const vulnerable = [...c.labels.values()].filter(Boolean).length;
  const cats = new Map<string, number>();
  for (const [k, v] of c.labels) if (v) cats.set(k.split(":").pop() ?? "", (cats.get(k.split(":").pop() ?? "") ?? 0) + 1);
  const safeFiles = c.files.filter((f) => ![...c.labels].some(([k, v]) => v && k.startsWith(`${f}:`))).length;
  return `${name}: ${c.files.length} examples (${safeFiles} with level NONE), ${vulnerable} vulnerable lines (${[...cats].map(([k, v]) => `${k} ${v}`).join(", ")}), ${c.labels.size - vulnerable} safe code lines; ${c.left.length} left out as seen copies${c.left.length ? `: ${c.left.join(" ")}` : ""}`;
}

async function score(checkout: string, c: Corpus, bandit: boolean): Promise<void> {
  const short = (k: string) => k.replace(`${ROOT}/`, "");
  for (const l of LINE_TABLE_HEADER) console.log(l);
  const rampart: Hit[] = await rampartHits(checkout, c.files);
  for (const l of scoreLines("rampart", rampart, c.labels, short)) console.log(l);
  if (!bandit) return;
  const b = banditHits(checkout, c.files);
  for (const l of scoreLines(`bandit ${b.version}`, b.hits, c.labels, short)) console.log(l);
  console.log(`  bandit could not parse ${b.errors.length} files: ${b.errors.join(" ")}`);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const checkout = args[0];
  if (!checkout || checkout.startsWith("--")) {
    console.error("usage: npx tsx bench/eval-code-precli.ts <precli checkout> [--bandit | --list] [--seen DIR ...]");
    process.exit(2);
  }
  const seenDirs = args.flatMap((a, i) => (args[i - 1] === "--seen" ? [a] : []));
  const seen = seenDirs.flatMap((d) => pyFiles(d)).map((f) => codeOnly(readFileSync(f, "utf8")));
  const main = readLabels(checkout, MAPPED, seen);
  const side = readLabels(checkout, SIDE, seen);
  console.log(describe("headline", main));
  console.log(describe("side table (logging listen, exec)", side));
  if (args.includes("--list")) {
    for (const [k, v] of [...main.labels, ...side.labels]) if (v) console.log(`${k} vulnerable`);
    for (const f of [...main.files, ...side.files]) if (![...main.labels, ...side.labels].some(([k, v]) => v && k.startsWith(`${f}:`))) console.log(`${f} safe (level NONE)`);
    return;
  }
  console.log("headline:");
  await score(checkout, main, args.includes("--bandit"));
  console.log("side table (logging.config.listen, CWE-94, scored as exec):");
  await score(checkout, side, args.includes("--bandit"));
}

await main();
