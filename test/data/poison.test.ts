import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  analyzeTable,
  averagePathLength,
  buildProfile,
  detectPoison,
  IsolationForest,
  loadProfile,
  loadTable,
  psi,
  quantileSorted,
  scoreBatchFile,
  scoreRecordBatches,
  summarize,
  watchFolder,
} from "../../src/data/poison/index.js";
import { tempDir } from "../helpers/db.js";
import { runCli } from "./cli.js";
import { type Poisoned, poisonedData, writeCsv } from "./poison-data.js";

const dir = tempDir();

async function run(data: Poisoned, name: string) {
  const file = join(dir, name);
  writeCsv(file, data);
  const table = await loadTable(file, { label: "label" });
  const report = analyzeTable(table);
  const rows = (kind: string) => new Set(report.flags.filter((f) => f.kind === kind).map((f) => f.row));
  const n = data.rows.length;
  const rate = (found: Set<number>, truth: Set<number>) => ({
    recall: [...truth].filter((r) => found.has(r)).length / Math.max(1, truth.size),
    fpr: [...found].filter((r) => !truth.has(r)).length / (n - truth.size),
  });
  return { report, rows, rate };
}

describe("poisoning detection on injected data", () => {
  const settings = [
    { seed: 11, n: 2000, d: 8, classes: 3 },
    { seed: 23, n: 1500, d: 12, classes: 2 },
  ];
  for (const s of settings) {
    it(`finds ≥ 80% of label flips and ≥ 90% of outliers at ≤ 5% FPR (seed ${s.seed}, ${s.classes} classes, ${s.d} features)`, async () => {
      const data = poisonedData({ ...s, flipRate: 0.05, outlierRate: 0.03 });
      const { rows, rate } = await run(data, `inj-${s.seed}.csv`);
      const flips = rate(rows("label-noise"), data.flipped);
      const outliers = rate(rows("outlier"), data.outliers);
      expect(flips.recall).toBeGreaterThanOrEqual(0.8);
      expect(flips.fpr).toBeLessThanOrEqual(0.05);
      expect(outliers.recall).toBeGreaterThanOrEqual(0.9);
      expect(outliers.fpr).toBeLessThanOrEqual(0.05);
    });
  }

  it("scores every row, so injected rows rank first and flagged rows score above the rest", async () => {
    const data = poisonedData({ seed: 31, n: 1200, d: 6, classes: 2, flipRate: 0.05, outlierRate: 0.03 });
    const { report } = await run(data, "scores.csv");
    const { outlier, labelNoise } = report.rowScores;
    expect(outlier.length).toBe(1200);
    expect(labelNoise?.length).toBe(1200);
    const top = (scores: Float64Array, k: number) =>
      new Set(
        Array.from(scores.keys())
          .sort((a, b) => scores[b]! - scores[a]!)
          .slice(0, k)
          .map((i) => i + 1),
      );
    const topOut = top(outlier, data.outliers.size);
    expect([...data.outliers].filter((r) => topOut.has(r)).length).toBeGreaterThanOrEqual(0.9 * data.outliers.size);
    const topFlip = top(labelNoise!, data.flipped.size);
    expect([...data.flipped].filter((r) => topFlip.has(r)).length).toBeGreaterThanOrEqual(0.7 * data.flipped.size);
    const flagged = new Set(report.flags.filter((f) => f.kind === "outlier").map((f) => f.row - 1));
    const minFlagged = Math.min(...[...flagged].map((i) => outlier[i]!));
    const maxOther = Math.max(
      ...Array.from(outlier.keys())
        .filter((i) => !flagged.has(i))
        .map((i) => outlier[i]!),
    );
    expect(minFlagged).toBeGreaterThan(maxOther);
  });

  it("flags a backdoor trigger (a rare constant value tied to one label) and the rows carrying it", async () => {
    const data = poisonedData({ seed: 5, n: 1500, backdoor: 0.02 });
    const { report, rows, rate } = await run(data, "backdoor.csv");
    const finding = report.findings.find((f) => f.ruleId === "data.poison.backdoor")!;
    expect(finding.evidence).toMatchObject({ column: "f7", value: "7.777", label: "c0" });
    const r = rate(rows("backdoor"), data.triggered);
    expect(r.recall).toBe(1);
    expect(r.fpr).toBe(0);
    const clean = await run(poisonedData({ seed: 5, n: 1500 }), "clean.csv");
    expect(clean.report.findings.filter((f) => f.ruleId === "data.poison.backdoor")).toEqual([]);
  });

  it("flags exact and near duplicates with conflicting labels", async () => {
    const data = poisonedData({ seed: 9, n: 600 });
    data.rows.push([...data.rows[10]!.slice(0, -1), data.rows[10]![9] === "c1" ? "c2" : "c1"]); // row 601: exact copy, other label
    data.rows.push([...data.rows[20]!.slice(0, 8).map((v) => Number(v) + 0.0001), data.rows[20]![8]!, data.rows[20]![9] === "c1" ? "c0" : "c1"]); // row 602: near copy
    const { report } = await run(data, "dups.csv");
    const dup = report.flags.filter((f) => f.kind === "duplicate-conflict");
    expect(dup.map((f) => f.row).sort((a, b) => a - b)).toEqual([11, 21, 601, 602]);
    expect(dup.find((f) => f.row === 601)!.evidence.exact).toBe(true);
    expect(dup.find((f) => f.row === 602)!.evidence.exact).toBe(false);
  });
});

