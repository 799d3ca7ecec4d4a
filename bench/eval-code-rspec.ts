/**
 * Precision/recall of `rampart scan code` (and Bandit) on the Python code examples of SonarSource's rule
 * descriptions (SonarSource/rspec, `rules/S<NNNN>/python/*.adoc` and `…/python/how-to-fix-it/*.adoc`): each
 * rule page shows code that the rule reports ("Noncompliant code example", "Sensitive Code Example",
 * `diff-type=noncompliant`) beside code that it accepts ("Compliant solution", `diff-type=compliant`).
 * Both labels come from the corpus. This is a different text from sonar-python's check tests (the session-5
 * set): those are the analyser's test files, these are the documentation's examples.
 *
 *   npx tsx bench/eval-code-rspec.ts <rspec checkout> --work <scratch dir> [--seen DIR]… [--bandit | --list]
 *
 * The checkout and the scratch files stay outside the repository; nothing of the corpus is committed. The
 * mapping, dedupe and scoring below were written and committed (session 14) before either tool ran on any
 * unit, from the rule titles (metadata.json) and the adoc markup (headings and `[source,…]` lines) only.
 *
 * Units: every `----`-delimited listing block in a mapped rule's Python adoc files whose attribute line is
 * absent or names python (`[source,python…]`). Label, in this order: `diff-type=noncompliant` → vulnerable,
 * `diff-type=compliant` → safe; otherwise the nearest heading above the block: one containing
 * "Noncompliant" or "Sensitive Code" → vulnerable, one containing "Compliant" → safe; any other block
 * (no such heading) is not a unit. Each unit is written to its own file exactly as the page shows it
 * (fragments included: both tools get the same file).
 * Dedupe, in this order (text normalised: comments, blank lines and outer spaces dropped): a text labelled
 * vulnerable in one place and safe in another is left out on both sides; a repeated text of the same label
 * and category is kept once; a unit whose normalised text occurs inside a `.py` file of a seen corpus given
 * with `--seen` is left out. No sampling: every remaining unit is scored.
 *
 * Scoring, per unit (as eval-code-sven.ts): a unit is flagged when the tool prints at least one finding of
 * the unit's mapped category anywhere in it (every severity and confidence, both tools, as every code
 * harness counts since session 5). Flagged vulnerable unit: true positive; flagged safe unit: false
 * positive. Findings of other categories are not scored (counted). Bandit: Debian's 1.6.2, default
 * configuration, ids mapped by eval-code-categories.ts's BANDIT table.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BANDIT, banditHits, type Category, type CategoryTally, type Hit, rampartHits, tallyLines, tallyOf } from "./eval-code-categories.js";

/** Sonar rule key → Rampart category, chosen from the rule titles before any run. */
const MAPPED: Record<string, Category> = {
  S2076: "shell", // OS commands should not be vulnerable to command injection attacks
  S4721: "shell", // Using shell interpreter when executing OS commands is security-sensitive
  S3649: "sql", // Database queries should not be vulnerable to injection attacks
  S2077: "sql", // Formatting SQL queries is security-sensitive
  S5334: "exec", // Dynamic code execution should not be vulnerable to injection attacks
  S1523: "exec", // Dynamically executing code is security-sensitive
  S5496: "exec", // Server-side templates should not be vulnerable to injection attacks (template injection counts as exec since session 10)
  S7698: "exec", // AI agent code execution without sandboxing is security-sensitive
  S5135: "deser", // Deserialization should not be vulnerable to injection attacks
  S4508: "deser", // Deserializing objects from an untrusted source is security-sensitive
  S6985: "deser", // Usage of "torch.load" can lead to untrusted code execution
  S4830: "tls", // Server certificates should be verified during SSL/TLS connections
  S5527: "tls", // Server hostnames should be verified during SSL/TLS connections
  S2068: "cred", // Hard-coded passwords are security-sensitive
  S6418: "cred", // Hard-coded secrets are security-sensitive
  S6437: "cred", // Credentials should not be hard-coded
  S6779: "cred", // Flask secret keys should not be disclosed
  S6781: "cred", // JWT secret keys should not be disclosed
  S4507: "debug", // Delivering code in production with debug features activated is security-sensitive
};
/*
 * Deliberately NOT mapped (decided with the list above, before any run), as in the session-5 Sonar harness:
 * S6350 (program arguments from user input without a shell), S4423 (weak TLS versions: code.tls-weak-protocol
 * is not a counted category), S5042 (decompression bombs, not path traversal), S2115 (an empty database
 * password), S5247/S5439 (HTML auto-escaping: XSS), S7625 (use of long-term AWS keys, not their literal),
 * S7518 (prompt injection), S2083/S7044 (path and SSRF: not in the issue's list), XSS, XXE, LDAP, XPath,
 * NoSQL, crypto, cookie, CORS, CSRF, cloud-policy and regex rules: weaknesses Rampart does not claim.
 */

interface Unit {
  file: string;
  rule: string;
  category: Category;
  vulnerable: boolean;
  source: string;
  text: string;
}

/** Code lines only: comments, blank lines and outer spaces dropped (for dedupe). */
function normalise(code: string): string {
  return code
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"))
    .join("\n");
}

