/**
 * PII detection measured on labelled text written by others (never used to build the recognizers).
 *
 *   npx tsx bench/pii-external.ts CORPUS [--split dev|holdout|all] [--errors N] [--threshold 0.5]
 *
 * CORPUS is either Presidio's synthetic set (a JSON array of { full_text, spans: [{ entity_type,
 * start_position, end_position }] }, e.g. data/synth_dataset_v2.json of microsoft/presidio-research)
 * or JSON Lines of { text, spans: [{ entity, start, end }] } (scripts/presidio-recognizer-cases.py
 * turns Presidio's recognizer test tables into that form). Nothing is downloaded or stored here.
 *
 * Samples are split by a keyed hash of their text: "dev" is what errors were looked at while fixing
 * recognizers, "holdout" was only ever scored. Matching is by overlap with a gold span of the same
 * (mapped) entity; predictions overlapping a gold span of a kind Rampart does not detect (GPE,
 * ORGANIZATION, …) are neither right nor wrong and are counted apart.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { analyze, CHECKSUM_ENTITIES } from "../src/data/pii/index.js";

interface Gold {
  entity: string;
  start: number;
  end: number;
}
interface Sample {
  text: string;
  spans: Gold[];
  /** Only these (their) labels are annotated in this sample: predictions of other kinds are not scored. */
  scope?: string[];
}

/** Their label → ours. Labels absent here are outside Rampart's scope. */
const LABELS: Record<string, string> = {
  PERSON: "PERSON",
  PER: "PERSON",
  STREET_ADDRESS: "STREET_ADDRESS",
  ADDRESS: "STREET_ADDRESS",
  CREDIT_CARD: "CREDIT_CARD",
  PHONE_NUMBER: "PHONE_NUMBER",
  EMAIL_ADDRESS: "EMAIL_ADDRESS",
  EMAIL: "EMAIL_ADDRESS",
  IBAN_CODE: "IBAN_CODE",
  US_SSN: "US_SSN",
  IP_ADDRESS: "IP_ADDRESS",
  DOMAIN_NAME: "URL",
  URL: "URL",
  // Rampart reports dates only with birth context (DATE_OF_BIRTH); other dates are below threshold.
  DATE_TIME: "DATE_TIME",
  US_ITIN: "US_ITIN",
  US_BANK_NUMBER: "US_BANK_ROUTING",
  UK_NHS: "UK_NHS",
  UK_NINO: "UK_NINO",
  ES_NIF: "ES_NIF",
  ES_NIE: "ES_NIF",
  DE_ID_CARD: "DE_ID_CARD",
  DE_PASSPORT: "PASSPORT",
  ES_PASSPORT: "PASSPORT",
  US_PASSPORT: "PASSPORT",
  UK_PASSPORT: "PASSPORT",
  FR_NIR: "FR_NIR",
  CRYPTO: "CRYPTO",
  MEDICAL_RECORD_NUMBER: "MEDICAL_RECORD_NUMBER",
};
/** Ours → the label scored (our DATE_OF_BIRTH is a DATE_TIME in their sets). */
const OURS: Record<string, string> = { DATE_OF_BIRTH: "DATE_TIME" };
/** Not part of "overall": Rampart finds dates of birth, not every date. */
const NOT_OVERALL = new Set(["DATE_TIME"]);

export function load(path: string): Sample[] {
  const raw = readFileSync(path, "utf8");
  if (raw.trimStart().startsWith("[")) {
    const data = JSON.parse(raw) as Array<{ full_text: string; spans: Array<{ entity_type: string; start_position: number; end_position: number }> }>;
    return data.map((d) => ({ text: d.full_text, spans: d.spans.map((s) => ({ entity: s.entity_type, start: s.start_position, end: s.end_position })) }));
  }
  return raw
    .split("\n")
    .filter((l) => l.trim())
    .map((l, i) => {
      try {
        return JSON.parse(l) as Sample;
      } catch {
        throw new Error(`${path}:${i + 1}: not JSON`);
      }
    });
}

/** Half the samples, chosen by a hash no recognizer change can follow. */
function split(text: string): "dev" | "holdout" {
  return createHash("sha256").update(`rampart-pii-split:${text}`).digest()[0]! < 128 ? "dev" : "holdout";
}

interface Count {
  tp: number;
  fp: number;
  fn: number;
  /** Gold spans found by a prediction already counted for another gold span ("pieces" counting). */
  covered: number;
}

