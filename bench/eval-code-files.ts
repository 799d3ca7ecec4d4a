/**
 * Per-file scoring shared by the harnesses whose units are whole files with one family each (BenchProctor, session
 * 22; the OpenSSF guide, session 23): a unit is found when the tool prints a finding of the unit's family anywhere
 * in the file; found + vulnerable is a true positive, found + safe a false positive; a flagged (file, family) that
 * is no unit is not scored (counted apart).
 */
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { BANDIT, banditHits, type Category, type CategoryTally, RAMPART, tallyLines, tallyOf } from "./eval-code-categories.js";

/** Rampart's families here: eval-code-categories.ts's, with path traversal and archive extraction as `path` (CWE-22). */
export type Family = Category | "path" | WebCryptoFamily;

/**
 * The families of the session-25 web and crypto rules (open redirect, SSRF, XSS, LDAP and XPath injection, XML
 * entities, weak crypto, insecure randomness, permissive file modes, JWT checks off, insecure temp files), scored
 * by harnesses that map them (eval-code-securecode.ts, session 25).
 */
export type WebCryptoFamily = "redirect" | "ssrf" | "xss" | "ldap" | "xpath" | "xml" | "crypto" | "random" | "filemode" | "jwt" | "tempfile";

/** What a harness may read of a finding to give it a family. */
export interface ScoredFinding {
  ruleId: string;
  tags?: readonly string[];
}

export interface FileCase {
  file: string;
  /** How the unit is named in the missed and false-positive lists. */
  label: string;
  family: Family;
  vulnerable: boolean;
}

export interface FileHit {
  file: string;
  family: Family;
}

export const RAMPART_FAMILY: Record<string, Family> = { ...RAMPART, "code.archive-extraction": "path", "code.path-traversal": "path" };
export const BANDIT_FAMILY: Record<string, Family> = { ...BANDIT, B202: "path" };

/**
 * Session 25's crypto-misuse rules (XML entities, weak hashes and ciphers, predictable randomness, file modes, JWT,
 * mktemp) as one family, for harnesses whose held-out run came before them and count them only when asked.
 */
const SESSION25_CRYPTO: Record<string, Family> = {
  "code.xml-external-entities": "crypto",
  "code.weak-hash": "crypto",
  "code.weak-cipher": "crypto",
  "code.insecure-random": "crypto",
  "code.permissive-file-mode": "crypto",
  "code.jwt-verify-disabled": "crypto",
  "code.insecure-temp-file": "crypto",
};
export const withSession25Crypto = (x: ScoredFinding): Family | undefined => RAMPART_FAMILY[x.ruleId] ?? SESSION25_CRYPTO[x.ruleId];

/**
 * Rampart's findings of a counted family per file (one thread, file by file), from this tree or another build's
 * `dist/`; `familyOf` gives a finding its family (by default the rule id's, RAMPART_FAMILY).
 */
export async function rampartFileHits(
  root: string,
  files: readonly string[],
  dist: string | undefined,
  familyOf: (finding: ScoredFinding) => Family | undefined = (x) => RAMPART_FAMILY[x.ruleId],
): Promise<FileHit[]> {
  const mod = dist ? await import(pathToFileURL(join(resolve(dist), "scan/code/index.js")).href) : await import("../src/scan/code/index.js");
  const scan = mod.scanCode as (p: string, o: { workers: number }) => Promise<{ findings: ScoredFinding[] }>;
  const hits: FileHit[] = [];
  for (const f of files) {
    const r = await scan(join(root, f), { workers: 1 });
    for (const x of r.findings) {
      const family = familyOf(x);
      if (family) hits.push({ file: f, family });
    }
  }
  return hits;
}

/** Bandit's findings of a counted family per file (test ids mapped by `ids`), its version and the files it could not parse. */
export function banditFileHits(root: string, files: readonly string[], ids: Record<string, Family> = BANDIT_FAMILY): { version: string; hits: FileHit[]; errors: string[] } {
  const bandit = banditHits(root, files, ids as Record<string, Category>);
  return { version: bandit.version, hits: bandit.hits.map((h) => ({ file: h.file, family: h.category as Family })), errors: bandit.errors };
}

