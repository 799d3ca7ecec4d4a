/**
 * Precision/recall of `rampart scan code` (and Bandit) on session 25's web held-out set: flawgarden's
 * python-owasp-converted-mutated, OWASP Benchmark (Java) tests converted to Python/Flask and then mutated by
 * flawgarden's templates (collections, classes, reflection …). `truth.sarif` at the repository root labels each
 * test file once: a result with `ruleId` "CWE-<n>", `kind` "fail" (the file has that weakness) or "pass" (a safe
 * look-alike), and the file's path as its location's `uri`.
 *
 *   npx tsx bench/eval-code-flawgarden.ts <checkout> [--bandit] [--dist <built dist/>] [--list]
 *
 * The checkout is read at evaluation time (`git archive` of the commit named in the docs); nothing of it is
 * committed or executed. `--dist` scores another build's `scanCode` (the base build). The label rule and the
 * scoring below were written and committed (session 25) before either tool ran on any file of the set.
 *
 * Units: every file `truth.sarif` names, one family per file from its CWE — 22 → path, 78 → shell, 89 → sql
 * (families the analyser had before session 25), 79 → xss, 643 → xpath (session 25's rules). A CWE outside these
 * is no unit (counted and listed). Scoring, per file (the OWASP scorecard's rule, as eval-code-owasp.ts): a unit is
 * found when the tool prints at least one finding of the unit's family anywhere in the file, every severity and
 * confidence; found + fail: true positive; found + pass: false positive; not found + fail: missed. Findings of
 * other families are not scored (counted). Headline: precision and recall over all units, then the old families
 * (22/78/89) and the new (79/643) apart, then per family.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";

type Family = "path" | "shell" | "sql" | "xss" | "xpath";

const FAMILY_OF_CWE: Record<string, Family> = { "CWE-22": "path", "CWE-78": "shell", "CWE-89": "sql", "CWE-79": "xss", "CWE-643": "xpath" };
const NEW_FAMILIES: ReadonlySet<Family> = new Set(["xss", "xpath"]);

/** Rampart's rules per family (CWE-22, 78/88, 89, 79, 643). */
const RAMPART: Record<string, Family> = {
  "code.path-traversal": "path",
  "code.archive-extraction": "path",
  "code.shell-injection": "shell",
  "code.argument-injection": "shell",
  "code.sql-injection": "sql",
  "code.xss": "xss",
  "code.template-autoescape-off": "xss",
  "code.xpath-injection": "xpath",
};

/** Bandit's tests per family (its plugin and blacklist docs): shell, SQL, tar extraction, and its XSS-class checks. */
const BANDIT: Record<string, Family> = {
  B601: "shell",
  B602: "shell",
  B604: "shell",
  B605: "shell",
  B609: "shell",
  B608: "sql",
  B610: "sql",
  B611: "sql",
  B202: "path",
  B308: "xss", // mark_safe
  B701: "xss", // jinja2 autoescape=False
  B702: "xss", // mako templates
  B703: "xss", // django mark_safe
};

interface Unit {
  file: string;
  family: Family;
  vulnerable: boolean;
}

function readUnits(checkout: string): { units: Unit[]; other: string[] } {
  const sarif = JSON.parse(readFileSync(join(checkout, "truth.sarif"), "utf8")) as {
    runs: Array<{ results: Array<{ ruleId: string; kind: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }> }>;
  };
  const units: Unit[] = [];
  const other: string[] = [];
  for (const r of sarif.runs[0]?.results ?? []) {
    const file = r.locations[0]?.physicalLocation.artifactLocation.uri ?? "";
    const family = FAMILY_OF_CWE[r.ruleId];
    if (!family || (r.kind !== "fail" && r.kind !== "pass")) {
      other.push(`${file} ${r.ruleId} ${r.kind}`);
      continue;
    }
    units.push({ file, family, vulnerable: r.kind === "fail" });
  }
  return { units, other };
}

async function rampartFlags(checkout: string, units: readonly Unit[], dist: string | undefined): Promise<{ flagged: Set<string>; unscored: number }> {
  const mod = dist ? await import(pathToFileURL(join(resolve(dist), "scan/code/index.js")).href) : await import("../src/scan/code/index.js");
  const scan = mod.scanCode as (p: string, o: { workers: number }) => Promise<{ findings: Array<{ ruleId: string }> }>;
  const flagged = new Set<string>();
  let unscored = 0;
  for (const u of units) {
    const r = await scan(join(checkout, u.file), { workers: 1 });
    for (const x of r.findings) {
      const family = RAMPART[x.ruleId];
      if (family) flagged.add(`${u.file}:${family}`);
      if (family && family !== u.family) unscored++;
    }
  }
  return { flagged, unscored };
}

