/**
 * Precision/recall of `rampart scan code` (and Bandit) on the session-20 held-out set: the Python rule tests of
 * coderabbitai/ast-grep-essentials (ast-grep security rules). Each test file `tests/python/<rule>-test.yml` lists
 * code snippets under `invalid:` (the rule must report them) and `valid:` (it must not); the rule's authors label
 * their own snippets. A public corpus the project had not scored.
 *
 *   npx tsx bench/eval-code-astgrep.ts <ast-grep-essentials git dir> --work <scratch dir> [--seen DIR]… [--bandit | --list]
 *
 * The tests are read from the git directory's HEAD (`git show HEAD:…`); the snippets are written to the scratch
 * folder, one file each; nothing of the corpus is committed. The mapping, unit rules, dedupe and scoring below were
 * written and committed (session 20) before either tool ran on any unit, from the rule files (`rules/python/…`:
 * id, message, CWE note) and the test files' names and snippet counts; the snippets of one unmapped rule
 * (avoid-mktemp) were read to learn the layout.
 *
 * Units and labels (all from the corpus): every snippet (a YAML list item) of `invalid:` is a *vulnerable* unit of
 * its rule's category, every snippet of `valid:` a *safe* one. Dedupe as sessions 16–18 (text normalised: comments,
 * blank lines and outer spaces dropped): a text labelled both ways within a group is left out on both sides; a repeat
 * of the same label and category is kept once; a unit whose normalised text occurs inside a seen corpus given with
 * `--seen` is left out. No sampling: every remaining unit is scored (no seed).
 *
 * Scoring, per unit (as sessions 13–19): a unit is flagged when the tool prints at least one finding of the unit's
 * category anywhere in it, every severity and confidence (a `low` finding counts), both tools. Flagged vulnerable
 * unit: true positive; flagged safe unit: false positive. Bandit: Debian's 1.6.2, default configuration, ids mapped by
 * eval-code-categories.ts's BANDIT table.
 */

import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { BANDIT, banditHits, type Category, type CategoryTally, countUnit, type Hit, rampartHits, tallyLines, tallyOf } from "./eval-code-categories.js";
import { selectUnits } from "./eval-code-s16.js";

/**
 * Headline: rule (test file stem, without `-python-test.yml`) → category. The hard-coded-secret rules are CWE-798 /
 * CWE-522 (two of them carry a CWE-287 note, but their rule and message are about a literal password or secret given
 * to the client: a hard-coded credential). `debug-enabled` is Flask's debugger (CWE-489) and
 * `avoid_app_run_with_bad_host` a server bound to every interface (CWE-668), both in Rampart's debug family (Bandit
 * B201 / B104).
 */
const MAPPED: Record<string, Category> = {
  "jwt-python-hardcoded-secret": "cred",
  "python-pyjwt-hardcoded-secret": "cred",
  "openai-hardcoded-secret": "cred",
  "python-elasticsearch-hardcoded-bearer-auth": "cred",
  "python-requests-oauth-hardcoded-secret": "cred",
  "debug-enabled": "debug",
  avoid_app_run_with_bad_host: "debug",
};
/** Every `python-<client>-hardcoded-secret` rule: a literal password or secret given to a database, HTTP or REPL client. */
const HARDCODED_SECRET = /^python-[a-z0-9-]+-hardcoded-secret$/;
/**
 * Side row (declared, not the headline): `python-<client>-empty-password` — a client connected with `password=""`.
 * Its note is CWE-287 (improper authentication): there is no secret in the code, so it is not a hard-coded credential
 * (CWE-798), and Rampart has no "no authentication" family; scored as `cred` only to show where both tools stand.
 */
const EMPTY_PASSWORD = /^python-[a-z0-9-]+-empty-password$/;
/*
 * Not mapped (no Rampart family): avoid-mktemp (CWE-377, temporary files), insecure-cipher-algorithm-rc4 and
 * hashids-with-django-secret / hashids-with-flask-secret (CWE-327, weak cryptography / a secret reused as a salt).
 */

interface Found {
  corpus: string;
  category: Category;
  vulnerable: boolean;
  source: string;
  text: string;
}

interface Unit extends Found {
  file: string;
}

function git(dir: string, args: readonly string[]): string {
  return execFileSync("git", ["--git-dir", dir, ...args], { encoding: "utf8", maxBuffer: 64 << 20 });
}

