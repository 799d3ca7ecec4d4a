/**
 * Session-11 held-out set: recall of `rampart scan code` (and Bandit) on the Python part of Meta's
 * CyberSecEval autocomplete benchmark (meta-llama/PurpleLlama,
 * `CybersecurityBenchmarks/datasets/autocomplete/autocomplete.json`). Each entry is a fragment of a public
 * GitHub project (`origin_code`, about 20 lines) in which Meta's insecure-code detector flagged one line
 * (`line_text`, with `cwe_identifier`, `pattern_desc` and the detector rule): real project code, not code
 * written for a benchmark, labelled by the corpus (the detector's verdict), not by us.
 *
 *   npx tsx bench/eval-code-cyberseceval.ts <PurpleLlama checkout> [--bandit | --list]
 *
 * The checkout is read at evaluation time; nothing of it is committed. The mapping, the exclusions and the
 * counting below were written and committed (session 11) before Rampart or Bandit was run on any unit, and
 * are not to be changed after looking at scores.
 *
 * Units: every Python entry of a mapped CWE (no sampling), one file per entry: `origin_code` with its common
 * leading indentation removed (fragments are cut out of functions and classes; both tools get the same file).
 * An entry whose `origin_code` repeats an earlier one's verbatim is left out (counted).
 *
 * Scoring, per unit: the labelled line is every line of the file whose text, stripped, equals the stripped
 * `line_text` (normally one). A unit is found when the tool prints at least one finding of the unit's
 * category whose line span covers a labelled line (every severity and confidence, both tools, as every code
 * harness since session 5). Every unit is vulnerable, so this set measures recall only; findings of the
 * unit's category on other lines are not labelled either way and are counted apart ("elsewhere"), as are
 * findings of other categories. Printed as well: recall over the units Python's `ast.parse` accepts (Bandit
 * parses with it and reports nothing on a file it cannot parse; Rampart's tree-sitter parser recovers).
 *
 * Precision is not measured: the corpus labels no line safe. As a secondary figure only (not precision),
 * the fragments of the unmapped CWEs (same dedupe, same files) are scanned too, and the number of them with
 * at least one finding of a counted category is printed: the detector flagged another weakness there and
 * none of the mapped ones, but it does not list every line it would flag, so these are not labelled safe.
 */

import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { banditHits, type CategoryTally, type Hit, rampartHits, tallyLines, tallyOf } from "./eval-code-categories.js";

const DATA = "CybersecurityBenchmarks/datasets/autocomplete/autocomplete.json";

/** The detector's CWE ids mapped to the category Rampart claims. */
const MAPPED: Record<string, Hit["category"]> = {
  "CWE-78": "shell", // os.system, subprocess with shell=True
  "CWE-94": "exec", // eval, exec
  "CWE-502": "deser", // pickle, yaml
  "CWE-798": "cred", // hard-coded keys and credentials
  "CWE-89": "sql", // SQL built from strings
};
/*
 * Not mapped (decided with the list above, before any run; weaknesses Rampart's code rules do not claim):
 * CWE-328 (MD5/SHA1), CWE-338 (the `random` module), CWE-312 (private keys in text: the secrets scanner's
 * business, not a code rule).
 */

interface Entry {
  prompt_id: string;
  cwe_identifier: string;
  line_text: string;
  origin_code: string;
  language: string;
  repo: string;
}

interface Unit {
  file: string;
  category: Hit["category"];
  lines: number[];
  parses: boolean;
}

/** Removes the indentation every non-blank line shares. */
export function dedent(text: string): string {
  const lines = text.split("\n");
  let common = Number.POSITIVE_INFINITY;
  for (const l of lines) if (l.trim()) common = Math.min(common, l.length - l.trimStart().length);
  if (!Number.isFinite(common) || common === 0) return text;
  return lines.map((l) => l.slice(Math.min(common, l.length - l.trimStart().length))).join("\n");
}

/** Whether Python's own parser accepts each file (one python3 process for all). */
function pythonParses(files: readonly string[]): boolean[] {
  const script =
    "import ast,sys,json\nr=[]\nfor p in sys.argv[1:]:\n  try:\n    ast.parse(open(p,encoding='utf-8').read()); r.append(True)\n  except Exception:\n    r.append(False)\nprint(json.dumps(r))";
  return JSON.parse(execFileSync("python3", ["-c", script, ...files], { encoding: "utf8" })) as boolean[];
}

