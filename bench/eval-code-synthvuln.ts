/**
 * Precision/recall of `rampart scan code` (and Bandit) on the session-36 held-out set: the synthetic vulnerable
 * projects of EdemEdem/DatasetOfSyntheticPythonVulnerabilities (`samples_cleaned/`, the author's comment-free copy of
 * `samples/`): small Flask, Django and command-line programs, each written twice, once with a weakness and once
 * without, under `cwe<N>/<project>/vuln/` and `cwe<N>/<project>/safe/`.
 * Labels are the author's, read from the path:
 * - a `vuln/` folder is one vulnerable unit, a `safe/` folder one safe unit;
 * - the unit's family is its `cwe<N>` folder's CWE through the shared table (`FAMILY_OF_CWE`: 78 shell, 79 xss,
 *   89 sql, 94 exec); a CWE the table does not map is an error.
 * Each unit is every `.py` file under its folder and the `.html` files (the templates a view renders, which the
 * analyser reads beside the code), scanned as one tree; `__pycache__`, data files, databases and archives are not
 * copied. Left out, and counted, as in the other unit harnesses: a unit whose text (comments and white space dropped)
 * the set holds with both labels, and a repeat of a unit already taken with the same label.
 *
 *   npx tsx bench/eval-code-synthvuln.ts <samples_cleaned folder> --work <scratch dir> [--list | --bandit] [--dist <built dist/>]
 *
 * The folder is read at evaluation time (written out with `git archive`); each unit's files are written to
 * `<work>/<cwe>__<project>__<vuln|safe>/`; nothing of the corpus is committed or executed. A unit is found when the
 * tool prints a finding of the unit's family in any of its files (every severity and confidence, both tools); for a
 * CWE-94 unit a finding of the deserialisation family counts too (both tools file a `yaml.load`/`pickle` code
 * execution under deserialisation, while the set files it under code injection). Findings of another family are
 * listed apart ("not scored"). The label rules, the mapping and the scoring were written and committed (session 36)
 * before either tool ran on any unit.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { banditIds, codeText, FAMILY_OF_CWE, keptUnits, rampartUnitHits, readUnitCorpus, type UnitFiles, unitListLines, writeUnits } from "./eval-code-families.js";
import { banditFileHits, type Family, type FileHit, optionValue, scoreFiles } from "./eval-code-files.js";

/** Every `.py` and `.html` file under a folder (not `__pycache__`), by path relative to it. */
function unitFiles(dir: string, base = dir): { name: string; text: string }[] {
  const out: { name: string; text: string }[] = [];
  for (const n of readdirSync(dir).sort()) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) {
      if (n !== "__pycache__") out.push(...unitFiles(p, base));
    } else if (/\.(?:py|html)$/.test(n)) out.push({ name: relative(base, p), text: readFileSync(p, "utf8") });
  }
  return out;
}

function readCorpus(root: string, work: string) {
  const all: UnitFiles[] = [];
  for (const cweDir of readdirSync(root).sort()) {
    const m = /^cwe(\d+)$/i.exec(cweDir);
    if (!m || !statSync(join(root, cweDir)).isDirectory()) continue;
    const family = FAMILY_OF_CWE[Number(m[1])];
    if (!family) throw new Error(`${cweDir}: CWE-${m[1]} has no family`);
    for (const project of readdirSync(join(root, cweDir)).sort()) {
      const projectDir = join(root, cweDir, project);
      if (!statSync(projectDir).isDirectory()) continue;
      for (const side of ["vuln", "safe"] as const) {
        const p = join(projectDir, side);
        let isDir = false;
        try {
          isDir = statSync(p).isDirectory();
        } catch {
          isDir = false;
        }
        if (!isDir) continue;
        const files = unitFiles(p);
        if (!files.some((f) => f.name.endsWith(".py"))) throw new Error(`${cweDir}/${project}/${side}: no .py file in the unit`);
        all.push({ dir: `${cweDir}__${project}__${side}`, label: `${cweDir}/${project}/${side}`, family, vulnerable: side === "vuln", files });
      }
    }
  }
  if (all.length === 0) throw new Error(`${root}: no cwe<N>/<project>/{vuln,safe}/ folder`);
  const { kept, bothLabels, repeats } = keptUnits(all, (u) => u.files.map((f) => `${f.name}\n${codeText(f.text)}`).join("\n"));
  return { ...writeUnits(kept, work), leftOut: { bothLabels, repeats } };
}

/** A hit as scored: a deserialisation finding in a CWE-94 unit counts as code injection (declared before the run). */
function scoredHit(hit: FileHit, familyOf: ReadonlyMap<string, Family>): FileHit {
  return familyOf.get(hit.file) === "exec" && hit.family === "deser" ? { file: hit.file, family: "exec" } : hit;
}

async function main(): Promise<void> {
  const usage = "<samples_cleaned folder> --work <scratch dir> [--list | --bandit] [--dist <built dist/>]";
  const { corpus: c, work, rest } = readUnitCorpus("eval-code-synthvuln", usage, readCorpus);
  const vulnerable = c.cases.filter((x) => x.vulnerable).length;
  const files = [...c.units.values()].flat();
  console.log(`${c.cases.length} units: ${vulnerable} vulnerable, ${c.cases.length - vulnerable} safe; ${files.length} files (digest ${c.digest})`);
  for (const [why, list] of Object.entries({ "both labels": c.leftOut.bothLabels, repeats: c.leftOut.repeats }))
    console.log(`left out, ${why}: ${list.length} (${list.join(" ") || "none"})`);
  if (rest.includes("--list")) {
    for (const l of unitListLines(c.cases)) console.log(l);
    return;
  }
  const familyOf = new Map(c.cases.map((x) => [x.file, x.family] as const));
  const dist = optionValue(rest, "--dist");
  const hits = (await rampartUnitHits(work, c.units.keys(), dist)).map((h) => scoredHit(h, familyOf));
  console.log("| tool | vulnerable units | safe units | true positives | false positives | precision | recall | other flagged |");
  console.log("|---|---|---|---|---|---|---|---|");
  for (const l of scoreFiles(dist ? `rampart (${dist})` : "rampart", hits, c.cases, "list")) console.log(l);
  if (!rest.includes("--bandit")) return;
  const pyFiles = files.filter((f) => f.endsWith(".py"));
  const bandit = banditFileHits(work, pyFiles, banditIds());
  const unitOf = (file: string) => file.split("/")[0] ?? file;
  const banditHits = bandit.hits.map((h) => scoredHit({ file: unitOf(h.file), family: h.family }, familyOf));
  for (const l of scoreFiles(`bandit ${bandit.version}`, banditHits, c.cases, "list")) console.log(l);
  console.log(`  bandit could not parse ${bandit.errors.length} files: ${bandit.errors.join(" ")}`);
}

await main();
