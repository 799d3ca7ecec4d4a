/**
 * Row-for-row comparison of `detectInjection` between an earlier build and this checkout, for a change
 * that must not move any verdict (a speed fix): each labelled JSON Lines row ({text, role?, task?}) is
 * scanned by both, rules + model and rules alone, in the row's role and with its task as eval.ts does.
 * Prints the rows whose verdict, score or reported matches (rule, index, length) differ, the counts, and
 * the CPU time each build spent (the two alternate which goes first, row by row).
 *
 *   npx tsx bench/prompt-verdict-diff.ts OLD_BUILD/dist/gateway/prompt/detect.js FILE.jsonl…
 *
 * OLD_BUILD is a built checkout of the earlier commit (`npm run build`). Exit 1 when any verdict differs.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { type DetectOptions, detectInjection, type PromptVerdict } from "../src/gateway/prompt/detect.js";

type Detect = (text: string, options?: DetectOptions) => PromptVerdict;
type Row = { text: string; role?: "user" | "data"; task?: string };

const [oldModule, ...files] = process.argv.slice(2);
if (!oldModule || files.length === 0) {
  console.error("usage: prompt-verdict-diff.ts OLD_DETECT_JS FILE.jsonl…");
  process.exit(2);
}
const old = ((await import(pathToFileURL(resolve(oldModule)).href)) as { detectInjection?: Detect }).detectInjection;
if (typeof old !== "function") {
  console.error(`${oldModule}: exports no detectInjection`);
  process.exit(2);
}

const summary = (v: PromptVerdict) => `${v.verdict} ${v.score} ${v.matches.map((m) => `${m.rule}@${m.layer}:${m.index}+${m.length}`).join(",")}`;
const cpu = { old: 0, new: 0 };
function timed(which: "old" | "new", run: () => PromptVerdict): PromptVerdict {
  const t0 = process.cpuUsage();
  const v = run();
  const d = process.cpuUsage(t0);
  cpu[which] += (d.user + d.system) / 1000;
  return v;
}

let rows = 0;
let verdicts = 0;
let details = 0;
for (const file of files) {
  const lines = readFileSync(file, "utf8").split("\n");
  for (const [i, line] of lines.entries()) {
    if (!line.trim()) continue;
    let row: Row;
    try {
      row = JSON.parse(line) as Row;
      if (typeof row.text !== "string") throw new Error("no text field");
    } catch (e) {
      console.error(`${file}:${i + 1}: not a JSON object with a text field (${(e as Error).message})`);
      process.exit(2);
    }
    rows++;
    for (const classifier of [undefined, false] as const) {
      const options: DetectOptions = { role: row.role, task: row.task, ...(classifier === false ? { classifier } : {}) };
      const runOld = () => timed("old", () => old(row.text, options));
      const runNew = () => timed("new", () => detectInjection(row.text, options));
      let a: PromptVerdict;
      let b: PromptVerdict;
      if (rows % 2) {
        a = runOld();
        b = runNew();
      } else {
        b = runNew();
        a = runOld();
      }
      if (a.verdict !== b.verdict) verdicts++;
      else if (summary(a) === summary(b)) continue;
      details++;
      console.log(`${file}:${i + 1} (${classifier === false ? "rules" : "rules + model"})\n  old ${summary(a).slice(0, 300)}\n  new ${summary(b).slice(0, 300)}`);
    }
  }
}
console.log(`rows ${rows}, scans ${2 * rows}: verdicts differing ${verdicts}, scores or matches differing (any) ${details}`);
console.log(`CPU s: old ${(cpu.old / 1000).toFixed(1)}, new ${(cpu.new / 1000).toFixed(1)} (new/old ${(cpu.new / cpu.old).toFixed(3)})`);
process.exit(verdicts > 0 ? 1 : 0);
