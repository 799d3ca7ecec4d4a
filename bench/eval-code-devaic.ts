/**
 * Precision/recall of `rampart scan code` (and Bandit) on the session-24 held-out set: the AI-written Python snippets
 * of DeVAIC (dessertlab/DeVAIC, `version_1.0/`), each judged vulnerable or safe by the corpus authors by hand.
 * `input/<model>.txt` holds 125 snippets per code generator (GitHub Copilot, Google Gemini, Microsoft Copilot, OpenAI
 * ChatGPT), one per line, the source's line breaks written as `\n` escapes; `materials/manual_analysis.xlsx` has one sheet
 * per generator (its A1 names the input file: `google_geminiXX.py`), one row per snippet (column A: the line number in
 * the input file) and the authors' verdict on six tools' outputs (columns C–H: DeVAIC, ChatGPT, Bandit, CodeQL,
 * Semgrep, PyT), each TP, FN, TN or FP.
 *
 *   npx tsx bench/eval-code-devaic.ts <DeVAIC version_1.0 folder> --work <scratch dir> [--bandit | --list] [--dist <built dist/>]
 *
 * `--dist` scores another build's `scanCode` (its `dist/scan/code/index.js`), for the base-build column. The folder
 * is read at evaluation time (written out with `git archive`); the snippets are written one file each into the scratch
 * folder; nothing of the corpus is committed or executed. The label rule and the scoring below were written and
 * committed (session 24) before either tool ran on any unit.
 *
 * Labels (the authors', read from the six verdict columns, not from any tool's raw output):
 * - TP or FN in a verdict column means the authors judged the snippet vulnerable; TN or FP, safe. A snippet is
 *   *vulnerable* when all six columns say so, *safe* when all six say so; a row whose columns disagree, or that has
 *   no verdicts (the authors left some rows empty), is no unit (counted and listed). Column B (`outcome_DeVAIC`,
 *   DeVAIC's own answer) is not a label.
 * - The sheet gives no weakness class per snippet: a vulnerable snippet may be vulnerable for a reason outside
 *   Rampart's families (weak hash, XSS, missing authentication …). So every unit is scored against every family:
 *   recall here is over all weaknesses the authors counted, a lower bound for Rampart's families.
 *
 * Scoring, per snippet: a unit is flagged when the tool prints at least one finding of any counted family
 * (`eval-code-files.ts`'s mapping: every Rampart family and path traversal; Bandit's ids mapped the same way),
 * every severity and confidence, both tools. Flagged vulnerable: true positive; flagged safe: false positive.
 * The authors' recorded verdicts for the six tools they ran are printed beside, on the same units (their Bandit
 * counts any Bandit finding, ours only mapped ids).
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { inflateRawSync } from "node:zlib";
import { banditFileHits, type FileHit, rampartFileHits, withSession25Crypto } from "./eval-code-files.js";

interface Unit {
  /** `<generator>/<NNN>.py`, relative to the scratch folder. */
  file: string;
  generator: string;
  vulnerable: boolean;
  /** The authors' verdict per tool column (DeVAIC, ChatGPT, Bandit, CodeQL, Semgrep, PyT): did that tool flag it. */
  recorded: boolean[];
}

const VERDICT_COLUMNS = ["C", "D", "E", "F", "G", "H"] as const;
const VERDICT_TOOLS = ["DeVAIC", "ChatGPT", "Bandit (authors' run)", "CodeQL", "Semgrep", "PyT"] as const;

/** The entries of a zip archive (an .xlsx), by name; stored and deflated members only. */
function unzip(buf: Buffer): Map<string, Buffer> {
  let end = buf.length - 22;
  while (end >= 0 && buf.readUInt32LE(end) !== 0x06054b50) end--;
  if (end < 0) throw new Error("not a zip archive");
  const count = buf.readUInt16LE(end + 10);
  let at = buf.readUInt32LE(end + 16);
  const out = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    const method = buf.readUInt16LE(at + 10);
    const size = buf.readUInt32LE(at + 20);
    const nameLen = buf.readUInt16LE(at + 28);
    const extraLen = buf.readUInt16LE(at + 30);
    const commentLen = buf.readUInt16LE(at + 32);
    const local = buf.readUInt32LE(at + 42);
    const name = buf.toString("utf8", at + 46, at + 46 + nameLen);
    const dataAt = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(dataAt, dataAt + size);
    out.set(name, method === 8 ? inflateRawSync(data) : Buffer.from(data));
    at += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

function xmlText(s: string): string {
  return s
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, "&");
}

