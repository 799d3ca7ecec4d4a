import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { isCelError, run } from "@bufbuild/cel";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isRampartError } from "../../src/core/index.js";
import { auditFile, FairnessAccumulator, type FairnessOptions, groupingsOf, poisson1, Rng } from "../../src/fairness/index.js";
import { tempDir } from "../helpers/db.js";

const dir = tempDir("rampart-fairness-");
let n = 0;
function csv(rows: Array<Record<string, string | number>>): string {
  const file = join(dir, `t${n++}.csv`);
  const cols = Object.keys(rows[0]!);
  writeFileSync(file, `${cols.join(",")}\n${rows.map((r) => cols.map((c) => r[c]).join(",")).join("\n")}\n`);
  return file;
}
const rowsOf = (group: string, pairs: Array<[number, number]>) => pairs.map(([y, p]) => ({ g: group, y, p }));
// biome-ignore lint/suspicious/noExplicitAny: the tests read deep into result JSON whose shape they assert
type M = Record<string, any>;

describe("hand-computed case", () => {
  // A: (y,ŷ) = 11 10 01 00 → SR .5 TPR .5 FPR .5; B: 11 11 00 00 01 → SR .6 TPR 1 FPR 1/3
  const file = csv([
    ...rowsOf("A", [
      [1, 1],
      [1, 0],
      [0, 1],
      [0, 0],
    ]),
    ...rowsOf("B", [
      [1, 1],
      [1, 1],
      [0, 0],
      [0, 0],
      [0, 1],
    ]),
  ]);
  const opts: FairnessOptions = { sensitive: ["g"], label: "y", prediction: "p", bootstrap: 0, minGroupSize: 5, privileged: { g: "B" } };

  it("per-group rates, Fairlearn aggregates and AIF360 signed metrics", async () => {
    const r = await auditFile(file, opts);
    const m = r.metrics as M;
    const a = m.attributes.g;
    expect(a.groups.A).toMatchObject({ count: 4, selection_rate: 0.5, true_positive_rate: 0.5, false_positive_rate: 0.5, precision: 0.5, accuracy: 0.5, small: true });
    expect(a.groups.B).toMatchObject({ count: 5, selection_rate: 0.6, true_positive_rate: 1, precision: 2 / 3, accuracy: 0.8, small: false });
    expect(a.groups.B.false_positive_rate).toBeCloseTo(1 / 3, 15);
    expect(a.groups.B.confusion).toEqual({ true_positives: 2, false_positives: 1, false_negatives: 0, true_negatives: 2 });
    expect(a.demographic_parity_difference).toBeCloseTo(0.1, 15);
    expect(a.demographic_parity_ratio).toBeCloseTo(0.5 / 0.6, 15);
    expect(a.disparate_impact).toBeCloseTo(0.5 / 0.6, 15);
    expect(a.four_fifths_rule_passed).toBe(true);
    expect(a.equal_opportunity_difference).toBe(0.5);
    expect(a.equalized_odds_difference).toBe(0.5);
    expect(a.equalized_odds_ratio).toBe(0.5);
    expect(a.equalized_odds_difference_mean).toBeCloseTo((0.5 + 1 / 6) / 2, 15);
    expect(m.overall).toMatchObject({ count: 9, true_positive_rate: 0.75, false_positive_rate: 0.4 });
    expect(a.to_overall.differences.selection_rate).toBeCloseTo(1 / 18, 15);
    expect(a.to_overall.ratios.selection_rate).toBeCloseTo(0.9, 15);
    const vs = a.groups.A.vs_privileged;
    expect(vs.statistical_parity_difference).toBeCloseTo(-0.1, 15);
    expect(vs.disparate_impact).toBeCloseTo(0.5 / 0.6, 15);
    expect(vs.equal_opportunity_difference).toBe(-0.5);
    expect(vs.average_odds_difference).toBeCloseTo((0.5 - 1 / 3 + (0.5 - 1)) / 2, 15);
    expect(vs.average_abs_odds_difference).toBeCloseTo((1 / 6 + 0.5) / 2, 15);
    expect(a.groups.B.vs_privileged).toBeUndefined();
    // Flat view for policies.
    expect(m.groups["g=A"].selection_rate).toBe(0.5);
    // Findings: DPD 0.1 is not above 0.1; EOD 0.5 is; group A is small.
    const rules = r.findings.map((f) => `${f.ruleId}:${f.severity}`).sort();
    expect(rules).toEqual(["fairness.equal-opportunity-difference:medium", "fairness.equalized-odds-difference:medium", "fairness.small-group:low"]);
    expect(r.findings.every((f) => f.tags?.includes("nist-ai-rmf:MEASURE-2.11"))).toBe(true);
  });

  it("thresholds are configurable: tighter, stricter severity, or off", async () => {
    const r = await auditFile(file, {
      ...opts,
      thresholds: { disparate_impact: { min: 0.9, severity: "critical" }, equalized_odds_difference: null, equal_opportunity_difference: null },
    });
    const di = r.findings.find((f) => f.ruleId === "fairness.disparate-impact")!;
    expect(di.severity).toBe("critical");
    expect(di.message).toContain('selection rate 0.500 for "A" (n=4) vs 0.600 for "B" (n=5)');
    expect(di.message).toContain("based on a small group");
    expect(r.findings.map((f) => f.ruleId).sort()).toEqual(["fairness.disparate-impact", "fairness.small-group"]);
    // Any between-group or to-overall figure can be bounded by its path.
    const acc = await auditFile(file, { ...opts, thresholds: { "differences.accuracy": { max: 0.2 }, "to_overall.ratios.selection_rate": { min: 0.95, severity: "low" } } });
    const byRule = Object.fromEntries(acc.findings.map((f) => [f.ruleId, f]));
    expect(byRule["fairness.differences-accuracy"]).toMatchObject({ severity: "medium" });
    expect(byRule["fairness.differences-accuracy"]!.message).toContain("differences.accuracy 0.300 is above 0.2");
    expect(byRule["fairness.to-overall-ratios-selection-rate"]).toMatchObject({ severity: "low" });
  });

  it("calibration: mean score, Brier score and 10-bin ECE", async () => {
    const file2 = csv([
      { g: "A", y: 0, p: 0, s: 0.05 },
      { g: "A", y: 1, p: 0, s: 0.15 },
      { g: "A", y: 1, p: 1, s: 0.95 },
      { g: "A", y: 0, p: 1, s: 0.85 },
      { g: "B", y: 1, p: 1, s: 1 },
      { g: "B", y: 0, p: 0, s: 0 },
    ]);
    const r = await auditFile(file2, { sensitive: ["g"], label: "y", prediction: "p", score: "s", bootstrap: 0 });
    const a = (r.metrics as M).attributes.g.groups.A;
    expect(a.mean_score).toBeCloseTo(0.5, 15);
    expect(a.calibration_gap).toBeCloseTo(0, 15);
    expect(a.brier_score).toBeCloseTo(0.3625, 15);
    expect(a.expected_calibration_error).toBeCloseTo(0.45, 15);
    expect((r.metrics as M).attributes.g.groups.B.expected_calibration_error).toBe(0);
  });

  it("a group with no positive labels has an undefined TPR, reported and left out of aggregates", async () => {
    const file3 = csv([
      ...rowsOf("A", [
        [1, 1],
        [0, 0],
      ]),
      ...rowsOf("B", [
        [1, 0],
        [0, 1],
      ]),
      ...rowsOf("C", [
        [0, 0],
        [0, 1],
      ]),
    ]);
    const r = await auditFile(file3, { sensitive: ["g"], label: "y", prediction: "p", bootstrap: 0, minGroupSize: 0 });
    const a = (r.metrics as M).attributes.g;
    expect(a.groups.C.true_positive_rate).toBeNull();
    expect(a.equal_opportunity_difference).toBe(1); // A (1) vs B (0); C skipped
    const undef = r.findings.find((f) => f.ruleId === "fairness.undefined-metric")!;
    expect(undef.message).toContain('"C"');
  });

  it("regression mode: gaps in mean prediction, MAE and RMSE", async () => {
    const file4 = csv([
      { g: "A", y: 10, p: 12 },
      { g: "A", y: 20, p: 18 },
      { g: "B", y: 10, p: 10 },
      { g: "B", y: 30, p: 34 },
    ]);
    const r = await auditFile(file4, { sensitive: ["g"], label: "y", prediction: "p", task: "regression", bootstrap: 0, minGroupSize: 0 });
    const a = (r.metrics as M).attributes.g;
    expect(a.groups.A).toMatchObject({ mean_prediction: 15, mean_label: 15, mean_error: 0, mean_absolute_error: 2, root_mean_squared_error: 2 });
    expect(a.groups.B).toMatchObject({ mean_prediction: 22, mean_absolute_error: 2, mean_error: 2 });
    expect(a.groups.B.root_mean_squared_error).toBeCloseTo(Math.sqrt(8), 15);
    expect(a.mean_prediction_difference).toBe(7);
    expect(a.mean_prediction_ratio).toBeCloseTo(15 / 22, 15);
    expect(a.mean_absolute_error_ratio).toBe(1);
    expect(r.findings.map((f) => f.ruleId)).toEqual(["fairness.mean-prediction-ratio", "fairness.root-mean-squared-error-ratio"]);
  });

  it("data mode: representation and base rates before training", async () => {
    const file5 = csv([...Array.from({ length: 8 }, (_, i) => ({ g: "A", y: i < 4 ? "yes" : "no" })), ...Array.from({ length: 2 }, () => ({ g: "B", y: "no" }))]);
    const r = await auditFile(file5, { sensitive: ["g"], label: "y", positiveLabel: "yes", bootstrap: 0, minGroupSize: 3 }, "data");
    expect(r.check).toBe("fairness-data");
    const a = (r.metrics as M).attributes.g;
    expect(a.groups.A).toMatchObject({ count: 8, share: 0.8, base_rate: 0.5 });
    expect(a.groups.B).toMatchObject({ count: 2, share: 0.2, base_rate: 0, small: true });
    expect(a.representation_ratio).toBe(0.25);
    expect(a.base_rate_difference).toBe(0.5);
    expect(a.disparate_impact).toBe(0);
    expect(r.findings.map((f) => f.ruleId).sort()).toEqual(["fairness.data.base-rate-difference", "fairness.data.disparate-impact", "fairness.small-group"]);
    expect(r.findings.find((f) => f.ruleId === "fairness.data.disparate-impact")!.tags).toContain("nist-ai-rmf:MAP-2.3");
  });
});

