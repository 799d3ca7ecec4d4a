/**
 * Precision/recall of `rampart scan code` (and Bandit) on the session-31 held-out set: the synthetic taint tests of
 * rajiv-thorat/benchmark-for-taint-analysis-tools-for-python (`tests/synthetic_tests/<test>/`), small Flask routes
 * written by the benchmark's author to probe taint analysers (aliasing, containers, fields, branches, exceptions,
 * `with`, threads, reflection…): request data (`request.view_args.get('command')`) reaching `eval`/`exec`, or a
 * look-alike where it does not. Labels are the author's, read from the file name:
 * - `<name>_actual.py` is vulnerable (the flow reaches the sink);
 * - `<name>_sanitized.py`, `_sanitize.py`, `_false_positive.py` (and the set's one `_false_postitive.py`) are safe.
 * Each labelled file is one unit of the code-injection family (`exec`, CWE-94/95: every sink the set marks is `eval`
 * or `exec`, directly or as a thread's target). A unit's folder holds the labelled file and the test folder's `.py`
 * files that carry no label (the classes it imports, `class_a.py`, `character.py`…); the other labelled files of the
 * folder are not in it. A test folder without labelled files makes no unit (counted); `experiments/` is left out
 * (the author's scratch folder, no labels). A unit without `eval`/`exec` in any of its files is an error (map it first).
 *
 *   npx tsx bench/eval-code-pytaint.ts <tests/synthetic_tests folder> --work <scratch dir> [--list | --bandit] [--dist <built dist/>]
 *
 * The folder is read at evaluation time (written out with `git archive`); each unit's files are written to
 * `<work>/<test>__<labelled file's stem>/`; nothing of the corpus is committed or executed. Rampart scans each unit
 * folder as one tree (its cross-file summaries see the imported helpers, as in a real checkout); Bandit reads the
 * same files. A unit is found when the tool prints a finding of its family in any of its files (every severity and
 * confidence, both tools); findings of another family in a unit are listed apart ("not scored"). Left out, and
 * counted, as in the TaintMonkey harness: a unit whose text (comments and white space dropped) the set holds with
 * both labels, and a repeat of a unit already taken with the same label. The label rules, the mapping and the
 * scoring were written and committed (session 31) before either tool ran on any unit.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { banditIds, codeText, findingFamily, keptUnits, readUnitCorpus, unitListLines } from "./eval-code-families.js";
import { banditUnitLines, type FileCase, type FileHit, optionValue, type ScoredFinding, scoreFiles } from "./eval-code-files.js";

/** The file-name endings that label a test file, and the label each gives. */
const LABELS: readonly { suffix: string; vulnerable: boolean }[] = [
  { suffix: "_actual.py", vulnerable: true },
  { suffix: "_sanitized.py", vulnerable: false },
  { suffix: "_sanitize.py", vulnerable: false },
  { suffix: "_false_positive.py", vulnerable: false },
  { suffix: "_false_postitive.py", vulnerable: false }, // the set's spelling in inherited_objects_1
];

/** Folders under the tests folder that make no units, and why. */
const LEFT_OUT_FOLDERS: Record<string, string> = { experiments: "the author's scratch folder, no labelled files" };

const labelOf = (name: string) => LABELS.find((l) => name.endsWith(l.suffix));

interface Unit {
  dir: string;
  label: string;
  vulnerable: boolean;
  files: { name: string; text: string }[];
}

interface Corpus {
  cases: FileCase[];
  /** Unit folders, and the files (relative to the work folder) each holds. */
  units: Map<string, string[]>;
  digest: string;
  unlabelled: string[];
  leftOut: { bothLabels: string[]; repeats: string[] };
}

