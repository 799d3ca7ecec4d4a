/**
 * Scoring of a held-out PII set in JSON Lines ({ text, spans: [{ entity, start, end }], source, valid, file? }) with
 * the engine of a chosen checkout — the counting of bench/pii-external.ts's score(), strict, threshold 0.5, written
 * out so that a base engine can be scored with labels its own bench lacks. Used by bench/eval-pii-u26.ts and
 * bench/eval-pii-u27.ts, which say which gold labels are scored and which predicted kinds are left out.
 *
 * A prediction pairs with one scored gold span of its kind that it overlaps (a hit); a prediction that overlaps an
 * unscored gold span, or a scored one of its kind already paired, is counted apart; any other prediction is a false
 * positive. A scored gold span left unpaired is a miss. "checksum-backed" sums the engine's checksum kinds,
 * "overall" every kind but DATE_TIME.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

interface Sample {
  text: string;
  spans: Array<{ entity: string; start: number; end: number }>;
  source: string;
  valid: boolean;
  file?: string;
  /** Spans of embedded binary attachments (base64): false positives inside them stay false positives, and are also counted. */
  binary?: Array<[number, number]>;
}
export interface IdEvalConfig {
  /** The entry point, for the usage line. */
  script: string;
  /** Gold labels that are scored (the engine's own entity names). */
  scored: ReadonlySet<string>;
  /** Predicted kinds this set does not label: dropped before pairing, and only counted. */
  ignored?: ReadonlySet<string>;
  /** What a prediction on an unscored gold span is, for the report. */
  apart: string;
  /** Characters of the text shown each side of an error; the whole text when absent. */
  context?: number;
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

export async function runIdEval(cfg: IdEvalConfig): Promise<void> {
  const args = process.argv.slice(2);
  const opt = (name: string, dflt: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args.splice(i, 2)[1]! : dflt;
  };
  const root = resolve(opt("--root", resolve(import.meta.dirname, "..")));
  const showErrors = Number(opt("--errors", "0"));
  const path = args[0];
  if (!path) {
    console.error(`usage: npx tsx ${cfg.script} <set.jsonl> [--root <checkout>] [--errors N]`);
    process.exit(2);
  }
  const samples = load(path);
  const engine = (await import(pathToFileURL(`${root}/src/data/pii/index.ts`).href)) as Engine;
  const perEntity: Record<string, Count> = {};
  const perSource: Record<string, { samples: number; gold: number; tp: number; fp: number; apart: number }> = {};
  const c = (e: string) => (perEntity[e] ??= { tp: 0, fp: 0, fn: 0 });
  const errors: string[] = [];
  let apart = 0;
  let inBinary = 0;
  const left: Record<string, number> = {};
  const where = (s: Sample, a: number, b: number) =>
    cfg.context === undefined ? JSON.stringify(s.text) : `${JSON.stringify(s.text.slice(Math.max(0, a - cfg.context), b + cfg.context))} (${s.file ?? s.source})`;
  for (const s of samples) {
    const key = `${s.source}${s.valid ? "" : " (broken)"}`;
    const src = perSource[key] ?? { samples: 0, gold: 0, tp: 0, fp: 0, apart: 0 };
    perSource[key] = src;
    src.samples++;
    const gold = s.spans.map((g) => ({ ...g, scored: cfg.scored.has(g.entity) }));
    src.gold += gold.filter((g) => g.scored).length;
    const used = new Set<number>();
    const predicted = engine
      .analyze(s.text, { threshold: 0.5 })
      .map((p) => ({ ...p, entity: OURS[p.entity] ?? p.entity }))
      .filter((p) => {
        if (!cfg.ignored?.has(p.entity)) return true;
        left[p.entity] = (left[p.entity] ?? 0) + 1;
        return false;
      });
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
      const binary = s.binary?.some(([a, b]) => p.start < b && a < p.end) ?? false;
      if (binary) inBinary++;
      errors.push(`FP${binary ? " (in a base64 attachment)" : ""} ${p.entity} ${JSON.stringify(s.text.slice(p.start, p.end))} in ${where(s, p.start, p.end)} (${s.source})`);
    }
    gold.forEach((g, j) => {
      if (used.has(j) || !g.scored) return;
      c(g.entity).fn++;
      errors.push(`FN ${g.entity} ${JSON.stringify(s.text.slice(g.start, g.end))}${cfg.context === undefined ? "" : ` in ${where(s, g.start, g.end)}`} (${s.source})`);
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
  console.log(`\n${cfg.apart}: ${apart}\n`);
  if (samples.some((s) => s.binary?.length)) console.log(`false positives inside embedded base64 attachments (among the FP above): ${inBinary}\n`);
  for (const [k, n] of Object.entries(left).sort()) console.log(`not scored (this set does not label ${k}): ${n} spans`);
  if (Object.keys(left).length) console.log("");
  console.log("| source | samples | gold | TP | FP | counted apart |\n|---|---|---|---|---|---|");
  for (const [k, x] of Object.entries(perSource).sort()) if (x.gold || x.fp || x.apart) console.log(`| ${k} | ${x.samples} | ${x.gold} | ${x.tp} | ${x.fp} | ${x.apart} |`);
  const quiet = Object.entries(perSource).filter(([, x]) => !x.gold && !x.fp && !x.apart);
  console.log(`\n${quiet.length} other sources (${quiet.reduce((a, [, x]) => a + x.samples, 0)} samples): no prediction, no gold`);
  for (const e of errors.slice(0, showErrors)) console.log(e);
}
