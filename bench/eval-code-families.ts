/**
 * The weakness families the session-25 and later per-file harnesses score (eval-code-securecode.ts, session 25;
 * eval-code-codiga.ts, session 26): CWE ids and rule ids to families, and Bandit's test ids, kept in one place so that
 * every harness maps the merged code the same way. Moved unchanged from eval-code-securecode.ts (session 26).
 */
import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import {
  BANDIT_FAMILY,
  banditFileHits,
  banditUnitLines,
  type Family,
  type FileCase,
  type FileHit,
  optionValue,
  RAMPART_FAMILY,
  rampartFileHits,
  type ScoredFinding,
  scoreFiles,
  type WebCryptoFamily,
} from "./eval-code-files.js";

/** CWE id → family; decided before any run. Families before session 25 first, then the session-25 ones. */
export const FAMILY_OF_CWE: Record<number, Family> = {
  77: "shell",
  78: "shell",
  88: "shell", // argument injection, scored as shell since session 24
  89: "sql",
  502: "deser",
  94: "exec",
  95: "exec",
  1336: "exec", // template injection
  295: "tls",
  22: "path",
  23: "path",
  36: "path",
  798: "cred",
  259: "cred",
  321: "cred", // hard-coded cryptographic key
  494: "download",
  215: "debug",
  489: "debug",
  209: "debug", // error details in responses (session 24's mapping)
  601: "redirect",
  918: "ssrf",
  79: "xss",
  80: "xss",
  90: "ldap",
  643: "xpath",
  611: "xml",
  776: "xml",
  327: "crypto", // broken or risky algorithm: weak hash, weak cipher or weak TLS version alike
  328: "crypto",
  916: "crypto",
  326: "crypto",
  759: "crypto",
  760: "crypto",
  330: "random",
  338: "random",
  732: "filemode",
  276: "filemode",
  347: "jwt",
  377: "tempfile",
};

export const NEW_FAMILIES: readonly WebCryptoFamily[] = ["redirect", "ssrf", "xss", "ldap", "xpath", "xml", "crypto", "random", "filemode", "jwt", "tempfile"];
export const OLD_FAMILIES: readonly Family[] = ["shell", "sql", "deser", "exec", "tls", "path", "cred", "download", "debug"];
export const FAMILIES: readonly Family[] = [...OLD_FAMILIES, ...NEW_FAMILIES];

/** The session-25 rule ids as the briefs name them, and the older rules of those families. */
export const NEW_RULE_FAMILY: Record<string, Family> = {
  "code.open-redirect": "redirect",
  "code.ssrf": "ssrf",
  "code.agent-open-requests": "ssrf", // an agent tool that fetches any URL it is given (CWE-918)
  "code.xss": "xss",
  "code.template-autoescape-off": "xss",
  "code.ldap-injection": "ldap",
  "code.xpath-injection": "xpath",
  "code.xml-external-entities": "xml",
  "code.weak-hash": "crypto",
  "code.weak-cipher": "crypto",
  "code.tls-weak-protocol": "crypto", // CWE-327 too
  "code.insecure-random": "random",
  "code.permissive-file-mode": "filemode",
  "code.jwt-verify-disabled": "jwt",
  "code.insecure-temp-file": "tempfile",
};

/** Bandit test ids of the new families (bandit.readthedocs.io plugins and blacklists); calls only, not imports. */
export const NEW_BANDIT_FAMILY: Record<string, Family> = {
  B303: "crypto", // md5 / sha1 (blacklist call)
  B324: "crypto", // hashlib with a weak hash
  B304: "crypto", // insecure cipher
  B305: "crypto", // insecure cipher mode
  B505: "crypto", // weak key size
  B502: "crypto", // ssl with a bad version
  B503: "crypto",
  B504: "crypto",
  B311: "random",
  B313: "xml",
  B314: "xml",
  B315: "xml",
  B316: "xml",
  B317: "xml",
  B318: "xml",
  B319: "xml",
  B320: "xml",
  B103: "filemode",
  B306: "tempfile", // mktemp
  B108: "tempfile", // hard-coded temp path
  B308: "xss", // mark_safe
  B701: "xss", // jinja2 autoescape off
  B702: "xss", // mako templates
  B703: "xss", // django mark_safe
};

/**
 * A finding's family: its rule id's, else its rule's CWE's (first `cwe:` tag). The session-25 ids come first, and a
 * shared mapping's family that is none of this harness's (another harness may name a new rule's category otherwise)
 * gives way to the CWE, so that the merged code is scored by this file's families whatever the shared tables say.
 */
export function findingFamily(finding: ScoredFinding): Family | undefined {
  const byId = NEW_RULE_FAMILY[finding.ruleId] ?? RAMPART_FAMILY[finding.ruleId];
  if (byId && FAMILIES.includes(byId)) return byId;
  const cwe = finding.tags?.find((t) => t.startsWith("cwe:"));
  return cwe ? FAMILY_OF_CWE[Number(cwe.slice(4))] : undefined;
}