function readCorpus(root: string, work: string): Corpus {
  const all: Unit[] = [];
  const unlabelled: string[] = [];
  for (const test of readdirSync(root).sort()) {
    const dir = join(root, test);
    if (!statSync(dir).isDirectory() || test in LEFT_OUT_FOLDERS) continue;
    const py = readdirSync(dir)
      .sort()
      .filter((n) => n.endsWith(".py") && statSync(join(dir, n)).isFile())
      .map((name) => ({ name, text: readFileSync(join(dir, name), "utf8") }));
    const helpers = py.filter((f) => !labelOf(f.name));
    const labelled = py.filter((f) => labelOf(f.name));
    if (labelled.length === 0) {
      unlabelled.push(test);
      continue;
    }
    for (const f of labelled) {
      if (![f, ...helpers].some((h) => /\b(eval|exec)\b/.test(h.text))) throw new Error(`${test}/${f.name}: no eval or exec in the unit`);
      const stem = f.name.slice(0, -3);
      all.push({ dir: `${test}__${stem}`, label: `${test}/${f.name}`, vulnerable: labelOf(f.name)?.vulnerable === true, files: [f, ...helpers] });
    }
  }
  const textOf = (u: Unit) => u.files.map((f) => `${f.name === u.files[0]?.name ? "" : f.name}\n${codeText(f.text)}`).join("\n");
  const { kept, bothLabels, repeats } = keptUnits(all, textOf);
  const cases: FileCase[] = [];
  const units = new Map<string, string[]>();
  const hash = createHash("sha256");
  for (const u of kept) {
    mkdirSync(join(work, u.dir), { recursive: true });
    const files: string[] = [];
    for (const f of u.files) {
      writeFileSync(join(work, u.dir, f.name), f.text);
      files.push(`${u.dir}/${f.name}`);
      hash.update(`${u.dir}/${f.name}\n${f.text}\n`);
    }
    units.set(u.dir, files);
    cases.push({ file: u.dir, label: u.label, family: "exec", vulnerable: u.vulnerable });
  }
  return { cases, units, digest: hash.digest("hex").slice(0, 16), unlabelled, leftOut: { bothLabels, repeats } };
}

/** Rampart's findings of a scored family per unit: each unit folder scanned as one tree, from this tree or a build's `dist/`. */
async function rampartUnitHits(work: string, units: ReadonlyMap<string, readonly string[]>, dist: string | undefined): Promise<FileHit[]> {
  const mod = dist ? await import(pathToFileURL(join(resolve(dist), "scan/code/index.js")).href) : await import("../src/scan/code/index.js");
  const scan = mod.scanCode as (p: string, o: { workers: number }) => Promise<{ findings: ScoredFinding[] }>;
  const hits: FileHit[] = [];
  for (const dir of units.keys()) {
    const r = await scan(join(work, dir), { workers: 1 });
    for (const x of r.findings) {
      const family = findingFamily(x);
      if (family) hits.push({ file: dir, family });
    }
  }
  return hits;
}

async function main(): Promise<void> {
  const {
    corpus: c,
    work,
    rest,
  } = readUnitCorpus("eval-code-pytaint", "<tests/synthetic_tests folder> --work <scratch dir> [--list | --bandit] [--dist <built dist/>]", readCorpus);
  const vulnerable = c.cases.filter((x) => x.vulnerable).length;
  const files = [...c.units.values()].flat();
  console.log(`${c.cases.length} units: ${vulnerable} vulnerable, ${c.cases.length - vulnerable} safe; ${files.length} files (digest ${c.digest})`);
  console.log(
    `test folders without labelled files: ${c.unlabelled.join(" ") || "none"}; left out: ${Object.entries(LEFT_OUT_FOLDERS)
      .map(([f, why]) => `${f} (${why})`)
      .join(", ")}`,
  );
  console.log(
    `left out: both labels ${c.leftOut.bothLabels.length} (${c.leftOut.bothLabels.join(" ") || "none"}); repeats ${c.leftOut.repeats.length} (${c.leftOut.repeats.join(" ") || "none"})`,
  );
  if (rest.includes("--list")) {
    for (const l of unitListLines(c.cases)) console.log(l);
    return;
  }
  const dist = optionValue(rest, "--dist");
  console.log("| tool | vulnerable units | safe units | true positives | false positives | precision | recall | other flagged |");
  console.log("|---|---|---|---|---|---|---|---|");
  for (const l of scoreFiles(dist ? `rampart (${dist})` : "rampart", await rampartUnitHits(work, c.units, dist), c.cases, "list")) console.log(l);
  if (!rest.includes("--bandit")) return;
  for (const l of banditUnitLines(work, files, c.cases, banditIds())) console.log(l);
}

await main();
