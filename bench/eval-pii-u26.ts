/**
 * U26 (docs/data.md, "Session 35"): python-stdnum's identifier lists, one bare value per sample, scored with the
 * engine of a chosen checkout.
 *
 *   python3 bench/pii-u26-build.py <python-stdnum checkout> > u26.jsonl
 *   npx tsx bench/eval-pii-u26.ts u26.jsonl [--root <checkout>] [--errors N]
 *
 * --root names the checkout whose engine (src/data/pii/index.ts) reads the values: the base build's, or this
 * one's (the default). Counting is score()'s of bench/pii-external.ts, strict (one prediction pairs with one
 * gold span of its kind that it overlaps), at threshold 0.5: a prediction on an OTHER_ID value is counted apart,
 * any other prediction that pairs with no gold span is a false positive (on a negative value, on the part of a
 * line that is not the value, or a second piece). It is written out here, rather than imported, so that the
 * base engine can be scored with the labels this set needs (IT_FISCAL_CODE, which the base bench lacks).
 * Prints per-entity and per-source counts; --errors prints that many errors.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

interface Sample {
  text: string;
  spans: Array<{ entity: string; start: number; end: number }>;
  source: string;
  valid: boolean;
}
interface Count {
  tp: number;
  fp: number;
  fn: number;
}
interface Engine {
  analyze(text: string, options?: { threshold?: number }): Array<{ entity: string; start: number; end: number }>;
  CHECKSUM_ENTITIES: ReadonlySet<string>;
}

const SCORED = new Set(["IBAN_CODE", "IT_FISCAL_CODE", "CRYPTO"]);
/** Ours → the label scored; DATE_TIME stays out of "overall" as in bench/pii-external.ts. */
const OURS: Record<string, string> = { DATE_OF_BIRTH: "DATE_TIME" };

function load(path: string): Sample[] {
  const out: Sample[] = [];
  readFileSync(path, "utf8")
    .split("\n")
    .forEach((l, i) => {
      if (!l.trim()) return;
      let s: Sample | undefined;
      try {
        s = JSON.parse(l) as Sample;
      } catch {
        s = undefined;
      }
      if (typeof s?.text !== "string" || !Array.isArray(s.spans)) {
        console.error(`${path}:${i + 1}: not a sample ({text, spans, source})`);
        process.exit(2);
      }
      out.push(s);
    });
  return out;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const opt = (name: string, dflt: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args.splice(i, 2)[1]! : dflt;
  };
  const root = resolve(opt("--root", resolve(import.meta.dirname, "..")));
  const showErrors = Number(opt("--errors", "0"));
  const path = args[0];
  if (!path) {
    console.error("usage: npx tsx bench/eval-pii-u26.ts u26.jsonl [--root <checkout>] [--errors N]");
    process.exit(2);
  }
  const samples = load(path);
  const engine = (await import(pathToFileURL(`${root}/src/data/pii/index.ts`).href)) as Engine;
  const perEntity: Record<string, Count> = {};
  const perSource: Record<string, { samples: number; gold: number; tp: number; fp: number; apart: number }> = {};
  const c = (e: string) => (perEntity[e] ??= { tp: 0, fp: 0, fn: 0 });
  const errors: string[] = [];
  let apart = 0;
  for (const s of samples) {
    const key = `${s.source}${s.valid ? "" : " (broken)"}`;
    const src = perSource[key] ?? { samples: 0, gold: 0, tp: 0, fp: 0, apart: 0 };
    perSource[key] = src;
    src.samples++;
    const gold = s.spans.map((g) => ({ ...g, scored: SCORED.has(g.entity) }));
    src.gold += gold.filter((g) => g.scored).length;
    const used = new Set<number>();
    const predicted = engine.analyze(s.text, { threshold: 0.5 }).map((p) => ({ ...p, entity: OURS[p.entity] ?? p.entity }));
    for (const p of predicted) {
      const i = gold.findIndex((g, j) => !used.has(j) && g.scored && g.entity === p.entity && p.start < g.end && g.start < p.end);
      if (i >= 0) {
        used.add(i);
        c(p.entity).tp++;
        src.tp++;
        continue;
      }
      if (gold.some((g) => p.start < g.end && g.start < p.end && (!g.scored || g.entity === p.entity))) {
        apart++;
        src.apart++;
        continue;
      }
      c(p.entity).fp++;
      src.fp++;
      errors.push(`FP ${p.entity} ${JSON.stringify(s.text.slice(p.start, p.end))} in ${JSON.stringify(s.text)} (${s.source})`);
    }
    gold.forEach((g, j) => {
      if (used.has(j) || !g.scored) return;
      c(g.entity).fn++;
      errors.push(`FN ${g.entity} ${JSON.stringify(s.text.slice(g.start, g.end))} (${s.source})`);
    });
  }
  const prf = (x: Count) => `${(x.tp / Math.max(1, x.tp + x.fp)).toFixed(3)} / ${(x.tp / Math.max(1, x.tp + x.fn)).toFixed(3)}`;
  const sum = (keys: string[]) => keys.reduce((a, k) => ({ tp: a.tp + perEntity[k]!.tp, fp: a.fp + perEntity[k]!.fp, fn: a.fn + perEntity[k]!.fn }), { tp: 0, fp: 0, fn: 0 });
  const keys = Object.keys(perEntity).sort();
  console.log(`\n${path} — ${samples.length} samples, engine of ${root === resolve(import.meta.dirname, "..") ? "this checkout" : "<root>"}\n`);
  console.log("| entity | gold | TP | FP | FN | P / R (strict) |\n|---|---|---|---|---|---|");
  for (const k of keys) {
    const x = perEntity[k]!;
    console.log(`| ${k} | ${x.tp + x.fn} | ${x.tp} | ${x.fp} | ${x.fn} | ${prf(x)} |`);
  }
  const ck = sum(keys.filter((k) => engine.CHECKSUM_ENTITIES.has(k)));
  const all = sum(keys.filter((k) => k !== "DATE_TIME"));
  console.log(`| **checksum-backed** | ${ck.tp + ck.fn} | ${ck.tp} | ${ck.fp} | ${ck.fn} | ${prf(ck)} |`);
  console.log(`| **overall** (excl. DATE_TIME) | ${all.tp + all.fn} | ${all.tp} | ${all.fp} | ${all.fn} | ${prf(all)} |`);
  console.log(`\npredictions on OTHER_ID values (counted apart): ${apart}\n`);
  console.log("| source | samples | gold | TP | FP | counted apart |\n|---|---|---|---|---|---|");
  for (const [k, x] of Object.entries(perSource).sort()) if (x.gold || x.fp || x.apart) console.log(`| ${k} | ${x.samples} | ${x.gold} | ${x.tp} | ${x.fp} | ${x.apart} |`);
  const quiet = Object.entries(perSource).filter(([, x]) => !x.gold && !x.fp && !x.apart);
  console.log(`\n${quiet.length} other sources (${quiet.reduce((a, [, x]) => a + x.samples, 0)} samples): no prediction, no gold`);
  for (const e of errors.slice(0, showErrors)) console.log(e);
}

await main();
