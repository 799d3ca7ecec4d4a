/**
 * Precision/recall of `rampart scan code` (and Bandit) on the session-29 held-out set: JungleGym, the labelled Flask
 * applications of the TaintMonkey repository (bliutech/TaintMonkey, `dataset/cwe_<id>_<name>/<app>/`), written by the
 * tool's authors to test a taint analyser: each folder under a weakness shows it in an insecure form and a secure
 * form. Labels are theirs, read two ways:
 * - by folder (`insecure_<x>` / `secure_<x>`): the app folder is one unit, vulnerable or safe, of its weakness's
 *   family; its files are every `.py` file directly in it (`app.py`, and for SQL the `db.py` and `init_db.py` it imports);
 * - by route (the other folders): one `app.py` holds an insecure and a secure route handler. It makes two units: the
 *   file without its secure handlers (vulnerable) and the file without its insecure handlers (safe); handlers of
 *   neither kind (a form page, a cookie setter) and every other line stay in both. A handler is a top-level `def`
 *   under `@app.…` decorators; its kind is read from its decorators' text and its name: `insecure`, `unvalidated` or
 *   `vulnerable` make it insecure, else `secure`, `validated` or `sanitized` make it secure. A handler is taken out
 *   from its first decorator line to the line before the next line that starts in column 0.
 *
 *   npx tsx bench/eval-code-taintmonkey.ts <TaintMonkey dataset/ folder> --work <scratch dir> [--list | --bandit] [--dist <built dist/>]
 *
 * The folder is read at evaluation time (written out with `git archive`); each unit's files are written to
 * `<work>/<weakness>/<app>[__vulnerable|__safe]/`; nothing of the corpus is committed or executed. The label rules, the
 * mapping and the scoring below were written and committed (session 29) before either tool ran on any unit. Session
 * 30: an app's `templates/` folder is written beside each of its units (`<unit>/templates/…`) so the analyser can read
 * the templates a view renders; templates are not scanned themselves and not in the digest.
 *
 * A unit is of its weakness's family only (a secure app says nothing of other weaknesses). Left out, and counted: a
 * unit whose text (comments and white space dropped, `codeText`) the set holds with both labels in one family, and a
 * repeat of a unit already taken with the same label. Weakness folders in `OUT_OF_SCOPE` make no units; a folder in
 * neither table, an app folder of a by-folder weakness named neither way, or a by-route `app.py` without both kinds
 * of handler is an error (another snapshot: map it first). Scoring as `eval-code-files.ts` scores files, with the
 * unit in place of the file: a unit is found when the tool prints a finding of its family in any of its files (every
 * severity and confidence, both tools); findings of a family outside its units are listed apart ("other flagged").
 * Families of findings and Bandit ids as the session-25 harness gives them (`eval-code-families.ts`).
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { banditIds, codeText, findingFamily, keptUnits, readUnitCorpus, unitListLines } from "./eval-code-families.js";
import { banditFileHits, type Family, type FileCase, type FileHit, optionValue, rampartFileHits, scoreFiles } from "./eval-code-files.js";

/** Weakness folder → family and how its labels are read; decided from the folder names before any run. */
const WEAKNESS: Record<string, { family: Family; by: "folder" | "route" }> = {
  cwe_73_external_control_of_path: { family: "path", by: "folder" }, // CWE-73: a file name or path from the request (CWE-22's parent)
  cwe_78_os_command_injection: { family: "shell", by: "folder" },
  cwe_89_sql_injection: { family: "sql", by: "folder" },
  cwe_94_improper_generation: { family: "exec", by: "folder" }, // CWE-94: code injection (eval / exec)
  cwe_79_cross_site_scripting: { family: "xss", by: "route" },
  cwe_918_server_side_request_forgery: { family: "ssrf", by: "route" },
  cwe_938_unvalidated_redirects_and_forwards: { family: "redirect", by: "route" }, // OWASP 2010's category: CWE-601
};

/** Weakness folders with no family of Rampart's, and why. */
const OUT_OF_SCOPE: Record<string, string> = {
  cwe_200_sensitive_data_exposure: "CWE-200 (personal data printed or logged)",
  cwe_306_missing_authentication_for_critical_function: "CWE-306 (missing authentication)",
  cwe_352_cross_site_request_forgery: "CWE-352 (CSRF tokens)",
  cwe_434_unrestricted_upload_file: "CWE-434 (file type of an upload)",
};

type Kind = "insecure" | "secure" | "shared";