/** Bandit's ids: the shared table's for the older families, then this file's for the new ones. */
export function banditIds(): Record<string, Family> {
  const old = new Set<Family>(OLD_FAMILIES);
  const ids = Object.fromEntries(Object.entries(BANDIT_FAMILY).filter(([, f]) => old.has(f)));
  return { ...ids, ...NEW_BANDIT_FAMILY };
}

/** `--list` lines of a per-file harness: units per family, then each unit's file, family and label. */
export function unitListLines(cases: readonly FileCase[]): string[] {
  const vulnerable = cases.filter((x) => x.vulnerable);
  return [
    ...[...new Set(cases.map((x) => x.family))].map(
      (f) => `${f}: ${vulnerable.filter((x) => x.family === f).length} vulnerable, ${cases.filter((x) => x.family === f && !x.vulnerable).length} safe`,
    ),
    ...cases.map((x) => `${x.file} ${x.family} ${x.vulnerable ? "vulnerable" : "safe"}`),
  ];
}

/**
 * Scores Rampart (this tree, or `--dist <dist/>`) and, with `--bandit`, Bandit on the unit files with this file's
 * families, listing the findings outside the units; prints the table (the Codiga and Datadog harnesses).
 */
export async function printFamilyScores(work: string, files: readonly string[], cases: readonly FileCase[], args: readonly string[]): Promise<void> {
  const dist = optionValue(args, "--dist");
  console.log("| tool | vulnerable units | safe units | true positives | false positives | precision | recall | other flagged |");
  console.log("|---|---|---|---|---|---|---|---|");
  for (const l of scoreFiles(dist ? `rampart (${dist})` : "rampart", await rampartFileHits(work, files, dist, findingFamily), cases, "list")) console.log(l);
  if (!args.includes("--bandit")) return;
  const bandit = banditFileHits(work, files, banditIds());
  for (const l of scoreFiles(`bandit ${bandit.version}`, bandit.hits, cases, "list")) console.log(l);
  console.log(`  bandit could not parse ${bandit.errors.length} files: ${bandit.errors.join(" ")}`);
}

/**
 * The Codiga set's rule folders → family, decided from each rule's name, CWE and description before its run (session
 * 26; moved here unchanged in session 27, where the same rules' successors on Datadog's pages map alike).
 */
export const CODIGA_RULE_FAMILY: Record<string, Family> = {
  "avoid-random": "random", // CWE-330: any use of the random module
  "aws-boto3-credentials": "cred", // CWE-798: keys written into a boto3 client or session
  "deserialize-untrusted-data": "deser", // CWE-502: pickle / marshal loads
  "file-write-others": "filemode", // the corpus says CWE-280 (CWE-275 in its text): chmod with S_IWOTH, CWE-732 here
  "insecure-hash-functions": "crypto", // CWE-327
  "insecure-jwt": "jwt", // the corpus says CWE-287: jwt.decode with verify_signature off, CWE-347 here
  "insecure-ssl-protocols": "crypto", // CWE-757 in its text: SSLv2/SSLv3/TLSv1, the weak-TLS rules' CWE-327 here
  "jinja2-autoescape": "xss", // the corpus says CWE-94; its text says XSS (autoescape off, CWE-79)
  mktemp: "tempfile", // CWE-377
  "no-eval": "exec", // CWE-94/95
  "request-verify": "tls", // no CWE given: requests with verify=False, CWE-295
  "sql-injection": "sql", // CWE-89
  "sql-server-security-credentials": "cred", // no CWE given: a password literal given to a database connect call, CWE-798
  "ssl-unverified-context": "tls", // CWE-295
  "subprocess-shell-true": "shell", // CWE-78
  "variable-sql-statement-injection": "sql", // CWE-89
  "yaml-load": "deser", // CWE-502
};

/**
 * Text compared for the left-out rules (the Datadog set, session 27; the TaintMonkey set, session 29): the code without its comments and without white space, so that a block that
 * differs from a Codiga test only by a comment (`load("string") # should use safe_load`) or by its layout counts as
 * seen. Strings (also triple-quoted) are kept whole; a `#` inside one is no comment.
 */
export function codeText(code: string): string {
  let out = "";
  let quote = "";
  for (let i = 0; i < code.length; i++) {
    const ch = code[i] as string;
    if (quote) {
      out += ch;
      if (ch === "\\") {
        out += code[i + 1] ?? "";
        i++;
      } else if (code.startsWith(quote, i)) {
        out += quote.slice(1);
        i += quote.length - 1;
        quote = "";
      } else if (ch === "\n" && quote.length === 1) quote = ""; // an unclosed one-line string ends with its line
    } else if (ch === "#") {
      while (i + 1 < code.length && code[i + 1] !== "\n") i++;
    } else if (ch === '"' || ch === "'") {
      quote = code.startsWith(ch.repeat(3), i) ? ch.repeat(3) : ch;
      out += quote;
      i += quote.length - 1;
    } else if (!/\s/.test(ch)) out += ch;
  }
  return out;
}