describe("bad input: one line naming file, line and field", () => {
  const expectError = async (p: Promise<unknown>, code: string, text: RegExp) => {
    const e = await p.then(
      () => undefined,
      (x: unknown) => x,
    );
    expect(isRampartError(e), String(e)).toBe(true);
    expect((e as { code: string }).code).toBe(code);
    expect((e as Error).message).toMatch(text);
    expect((e as Error).message).not.toContain("\n");
  };
  it("missing column, empty label, bad score, unknown positive label, id-like sensitive column", async () => {
    const f = csv([
      { g: "A", y: 1, p: 1, s: 0.5 },
      { g: "B", y: 0, p: 0, s: 1.5 },
    ]);
    await expectError(auditFile(f, { sensitive: ["sex"], label: "y", prediction: "p" }), "invalid-input", /t\d+\.csv:1: no column "sex"/);
    await expectError(auditFile(f, { sensitive: ["g"], label: "y", prediction: "p", score: "s" }), "invalid-input", /:3: row 2, column "s": score 1.5 is outside \[0, 1\]/);
    await expectError(auditFile(f, { sensitive: ["g"], label: "y", prediction: "p", positiveLabel: "yes" }), "usage", /positive label "yes" matches no value/);
    await expectError(auditFile(f, { sensitive: ["g"], label: "y", prediction: "p", maxGroups: 1 }), "invalid-input", /more than 1 distinct values/);
    await expectError(auditFile(f, { sensitive: ["g"], label: "y" }), "usage", /prediction column is required/);
    const g = join(dir, "empty-label.csv");
    writeFileSync(g, "g,y,p\nA,1,1\nB,,0\n");
    await expectError(auditFile(g, { sensitive: ["g"], label: "y", prediction: "p" }), "invalid-input", /empty-label\.csv:3: row 2, column "y": empty label/);
    const h = join(dir, "ragged.csv");
    writeFileSync(h, "g,y,p\nA,1,1\nB,0\n");
    await expectError(auditFile(h, { sensitive: ["g"], label: "y", prediction: "p" }), "invalid-input", /ragged\.csv:3: record 2 has 2 fields, the header has 3/);
    await expectError(auditFile(join(dir, "nope.csv"), { sensitive: ["g"], label: "y", prediction: "p" }), "not-found", /nope\.csv: no such file/);
    await expectError(
      auditFile(f, { sensitive: ["g"], label: "y", prediction: "p", task: "regression", bootstrap: 0, privileged: { g: "Z" } }),
      "usage",
      /--privileged g=Z: no row has g = "Z"/,
    );
  });
});

