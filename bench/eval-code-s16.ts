/**
 * Precision/recall of `rampart scan code` (and Bandit) on the session-16 held-out set: insecure code beside its
 * secure version (CodeSecEval's SecEvalPlus) and secure reference code (LLMSecEval), two public corpora the project
 * had not scored, each labelling its own code.
 *
 *   npx tsx bench/eval-code-s16.ts --codeseceval <CodeSecEval-Plus tree> --llmseceval <LLMSecEval tree> \
 *     --work <scratch dir> [--seen DIR]… [--bandit | --list]
 *
 * The trees and the scratch files stay outside the repository; nothing of the corpora is committed. The unit
 * lists, labels, mapping, dedupe and scoring below were written and committed (session 16) before either tool
 * ran on any unit, from the corpora's field names, ids, folder names and READMEs only.
 *
 * Units and labels (all from the corpora):
 * - CodeSecEval SecEvalPlus (`CodeSecEval/SecEvalPlus/SecEvalPlus.json`): one record per task, `ID` = `CWE-N_k`,
 *   with an `Insecure Code` and a `Secure Code` written by the dataset's authors. For a task whose CWE is mapped
 *   (MAPPED below) the insecure code is a vulnerable unit and the secure code a safe unit of the CWE's category.
 *   For an unmapped CWE only the secure code is a unit: safe for every counted category ("any", side table;
 *   its insecure code may hold any weakness, so it is not a unit).
 * - LLMSecEval (`Dataset/Secure Code Samples/<CWE>/*.py`): secure implementations the authors wrote for each prompt
 *   ("created manually and verified using CodeQL", its README). A file under a mapped CWE is a safe unit of that
 *   category; under an unmapped CWE, a safe unit for "any" (side table).
 * Each unit is written to its own file in the scratch folder; both tools scan one file at a time.
 * Dedupe, in this order (text normalised: comments, blank lines and outer spaces dropped): a text labelled
 * vulnerable in one place and safe in another is left out on both sides; a repeated text of the same label and
 * category is kept once; a unit whose normalised text occurs inside a seen corpus given with `--seen` (every `.py`
 * file's text, and every string of every `.json`/`.jsonl` file, normalised the same way) is left out. No sampling:
 * every remaining unit is scored (no seed).
 *
 * Scoring, per unit (as eval-code-s15.ts): a unit is flagged when the tool prints at least one finding of the
 * unit's category anywhere in it (every severity and confidence, both tools). Flagged vulnerable unit: true
 * positive; flagged safe unit: false positive. The headline counts the units of mapped CWEs; an "any" unit is a
 * false positive when the tool prints a finding of any counted category in it (side table, its own row).
 * Bandit: Debian's 1.6.2, default configuration, ids mapped by eval-code-categories.ts's BANDIT table.
 */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { BANDIT, banditHits, type Category, type CategoryTally, countUnit, type Hit, rampartHits, tallyLines, tallyOf } from "./eval-code-categories.js";

/** CWE → Rampart category, decided before any run from the CWE's name (the issue's list of weaknesses). */
const MAPPED: Record<string, Category> = {
  "CWE-77": "shell", // command injection
  "CWE-78": "shell", // OS command injection
  "CWE-89": "sql", // SQL injection
  "CWE-94": "exec", // code injection
  "CWE-95": "exec", // eval injection
  "CWE-502": "deser", // deserialisation of untrusted data
  "CWE-798": "cred", // hard-coded credentials
  "CWE-259": "cred", // hard-coded password
  "CWE-321": "cred", // hard-coded cryptographic key
  "CWE-295": "tls", // improper certificate validation
  "CWE-215": "debug", // debug information exposure
  "CWE-489": "debug", // active debug code
};
/*
 * Not mapped ("any" side table only): CWE-20, 22, 79, 125, 190, 200, 269, 276, 306, 416, 434, 476, 522, 732, 787,
 * 119 and the compound authorisation task (CWE-862/287/306/863): weaknesses outside the issue's list, or (CWE-522,
 * insufficiently protected credentials) about storing or sending credentials, not writing them in code.
 */

type Label = Category | "any";

interface Unit {
  file: string;
  corpus: string;
  category: Label;
  vulnerable: boolean;
  source: string;
  text: string;
}

type Found = Omit<Unit, "file">;

/** Code lines only: comments, blank lines and outer spaces dropped (for dedupe). */
function normalise(code: string): string {
  return code
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"))
    .join("\n");
}