/** A route handler's kind, from its decorators and its `def` line. */
function handlerKind(head: string): Kind {
  const t = head.toLowerCase();
  if (/insecure|unvalidated|vulnerable/.test(t)) return "insecure";
  if (/secure|validated|sanitized/.test(t)) return "secure";
  return "shared";
}

/** The file's lines split into top-level blocks, each with the kind of route handler it is (or "shared"). */
function blocksOf(text: string): { lines: string[]; kind: Kind }[] {
  const blocks: { lines: string[]; kind: Kind }[] = [];
  let current: { lines: string[]; kind: Kind; head: string[]; inHead: boolean } | undefined;
  const close = () => {
    if (current) blocks.push({ lines: current.lines, kind: current.kind });
    current = undefined;
  };
  for (const line of text.split("\n")) {
    const top = line.length > 0 && !/^\s/.test(line);
    if (top && current?.inHead) {
      // a decorator's run continues until its `def`
      current.lines.push(line);
      current.head.push(line);
      if (/^(async\s+)?def\s/.test(line)) {
        current.inHead = false;
        current.kind = handlerKind(current.head.join("\n"));
      }
      continue;
    }
    if (top) {
      close();
      current = line.startsWith("@app.") ? { lines: [line], kind: "shared", head: [line], inHead: true } : { lines: [line], kind: "shared", head: [], inHead: false };
      continue;
    }
    if (!current) current = { lines: [], kind: "shared", head: [], inHead: false };
    current.lines.push(line);
  }
  close();
  return blocks;
}

interface Unit {
  dir: string;
  label: string;
  family: Family;
  vulnerable: boolean;
  files: { name: string; text: string }[];
  /** The app's `templates/` files (session 30: the analyser reads the templates a view renders), paths under that folder. */
  templates: { name: string; text: string }[];
}

interface Corpus {
  cases: FileCase[];
  files: string[];
  unitOf: Map<string, string>;
  digest: string;
  /** Template files written beside the units (not scanned themselves, not in the digest). */
  templates: number;
  outOfScope: Map<string, number>;
  leftOut: { bothLabels: string[]; repeats: string[] };
}

function pyFiles(dir: string): { name: string; text: string }[] {
  return readdirSync(dir)
    .sort()
    .filter((n) => n.endsWith(".py") && statSync(join(dir, n)).isFile())
    .map((name) => ({ name, text: readFileSync(join(dir, name), "utf8") }));
}

/** Every file under an app's `templates/` folder, by its path there (none when the app has no such folder). */
function templateFiles(app: string): { name: string; text: string }[] {
  const out: { name: string; text: string }[] = [];
  const walk = (dir: string, prefix: string) => {
    for (const n of readdirSync(dir).sort()) {
      const p = join(dir, n);
      if (statSync(p).isDirectory()) walk(p, `${prefix}${n}/`);
      else out.push({ name: `${prefix}${n}`, text: readFileSync(p, "utf8") });
    }
  };
  const root = join(app, "templates");
  if (existsSync(root) && statSync(root).isDirectory()) walk(root, "");
  return out;
}

/** The units of one weakness folder, before the left-out rules. */
function weaknessUnits(root: string, weakness: string, family: Family, by: "folder" | "route"): Unit[] {
  const units: Unit[] = [];
  for (const app of readdirSync(join(root, weakness)).sort()) {
    const dir = join(root, weakness, app);
    if (!statSync(dir).isDirectory()) continue;
    const files = pyFiles(dir);
    if (files.length === 0) continue;
    const templates = templateFiles(dir);
    if (by === "folder") {
      const m = /^(in)?secure_/.exec(app);
      if (!m) throw new Error(`${weakness}/${app}: named neither insecure_… nor secure_…`);
      units.push({ dir: `${weakness}/${app}`, label: `${weakness}/${app}`, family, vulnerable: m[1] === "in", files, templates });
      continue;
    }
    const main = files.find((f) => f.name === "app.py");
    if (!main || files.length !== 1) throw new Error(`${weakness}/${app}: a by-route app must be one app.py`);
    const blocks = blocksOf(main.text);
    if (!blocks.some((b) => b.kind === "insecure") || !blocks.some((b) => b.kind === "secure"))
      throw new Error(`${weakness}/${app}: app.py lacks an insecure or a secure route handler`);
    const without = (drop: Kind) =>
      blocks
        .filter((b) => b.kind !== drop)
        .flatMap((b) => b.lines)
        .join("\n");
    for (const [kind, vulnerable, drop] of [
      ["insecure", true, "secure"],
      ["secure", false, "insecure"],
    ] as const)
      units.push({
        dir: `${weakness}/${app}__${vulnerable ? "vulnerable" : "safe"}`,
        label: `${weakness}/${app}:${kind}`,
        family,
        vulnerable,
        files: [{ name: "app.py", text: without(drop) }],
        templates,
      });
  }
  return units;
}