/**
 * The table row and the per-family, missed and false-positive lines. The last column counts the flagged (file,
 * family) pairs that are no unit (`unscored: "files"`, and `"list"` lists them too) or the findings outside units
 * (`"hits"`, OWASP's harness since session 6).
 */
export function scoreFiles(tool: string, hits: readonly FileHit[], cases: readonly FileCase[], unscoredAs: "files" | "list" | "hits" = "files"): string[] {
  const flagged = new Set(hits.map((h) => `${h.file}:${h.family}`));
  const byCat = new Map<string, CategoryTally>();
  const missed: string[] = [];
  const fps: string[] = [];
  let tp = 0;
  let wanted = 0;
  for (const c of cases) {
    const s = tallyOf(byCat, c.family);
    const found = flagged.has(`${c.file}:${c.family}`);
    if (c.vulnerable) {
      wanted++;
      s.n++;
      if (found) {
        tp++;
        s.tp++;
      } else missed.push(`${c.label}:${c.family}`);
    } else {
      s.neg++;
      if (found) {
        s.fp++;
        fps.push(`${c.label}:${c.family}`);
      }
    }
  }
  const scored = new Set(cases.map((c) => `${c.file}:${c.family}`));
  const unscored = [...flagged].filter((k) => !scored.has(k)).sort();
  const unscoredCount = unscoredAs === "hits" ? hits.filter((h) => !scored.has(`${h.file}:${h.family}`)).length : unscored.length;
  const precision = tp + fps.length ? tp / (tp + fps.length) : 1;
  const recall = wanted ? tp / wanted : 1;
  return [
    `| ${tool} | ${wanted} | ${cases.length - wanted} | ${tp} | ${fps.length} | ${precision.toFixed(3)} | ${recall.toFixed(3)} | ${unscoredCount} |`,
    ...tallyLines(byCat, missed, fps),
    ...(unscoredAs === "list" ? [`  not scored (a counted family outside its units): ${unscored.join(" ") || "none"}`] : []),
  ];
}

/**
 * `--bandit` on unit folders (the taint-test harnesses): Bandit on the units' files, each finding credited to its
 * unit (the first part of its path, relative to the work folder), scored as `scoreFiles` scores; the table's lines.
 */
export function banditUnitLines(work: string, files: readonly string[], cases: readonly FileCase[], ids: Record<string, Family>): string[] {
  const bandit = banditFileHits(work, files, ids);
  const unitOf = (file: string) => file.split("/")[0] ?? file;
  return [
    ...scoreFiles(
      `bandit ${bandit.version}`,
      bandit.hits.map((h) => ({ file: unitOf(h.file), family: h.family })),
      cases,
      "list",
    ),
    `  bandit could not parse ${bandit.errors.length} files: ${bandit.errors.join(" ")}`,
  ];
}

/** The value given after `flag` on the command line (`--work <dir>`, `--dist <dist/>`), if any. */
export function optionValue(args: readonly string[], flag: string): string | undefined {
  const at = args.indexOf(flag);
  return at >= 0 ? args[at + 1] : undefined;
}

/** Scores Rampart (this tree, or `--dist <dist/>`) and, with `--bandit`, Bandit on the files; prints the table. */
export async function runFileScoring(
  root: string,
  files: readonly string[],
  cases: readonly FileCase[],
  args: readonly string[],
  header: string,
  unscoredAs: "files" | "list" = "files",
): Promise<void> {
  const at = args.indexOf("--dist");
  const dist = at >= 0 ? args[at + 1] : undefined;
  console.log(header);
  console.log("|---|---|---|---|---|---|---|---|");
  for (const l of scoreFiles(dist ? `rampart (${dist})` : "rampart", await rampartFileHits(root, files, dist), cases, unscoredAs)) console.log(l);
  if (!args.includes("--bandit")) return;
  const bandit = banditFileHits(root, files);
  for (const l of scoreFiles(`bandit ${bandit.version}`, bandit.hits, cases, unscoredAs)) console.log(l);
  console.log(`  bandit could not parse ${bandit.errors.length} files: ${bandit.errors.join(" ")}`);
}