/** Each worksheet of the workbook as rows of cells (row number → column letter → text). */
function readSheets(xlsx: Buffer): Array<Map<number, Map<string, string>>> {
  const files = unzip(xlsx);
  const part = (n: string) => files.get(n)?.toString("utf8") ?? "";
  const shared = [...part("xl/sharedStrings.xml").matchAll(/<si>([\s\S]*?)<\/si>/g)].map((m) =>
    xmlText([...(m[1] ?? "").matchAll(/<t[^>]*>([\s\S]*?)<\/t>/g)].map((t) => t[1]).join("")),
  );
  const targets = new Map([...part("xl/_rels/workbook.xml.rels").matchAll(/<Relationship [^>]*?Id="([^"]+)"[^>]*?Target="([^"]+)"/g)].map((m) => [m[1], m[2]]));
  const sheets: Array<Map<number, Map<string, string>>> = [];
  for (const s of part("xl/workbook.xml").matchAll(/<sheet [^>]*?r:id="([^"]+)"/g)) {
    const rows = new Map<number, Map<string, string>>();
    for (const c of part(`xl/${targets.get(s[1] ?? "")}`).matchAll(/<c r="([A-Z]+)(\d+)"([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      const v = /<v>([\s\S]*?)<\/v>/.exec(c[4] ?? "")?.[1];
      if (v === undefined) continue;
      const text = /t="s"/.test(c[3] ?? "") ? (shared[Number(v)] ?? "") : xmlText(v);
      const row = Number(c[2]);
      const cells = rows.get(row) ?? rows.set(row, new Map()).get(row)!;
      cells.set(c[1] ?? "", text);
    }
    sheets.push(rows);
  }
  return sheets;
}

/**
 * A snippet's source: the input files write line breaks three ways — ` \n ` (Gemini, Microsoft Copilot, most of
 * ChatGPT), `\n ` after each line (the authors' `create_snippet.py`) and a bare `\n` (GitHub Copilot). A snippet
 * with a `\n` not followed by a space is the bare kind; otherwise each `\n` with the spaces on either side that
 * the writer added is one break (the indentation after it is kept).
 */
function snippetSource(line: string): string {
  const s = line.trimEnd();
  return /\\n(?! |$)/.test(s) ? s.split("\\n").join("\n") : s.replace(/ ?\\n(?: |$)/g, "\n");
}

/** The units and the rows left out, from the workbook; the snippets' text per unit file. */
function readUnits(root: string): { units: Unit[]; texts: Map<string, string>; leftOut: string[] } {
  const units: Unit[] = [];
  const texts = new Map<string, string>();
  const leftOut: string[] = [];
  for (const rows of readSheets(readFileSync(join(root, "materials/manual_analysis.xlsx")))) {
    const generator = /^([a-z_]+)XX\.py$/.exec(rows.get(1)?.get("A") ?? "")?.[1];
    if (!generator) throw new Error("a sheet whose A1 names no input file");
    const lines = readFileSync(join(root, "input", `${generator}.txt`), "utf8").split(/\r?\n/);
    for (const [row, cells] of [...rows].sort(([a], [b]) => a - b)) {
      if (row === 1) continue;
      const n = Number(cells.get("A"));
      if (!Number.isInteger(n) || n < 1) continue;
      const verdicts = VERDICT_COLUMNS.map((c) => cells.get(c) ?? "");
      const truths = new Set(verdicts.map((v) => (v === "TP" || v === "FN" ? "vulnerable" : v === "TN" || v === "FP" ? "safe" : "none")));
      const id = `${generator}/${String(n).padStart(3, "0")}`;
      if (truths.size !== 1 || truths.has("none")) {
        leftOut.push(`${id}(${verdicts.join(",") || "empty"})`);
        continue;
      }
      const snippet = lines[n - 1];
      if (snippet === undefined || snippet.trim() === "") throw new Error(`${id}: no snippet on line ${n} of input/${generator}.txt`);
      const file = `${id}.py`;
      texts.set(file, `${snippetSource(snippet)}\n`);
      units.push({ file, generator, vulnerable: truths.has("vulnerable"), recorded: verdicts.map((v) => v === "TP" || v === "FP") });
    }
  }
  return { units, texts, leftOut };
}

function ratio(a: number, b: number): string {
  return (b ? a / b : 1).toFixed(3);
}

/** The table row, then per generator, per family of the findings, and the missed and false-positive lists. */
function score(tool: string, flaggedFamilies: Map<string, Set<string>>, units: readonly Unit[], detail: boolean): string[] {
  let tp = 0;
  let fp = 0;
  const wanted = units.filter((u) => u.vulnerable).length;
  const byGenerator = new Map<string, { n: number; tp: number; neg: number; fp: number }>();
  const byFamily = new Map<string, { tp: number; fp: number }>();
  const missed: string[] = [];
  const fps: string[] = [];
  for (const u of units) {
    const families = flaggedFamilies.get(u.file);
    const g = byGenerator.get(u.generator) ?? byGenerator.set(u.generator, { n: 0, tp: 0, neg: 0, fp: 0 }).get(u.generator)!;
    if (u.vulnerable) g.n++;
    else g.neg++;
    for (const f of families ?? []) {
      const t = byFamily.get(f) ?? byFamily.set(f, { tp: 0, fp: 0 }).get(f)!;
      if (u.vulnerable) t.tp++;
      else t.fp++;
    }
    const label = u.file.replace(/\.py$/, "");
    if (families?.size) {
      if (u.vulnerable) {
        tp++;
        g.tp++;
      } else {
        fp++;
        g.fp++;
        fps.push(`${label}:${[...families].sort().join("+")}`);
      }
    } else if (u.vulnerable) missed.push(label);
  }
  const lines = [`| ${tool} | ${wanted} | ${units.length - wanted} | ${tp} | ${fp} | ${ratio(tp, tp + fp)} | ${ratio(tp, wanted)} |`];
  if (!detail) return lines;
  return [
    ...lines,
    `  by generator (flagged/vulnerable, flagged/safe): ${[...byGenerator]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, v]) => `${k} ${v.tp}/${v.n}, ${v.fp}/${v.neg}`)
      .join("; ")}`,
    `  by family of the findings (vulnerable units, safe units flagged): ${
      [...byFamily]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, v]) => `${k} ${v.tp}, ${v.fp}`)
        .join("; ") || "none"
    }`,
    `  missed (${missed.length}): ${missed.join(" ") || "none"}`,
    `  false positives (${fps.length}): ${fps.join(" ") || "none"}`,
  ];
}

function familiesByFile(hits: readonly FileHit[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const h of hits) (out.get(h.file) ?? out.set(h.file, new Set()).get(h.file)!).add(h.family);
  return out;
}

async function main(): Promise<void> {
  const [root, ...rest] = process.argv.slice(2);
  const at = rest.indexOf("--work");
  const work = at >= 0 ? rest[at + 1] : undefined;
  if (!root || root.startsWith("--") || !work) {
    console.error("usage: npx tsx bench/eval-code-devaic.ts <DeVAIC version_1.0 folder> --work <scratch dir> [--bandit | --list] [--dist <built dist/>] [--session25]");
    process.exit(2);
  }
  let read: ReturnType<typeof readUnits>;
  try {
    read = readUnits(root);
  } catch (e) {
    console.error(`eval-code-devaic: ${(e as Error).message}`);
    process.exit(2);
  }
  const { units, texts, leftOut } = read;
  for (const [file, text] of texts) {
    mkdirSync(join(work, file, ".."), { recursive: true });
    writeFileSync(join(work, file), text);
  }
  const vulnerable = units.filter((u) => u.vulnerable).length;
  console.log(`${units.length} snippets labelled (${vulnerable} vulnerable, ${units.length - vulnerable} safe); rows left out (${leftOut.length}): ${leftOut.join(" ") || "none"}`);
  if (rest.includes("--list")) {
    for (const u of units) console.log(`${u.file} ${u.vulnerable ? "vulnerable" : "safe"}`);
    return;
  }
  const files = units.map((u) => u.file);
  const d = rest.indexOf("--dist");
  const dist = d >= 0 ? rest[d + 1] : undefined;
  console.log("| tool | vulnerable snippets | safe snippets | true positives | false positives | precision | recall |");
  console.log("|---|---|---|---|---|---|---|");
  // --session25: also count session 25's rules (a seen-set figure; the held-out run counted the families of its time).
  const withNew = rest.includes("--session25");
  for (const l of score(
    `${dist ? `rampart (${dist})` : "rampart"}${withNew ? " + session-25 rules" : ""}`,
    familiesByFile(await rampartFileHits(work, files, dist, withNew ? withSession25Crypto : undefined)),
    units,
    true,
  ))
    console.log(l);
  if (rest.includes("--bandit")) {
    const bandit = banditFileHits(work, files);
    for (const l of score(`bandit ${bandit.version}`, familiesByFile(bandit.hits), units, true)) console.log(l);
    console.log(`  bandit could not parse ${bandit.errors.length} files: ${bandit.errors.join(" ")}`);
  }
  console.log("As recorded by the corpus authors (their verdict columns, any finding of the tool):");
  VERDICT_TOOLS.forEach((tool, i) => {
    const flagged = new Map(units.filter((u) => u.recorded[i]).map((u) => [u.file, new Set(["any"])]));
    for (const l of score(tool, flagged, units, false)) console.log(l);
  });
}

await main();