describe("JSON Lines input", () => {
  it("gives the same figures as the same data in CSV", async () => {
    const rows = Array.from({ length: 60 }, (_, i) => ({ g: ["A", "B", "C"][i % 3]!, h: i % 2 ? "x" : "y", y: (i * 7) % 3 === 0 ? 1 : 0, p: (i * 5) % 4 === 0 ? 1 : 0 }));
    const c = csv(rows);
    const j = join(dir, "same.jsonl");
    writeFileSync(j, rows.map((r) => JSON.stringify(r)).join("\n"));
    const opts: FairnessOptions = { sensitive: ["g", "h"], label: "y", prediction: "p", bootstrap: 20 };
    const a = await auditFile(c, opts);
    const b = await auditFile(j, opts);
    expect(b.metrics).toEqual(a.metrics);
  });
});

describe("properties", () => {
  const row = fc.record({ g: fc.constantFrom("A", "B", "C", "D"), y: fc.integer({ min: 0, max: 1 }), p: fc.integer({ min: 0, max: 1 }) });

  it("ratios lie in [0, 1], differences are ≥ 0, and nothing depends on row order or group names", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(row, { minLength: 2, maxLength: 80 }), fc.integer(), async (rows, seed) => {
        if (!rows.some((r) => r.y || r.p)) return;
        const opts: FairnessOptions = { sensitive: ["g"], label: "y", prediction: "p", bootstrap: 0 };
        const a = (await auditFile(csv(rows), opts)).metrics as M;
        const shuffled = [...rows];
        const rng = new Rng(seed >>> 0);
        for (let i = shuffled.length - 1; i > 0; i--) {
          const j = Math.floor(rng.next() * (i + 1));
          [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
        }
        // Renaming groups (a permutation of labels) is the symmetry of between-group difference and ratio.
        const rename: Record<string, string> = { A: "D", B: "C", C: "A", D: "B" };
        const b = (await auditFile(csv(shuffled.map((r) => ({ ...r, g: rename[r.g]! }))), opts)).metrics as M;
        const at = a.attributes.g;
        const bt = b.attributes.g;
        for (const [k, v] of Object.entries(at.ratios as Record<string, number | null>)) {
          if (v === null) {
            expect(bt.ratios[k]).toBeNull();
            continue;
          }
          expect(v).toBeGreaterThanOrEqual(0);
          expect(v).toBeLessThanOrEqual(1);
          expect(bt.ratios[k]).toBeCloseTo(v, 12);
        }
        for (const [k, v] of Object.entries(at.differences as Record<string, number | null>)) {
          if (v !== null) expect(v).toBeGreaterThanOrEqual(0);
          if (v === null) expect(bt.differences[k]).toBeNull();
          else expect(bt.differences[k]).toBeCloseTo(v, 12);
        }
        for (const [key, g] of Object.entries(at.groups as Record<string, M>)) expect(bt.groups[rename[key]!].selection_rate).toBe(g.selection_rate);
        const maxRate = Math.max(...Object.values(at.groups as Record<string, M>).map((g) => g.selection_rate));
        if (at.disparate_impact !== null && maxRate > 0) expect(at.disparate_impact).toBeCloseTo(1 - at.demographic_parity_difference / maxRate, 12);
      }),
      { numRuns: 40 },
    );
  });
});

