import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { analyzeTable, labelNoiseCut, loadTable } from "../../src/data/poison/index.js";
import { tempDir } from "../helpers/db.js";
import { imbalancedClean, writeCsv } from "./poison-data.js";

const dir = tempDir();

describe("label-noise cut on a clean, heavily imbalanced table (session 16)", () => {
  it("flags at most 5 % of a 98 %-one-class clean table; session 15's cut flagged more", async () => {
    const data = imbalancedClean({ seed: 1, n: 1000 });
    const file = join(dir, "imbalanced-clean.csv");
    writeCsv(file, data);
    const table = await loadTable(file, { label: "label" });
    const y = table.label!.codes;
    const minority = y.reduce((a, b) => a + b, 0);
    expect(minority).toBeGreaterThan(10);
    expect(minority).toBeLessThan(25); // 1–2.5 %: a class the models can hardly predict
    const report = analyzeTable(table);
    const flagged = report.flags.filter((f) => f.kind === "label-noise").length;
    expect(flagged).toBeLessThanOrEqual(50);
    // Session 15's cut on the same probabilities: the models agree with 98 % of the labels (they predict
    // class 0 everywhere), so session 12's rule followed confident learning's estimate past the budget.
    const P = report.labelProbabilities!;
    const old = labelNoiseCut(P, y, 2, 0.05, { evidenceClassAgreement: 0, excessClassRecall: 0 });
    expect(old.kept.length).toBeGreaterThan(50);
    expect(labelNoiseCut(P, y, 2, 0.05, { evidenceClassAgreement: 0 }).kept.length).toBeGreaterThan(50);
  }, 120_000);

  it("session 13's excess counts no class the models cannot find", () => {
    // 1 000 rows: class 1 has 20 rows the models never predict (p̂(1) ≈ 0.04); 90 class-0 rows sit at
    // p̂(0) ≈ 0.45 (plain agreement 89 %, so session 12's rules stay off) and the rest at 0.95. Nothing
    // lies in [0.1, 0.3), so the 20 rows below 0.1 were an excess of 20 ≥ 2√50 and the cut took
    // 20 + 5 % of the other 980 rows = 69.
    const n = 1000;
    const y = Int32Array.from({ length: n }, (_, i) => (i < 20 ? 1 : 0));
    const P = new Float64Array(n * 2);
    for (let i = 0; i < n; i++) {
      const own = i < 20 ? 0.04 - i * 1e-4 : i < 110 ? 0.45 - i * 1e-5 : 0.95 - i * 1e-7;
      P[i * 2 + y[i]!] = own;
      P[i * 2 + 1 - y[i]!] = 1 - own;
    }
    expect(labelNoiseCut(P, y, 2, 0.05, { excessClassRecall: 0 }).kept.length).toBe(69);
    expect(labelNoiseCut(P, y, 2, 0.05).kept.length).toBe(50);
  });
});