/** Reads every weakness folder, applies the left-out rules, writes each unit's files to `work`. */
function readCorpus(root: string, work: string): Corpus {
  const outOfScope = new Map<string, number>();
  const all: Unit[] = [];
  for (const weakness of readdirSync(root).sort()) {
    if (!statSync(join(root, weakness)).isDirectory()) continue;
    if (weakness in OUT_OF_SCOPE) {
      outOfScope.set(weakness, readdirSync(join(root, weakness)).filter((a) => statSync(join(root, weakness, a)).isDirectory()).length);
      continue;
    }
    const w = WEAKNESS[weakness];
    if (!w) throw new Error(`weakness folder ${weakness} is in neither WEAKNESS nor OUT_OF_SCOPE`);
    all.push(...weaknessUnits(root, weakness, w.family, w.by));
  }
  const textOf = (u: Unit) => `${u.family}\n${u.files.map((f) => `${f.name}\n${codeText(f.text)}`).join("\n")}`;
  const { kept, bothLabels, repeats } = keptUnits(all, textOf);
  const cases: FileCase[] = [];
  const files: string[] = [];
  const unitOf = new Map<string, string>();
  const hash = createHash("sha256");
  let templates = 0;
  for (const u of kept) {
    mkdirSync(join(work, u.dir), { recursive: true });
    for (const f of u.files) {
      const file = `${u.dir}/${f.name}`;
      writeFileSync(join(work, file), f.text);
      files.push(file);
      unitOf.set(file, u.dir);
      hash.update(`${file}\n${f.text}\n`);
    }
    for (const t of u.templates) {
      mkdirSync(join(work, u.dir, "templates", t.name, ".."), { recursive: true });
      writeFileSync(join(work, u.dir, "templates", t.name), t.text);
      templates++;
    }
    cases.push({ file: u.dir, label: u.label, family: u.family, vulnerable: u.vulnerable });
  }
  return { cases, files, unitOf, digest: hash.digest("hex").slice(0, 16), templates, outOfScope, leftOut: { bothLabels, repeats } };
}

async function main(): Promise<void> {
  const {
    corpus: c,
    work,
    rest,
  } = readUnitCorpus("eval-code-taintmonkey", "<TaintMonkey dataset/ folder> --work <scratch dir> [--list | --bandit] [--dist <built dist/>]", readCorpus);
  const vulnerable = c.cases.filter((x) => x.vulnerable).length;
  console.log(
    `${c.cases.length} units: ${vulnerable} vulnerable, ${c.cases.length - vulnerable} safe; ${c.files.length} files (digest of the unit files ${c.digest}); ${c.templates} template files beside them`,
  );
  console.log(`out of scope: ${[...c.outOfScope].map(([w, n]) => `${w} (${n} apps; ${OUT_OF_SCOPE[w]})`).join(", ")}`);
  console.log(
    `left out: both labels ${c.leftOut.bothLabels.length} (${c.leftOut.bothLabels.join(" ") || "none"}); repeats ${c.leftOut.repeats.length} (${c.leftOut.repeats.join(" ") || "none"})`,
  );
  if (rest.includes("--list")) {
    for (const l of unitListLines(c.cases)) console.log(l);
    return;
  }
  // a unit is flagged for a family when any of its files is
  const byUnit = (hits: readonly FileHit[]) => hits.map((h) => ({ file: c.unitOf.get(h.file) ?? h.file, family: h.family }));
  const dist = optionValue(rest, "--dist");
  console.log("| tool | vulnerable units | safe units | true positives | false positives | precision | recall | other flagged |");
  console.log("|---|---|---|---|---|---|---|---|");
  for (const l of scoreFiles(dist ? `rampart (${dist})` : "rampart", byUnit(await rampartFileHits(work, c.files, dist, findingFamily)), c.cases, "list")) console.log(l);
  if (!rest.includes("--bandit")) return;
  const bandit = banditFileHits(work, c.files, banditIds());
  for (const l of scoreFiles(`bandit ${bandit.version}`, byUnit(bandit.hits), c.cases, "list")) console.log(l);
  console.log(`  bandit could not parse ${bandit.errors.length} files: ${bandit.errors.join(" ")}`);
}

await main();
