/**
 * Precision/recall of `rampart scan code` (and Bandit) on the session-24 held-out set: the Python labs of OWASP's
 * Security Knowledge Framework (blabla1337/skf-labs, `python/`). Each lab folder is a small Flask application
 * written to show one weakness, named by the folder (`CMD3`, `SQLI-blind`, `DES-Yaml`, `LFI-2` …).
 *
 *   npx tsx bench/eval-code-skf.ts <skf-labs python folder> [--bandit | --list] [--dist <built dist/>]
 *
 * The folder is read at evaluation time (written out with `git archive`); nothing of it is committed or executed.
 * The mapping, the labels and the scoring below were written and committed (session 24) before either tool ran on
 * any unit; only folder and file names were read.
 *
 * Units, per (lab, family), scored as the BenchProctor and OpenSSF harnesses score files (eval-code-files.ts), with
 * the lab in place of the file:
 * - a lab's files are the `.py` files directly in its folder, except `evil_server.py` (the attacker's page);
 *   `Attack-Server` and `skf-venv` are not labs;
 * - a lab whose folder names a mapped weakness is vulnerable for that family;
 * - every other lab is safe for each mapped family, except the families its name could also stand for (OVERLAP
 *   below: not scored for those);
 * - found when the tool prints a finding of the family in any of the lab's files (every severity and confidence).
 * Not scored: debug (every lab serves on all interfaces inside its container, on purpose), credentials (the labs
 * set Flask secret keys in the source as a matter of course), TLS, downloads, archive — no lab is written to show them.
 */
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { banditFileHits, type Family, type FileCase, type FileHit, rampartFileHits, scoreFiles } from "./eval-code-files.js";

/** Lab folder (by its name without a trailing number or variant) → family; decided from the names before any run. */
function familyOf(lab: string): Family | undefined {
  if (/^CMD(?:\d*|-Blind)$/.test(lab)) return "shell"; // OS command injection
  if (/^SQLI(?:-.+)?$/.test(lab)) return "sql"; // SQL injection, blind, LIKE, login bypass
  if (/^DES-(?:Pickle(?:-\d)?|Yaml)$/.test(lab)) return "deser"; // deserialisation of pickle / YAML
  if (lab === "SSTI") return "exec"; // server-side template injection (Rampart's template rule, family exec)
  if (/^LFI(?:-\d)?$/.test(lab)) return "path"; // local file inclusion: a file path from the request
  return undefined;
}

/** Labs whose name could also stand for a mapped family: their files are not safe units of it. */
const OVERLAP: Record<string, readonly Family[]> = {
  RFI: ["shell", "exec", "deser", "path"], // remote file inclusion: fetched code may be run, loaded or opened
  "graphql-injections": ["sql", "shell", "exec"],
  NoSQL: ["sql"],
  CSTI: ["exec"], // client-side template injection: a template may be rendered on the server too
  "File-upload": ["path"],
  "RaceCondition-file-write": ["path"],
  RaceCondition: ["path"],
  "Unreferenced-files": ["path"],
  "info-leakeage-metadata": ["path"],
  XXE: ["deser"],
};

const FAMILIES: readonly Family[] = ["shell", "sql", "deser", "exec", "path"];
const NOT_LABS = new Set(["Attack-Server", "skf-venv"]);

function labFiles(root: string): Array<{ lab: string; file: string }> {
  const out: Array<{ lab: string; file: string }> = [];
  for (const lab of readdirSync(root).sort()) {
    if (NOT_LABS.has(lab) || !statSync(join(root, lab)).isDirectory()) continue;
    for (const name of readdirSync(join(root, lab)).sort())
      if (name.endsWith(".py") && name !== "evil_server.py" && statSync(join(root, lab, name)).isFile()) out.push({ lab, file: `${lab}/${name}` });
  }
  return out;
}

function readCases(labs: readonly string[]): FileCase[] {
  const cases: FileCase[] = [];
  for (const lab of labs) {
    const file = lab;
    const own = familyOf(lab);
    for (const family of FAMILIES) {
      if (family === own) cases.push({ file, label: file, family, vulnerable: true });
      else if (!OVERLAP[lab]?.includes(family)) cases.push({ file, label: file, family, vulnerable: false });
    }
  }
  return cases;
}

async function main(): Promise<void> {
  const [root, ...rest] = process.argv.slice(2);
  if (!root || root.startsWith("--")) {
    console.error("usage: npx tsx bench/eval-code-skf.ts <skf-labs python folder> [--bandit | --list] [--dist <built dist/>]");
    process.exit(2);
  }
  const labs = labFiles(root);
  const files = labs.map((l) => l.file);
  const labOf = new Map(labs.map((l) => [l.file, l.lab]));
  const cases = readCases([...new Set(labs.map((l) => l.lab))]);
  const vulnerable = cases.filter((c) => c.vulnerable).length;
  console.log(`${new Set(labs.map((l) => l.lab)).size} labs, ${files.length} files; ${cases.length} units (${vulnerable} vulnerable, ${cases.length - vulnerable} safe)`);
  if (rest.includes("--list")) {
    for (const c of cases) if (c.vulnerable) console.log(`${c.file} ${c.family} vulnerable`);
    for (const f of FAMILIES)
      console.log(`${f}: ${cases.filter((c) => c.family === f && c.vulnerable).length} vulnerable, ${cases.filter((c) => c.family === f && !c.vulnerable).length} safe`);
    return;
  }
  // a lab is flagged for a family when any of its files is
  const byLab = (hits: readonly FileHit[]) => hits.map((h) => ({ file: labOf.get(h.file) ?? h.file, family: h.family }));
  const at = rest.indexOf("--dist");
  const dist = at >= 0 ? rest[at + 1] : undefined;
  console.log("| tool | vulnerable labs | safe units | true positives | false positives | precision | recall | other flagged |");
  console.log("|---|---|---|---|---|---|---|---|");
  for (const l of scoreFiles(dist ? `rampart (${dist})` : "rampart", byLab(await rampartFileHits(root, files, dist)), cases, "list")) console.log(l);
  if (!rest.includes("--bandit")) return;
  const bandit = banditFileHits(root, files);
  for (const l of scoreFiles(`bandit ${bandit.version}`, byLab(bandit.hits), cases, "list")) console.log(l);
  console.log(`  bandit could not parse ${bandit.errors.length} files: ${bandit.errors.join(" ")}`);
}

await main();