/** Every file under `dir` (relative paths), depth first, sorted. */
function filesUnder(dir: string, rel = ""): string[] {
  const out: string[] = [];
  let names: string[];
  try {
    names = readdirSync(join(dir, rel)).sort();
  } catch {
    return out;
  }
  for (const n of names) {
    const r = rel ? `${rel}/${n}` : n;
    if (statSync(join(dir, r)).isDirectory()) out.push(...filesUnder(dir, r));
    else out.push(r);
  }
  return out;
}

/** "CWE-089" and "cwe-89" → "CWE-89". */
function cweOf(text: string): string | undefined {
  const m = /^cwe-0*(\d+)$/i.exec(text);
  return m ? `CWE-${m[1]}` : undefined;
}

function codeSecEvalUnits(tree: string): Found[] {
  const rel = "CodeSecEval/SecEvalPlus/SecEvalPlus.json";
  const records = JSON.parse(readFileSync(join(tree, rel), "utf8")) as Array<Record<string, string>>;
  const out: Found[] = [];
  for (const r of records) {
    const id = r.ID ?? "";
    const cwe = cweOf(id.replace(/_\d+$/, ""));
    const category = cwe ? MAPPED[cwe] : undefined;
    const insecure = r["Insecure Code"];
    const secure = r["Secure Code"];
    if (category && typeof insecure === "string") out.push({ corpus: "codeseceval", category, vulnerable: true, source: `CodeSecEval:${id}:insecure`, text: insecure });
    if (typeof secure === "string") out.push({ corpus: "codeseceval", category: category ?? "any", vulnerable: false, source: `CodeSecEval:${id}:secure`, text: secure });
  }
  return out;
}

function llmSecEvalUnits(tree: string): Found[] {
  const root = "Dataset/Secure Code Samples";
  const out: Found[] = [];
  for (const rel of filesUnder(join(tree, root))) {
    const [folder, name] = rel.split("/");
    if (!folder || !name?.endsWith(".py")) continue;
    const cwe = cweOf(folder);
    if (!cwe) continue;
    out.push({
      corpus: "llmseceval",
      category: MAPPED[cwe] ?? "any",
      vulnerable: false,
      source: `LLMSecEval:${folder}/${name}`,
      text: readFileSync(join(tree, root, rel), "utf8"),
    });
  }
  return out;
}

/** Every string value of a JSON value, depth first. */
function stringsOf(v: unknown, out: string[]): void {
  if (typeof v === "string") out.push(v);
  else if (Array.isArray(v)) for (const x of v) stringsOf(x, out);
  else if (v && typeof v === "object") for (const x of Object.values(v)) stringsOf(x, out);
}

/** Normalised texts of the seen corpora: every `.py` file, every string of every `.json`/`.jsonl` file. */
function seenTexts(roots: readonly string[]): string[] {
  const out: string[] = [];
  for (const r of roots)
    for (const rel of filesUnder(r)) {
      const path = join(r, rel);
      if (rel.endsWith(".py")) out.push(normalise(readFileSync(path, "utf8")));
      else if (rel.endsWith(".json") || rel.endsWith(".jsonl")) {
        const text = readFileSync(path, "utf8");
        const docs = rel.endsWith(".jsonl") ? text.split("\n") : [text];
        const strings: string[] = [];
        for (const d of docs) {
          try {
            if (d.trim()) stringsOf(JSON.parse(d), strings);
          } catch {
            // not JSON after all: its text may still hold code
            strings.push(d);
          }
        }
        for (const s of strings) if (s.includes("\n")) out.push(normalise(s));
      }
    }
  return out;
}

export function selectUnits(found: readonly Found[], seen: readonly string[]): { units: Unit[]; dropped: Record<string, number> } {
  const dropped = { conflicting: 0, repeated: 0, seen: 0, empty: 0 };
  const labelsOf = new Map<string, Set<boolean>>();
  for (const u of found) {
    const n = normalise(u.text);
    labelsOf.set(n, (labelsOf.get(n) ?? new Set()).add(u.vulnerable));
  }
  const seenCorpus = seenTexts(seen);
  const taken = new Set<string>();
  const units: Unit[] = [];
  for (const u of found) {
    const n = normalise(u.text);
    if (n === "") {
      dropped.empty++;
      continue;
    }
    if (labelsOf.get(n)!.size > 1) {
      dropped.conflicting++;
      continue;
    }
    const key = `${u.category}\0${u.vulnerable}\0${n}`;
    if (taken.has(key)) {
      dropped.repeated++;
      continue;
    }
    if (seenCorpus.some((s) => s.includes(n))) {
      dropped.seen++;
      continue;
    }
    taken.add(key);
    const stem = basename(u.source.split(":").slice(1).join("-"), ".py").replace(/[^A-Za-z0-9_-]/g, "_");
    units.push({ ...u, file: `${String(units.length + 1).padStart(3, "0")}-${u.corpus}-${stem}-${u.vulnerable ? "vulnerable" : "safe"}.py` });
  }
  return { units, dropped };
}

