/**
 * Speed work on the PII engine must not change what it finds. This loads two analyzers (an older
 * build and this one) and compares every match (entity, start, end, score, recognizer, checksum flag)
 * on: the texts of labelled JSONL sets given on the command line (`{"text": …}` per line, see
 * bench/pii-external.ts), the benchmark's text cut as lines, paragraphs and documents (all three
 * mixes), generated PII texts, those texts joined into ~64 KB documents, and random texts mixing PII
 * values, names, cue words and prose in several languages (seeded, reproducible).
 *
 *   B=$(mktemp -d) && git archive <old commit> | tar -x -C "$B" && ln -s "$PWD/node_modules" "$B/node_modules"
 *   npx tsx bench/pii-equivalence.ts "$B/src/data/pii/index.ts" src/data/pii/index.ts [SET.jsonl ...] [--random N]
 *
 * Prints the number of texts compared per source and every difference; exit code 1 when any differs.
 */
import { resolve } from "node:path";
import { corpus } from "../test/data/pii-corpus.js";
import { mixedTexts } from "../test/data/pii-mixed-texts.js";
import { load } from "./pii-external.js";
import { piiBenchTexts } from "./pii-mixes.js";

const args = process.argv.slice(2);
const at = args.indexOf("--random");
const randomCount = at >= 0 ? Number(args.splice(at, 2)[1]) : 5_000;
const [oldPath, newPath, ...sets] = args;
if (!oldPath || !newPath) {
  console.error("usage: pii-equivalence.ts OLD_INDEX NEW_INDEX [SET.jsonl ...] [--random N]");
  process.exit(2);
}
type Analyze = (text: string) => Array<{ entity: string; start: number; end: number; score: number; recognizer: string; checksumValid?: false }>;
const older = ((await import(resolve(oldPath))) as { analyze: Analyze }).analyze;
const newer = ((await import(resolve(newPath))) as { analyze: Analyze }).analyze;

const sources: Array<[string, string[]]> = [];
for (const path of sets) sources.push([path.split("/").pop()!, load(path).map((s) => s.text)]);

// The benchmark's text, exactly as bench/pii-mixes.ts draws it, in its three units.
for (const { mix, unit, input } of piiBenchTexts()) sources.push([`bench ${mix} ${unit.split(" ")[0]}`, input]);
const generated = corpus(20261212, 3_000).map((x) => x.text);
sources.push(["generated PII texts", generated]);
const joined: string[] = [];
for (let i = 0; i < generated.length; i += 400) joined.push(generated.slice(i, i + 400).join("\n"), generated.slice(i, i + 400).join(" "));
sources.push(["generated texts joined into documents", joined]);
sources.push(["random mixed texts", mixedTexts(20261126, randomCount)]);

const key = (m: ReturnType<Analyze>[number]) => `${m.entity} ${m.start} ${m.end} ${m.score} ${m.recognizer}${m.checksumValid === false ? " unverified" : ""}`;
let differ = 0;
let total = 0;
for (const [name, texts] of sources) {
  let bad = 0;
  for (const text of texts) {
    const a = older(text).map(key).join("\n");
    const b = newer(text).map(key).join("\n");
    if (a === b) continue;
    bad++;
    if (bad <= 5) console.log(`DIFF in ${name}: ${JSON.stringify(text.slice(0, 300))}\n  old: ${a.replaceAll("\n", " | ")}\n  new: ${b.replaceAll("\n", " | ")}`);
  }
  total += texts.length;
  differ += bad;
  console.log(`${name}: ${texts.length} texts, ${bad} differ`);
}
console.log(`all: ${total} texts, ${differ} differ`);
process.exit(differ > 0 ? 1 : 0);
