/**
 * Precision/recall of `rampart scan code` (and Bandit) on the session-25 held-out set: the Python examples of
 * SecureCode v2.0 (scthornton/securecode-web), a dataset of four-turn conversations in which the second turn gives a
 * `**VULNERABLE CODE**` block and a `**SECURE VERSION**` block for one weakness, with the example's CWE in its
 * metadata. Both labels are the dataset author's.
 *
 *   npx tsx bench/eval-code-securecode.ts <folder of .jsonl files> --work <scratch dir> [--list | --bandit] [--dist <built dist/>]
 *
 * The folder is read at evaluation time (written out with `git archive`); every `.jsonl` file under it is read, except
 * under folders whose name starts with `_` (the dataset's `_archived_duplicates`). Each unit's code is written to its
 * own file in the scratch folder; nothing of the corpus is committed or executed. The label rule, the mapping and the
 * scoring below were written and committed (session 25) before either tool ran on any unit.
 *
 * Units, from every record whose `metadata.lang` is `python`, second turn only (the first is the request, the third
 * a follow-up question, the fourth "production" guidance with code the harness does not read):
 * - a fenced block tagged `python` or `py` whose last non-empty line before the fence names it vulnerable
 *   (`vulnerab`, `insecure`, `unsafe`) is a *vulnerable* block; one whose line names it secure (`secure`, `safe`,
 *   `fixed`) is a *secure* block; a line that speaks of an attack, exploit or payload makes no unit, nor does any other
 *   block (attack payloads, shell lines, untagged fences);
 * - the example's family is its CWE's, by `FAMILY_OF_CWE` (the CWE classes the earlier harnesses map, and the session-25
 *   web and crypto families); CWEs outside it are listed as out of scope;
 * - a vulnerable block of a mapped example is a vulnerable unit of that family (not a unit of any other: it may hold
 *   other weaknesses too); a secure block of any Python example is a safe unit of every family, except the families its
 *   own CWE could also stand for (`OVERLAP`: NoSQL injection for SQL);
 * - blocks are compared by their text with trailing spaces and blank lines dropped: the same text from several
 *   records (the dataset repeats examples under new ids) is one unit; a text that is a vulnerable block somewhere and
 *   a secure block elsewhere is no unit at all.
 *
 * Scoring, per (unit, family), as `eval-code-files.ts` scores files: found when the tool prints a finding of the
 * family in the unit's file (every severity and confidence, both tools). Rampart's findings get their family from the
 * rule id (`RAMPART_FAMILY`, then the session-25 rule ids in `NEW_RULE_FAMILY`), else from the rule's CWE tag by
 * `FAMILY_OF_CWE` — so rules named otherwise than planned are still scored by what they claim. Bandit's test ids:
 * `BANDIT_FAMILY` and `NEW_BANDIT_FAMILY`. Printed: all families, the families the earlier harnesses score ("old"),
 * and the session-25 families ("new"), each with the per-family, missed and false-positive lines.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { banditIds, FAMILIES, FAMILY_OF_CWE, findingFamily, OLD_FAMILIES } from "./eval-code-families.js";
import { banditFileHits, type Family, type FileCase, type FileHit, optionValue, rampartFileHits, scoreFiles } from "./eval-code-files.js";

/** A CWE whose secure blocks are not safe units of a family it could also stand for. */
const OVERLAP: Record<number, readonly Family[]> = {
  943: ["sql"], // NoSQL / data-query injection: a query builder may be SQL
};

interface SourceRecord {
  id: string;
  metadata?: { lang?: string; cwe?: string };
  conversations?: Array<{ from?: string; value?: string }>;
}

interface Block {
  text: string;
  vulnerable: boolean;
  id: string;
  cwes: number[];
}

const VULNERABLE_LINE = /vulnerab|insecure|unsafe/i;
const SECURE_LINE = /secure|safe|fixed/i;
const ATTACK_LINE = /attack|exploit|payload/i;

/** The labelled code blocks of one record's second turn. */
function blocksOf(r: SourceRecord): Block[] {
  const turn = r.conversations?.[1]?.value ?? "";
  const cwes = [...(r.metadata?.cwe ?? "").matchAll(/CWE-(\d+)/g)].map((m) => Number(m[1]));
  const parts = turn.split("```");
  const out: Block[] = [];
  for (let i = 1; i < parts.length; i += 2) {
    const body = parts[i] ?? "";
    const nl = body.indexOf("\n");
    const lang = (nl < 0 ? body : body.slice(0, nl)).trim().toLowerCase();
    if (lang !== "python" && lang !== "py") continue;
    const before = (parts[i - 1] ?? "").split("\n").filter((l) => l.trim() !== "");
    const label = before[before.length - 1] ?? "";
    if (ATTACK_LINE.test(label)) continue;
    const vulnerable = VULNERABLE_LINE.test(label);
    if (!vulnerable && !SECURE_LINE.test(label)) continue;
    const text = body
      .slice(nl + 1)
      .split("\n")
      .map((l) => l.trimEnd())
      .filter((l) => l !== "")
      .join("\n");
    if (text) out.push({ text: `${text}\n`, vulnerable, id: r.id, cwes });
  }
  return out;
}

function jsonlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (!name.startsWith("_")) out.push(...jsonlFiles(p));
    } else if (name.endsWith(".jsonl")) out.push(p);
  }
  return out;
}

interface Corpus {
  cases: FileCase[];
  files: string[];
  records: number;
  outOfScope: Map<number | string, number>;
  conflicts: number;
}

/** Reads the records, writes one file per distinct block into `work`, and returns the scored units. */
function readCorpus(dir: string, work: string): Corpus {
  const byText = new Map<string, Block[]>();
  let records = 0;
  for (const f of jsonlFiles(dir))
    for (const line of readFileSync(f, "utf8").split("\n")) {
      if (!line.trim()) continue;
      const r = JSON.parse(line) as SourceRecord;
      if (r.metadata?.lang !== "python") continue;
      records++;
      for (const b of blocksOf(r)) byText.set(b.text, [...(byText.get(b.text) ?? []), b]);
    }
  mkdirSync(work, { recursive: true });
  const cases: FileCase[] = [];
  const files: string[] = [];
  const outOfScope = new Map<number | string, number>();
  let conflicts = 0;
  for (const [text, blocks] of [...byText].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (blocks.some((b) => b.vulnerable) && blocks.some((b) => !b.vulnerable)) {
      conflicts++;
      continue;
    }
    const file = `${createHash("sha256").update(text).digest("hex").slice(0, 12)}.py`;
    const first = blocks[0] as Block;
    const label = `${first.id}:${first.vulnerable ? "vulnerable" : "secure"}`;
    const keys = new Set<Family>();
    if (first.vulnerable) {
      for (const b of blocks) {
        const family = b.cwes.map((c) => FAMILY_OF_CWE[c]).find((x) => x !== undefined);
        if (family) keys.add(family);
      }
      if (keys.size === 0) {
        const key = first.cwes[0] ?? "none";
        outOfScope.set(key, (outOfScope.get(key) ?? 0) + 1);
        continue;
      }
      for (const family of keys) cases.push({ file, label, family, vulnerable: true });
    } else {
      const overlap = new Set(blocks.flatMap((b) => b.cwes.flatMap((c) => OVERLAP[c] ?? [])));
      for (const family of FAMILIES) if (!overlap.has(family)) cases.push({ file, label, family, vulnerable: false });
    }
    writeFileSync(join(work, file), text);
    files.push(file);
  }
  return { cases, files, records, outOfScope, conflicts };
}

function printScores(tool: string, hits: readonly FileHit[], cases: readonly FileCase[]): void {
  const old = new Set<Family>(OLD_FAMILIES);
  for (const [part, keep] of [
    ["all families", () => true],
    ["old families", (f: Family) => old.has(f)],
    ["new families", (f: Family) => !old.has(f)],
  ] as const) {
    const lines = scoreFiles(
      `${tool}, ${part}`,
      hits.filter((h) => keep(h.family)),
      cases.filter((c) => keep(c.family)),
    );
    for (const l of lines) console.log(l);
  }
}

async function main(): Promise<void> {
  const [dir, ...rest] = process.argv.slice(2);
  const work = optionValue(rest, "--work");
  if (!dir || dir.startsWith("--") || !work) {
    console.error("usage: npx tsx bench/eval-code-securecode.ts <folder of .jsonl files> --work <scratch dir> [--list | --bandit] [--dist <built dist/>]");
    process.exit(2);
  }
  const c = readCorpus(dir, work);
  const vulnerable = c.cases.filter((x) => x.vulnerable);
  const safeFiles = new Set(c.cases.filter((x) => !x.vulnerable).map((x) => x.file));
  console.log(
    `${c.records} Python records; ${c.files.length} distinct blocks (${new Set(vulnerable.map((x) => x.file)).size} vulnerable, ${safeFiles.size} secure); ${c.conflicts} texts both vulnerable and secure left out`,
  );
  console.log(`${c.cases.length} units: ${vulnerable.length} vulnerable, ${c.cases.length - vulnerable.length} safe`);
  console.log(
    `vulnerable blocks out of scope, by CWE: ${[...c.outOfScope]
      .sort((a, b) => b[1] - a[1])
      .map(([k, n]) => `${k} ${n}`)
      .join(", ")}`,
  );
  if (rest.includes("--list")) {
    for (const f of FAMILIES)
      console.log(`${f}: ${vulnerable.filter((x) => x.family === f).length} vulnerable, ${c.cases.filter((x) => x.family === f && !x.vulnerable).length} safe`);
    for (const x of vulnerable) console.log(`${x.file} ${x.label} ${x.family}`);
    return;
  }
  const dist = optionValue(rest, "--dist");
  console.log("| tool | vulnerable units | safe units | true positives | false positives | precision | recall | other flagged |");
  console.log("|---|---|---|---|---|---|---|---|");
  printScores(dist ? `rampart (${dist})` : "rampart", await rampartFileHits(work, c.files, dist, findingFamily), c.cases);
  if (!rest.includes("--bandit")) return;
  const bandit = banditFileHits(work, c.files, banditIds());
  printScores(`bandit ${bandit.version}`, bandit.hits, c.cases);
  console.log(`  bandit could not parse ${bandit.errors.length} files: ${bandit.errors.join(" ")}`);
}

await main();