function score(tool: string, hits: Hit[], units: readonly Unit[]): string[] {
  const flagged = new Set(hits.map((h) => `${h.file}:${h.category}`));
  const anyFlagged = new Set(hits.map((h) => h.file));
  const byCat = new Map<string, CategoryTally>();
  const byCorpus = new Map<string, CategoryTally>();
  const missed: string[] = [];
  const fps: string[] = [];
  const anyFps: string[] = [];
  let anyUnits = 0;
  let tp = 0;
  let wanted = 0;
  let neg = 0;
  for (const u of units) {
    const id = u.file.replace(/\.py$/, "");
    if (u.category === "any") {
      anyUnits++;
      if (anyFlagged.has(u.file)) anyFps.push(`${id} (${[...new Set(hits.filter((h) => h.file === u.file).map((h) => h.category))].join(",")})`);
      continue;
    }
    const s = tallyOf(byCat, u.category);
    const c = tallyOf(byCorpus, u.corpus);
    const hit = flagged.has(`${u.file}:${u.category}`);
    countUnit([s, c], u.vulnerable, hit);
    if (u.vulnerable) {
      wanted++;
      if (hit) tp++;
      else missed.push(id);
    } else {
      neg++;
      if (hit) fps.push(id);
    }
  }
  const scored = new Set(units.filter((u) => u.category !== "any").map((u) => `${u.file}:${u.category}`));
  const anyFiles = new Set(units.filter((u) => u.category === "any").map((u) => u.file));
  const unscored = hits.filter((h) => !scored.has(`${h.file}:${h.category}`) && !anyFiles.has(h.file)).length;
  const precision = tp + fps.length ? tp / (tp + fps.length) : 1;
  const recall = wanted ? tp / wanted : 1;
  const corpora = [...byCorpus].map(([k, v]) => `${k} ${v.tp}/${v.n} fp ${v.fp}/${v.neg}`).join("; ");
  return [
    `| ${tool} | ${wanted} | ${neg} | ${tp} | ${fps.length} | ${precision.toFixed(3)} | ${recall.toFixed(3)} | ${unscored} |`,
    `  by corpus (found/vulnerable, false positives/safe): ${corpora}`,
    ...tallyLines(byCat, missed, fps),
    `  side table, secure code of unmapped CWEs ("any"): ${anyFps.length}/${anyUnits} flagged: ${anyFps.join(" ") || "none"}`,
  ];
}

function option(args: readonly string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const cse = option(args, "--codeseceval");
  const llm = option(args, "--llmseceval");
  const work = option(args, "--work");
  if (!cse || !llm || !work) {
    console.error("usage: npx tsx bench/eval-code-s16.ts --codeseceval DIR --llmseceval DIR --work <scratch dir> [--seen DIR]… [--bandit | --list]");
    process.exit(2);
  }
  const seen = args.flatMap((a, i) => (a === "--seen" && args[i + 1] ? [args[i + 1] as string] : []));
  const { units, dropped } = selectUnits([...codeSecEvalUnits(cse), ...llmSecEvalUnits(llm)], seen);
  mkdirSync(work, { recursive: true });
  for (const u of units) writeFileSync(join(work, u.file), u.text);
  console.log(`${units.length} units written to the scratch folder; left out: ${JSON.stringify(dropped)} (seen roots: ${seen.length})`);
  const count = (c: Label, v: boolean) => units.filter((u) => u.category === c && u.vulnerable === v).length;
  for (const c of [...new Set(units.map((u) => u.category))]) console.log(`  ${c}: ${count(c, true)} vulnerable, ${count(c, false)} safe`);
  if (args.includes("--list")) {
    for (const u of units) console.log(`${u.file} ${u.category} ${u.vulnerable ? "vulnerable" : "safe"} ${u.source}`);
    return;
  }
  const files = units.map((u) => u.file);
  console.log("| tool | vulnerable units | safe units | true positives | false positives | precision | recall | findings not scored |");
  console.log("|---|---|---|---|---|---|---|---|");
  for (const l of score("rampart", await rampartHits(work, files), units)) console.log(l);
  if (!args.includes("--bandit")) return;
  const bandit = banditHits(work, files, BANDIT);
  for (const l of score(`bandit ${bandit.version}`, bandit.hits, units)) console.log(l);
  console.log(`  bandit could not parse ${bandit.errors.length} files: ${bandit.errors.join(" ")}`);
}

if (process.argv[1]?.endsWith("eval-code-s16.ts")) await main();
