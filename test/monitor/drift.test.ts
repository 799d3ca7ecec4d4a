import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { detectDrift } from "../../src/monitor/index.js";
import { runPipeline } from "../../src/pipeline/index.js";
import { rampart } from "../helpers/cli.js";
import { tempDir } from "../helpers/db.js";

/** A seeded table of loan applications; `shift` moves income, region mix and model quality. */
function applications(path: string, rows: number, seed: number, shift = 0): void {
  let s = seed;
  const rand = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s + 0.5) / 2 ** 32;
  };
  const gauss = () => Math.sqrt(-2 * Math.log(rand())) * Math.cos(2 * Math.PI * rand());
  const regions = shift ? ["north", "south", "south", "east", "west", "coast"] : ["north", "south", "east", "west"];
  const lines = ["customer_id,income,age,region,has_guarantor,default,prediction"];
  for (let i = 0; i < rows; i++) {
    const income = 52_000 + 9_000 * (gauss() + shift);
    const age = Math.round(40 + 11 * gauss());
    const region = regions[Math.floor(rand() * regions.length)];
    const guarantor = rand() < 0.3 ? "yes" : "no";
    const label = income < 48_000 ? 1 : 0;
    // The model degrades under shift: it flips a quarter of its answers.
    const prediction = rand() < (shift ? 0.25 : 0.05) ? 1 - label : label;
    lines.push(`c${seed}-${i},${income.toFixed(2)},${age},${region},${guarantor},${label},${prediction}`);
  }
  writeFileSync(path, `${lines.join("\n")}\n`);
}

describe("rampart monitor drift", () => {
  const dir = tempDir();
  const train = join(dir, "train.csv");
  const same = join(dir, "same.csv");
  const shifted = join(dir, "shifted.csv");
  const small = join(dir, "small.csv");
  const smallShifted = join(dir, "small-shifted.csv");

  beforeAll(() => {
    applications(train, 4000, 1);
    applications(same, 3000, 2);
    applications(shifted, 3000, 3, 0.6);
    applications(small, 600, 4);
    applications(smallShifted, 500, 5, 0.6);
  });

  it("finds nothing between two samples of one distribution", async () => {
    const r = await detectDrift(train, same, { label: "default", prediction: "prediction" });
    expect(r.findings).toEqual([]);
    expect(r.metrics.driftedColumns).toBe(0);
    // Identifier columns are left out, never compared.
    expect(Object.keys(r.metrics.perColumn as object)).not.toContain("customer_id");
  });

  it("flags shifted columns, a new category, dataset drift and the accuracy drop (large reference: Wasserstein, Jensen–Shannon)", async () => {
    const r = await detectDrift(train, shifted, { label: "default", prediction: "prediction" });
    const per = r.metrics.perColumn as Record<string, { method: string; drifted: boolean; statistic: number }>;
    expect(per.income).toMatchObject({ method: "wasserstein", drifted: true });
    expect(per.income!.statistic).toBeGreaterThan(0.4);
    expect(per.region).toMatchObject({ method: "jensenshannon", drifted: true });
    expect(per.age).toMatchObject({ method: "wasserstein", drifted: false });
    expect(per.has_guarantor).toMatchObject({ method: "jensenshannon", drifted: false });
    const rules = r.findings.map((f) => f.ruleId);
    expect(rules).toContain("drift.performance");
    expect(r.findings.find((f) => f.location?.field === "region")?.message).toMatch(/new values coast/);
    expect(r.metrics.accuracy).toMatchObject({ reference: expect.closeTo(0.95, 1), current: expect.closeTo(0.75, 1) });
  });

  it("uses p-value tests on small references (KS, chi-square, z)", async () => {
    const r = await detectDrift(small, smallShifted);
    const per = r.metrics.perColumn as Record<string, { method: string; drifted: boolean; pValue: number }>;
    expect(per.income).toMatchObject({ method: "ks", drifted: true });
    expect(per.region).toMatchObject({ method: "chisquare", drifted: true });
    expect(per.has_guarantor!.method).toBe("z");
    expect(per.age!.pValue).toBeGreaterThan(0.05);
  });

  it("CLI: table, exit 1 on drift, JSON and Prometheus output", async () => {
    const prom = join(dir, "drift.prom");
    const table = await rampart(["monitor", "drift", train, shifted, "--label", "default", "--pred", "prediction", "--prometheus", prom]);
    expect(table.code, table.stderr).toBe(1);
    expect(table.stdout).toMatch(/^column\s+method\s+value\s+threshold/m);
    expect(table.stdout).toMatch(/income\s+wasserstein\s+0\.\d+\s+0\.1\s+DRIFT/);
    expect(readFileSync(prom, "utf8")).toMatch(/^rampart_drift_column_drifted\{column="income",method="wasserstein",current="[^"]+"\} 1$/m);
    const ok = await rampart(["monitor", "drift", train, same, "--format", "json"]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ check: "drift", findings: [], metrics: { datasetDrift: false } });
  });

  it("CLI: bad input is one line and exit 2", async () => {
    const missing = await rampart(["monitor", "drift", train, join(dir, "nope.csv")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim().split("\n")).toHaveLength(1);
    expect(missing.stderr).toMatch(/nope\.csv/);
    const half = await rampart(["monitor", "drift", train, same, "--label", "default"]);
    expect(half.code).toBe(2);
    expect(half.stderr).toMatch(/--label and --pred go together/);
    const column = await rampart(["monitor", "drift", train, same, "--columns", "salary"]);
    expect(column.code).toBe(2);
    expect(column.stderr).toMatch(/no column "salary"/);
  });

  it("runs as the `drift` pipeline stage and is attested", async () => {
    const project = join(dir, "project");
    const { mkdirSync } = await import("node:fs");
    mkdirSync(project);
    writeFileSync(
      join(project, "rampart.yaml"),
      `version: 1\nproject: drift-demo\nartifacts:\n  train: { path: ${train}, kind: dataset }\nstages:\n  - stage: drift\n    with: { reference: train, current: ${shifted}, label: default, prediction: prediction }\n`,
    );
    const report = await runPipeline(project, { observer: {} });
    expect(report.status).toBe("failed");
    expect(report.stages[0]!.attestations).toHaveLength(1);
    expect(report.stages[0]!.results[0]!.findings.map((f) => f.ruleId)).toContain("drift.dataset");
  });
});
