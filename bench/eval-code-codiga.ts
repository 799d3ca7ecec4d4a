/**
 * Precision/recall of `rampart scan code` (and Bandit) on the session-26 held-out set: the Python security rule tests
 * of the Codiga rulesets (juli1/codiga-rulesets, the rules of Codiga's static analyser as published by its author).
 * Each rule folder under `python-security/` holds a `metadata.yml` with the rule's CWE and a `tests` list whose items
 * name a test file and say `fail: true` (the rule must report it) or `fail: false` (it must not). Labels are the
 * rule authors'.
 *
 *   npx tsx bench/eval-code-codiga.ts <folder holding python-security/> --work <scratch dir> [--list | --bandit] [--dist <built dist/>]
 *
 * The folder is read at evaluation time (written out with `git archive`); each test's code (stored as `<name>.py.js`)
 * is copied to its own `.py` file in the scratch folder; nothing of the corpus is committed or executed. The label
 * rule, the mapping and the scoring below were written and committed (session 26) before either tool ran on any unit.
 *
 * Units: every test of a rule that `RULE_FAMILY` maps; the unit's family is its rule's, `fail: true` makes it
 * vulnerable and `fail: false` safe — for that family only (a rule's passing test says nothing of other weaknesses).
 * The rules of `OUT_OF_SCOPE` make no units; a rule folder in neither table is an error (another snapshot of the
 * corpus: map it first). Scoring as `eval-code-files.ts` scores files: a unit is found when the tool prints a finding
 * of its family anywhere in its file (every severity and confidence, both tools); findings of a family on a file that
 * is no unit of that family are listed apart ("other flagged"), not scored. Families of findings and Bandit ids as
 * the session-25 harness gives them (`eval-code-families.ts`).
 */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { parse } from "yaml";
import { printFamilyScores, CODIGA_RULE_FAMILY as RULE_FAMILY, unitListLines } from "./eval-code-families.js";
import { type FileCase, optionValue } from "./eval-code-files.js";

/** Rules with no family of Rampart's, and why. */
const OUT_OF_SCOPE: Record<string, string> = {
  "requests-timeout": "CWE-1088 (a request without a timeout)",
  "no-empty-array-as-parameter": "no CWE (a mutable default argument)",
};

interface RuleTest {
  fail?: boolean;
  file?: string;
  name?: string;
}

interface Corpus {
  cases: FileCase[];
  files: string[];
  outOfScope: Map<string, number>;
}

/** Reads every rule folder's tests, writes each test's code to `work`, and returns the scored units. */
function readCorpus(dir: string, work: string): Corpus {
  const root = join(dir, "python-security");
  mkdirSync(work, { recursive: true });
  const cases: FileCase[] = [];
  const files: string[] = [];
  const outOfScope = new Map<string, number>();
  for (const rule of readdirSync(root).sort()) {
    const folder = join(root, rule);
    if (!statSync(folder).isDirectory()) continue;
    const meta = parse(readFileSync(join(folder, "metadata.yml"), "utf8")) as { tests?: RuleTest[] };
    const tests = meta.tests ?? [];
    if (rule in OUT_OF_SCOPE) {
      outOfScope.set(rule, tests.length);
      continue;
    }
    const family = RULE_FAMILY[rule];
    if (!family) throw new Error(`rule folder ${rule} is in neither RULE_FAMILY nor OUT_OF_SCOPE`);
    for (const t of tests) {
      if (!t.file || typeof t.fail !== "boolean") throw new Error(`rule ${rule}: a test without a file or a fail flag`);
      const stem = basename(t.file).replace(/\.js$/, "").replace(/\.py$/, "");
      const file = `${rule}__${stem}.py`;
      writeFileSync(join(work, file), readFileSync(join(folder, t.file), "utf8"));
      files.push(file);
      cases.push({ file, label: `${rule}/${stem}`, family, vulnerable: t.fail });
    }
  }
  return { cases, files, outOfScope };
}

async function main(): Promise<void> {
  const [dir, ...rest] = process.argv.slice(2);
  const work = optionValue(rest, "--work");
  if (!dir || dir.startsWith("--") || !work) {
    console.error("usage: npx tsx bench/eval-code-codiga.ts <folder holding python-security/> --work <scratch dir> [--list | --bandit] [--dist <built dist/>]");
    process.exit(2);
  }
  let c: Corpus;
  try {
    c = readCorpus(dir, work);
  } catch (e) {
    console.error(`eval-code-codiga: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(2);
  }
  const vulnerable = c.cases.filter((x) => x.vulnerable);
  console.log(`${c.cases.length} units: ${vulnerable.length} vulnerable, ${c.cases.length - vulnerable.length} safe`);
  console.log(`out of scope: ${[...c.outOfScope].map(([r, n]) => `${r} (${n} tests; ${OUT_OF_SCOPE[r]})`).join(", ")}`);
  if (rest.includes("--list")) {
    for (const l of unitListLines(c.cases)) console.log(l);
    return;
  }
  await printFamilyScores(work, c.files, c.cases, rest);
}

await main();