/**
 * Span scores. Strict (pieces = false): one prediction pairs with one gold span. Pieces: a prediction
 * also finds every other gold span of its kind it overlaps; precision is over predictions
 * (tp / (tp + fp)) and recall over gold spans ((tp + covered) / gold).
 */
export function score(samples: readonly Sample[], threshold: number, pieces = false) {
  const counts: Record<string, Count> = {};
  const c = (e: string) => (counts[e] ??= { tp: 0, fp: 0, fn: 0, covered: 0 });
  const errors: string[] = [];
  let outside = 0;
  for (const { text, spans, scope } of samples) {
    const gold = spans.map((g) => ({ ...g, mapped: LABELS[g.entity] }));
    const inScope = scope ? new Set(scope.map((l) => LABELS[l])) : undefined;
    const predicted = analyze(text, { threshold })
      .map((p) => ({ ...p, entity: OURS[p.entity] ?? p.entity }))
      .filter((p) => !inScope || inScope.has(p.entity));
    const used = new Set<number>();
    for (const p of predicted) {
      const i = gold.findIndex((g, j) => !used.has(j) && g.mapped === p.entity && p.start < g.end && g.start < p.end);
      if (i >= 0) {
        used.add(i);
        c(p.entity).tp++;
        // Pieces: one prediction covering several gold spans of its kind (an address labelled as building
        // number, street, unit, postcode) also finds the others; they count as found, not as extra hits.
        if (pieces)
          gold.forEach((g, j) => {
            if (!used.has(j) && g.mapped === p.entity && p.start < g.end && g.start < p.end) {
              used.add(j);
              c(p.entity).covered++;
            }
          });
        continue;
      }
      // Overlaps a span of a kind we do not detect, or a gold span already matched by another piece.
      if (gold.some((g) => p.start < g.end && g.start < p.end && (g.mapped === undefined || g.mapped === p.entity))) {
        outside++;
        continue;
      }
      c(p.entity).fp++;
      errors.push(`FP ${p.entity} ${JSON.stringify(text.slice(p.start, p.end))} in ${JSON.stringify(text)}`);
    }
    gold.forEach((g, j) => {
      if (used.has(j) || !g.mapped) return;
      // Dates are scored for precision only: Rampart does not claim to find every date.
      if (g.mapped === "DATE_TIME") return;
      c(g.mapped).fn++;
      errors.push(`FN ${g.mapped} ${JSON.stringify(text.slice(g.start, g.end))} in ${JSON.stringify(text)}`);
    });
  }
  const prf = (x: Count) => {
    const precision = x.tp / Math.max(1, x.tp + x.fp);
    const recall = (x.tp + x.covered) / Math.max(1, x.tp + x.covered + x.fn);
    return { ...x, precision, recall, f1: precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0 };
  };
  const sum = (keys: string[]) =>
    keys.reduce((a, k) => ({ tp: a.tp + counts[k]!.tp, fp: a.fp + counts[k]!.fp, fn: a.fn + counts[k]!.fn, covered: a.covered + counts[k]!.covered }), {
      tp: 0,
      fp: 0,
      fn: 0,
      covered: 0,
    });
  const keys = Object.keys(counts).sort();
  return {
    tokens: tokenScore(samples, threshold),
    perEntity: Object.fromEntries(keys.map((k) => [k, prf(counts[k]!)])),
    checksum: prf(sum(keys.filter((k) => CHECKSUM_ENTITIES.has(k)))),
    overall: prf(sum(keys.filter((k) => !NOT_OVERALL.has(k)))),
    outside,
    errors,
  };
}

const TOKEN = /[\p{L}\p{N}]+/gu;

/**
 * Token-level scores, as presidio-research's evaluator counts: every word token gets the gold label of
 * the span it lies in and the predicted label of the prediction it lies in. A span-level count pairs
 * one prediction with one gold span, so an address predicted whole but labelled in four pieces
 * (building number, street, unit, postcode) scores one hit and three misses; per token it does not.
 * Tokens inside gold spans of kinds Rampart does not detect, and DATE_TIME, are left out.
 */