function banditFlags(checkout: string, units: readonly Unit[]): { version: string; flagged: Set<string>; errors: string[] } {
  const version = (execFileSync("bandit", ["--version"], { encoding: "utf8" }).split("\n")[0] ?? "").replace(/^bandit\s*/, "");
  let out: string;
  try {
    out = execFileSync("bandit", ["-f", "json", "-q", ...units.map((u) => join(checkout, u.file))], { encoding: "utf8", maxBuffer: 64 << 20 });
  } catch (e) {
    out = (e as { stdout: string }).stdout; // exit 1 when issues are found
  }
  const parsed = JSON.parse(out) as { results: Array<{ filename: string; test_id: string }>; errors?: Array<{ filename: string }> };
  const flagged = new Set<string>();
  for (const r of parsed.results) {
    const family = BANDIT[r.test_id];
    if (family) flagged.add(`${relative(checkout, r.filename)}:${family}`);
  }
  return { version, flagged, errors: (parsed.errors ?? []).map((e) => relative(checkout, e.filename)) };
}

function row(name: string, units: readonly Unit[], flagged: ReadonlySet<string>): string {
  const vulnerable = units.filter((u) => u.vulnerable).length;
  const tp = units.filter((u) => u.vulnerable && flagged.has(`${u.file}:${u.family}`)).length;
  const fp = units.filter((u) => !u.vulnerable && flagged.has(`${u.file}:${u.family}`)).length;
  const p = tp + fp > 0 ? (tp / (tp + fp)).toFixed(3) : "–";
  const r = vulnerable > 0 ? (tp / vulnerable).toFixed(3) : "–";
  return `| ${name} | ${vulnerable} | ${units.length - vulnerable} | ${tp} | ${fp} | ${p} | ${r} |`;
}

function table(tool: string, units: readonly Unit[], flagged: ReadonlySet<string>): string[] {
  const out = [row(`${tool}: all`, units, flagged)];
  out.push(
    row(
      `${tool}: old families (22/78/89)`,
      units.filter((u) => !NEW_FAMILIES.has(u.family)),
      flagged,
    ),
  );
  out.push(
    row(
      `${tool}: new families (79/643)`,
      units.filter((u) => NEW_FAMILIES.has(u.family)),
      flagged,
    ),
  );
  for (const f of ["path", "shell", "sql", "xss", "xpath"] as const)
    out.push(
      row(
        `${tool}: ${f}`,
        units.filter((u) => u.family === f),
        flagged,
      ),
    );
  return out;
}

function lists(tool: string, units: readonly Unit[], flagged: ReadonlySet<string>): string[] {
  const name = (u: Unit) => `${u.file.replace(/^.*\//, "").replace(/\.py$/, "")}(${u.family})`;
  const missed = units.filter((u) => u.vulnerable && !flagged.has(`${u.file}:${u.family}`)).map(name);
  const fps = units.filter((u) => !u.vulnerable && flagged.has(`${u.file}:${u.family}`)).map(name);
  return [`  ${tool} missed (${missed.length}): ${missed.join(" ")}`, `  ${tool} false positives (${fps.length}): ${fps.join(" ")}`];
}

async function main(): Promise<void> {
  const [checkout, ...rest] = process.argv.slice(2);
  if (!checkout) {
    console.error("usage: npx tsx bench/eval-code-flawgarden.ts <checkout> [--bandit] [--dist <built dist/>] [--list]");
    process.exit(2);
  }
  const { units, other } = readUnits(checkout);
  const vulnerable = units.filter((u) => u.vulnerable).length;
  console.log(`${units.length} units (${vulnerable} vulnerable, ${units.length - vulnerable} safe); ${other.length} labels of other CWEs not scored`);
  if (rest.includes("--list")) {
    for (const u of units) console.log(`${u.file} ${u.family} ${u.vulnerable ? "vulnerable" : "safe"}`);
    return;
  }
  const at = rest.indexOf("--dist");
  const dist = at >= 0 ? rest[at + 1] : undefined;
  const rampart = await rampartFlags(checkout, units, dist);
  console.log("| tool: units | vulnerable | safe | true positives | false positives | precision | recall |");
  console.log("|---|---|---|---|---|---|---|");
  for (const l of table(dist ? "rampart (dist)" : "rampart", units, rampart.flagged)) console.log(l);
  if (rest.includes("--bandit")) {
    const bandit = banditFlags(checkout, units);
    for (const l of table(`bandit ${bandit.version}`, units, bandit.flagged)) console.log(l);
    console.log(`  bandit could not parse ${bandit.errors.length} files`);
    for (const l of lists("bandit", units, bandit.flagged)) console.log(l);
  }
  console.log(`  rampart findings of other families (not scored): ${rampart.unscored}`);
  for (const l of lists("rampart", units, rampart.flagged)) console.log(l);
}

await main();
