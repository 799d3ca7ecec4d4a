/**
 * PERSON hits and false positives per recognizer on a labelled JSONL set (see bench/pii-external.ts):
 * which recognizer finds which names, to choose how the tagger and the rules are combined.
 *
 *   npx tsx bench/pii-by-recognizer.ts CORPUS.jsonl
 */
import { analyze } from "../src/data/pii/index.js";
import { load } from "./pii-external.js";

const rows = new Map<string, { tp: number; fp: number }>();
for (const { text, spans } of load(process.argv[2]!)) {
  for (const m of analyze(text)) {
    if (m.entity !== "PERSON") continue;
    const r = rows.get(m.recognizer) ?? { tp: 0, fp: 0 };
    rows.set(m.recognizer, r);
    if (spans.some((g) => m.start < g.end && g.start < m.end)) r.tp++;
    else r.fp++;
  }
}
console.log("| recognizer | hits | false positives |\n|---|---|---|");
for (const [k, r] of [...rows].sort()) console.log(`| ${k} | ${r.tp} | ${r.fp} |`);