/** The labelled listing blocks of one adoc page. */
export function labelledBlocks(adoc: string): Array<{ line: number; vulnerable: boolean; text: string }> {
  const lines = adoc.split(/\r?\n/);
  const out: Array<{ line: number; vulnerable: boolean; text: string }> = [];
  let heading = "";
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (/^=+\s/.test(l)) {
      heading = l;
      continue;
    }
    if (l.trim() !== "----") continue;
    const end = lines.findIndex((x, j) => j > i && x.trim() === "----");
    if (end < 0) break;
    const start = i;
    const attr = /^\[(.*)\]\s*$/.exec(lines[start - 1] ?? "")?.[1];
    i = end;
    if (attr !== undefined && !/^source\s*,\s*python\b/i.test(attr)) continue;
    const diff = /diff-type\s*=\s*(noncompliant|compliant)/i.exec(attr ?? "")?.[1]?.toLowerCase();
    const vulnerable = diff ? diff === "noncompliant" : /noncompliant|sensitive code/i.test(heading) ? true : /compliant/i.test(heading) ? false : undefined;
    if (vulnerable === undefined) continue;
    out.push({ line: start + 1, vulnerable, text: lines.slice(start + 1, end).join("\n") });
  }
  return out;
}

/** Every .py file's text under the seen roots, normalised. */
function seenTexts(roots: readonly string[]): string {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else if (name.endsWith(".py")) out.push(normalise(readFileSync(p, "utf8")));
    }
  };
  for (const r of roots) walk(r);
  return out.join("\n\u0000\n");
}

function readUnits(checkout: string, seen: readonly string[]): { units: Unit[]; dropped: Record<string, number> } {
  const dropped = { conflicting: 0, repeated: 0, seen: 0, empty: 0 };
  const found: Array<Omit<Unit, "file">> = [];
  for (const rule of Object.keys(MAPPED)) {
    const dir = join(checkout, "rules", rule, "python");
    const pages = [join(dir, "rule.adoc")];
    try {
      for (const f of readdirSync(join(dir, "how-to-fix-it"))) if (f.endsWith(".adoc")) pages.push(join(dir, "how-to-fix-it", f));
    } catch {
      /* no how-to-fix-it pages */
    }
    for (const page of pages.sort()) {
      let adoc: string;
      try {
        adoc = readFileSync(page, "utf8");
      } catch {
        continue;
      }
      for (const b of labelledBlocks(adoc)) {
        if (normalise(b.text) === "") {
          dropped.empty++;
          continue;
        }
        found.push({ rule, category: MAPPED[rule]!, vulnerable: b.vulnerable, source: `${page.slice(checkout.length + 1)}:${b.line + 1}`, text: `${b.text}\n` });
      }
    }
  }
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
    if (labelsOf.get(n)!.size > 1) {
      dropped.conflicting++;
      continue;
    }
    const key = `${u.category}\0${u.vulnerable}\0${n}`;
    if (taken.has(key)) {
      dropped.repeated++;
      continue;
    }
    if (seenCorpus.includes(n)) {
      dropped.seen++;
      continue;
    }
    taken.add(key);
    units.push({ ...u, file: `${String(units.length + 1).padStart(3, "0")}-${u.rule}-${u.vulnerable ? "noncompliant" : "compliant"}.py` });
  }
  return { units, dropped };
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
    const s = tallyOf(byCat, u.category);
    const hit = flagged.has(`${u.file}:${u.category}`);
    const id = u.file.replace(/\.py$/, "");
    if (u.vulnerable) {
      wanted++;
      s.n++;
      if (hit) {
        tp++;
        s.tp++;
      } else missed.push(id);
    } else {
      neg++;
      s.neg++;
      if (hit) {
        s.fp++;
        fps.push(id);
      }
    }
  }
  const scored = new Set(units.map((u) => `${u.file}:${u.category}`));
  const unscored = hits.filter((h) => !scored.has(`${h.file}:${h.category}`)).length;
  const precision = tp + fps.length ? tp / (tp + fps.length) : 1;
  const recall = wanted ? tp / wanted : 1;
  return [`| ${tool} | ${wanted} | ${neg} | ${tp} | ${fps.length} | ${precision.toFixed(3)} | ${recall.toFixed(3)} | ${unscored} |`, ...tallyLines(byCat, missed, fps)];
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const [checkout] = args;
  const work = args[args.indexOf("--work") + 1];
  if (!checkout || !args.includes("--work") || !work) {
    console.error("usage: npx tsx bench/eval-code-rspec.ts <rspec checkout> --work <scratch dir> [--seen DIR]… [--bandit | --list]");
    process.exit(2);
  }
  const seen = args.flatMap((a, i) => (a === "--seen" && args[i + 1] ? [args[i + 1] as string] : []));
  const { units, dropped } = readUnits(checkout, seen);
  mkdirSync(work, { recursive: true });
  for (const u of units) writeFileSync(join(work, u.file), u.text);
  let commit = "";
  try {
    commit = execFileSync("git", ["-C", checkout, "rev-parse", "HEAD"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    /* an exported tree: no commit to print */
  }
  console.log(`${units.length} units written to the scratch folder${commit ? ` (rspec ${commit})` : ""}; left out: ${JSON.stringify(dropped)} (seen roots: ${seen.length})`);
  const count = (c: Category, v: boolean) => units.filter((u) => u.category === c && u.vulnerable === v).length;
  for (const c of [...new Set(Object.values(MAPPED))]) console.log(`  ${c}: ${count(c, true)} vulnerable, ${count(c, false)} safe`);
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

if (process.argv[1]?.endsWith("eval-code-rspec.ts")) await main();