/**
 * The left-out rules of the unit harnesses (TaintMonkey, session 29; the synthetic taint tests, session 31): a unit
 * whose text the set holds with both labels is left out, and so is a repeat of a unit already taken with the same
 * label. Returns the units kept, in order, and the labels of those left out.
 */
export function keptUnits<U extends { label: string; vulnerable: boolean }>(all: readonly U[], textOf: (u: U) => string): { kept: U[]; bothLabels: string[]; repeats: string[] } {
  const labels = new Map<string, Set<boolean>>();
  for (const u of all) {
    const t = textOf(u);
    labels.set(t, (labels.get(t) ?? new Set()).add(u.vulnerable));
  }
  const out = { kept: [] as U[], bothLabels: [] as string[], repeats: [] as string[] };
  const taken = new Set<string>();
  for (const u of all) {
    const t = textOf(u);
    if ((labels.get(t)?.size ?? 0) > 1) out.bothLabels.push(u.label);
    else if (taken.has(t)) out.repeats.push(u.label);
    else {
      taken.add(t);
      out.kept.push(u);
    }
  }
  return out;
}

/**
 * A unit harness's corpus folder and `--work` folder from the command line, and the corpus read from them; a
 * missing argument or a corpus that cannot be read is a one-line error and exit 2.
 */
export function readUnitCorpus<C>(script: string, usage: string, read: (root: string, work: string) => C): { corpus: C; work: string; rest: string[] } {
  const [root, ...rest] = process.argv.slice(2);
  const work = optionValue(rest, "--work");
  if (!root || root.startsWith("--") || !work) {
    console.error(`usage: npx tsx bench/${script}.ts ${usage}`);
    process.exit(2);
  }
  try {
    return { corpus: read(root, work), work, rest };
  } catch (e) {
    console.error(`${script}: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(2);
  }
}

/** A unit of the unit harnesses (xAST, session 32; EdemEdem's projects, session 36): its folder under `--work`, its files. */
export interface UnitFiles {
  dir: string;
  label: string;
  family: Family;
  vulnerable: boolean;
  files: { name: string; text: string }[];
}

/**
 * Writes each unit's files to `<work>/<unit dir>/<file>`: the scored cases, each unit's file paths (relative to
 * `work`) and a digest of every path and text written, in order (moved from eval-code-xast.ts, session 36).
 */
export function writeUnits(kept: readonly UnitFiles[], work: string): { cases: FileCase[]; units: Map<string, string[]>; digest: string } {
  const cases: FileCase[] = [];
  const units = new Map<string, string[]>();
  const hash = createHash("sha256");
  for (const u of kept) {
    const files: string[] = [];
    for (const f of u.files) {
      const target = join(work, u.dir, f.name);
      mkdirSync(join(target, ".."), { recursive: true });
      writeFileSync(target, f.text);
      files.push(`${u.dir}/${f.name}`);
      hash.update(`${u.dir}/${f.name}\n${f.text}\n`);
    }
    units.set(u.dir, files);
    cases.push({ file: u.dir, label: u.label, family: u.family, vulnerable: u.vulnerable });
  }
  return { cases, units, digest: hash.digest("hex").slice(0, 16) };
}

/**
 * Rampart (this tree's source, or `dist`, a built `dist/`) on each unit folder under `work`, one scan per unit so that
 * its files form one tree: every finding with a family here, credited to its unit (moved from eval-code-xast.ts).
 */
export async function rampartUnitHits(work: string, unitDirs: Iterable<string>, dist: string | undefined): Promise<FileHit[]> {
  const mod = dist ? await import(pathToFileURL(join(resolve(dist), "scan/code/index.js")).href) : await import("../src/scan/code/index.js");
  const scan = mod.scanCode as (p: string, o: { workers: number }) => Promise<{ findings: ScoredFinding[] }>;
  const hits: FileHit[] = [];
  for (const dir of unitDirs) {
    for (const x of (await scan(join(work, dir), { workers: 1 })).findings) {
      const family = findingFamily(x);
      if (family) hits.push({ file: dir, family });
    }
  }
  return hits;
}

/**
 * The tail of a unit harness (xAST, session 32; PyGuard's rule tests, session 37): with `--list` the units, else
 * Rampart's table (this tree or `--dist`) and, with `--bandit`, Bandit's on the same files.
 */
export async function printUnitScores(work: string, units: Map<string, string[]>, cases: readonly FileCase[], files: readonly string[], rest: readonly string[]): Promise<void> {
  if (rest.includes("--list")) {
    for (const l of unitListLines(cases)) console.log(l);
    return;
  }
  const dist = optionValue(rest, "--dist");
  const hits = await rampartUnitHits(work, units.keys(), dist);
  console.log("| tool | vulnerable units | safe units | true positives | false positives | precision | recall | other flagged |");
  console.log("|---|---|---|---|---|---|---|---|");
  for (const l of scoreFiles(dist ? `rampart (${dist})` : "rampart", hits, cases, "list")) console.log(l);
  if (!rest.includes("--bandit")) return;
  for (const l of banditUnitLines(work, files, cases, banditIds())) console.log(l);
}