function buildUnits(checkout: string, dir: string): { units: Unit[]; duplicates: number; unmapped: string[] } {
  const entries = JSON.parse(readFileSync(join(checkout, DATA), "utf8")) as Entry[];
  const seen = new Set<string>();
  const units: Unit[] = [];
  let duplicates = 0;
  const unmapped: string[] = [];
  for (const e of entries) {
    if (e.language !== "python") continue;
    if (seen.has(e.origin_code)) {
      duplicates++;
      continue;
    }
    seen.add(e.origin_code);
    const text = dedent(e.origin_code);
    const category = MAPPED[e.cwe_identifier];
    if (!category) {
      const file = `unmapped-${e.cwe_identifier}-${e.prompt_id}.py`;
      writeFileSync(join(dir, file), text);
      unmapped.push(file);
      continue;
    }
    const want = e.line_text.trim();
    const lines = text
      .split("\n")
      .map((l, i) => (l.trim() === want ? i + 1 : 0))
      .filter((n) => n > 0);
    const file = `${e.cwe_identifier}-${e.prompt_id}.py`;
    writeFileSync(join(dir, file), text);
    units.push({ file, category, lines, parses: false });
  }
  const ok = pythonParses(units.map((u) => join(dir, u.file)));
  units.forEach((u, i) => {
    u.parses = ok[i] ?? false;
  });
  return { units, duplicates, unmapped };
}

function score(tool: string, hits: Hit[], units: readonly Unit[]): string[] {
  const byFile = new Map<string, Hit[]>();
  for (const h of hits) (byFile.get(h.file) ?? byFile.set(h.file, []).get(h.file)!).push(h);
  const byCat = new Map<string, CategoryTally>();
  const missed: string[] = [];
  let found = 0;
  let foundParsed = 0;
  let elsewhere = 0;
  let other = 0;
  for (const u of units) {
    const t = tallyOf(byCat, u.category);
    t.n++;
    let hit = false;
    for (const h of byFile.get(u.file) ?? []) {
      if (h.category !== u.category) other++;
      else if (u.lines.some((l) => l >= h.line && l <= h.endLine)) hit = true;
      else elsewhere++;
    }
    if (hit) {
      t.tp++;
      found++;
      if (u.parses) foundParsed++;
    } else missed.push(u.file.replace(/\.py$/, ""));
  }
  const parsed = units.filter((u) => u.parses).length;
  const recall = units.length ? found / units.length : 1;
  const cats = [...byCat.values()];
  const mean = cats.reduce((s, c) => s + c.tp / c.n, 0) / (cats.length || 1);
  return [
    `| ${tool} | ${units.length} | ${found} | ${recall.toFixed(3)} | ${mean.toFixed(3)} | ${foundParsed}/${parsed} = ${(parsed ? foundParsed / parsed : 1).toFixed(3)} | ${elsewhere} | ${other} |`,
    ...tallyLines(byCat, missed, []).slice(0, 2),
  ];
}

async function main(): Promise<void> {
  const [checkout, ...rest] = process.argv.slice(2);
  if (!checkout) {
    console.error("usage: npx tsx bench/eval-code-cyberseceval.ts <PurpleLlama checkout> [--bandit | --list]");
    process.exit(2);
  }
  const dir = mkdtempSync(join(tmpdir(), "rampart-cyberseceval-"));
  const { units, duplicates, unmapped } = buildUnits(checkout, dir);
  const counts = new Map<string, number>();
  for (const u of units) counts.set(u.category, (counts.get(u.category) ?? 0) + 1);
  console.log(
    `${units.length} vulnerable units (${[...counts].map(([c, n]) => `${c} ${n}`).join(", ")}); ${units.filter((u) => u.parses).length} parse with ast.parse; ${units.filter((u) => u.lines.length === 0).length} without a labelled line found; ${duplicates} duplicates left out; ${unmapped.length} fragments of unmapped CWEs (secondary figure)`,
  );
  if (rest.includes("--list")) return;
  console.log(
    "| tool | vulnerable units | found | recall | mean recall over categories | recall on units ast.parse accepts | same-category findings elsewhere | other-category findings |",
  );
  console.log("|---|---|---|---|---|---|---|---|");
  const files = units.map((u) => u.file);
  const flagged = (hits: Hit[]) => {
    const names = [...new Set(hits.filter((h) => h.file.startsWith("unmapped-")).map((h) => `${h.file.replace(/\.py$/, "")} ${h.id}`))];
    return `  unmapped-CWE fragments with a counted finding: ${new Set(names.map((n) => n.split(" ")[0])).size}/${unmapped.length}: ${names.join(" ") || "none"}`;
  };
  const rampart = await rampartHits(dir, [...files, ...unmapped]);
  for (const l of score("rampart", rampart, units)) console.log(l);
  console.log(flagged(rampart));
  if (!rest.includes("--bandit")) return;
  const bandit = banditHits(dir, [...files, ...unmapped]);
  for (const l of score(`bandit ${bandit.version}`, bandit.hits, units)) console.log(l);
  console.log(flagged(bandit.hits));
  console.log(`  bandit could not parse ${bandit.errors.length} of ${files.length + unmapped.length} files`);
}

await main();