export function tokenScore(samples: readonly Sample[], threshold: number) {
  const counts: Record<string, Count> = {};
  const c = (e: string) => (counts[e] ??= { tp: 0, fp: 0, fn: 0, covered: 0 });
  for (const { text, spans, scope } of samples) {
    const inScope = scope ? new Set(scope.map((l) => LABELS[l])) : undefined;
    const predicted = analyze(text, { threshold })
      .map((p) => ({ ...p, entity: OURS[p.entity] ?? p.entity }))
      .filter((p) => !inScope || inScope.has(p.entity));
    TOKEN.lastIndex = 0;
    for (let m = TOKEN.exec(text); m !== null; m = TOKEN.exec(text)) {
      const at = m.index;
      const g = spans.find((s) => s.start <= at && at < s.end);
      const gold = g ? (LABELS[g.entity] ?? "OUTSIDE") : undefined;
      const pred = predicted.find((p) => p.start <= at && at < p.end)?.entity;
      if (gold === "OUTSIDE" || gold === "DATE_TIME" || pred === "DATE_TIME") continue;
      if (gold && pred === gold) c(gold).tp++;
      else {
        if (gold) c(gold).fn++;
        if (pred) c(pred).fp++;
      }
    }
  }
  const keys = Object.keys(counts).sort();
  const sum = (ks: string[]) =>
    ks.reduce((a, k) => ({ tp: a.tp + counts[k]!.tp, fp: a.fp + counts[k]!.fp, fn: a.fn + counts[k]!.fn, covered: 0 }), { tp: 0, fp: 0, fn: 0, covered: 0 });
  const prf = (x: Count) => ({ ...x, precision: x.tp / Math.max(1, x.tp + x.fp), recall: x.tp / Math.max(1, x.tp + x.fn) });
  return {
    perEntity: Object.fromEntries(keys.map((k) => [k, prf(counts[k]!)])),
    checksum: prf(sum(keys.filter((k) => CHECKSUM_ENTITIES.has(k)))),
    overall: prf(sum(keys)),
  };
}

function main(): void {
  const args = process.argv.slice(2);
  const opt = (name: string, dflt: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args.splice(i, 2)[1]! : dflt;
  };
  const which = opt("--split", "all");
  const showErrors = Number(opt("--errors", "0"));
  const threshold = Number(opt("--threshold", "0.5"));
  const path = args[0];
  if (!path) {
    console.error("usage: npx tsx bench/pii-external.ts CORPUS [--split dev|holdout|all] [--errors N] [--threshold 0.5]");
    process.exit(2);
  }
  const all = load(path);
  const samples = which === "all" ? all : all.filter((s) => split(s.text) === which);
  const strict = score(samples, threshold);
  const r = score(samples, threshold, true);
  console.log(`\n${path} — split ${which}: ${samples.length} samples, threshold ${threshold}\n`);
  console.log("Spans; pieces = a prediction finds every gold span of its kind it overlaps; strict = one gold span per prediction.\n");
  console.log("| entity | gold | TP | FP | FN | precision | recall (pieces) | recall (strict) | F1 (pieces) |");
  console.log("|---|---|---|---|---|---|---|---|---|");
  const row = (name: string, x: Count & { precision: number; recall: number; f1: number }, s: { recall: number }) =>
    console.log(
      `| ${name} | ${x.tp + x.covered + x.fn} | ${x.tp + x.covered} | ${x.fp} | ${x.fn} | ${x.precision.toFixed(3)} | ${x.recall.toFixed(3)} | ${s.recall.toFixed(3)} | ${x.f1.toFixed(3)} |`,
    );
  for (const [k, x] of Object.entries(r.perEntity)) row(NOT_OVERALL.has(k) ? `${k} (precision only)` : k, x, strict.perEntity[k]!);
  row("**checksum-backed**", r.checksum, strict.checksum);
  row("**overall** (micro, excl. DATE_TIME)", r.overall, strict.overall);
  console.log(`\npredictions overlapping spans of kinds Rampart does not detect (not scored): ${r.outside}`);
  console.log("\nPer token (presidio-research's way of counting; DATE_TIME and kinds Rampart does not detect left out):\n");
  console.log("| entity | gold tokens | precision | recall |");
  console.log("|---|---|---|---|");
  const t = r.tokens;
  for (const [k, x] of [...Object.entries(t.perEntity), ["**checksum-backed**", t.checksum] as const, ["**overall**", t.overall] as const])
    console.log(`| ${k} | ${x.tp + x.fn} | ${x.precision.toFixed(3)} | ${x.recall.toFixed(3)} |`);
  if (showErrors > 0) for (const e of r.errors.slice(0, showErrors)) console.log(e);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
