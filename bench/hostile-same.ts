/**
 * Same output, old and new parser: `npx tsx bench/hostile-same.ts OLD_SRC_ROOT LIST_OF_FILES` runs the
 * lockfile analyzers of this tree and of OLD_SRC_ROOT (a `git archive` of an earlier commit) on every
 * file named in LIST_OF_FILES and prints how many give different dependencies (lines included).
 */
import { readFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { LockfileAnalyzer } from "../src/scan/deps/lockfiles/index.js";

const [oldRoot, list] = process.argv.slice(2);
if (!oldRoot || !list) {
  console.error("usage: npx tsx bench/hostile-same.ts OLD_SRC_ROOT LIST_OF_FILES");
  process.exit(2);
}
const load = async (root: string) => ((await import(pathToFileURL(join(resolve(root), "src/scan/deps/lockfiles/index.ts")).href)) as { ANALYZERS: LockfileAnalyzer[] }).ANALYZERS;
const [mine, theirs] = [await load("."), await load(oldRoot)];
const reader = { read: async () => "" };
let files = 0;
let differ = 0;
let deps = 0;
for (const path of readFileSync(list, "utf8").split("\n").filter(Boolean)) {
  const rel = basename(path);
  const a = mine.find((x) => x.required(rel));
  const b = theirs.find((x) => x.required(rel));
  if (!a || !b) continue;
  const text = readFileSync(path, "utf8");
  const run = async (an: LockfileAnalyzer) => {
    try {
      return JSON.stringify(await an.parse(text, rel, reader));
    } catch (e) {
      return `error: ${(e as Error).message}`;
    }
  };
  const [x, y] = [await run(a), await run(b)];
  files++;
  if (!x.startsWith("error")) deps += (JSON.parse(x) as unknown[]).length;
  if (x !== y) {
    differ++;
    const [xs, ys] = [x, y].map((t) => (t.startsWith("error") ? [t] : (JSON.parse(t) as unknown[]).map((d) => JSON.stringify(d))));
    const only = (p: string[], q: string[]) => p.filter((d) => !q.includes(d)).slice(0, 3);
    console.log(`differs: ${path}\n  new ${only(xs!, ys!).join("\n      ")}\n  old ${only(ys!, xs!).join("\n      ")}`);
  }
}
console.log(`${files} files, ${deps} dependencies, ${differ} differ`);