describe("sample weights", () => {
  it("an integer weight k is the same as the row repeated k times (weight 0: left out)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ g: fc.constantFrom("A", "B"), y: fc.integer({ min: 0, max: 1 }), p: fc.integer({ min: 0, max: 1 }), w: fc.integer({ min: 0, max: 3 }) }), {
          minLength: 4,
          maxLength: 40,
        }),
        async (rows) => {
          const repeated = rows.flatMap((r) => Array.from({ length: r.w }, () => ({ g: r.g, y: r.y, p: r.p })));
          if (!repeated.some((r) => r.y || r.p) || new Set(repeated.map((r) => r.g)).size < 2) return;
          const opts: FairnessOptions = { sensitive: ["g"], label: "y", prediction: "p", bootstrap: 0 };
          const weighted = (await auditFile(csv(rows), { ...opts, weight: "w" })).metrics as M;
          const plain = (await auditFile(csv(repeated), opts)).metrics as M;
          for (const key of ["disparate_impact", "equalized_odds_difference", "equal_opportunity_difference", "representation_ratio"]) {
            if (plain.attributes.g[key] === null) expect(weighted.attributes.g[key], key).toBeNull();
            else expect(weighted.attributes.g[key], key).toBeCloseTo(plain.attributes.g[key], 12);
          }
          for (const g of Object.keys(plain.attributes.g.groups)) {
            expect(weighted.attributes.g.groups[g].weight).toBe(plain.attributes.g.groups[g].count);
            expect(weighted.attributes.g.groups[g].selection_rate).toBeCloseTo(plain.attributes.g.groups[g].selection_rate, 12);
          }
        },
      ),
      { numRuns: 25 },
    );
  });
});

