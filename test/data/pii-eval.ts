import { analyze } from "../../src/data/pii/index.js";
import type { Labelled } from "./pii-corpus.js";

/** The texts of the spans of one entity found in `text`. */
export const found = (text: string, entity: string): string[] =>
  analyze(text)
    .filter((m) => m.entity === entity)
    .map((m) => text.slice(m.start, m.end));

export interface Score {
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
}

/** Span-level scoring: a prediction is a true positive when it overlaps an unmatched gold span of the same entity. */
export function evaluate(data: readonly Labelled[], threshold = 0.5): { perEntity: Record<string, Score>; overall: Score; errors: string[] } {
  const counts: Record<string, { tp: number; fp: number; fn: number }> = {};
  const c = (e: string) => (counts[e] ??= { tp: 0, fp: 0, fn: 0 });
  const errors: string[] = [];
  for (const { text, spans } of data) {
    const predicted = analyze(text, { threshold });
    const used = new Set<number>();
    for (const p of predicted) {
      const i = spans.findIndex((g, j) => !used.has(j) && g.entity === p.entity && p.start < g.end && g.start < p.end);
      if (i >= 0) {
        used.add(i);
        c(p.entity).tp++;
      } else {
        c(p.entity).fp++;
        errors.push(`FP ${p.entity} "${text.slice(p.start, p.end)}" in: ${text}`);
      }
    }
    spans.forEach((g, j) => {
      if (!used.has(j)) {
        c(g.entity).fn++;
        errors.push(`FN ${g.entity} "${text.slice(g.start, g.end)}" in: ${text}`);
      }
    });
  }
  const score = (x: { tp: number; fp: number; fn: number }): Score => ({ ...x, precision: x.tp / Math.max(1, x.tp + x.fp), recall: x.tp / Math.max(1, x.tp + x.fn) });
  const total = Object.values(counts).reduce((a, x) => ({ tp: a.tp + x.tp, fp: a.fp + x.fp, fn: a.fn + x.fn }), { tp: 0, fp: 0, fn: 0 });
  return { perEntity: Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, score(v)])), overall: score(total), errors };
}