describe("statistics against reference formulas", () => {
  it("isolation forest normaliser c(n) matches scikit-learn's", () => {
    expect(averagePathLength(256)).toBeCloseTo(10.24477, 4);
    expect(averagePathLength(2)).toBe(1);
    expect(averagePathLength(1)).toBe(0);
  });
  it("isolation forest scores an isolated point near 1 and inliers near or below 0.5", () => {
    const n = 500;
    const X = new Float64Array(n * 2);
    for (let i = 0; i < n; i++) {
      X[2 * i] = Math.sin(i * 12.9898) * 0.5;
      X[2 * i + 1] = Math.cos(i * 78.233) * 0.5;
    }
    X[0] = 20;
    X[1] = -20;
    const s = new IsolationForest(X, n, 2, { seed: 1 }).score(X, n);
    expect(s[0]).toBeGreaterThan(0.7);
    const inliers = Array.from(s.subarray(1));
    expect(inliers.reduce((a, b) => a + b, 0) / inliers.length).toBeLessThan(0.55);
  });
  it("quantiles, MAD and PSI agree with NumPy-style definitions", () => {
    const v = Float64Array.from([1, 2, 3, 4, 100]);
    expect(quantileSorted(Float64Array.from([1, 2, 3, 4]), 0.25)).toBe(1.75);
    const s = summarize(v);
    expect(s.median).toBe(3);
    expect(s.mad).toBe(1);
    expect(s.scale).toBeCloseTo(1.4826, 6);
    expect(psi([50, 50], [50, 50])).toBe(0);
    expect(psi([50, 50], [25, 75])).toBeCloseTo(0.25 * Math.log(0.25 / 0.5) * -1 + 0.25 * Math.log(0.75 / 0.5), 10);
  });
});