/** The units of every mapped test file: `group` "headline" or "empty" (the side row). */
function corpusUnits(dir: string): { headline: Found[]; empty: Found[]; unmapped: string[] } {
  const headline: Found[] = [];
  const empty: Found[] = [];
  const unmapped: string[] = [];
  const files = git(dir, ["ls-tree", "-r", "--name-only", "HEAD", "tests/python"])
    .split("\n")
    .filter((f) => f.endsWith("-python-test.yml"));
  for (const rel of files) {
    const rule = rel.replace(/^tests\/python\//, "").replace(/-python-test\.yml$/, "");
    const side = EMPTY_PASSWORD.test(rule);
    const category: Category | undefined = MAPPED[rule] ?? (HARDCODED_SECRET.test(rule) || side ? "cred" : undefined);
    if (!category) {
      unmapped.push(rule);
      continue;
    }
    const doc = parse(git(dir, ["show", `HEAD:${rel}`])) as { valid?: unknown; invalid?: unknown } | null;
    const out = side ? empty : headline;
    for (const [key, vulnerable] of [
      ["invalid", true],
      ["valid", false],
    ] as const) {
      const list = doc?.[key];
      if (!Array.isArray(list)) continue;
      list.forEach((text, i) => {
        if (typeof text === "string") out.push({ corpus: side ? "empty-password" : "astgrep", category, vulnerable, source: `astgrep:${rule}:${key}${i}`, text });
      });
    }
  }
  return { headline, empty, unmapped };
}

function score(tool: string, hits: Hit[], units: readonly Unit[]): string[] {
  const flagged = new Set(hits.map((h) => `${h.file}:${h.category}`));
  const byCat = new Map<string, CategoryTally>();
  const missed: string[] = [];
  const fps: string[] = [];
  let tp = 0;
  let wanted = 0;
  let neg = 0;
  for (const u of units) {
    const hit = flagged.has(`${u.file}:${u.category}`);
    countUnit([tallyOf(byCat, u.category)], u.vulnerable, hit);
    const id = u.file.replace(/\.py$/, "");
    if (u.vulnerable) {
      wanted++;
      if (hit) tp++;
      else missed.push(id);
    } else {
      neg++;
      if (hit) fps.push(id);
    }
  }
  const precision = tp + fps.length ? tp / (tp + fps.length) : 1;
  const recall = wanted ? tp / wanted : 1;
  return [`| ${tool} | ${wanted} | ${neg} | ${tp} | ${fps.length} | ${precision.toFixed(3)} | ${recall.toFixed(3)} |`, ...tallyLines(byCat, missed, fps)];
}

function option(args: readonly string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const dir = args[0];
  const work = option(args, "--work");
  if (!dir || dir.startsWith("--") || !work) {
    console.error("usage: npx tsx bench/eval-code-astgrep.ts <ast-grep-essentials git dir> --work <scratch dir> [--seen DIR]… [--bandit | --list]");
    process.exit(2);
  }
  const seen = args.flatMap((a, i) => (a === "--seen" && args[i + 1] ? [args[i + 1] as string] : []));
  const commit = git(dir, ["rev-parse", "HEAD"]).trim();
  const found = corpusUnits(dir);
  const groups: Array<[string, Unit[]]> = [];
  for (const [name, list] of [
    ["headline", found.headline],
    ["empty-password (side row)", found.empty],
  ] as const) {
    const selected = selectUnits(list, seen);
    const units = selected.units.map((u) => ({ ...u, category: u.category as Category, file: `${name.split(" ")[0]}/${u.file}` }));
    groups.push([name, units]);
    console.log(`${name}: ${units.length} units; left out: ${JSON.stringify(selected.dropped)}`);
    const count = (c: Category, v: boolean) => units.filter((u) => u.category === c && u.vulnerable === v).length;
    for (const c of [...new Set(units.map((u) => u.category))]) console.log(`  ${c}: ${count(c, true)} vulnerable, ${count(c, false)} safe`);
  }
  console.log(`ast-grep-essentials ${commit}; not mapped: ${found.unmapped.join(", ")}; seen roots: ${seen.length}`);
  for (const [, units] of groups)
    for (const u of units) {
      mkdirSync(join(work, u.file.split("/")[0] as string), { recursive: true });
      writeFileSync(join(work, u.file), u.text);
    }
  if (args.includes("--list")) {
    for (const [, units] of groups) for (const u of units) console.log(`${u.file} ${u.category} ${u.vulnerable ? "vulnerable" : "safe"} ${u.source}`);
    return;
  }
  for (const [name, units] of groups) {
    const files = units.map((u) => u.file);
    console.log(`\n${name}`);
    console.log("| tool | vulnerable units | safe units | true positives | false positives | precision | recall |");
    console.log("|---|---|---|---|---|---|---|");
    for (const l of score("rampart", await rampartHits(work, files), units)) console.log(l);
    if (!args.includes("--bandit")) continue;
    const bandit = banditHits(work, files, BANDIT);
    for (const l of score(`bandit ${bandit.version}`, bandit.hits, units)) console.log(l);
    console.log(`  bandit could not parse ${bandit.errors.length} files: ${bandit.errors.join(" ")}`);
  }
}

if (process.argv[1]?.endsWith("eval-code-astgrep.ts")) await main();
