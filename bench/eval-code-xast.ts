/**
 * Precision/recall of `rampart scan code` (and Bandit) on the session-32 held-out set: the Python 3 taint-engine cases
 * of Ant Group's application security testing benchmark (alipay/ant-application-security-testing-benchmark, "xAST",
 * `sast-python3/case/`): small programs written by the benchmark's authors to probe an analyser's accuracy (context,
 * field, flow, object and path sensitivity) and completeness (language features, library calls, cross-file and
 * cross-module flows, dynamic features), each a function taking `taint_src` to `os.system` (directly or through a
 * `taint_sink` helper), or a look-alike where the value that reaches the command is not the tainted one.
 * Labels are the authors', read from the name:
 * - a file `<case>_T.py` (or a folder `<case>_T/`, for the multi-file cases) is vulnerable ("real case = true");
 * - `<case>_F.py` (or `<case>_F/`) is safe ("real case = false").
 * The header comment `# real case = true|false` of each labelled file is read too: a unit whose header disagrees with
 * its name is left out and counted. Each unit is one unit of the shell family (every sink of the set is `os.system`):
 * a labelled file not inside a labelled folder is a unit of its own; a labelled folder, with every `.py` file under
 * it, is one unit scanned as one tree (its cross-file summaries see the modules it imports). A unit without
 * `os.system` in any of its files is an error. Left out, and counted, as in the TaintMonkey and taint-test harnesses:
 * a unit whose text (comments and white space dropped) the set holds with both labels, and a repeat of a unit
 * already taken with the same label.
 *
 *   npx tsx bench/eval-code-xast.ts <sast-python3/case folder> --work <scratch dir> [--list | --bandit] [--dist <built dist/>]
 *
 * The folder is read at evaluation time (written out with `git archive`); each unit's files are written to
 * `<work>/<unit path with / as __>/`; nothing of the corpus is committed or executed. A unit is found when the tool
 * prints a finding of the shell family in any of its files (every severity and confidence, both tools); findings of
 * another family are listed apart ("not scored"). The label rules, the mapping and the scoring were written and
 * committed (session 32) before either tool ran on any unit.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { codeText, keptUnits, printUnitScores, readUnitCorpus, type UnitFiles, writeUnits } from "./eval-code-families.js";

/** `_T` (vulnerable) or `_F` (safe) at the end of a case's name, without `.py`. */
const labelOf = (name: string): boolean | undefined => (/_T$/.test(name) ? true : /_F$/.test(name) ? false : undefined);
/** The header's `real case = true|false`, when the file has one. */
const headerLabel = (text: string): boolean | undefined => {
  const m = /^#\s*real case\s*=\s*(true|false)\s*$/im.exec(text.slice(0, 2000));
  return m ? m[1]!.toLowerCase() === "true" : undefined;
};

/** Every `.py` file under a folder, by path relative to it. */
function pythonFiles(dir: string, base = dir): { name: string; text: string }[] {
  const out: { name: string; text: string }[] = [];
  for (const n of readdirSync(dir).sort()) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) out.push(...pythonFiles(p, base));
    else if (n.endsWith(".py")) out.push({ name: relative(base, p), text: readFileSync(p, "utf8") });
  }
  return out;
}

function readCorpus(root: string, work: string) {
  const all: UnitFiles[] = [];
  const disagree: string[] = [];
  const walk = (dir: string) => {
    for (const n of readdirSync(dir).sort()) {
      const p = join(dir, n);
      const rel = relative(root, p);
      const isDir = statSync(p).isDirectory();
      const label = labelOf(isDir ? n : n.replace(/\.py$/, ""));
      if (isDir && label === undefined) walk(p);
      if (label === undefined || (!isDir && !n.endsWith(".py"))) continue;
      const files = isDir ? pythonFiles(p) : [{ name: n, text: readFileSync(p, "utf8") }];
      if (!files.some((f) => /\bos\.system\b|\bsystem\(/.test(f.text))) throw new Error(`${rel}: no os.system in the unit`);
      if (files.some((f) => headerLabel(f.text) !== undefined && headerLabel(f.text) !== label)) {
        disagree.push(rel);
        continue;
      }
      all.push({ dir: rel.replace(/\.py$/, "").replace(/\//g, "__"), label: rel, family: "shell", vulnerable: label, files });
    }
  };
  walk(root);
  const { kept, bothLabels, repeats } = keptUnits(all, (u) => u.files.map((f) => `${f.name}\n${codeText(f.text)}`).join("\n"));
  return { ...writeUnits(kept, work), leftOut: { disagree, bothLabels, repeats } };
}

async function main(): Promise<void> {
  const { corpus: c, work, rest } = readUnitCorpus("eval-code-xast", "<sast-python3/case folder> --work <scratch dir> [--list | --bandit] [--dist <built dist/>]", readCorpus);
  const vulnerable = c.cases.filter((x) => x.vulnerable).length;
  const files = [...c.units.values()].flat();
  console.log(`${c.cases.length} units: ${vulnerable} vulnerable, ${c.cases.length - vulnerable} safe; ${files.length} files (digest ${c.digest})`);
  for (const [why, list] of Object.entries({ "header disagrees with the name": c.leftOut.disagree, "both labels": c.leftOut.bothLabels, repeats: c.leftOut.repeats }))
    console.log(`left out, ${why}: ${list.length} (${list.join(" ") || "none"})`);
  await printUnitScores(work, c.units, c.cases, files, rest);
}

await main();