describe("bootstrap", () => {
  const rows = Array.from({ length: 400 }, (_, i) => ({ g: i % 4 === 0 ? "A" : "B", y: (i * 13) % 5 < 2 ? 1 : 0, p: (i * 7) % 3 === 0 ? 1 : 0 }));
  const file = csv(rows);
  const opts: FairnessOptions = { sensitive: ["g"], label: "y", prediction: "p", bootstrap: 300, seed: 42 };

  it("is reproducible with a seed, changes with another seed, and brackets the estimate", async () => {
    const a = (await auditFile(file, opts)).metrics as M;
    const b = (await auditFile(file, opts)).metrics as M;
    const c = (await auditFile(file, { ...opts, seed: 43 })).metrics as M;
    expect(a.attributes.g.ci).toEqual(b.attributes.g.ci);
    expect(a.attributes.g.ci).not.toEqual(c.attributes.g.ci);
    const sr = a.attributes.g.groups.A;
    const [lo, hi] = sr.ci.selection_rate;
    expect(lo).toBeLessThan(sr.selection_rate);
    expect(hi).toBeGreaterThan(sr.selection_rate);
    // Width close to the normal approximation 2·1.96·sqrt(p(1−p)/n) for a proportion.
    const se = Math.sqrt((sr.selection_rate * (1 - sr.selection_rate)) / sr.count);
    expect((hi - lo) / (2 * 1.96 * se)).toBeGreaterThan(0.75);
    expect((hi - lo) / (2 * 1.96 * se)).toBeLessThan(1.25);
    expect(a.bootstrap).toEqual({ replicates: 300, seed: 42, confidence: 0.95, method: "poisson-percentile" });
  });

  it("Poisson(1) weights have mean 1 and variance 1", () => {
    const rng = new Rng(7);
    let s = 0;
    let s2 = 0;
    const k = 200_000;
    for (let i = 0; i < k; i++) {
      const w = poisson1(rng);
      s += w;
      s2 += w * w;
    }
    // five standard errors (sd 1 and about 1.4 for the squares)
    expect(Math.abs(s / k - 1)).toBeLessThan(5 / Math.sqrt(k));
    expect(Math.abs(s2 / k - (s / k) ** 2 - 1)).toBeLessThan(0.02);
  });

  it("the accumulator needs memory per group, not per row", () => {
    const acc = new FairnessAccumulator({
      task: "classification",
      mode: "model",
      hasScore: false,
      attributes: ["g"],
      groupings: [[0]],
      bootstrap: 10,
      seed: 1,
      confidence: 0.95,
      minGroupSize: 1,
      maxGroups: 10,
    });
    for (let i = 0; i < 100_000; i++) acc.add({ sensitive: [i % 2 ? "a" : "b"], y: i % 3 === 0 ? 1 : 0, pred: i % 5 === 0 ? 1 : 0, score: 0, weight: 1 });
    const r = acc.finish();
    expect(r.rows).toBe(100_000);
    expect(r.attributes.g!.groups.a!.count).toBe(50_000);
  });
});