describe("baseline profiles, shift and batch watching", () => {
  it("reports distribution and label shift against a baseline, and none for a fresh sample of the same source", async () => {
    const base = join(dir, "base.csv");
    writeCsv(base, poisonedData({ seed: 31, source: 30, n: 1500 }));
    const table = await loadTable(base, { label: "label" });
    const profilePath = join(dir, "base.profile.json");
    writeFileSync(profilePath, JSON.stringify(buildProfile(table, { name: "base.csv", sha256: "0".repeat(64) })));
    const baseline = await loadProfile(profilePath);
    const same = join(dir, "same.csv");
    writeCsv(same, poisonedData({ seed: 32, source: 30, n: 800 }));
    const ok = await scoreBatchFile(same, baseline);
    expect(ok.metrics.alert).toBe(false);
    const shifted = join(dir, "shifted.csv");
    const sd = poisonedData({ seed: 33, source: 30, n: 800, shift: 3 });
    for (const r of sd.rows) r[9] = "c0";
    writeCsv(shifted, sd);
    const bad = await scoreBatchFile(shifted, baseline);
    expect(bad.metrics.alert).toBe(true);
    expect(bad.findings.some((f) => f.ruleId === "data.poison.distribution-shift" && f.location?.field === "f0")).toBe(true);
    expect(bad.findings.some((f) => f.ruleId === "data.poison.label-shift")).toBe(true);
  });

  it("scores JSON-lines batches and watches a folder for complete files", async () => {
    const base = join(dir, "b2.csv");
    writeCsv(base, poisonedData({ seed: 41, source: 40, n: 1000 }));
    const baseline = buildProfile(await loadTable(base, { label: "label" }), { name: "b2", sha256: "" });
    const data = poisonedData({ seed: 42, source: 40, n: 300, outlierRate: 0.3 });
    async function* records() {
      for (const [i, r] of data.rows.entries()) yield { row: i + 1, values: Object.fromEntries(data.header.map((h, j) => [h, r[j]])) };
    }
    const results = [];
    for await (const r of scoreRecordBatches(records(), baseline, 100)) results.push(r);
    expect(results).toHaveLength(3);
    expect(results.every((r) => r.findings.some((f) => f.ruleId === "data.poison.outlier-rate"))).toBe(true);

    const inbox = join(dir, "inbox");
    mkdirSync(inbox);
    writeCsv(join(inbox, "a.csv"), poisonedData({ seed: 43, n: 200 }));
    writeFileSync(join(inbox, "notes.txt"), "ignored");
    const seen = [];
    for await (const f of watchFolder(inbox, { once: true })) seen.push(f);
    expect(seen).toEqual([join(inbox, "a.csv")]);
  });

  it("rampart data profile, poison and watch --once from the command line", async () => {
    const base = join(dir, "cli-base.csv");
    writeCsv(base, poisonedData({ seed: 51, source: 50, n: 800 }));
    const prof = join(dir, "cli.profile.json");
    expect((await runCli("data", "profile", base, "--label", "label", "-o", prof)).code).toBe(0);
    const data = poisonedData({ seed: 52, source: 50, n: 800, flipRate: 0.05, outlierRate: 0.02 });
    const file = join(dir, "cli-new.csv");
    writeCsv(file, data);
    const res = await runCli("data", "poison", file, "--label", "label", "--baseline", prof, "--format", "json", "--fail-on", "medium");
    expect(res.code).toBe(1);
    const json = JSON.parse(res.stdout);
    const flagged = json.findings.filter((f: { ruleId: string }) => f.ruleId === "data.poison.label-noise").map((f: { location: { row: number } }) => f.location.row);
    expect(flagged.filter((r: number) => data.flipped.has(r)).length).toBeGreaterThanOrEqual(0.8 * data.flipped.size);
    expect(json.findings.find((f: { location: { row?: number } }) => f.location.row).evidence.score).toBeTypeOf("number");

    const inbox = join(dir, "cli-inbox");
    mkdirSync(inbox);
    writeCsv(join(inbox, "1-ok.csv"), poisonedData({ seed: 53, source: 50, n: 300 }));
    const watch1 = await runCli("data", "watch", inbox, "--baseline", prof, "--once");
    expect(watch1.code).toBe(0);
    expect(watch1.stdout).toMatch(/1-ok\.csv rows=300 outliers=[\d.]+% ok/);
    writeCsv(join(inbox, "2-shifted.csv"), poisonedData({ seed: 54, source: 50, n: 300, shift: 4 }));
    const watch2 = await runCli("data", "watch", inbox, "--baseline", prof, "--once");
    expect(watch2.code).toBe(1);
    expect(watch2.stdout).toMatch(/2-shifted\.csv .*ALERT: .*f0/);
    const missing = await runCli("data", "poison", file, "--label", "nope");
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/label column "nope" not found/);
  });
});

describe("detectPoison reads every format", () => {
  it("gives the same flags for CSV and JSON Lines", async () => {
    const data = poisonedData({ seed: 61, n: 400, flipRate: 0.05 });
    const csv = join(dir, "same.csv");
    writeCsv(csv, data);
    const jsonl = join(dir, "same.jsonl");
    writeFileSync(jsonl, `${data.rows.map((r) => JSON.stringify(Object.fromEntries(data.header.map((h, j) => [h, r[j]])))).join("\n")}\n`);
    const a = await detectPoison(csv, { label: "label" });
    const b = await detectPoison(jsonl, { label: "label" });
    expect(b.findings.map((f) => [f.ruleId, f.location?.row])).toEqual(a.findings.map((f) => [f.ruleId, f.location?.row]));
  });
});