describe("groupings", () => {
  it("every subset of two or more attributes, up to four", () => {
    expect(groupingsOf(1, true)).toEqual([[0]]);
    expect(groupingsOf(3, true)).toEqual([[0], [1], [2], [0, 1], [0, 2], [1, 2], [0, 1, 2]]);
    expect(groupingsOf(3, false)).toEqual([[0], [1], [2]]);
    expect(groupingsOf(5, true)).toHaveLength(6);
  });
});

describe("policy shape: the documented CEL expressions gate on the metrics", () => {
  const gate = "r.metrics.attributes.all(a, r.metrics.attributes[a].four_fifths_rule_passed != false) && r.metrics.groups.all(g, r.metrics.groups[g].count >= 2)";
  const evaluate = (expr: string, result: unknown) => {
    const v = run(expr, { r: JSON.parse(JSON.stringify(result)) });
    if (isCelError(v)) throw new Error(v.message);
    return v;
  };
  const people = (g: string, selected: number, total: number) => Array.from({ length: total }, (_, i) => ({ g, h: i % 2 ? "x" : "y", y: i % 2, p: i < selected ? 1 : 0 }));

  it("a biased model is denied, a fair one allowed", async () => {
    const opts: FairnessOptions = { sensitive: ["g", "h"], label: "y", prediction: "p", bootstrap: 50 };
    const biased = await auditFile(csv([...people("A", 2, 10), ...people("B", 6, 10)]), opts);
    const fair = await auditFile(csv([...people("A", 4, 10), ...people("B", 4, 10)]), opts);
    expect(evaluate(gate, biased)).toBe(false);
    expect(evaluate(gate, fair)).toBe(true);
    expect(evaluate('r.metrics.attributes["g"].disparate_impact', biased)).toBeCloseTo(2 / 6, 12);
    expect(evaluate('r.metrics.attributes["g"].ci["disparate_impact"][1] >= r.metrics.attributes["g"].ci["disparate_impact"][0]', biased)).toBe(true);
    expect(evaluate('r.metrics.groups["g=A&h=x"].count', biased)).toBe(5);
  });
});

describe("fuzz", () => {
  it("mutated scored files give a CheckResult or a RampartError, nothing else", async () => {
    const seed = "g,y,p,s\nA,1,1,0.9\nB,0,1,0.6\nA,0,0,0.1\nB,1,0,0.4\n";
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.nat(seed.length - 1), fc.string({ maxLength: 4 })), { minLength: 1, maxLength: 4 }), async (edits) => {
        let text = seed;
        for (const [i, str] of edits) text = text.slice(0, i) + str + text.slice(i + 1);
        const file = join(dir, `fuzz${n++}.csv`);
        writeFileSync(file, text);
        try {
          const r = await auditFile(file, { sensitive: ["g"], label: "y", prediction: "p", score: "s", bootstrap: 5 });
          expect(r.check).toBe("fairness");
        } catch (e) {
          expect(isRampartError(e), String(e)).toBe(true);
        }
      }),
      { numRuns: 120 },
    );
  });
});
