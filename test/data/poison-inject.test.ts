import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../helpers/db.js";
import { rng } from "./pii-corpus.js";

const dir = tempDir();

describe("scripts/poison-inject-confusable.py (evaluation injector)", () => {
  it("flips towards the nearest other class and moves 1–2 features 4–8 scaled IQRs, never in a flipped row", () => {
    // Three classes on a line: a row of class "a" can only be confused with "b" (nearer), never "c".
    const r = rng(9);
    const rows: string[] = [];
    for (let i = 0; i < 600; i++) {
      const c = i % 3;
      rows.push(`${(c * 10 + r()).toFixed(4)},${(5 + r()).toFixed(4)},${"abc"[c]}`);
    }
    const data = join(dir, "line.csv");
    writeFileSync(data, `${rows.join("\n")}\n`);
    const out = join(dir, "line-poisoned.csv");
    const truthFile = join(dir, "line.json");
    const p = spawnSync("python3", ["scripts/poison-inject-confusable.py", data, out, truthFile, "--seed", "1"], { encoding: "utf8" });
    expect(p.status, p.stderr).toBe(0);
    const truth = JSON.parse(readFileSync(truthFile, "utf8")) as { rows: number; flipped: number[]; outliers: number[] };
    expect(truth.rows).toBe(600);
    expect(truth.flipped).toHaveLength(30);
    expect(truth.outliers).toHaveLength(18);
    expect(truth.flipped.some((row) => truth.outliers.includes(row))).toBe(false);
    const lines = readFileSync(out, "utf8").trim().split(/\r?\n/);
    expect(lines[0]).toBe("f1,f2,label");
    for (const row of truth.flipped) {
      const before = rows[row - 1]!.split(",")[2];
      const after = lines[row]!.split(",")[2];
      expect(after).toBe(before === "b" ? after : "b"); // a → b and c → b; b → a or c
      expect(after).not.toBe(before);
    }
    for (const row of truth.outliers) {
      const [x, y] = lines[row]!.split(",").map(Number);
      const [x0, y0] = rows[row - 1]!.split(",").map(Number);
      const moved = [x !== x0, y !== y0].filter(Boolean).length;
      expect(moved).toBeGreaterThanOrEqual(1);
      if (y !== y0) expect(Math.abs(y! - 5.5)).toBeGreaterThan(3 * (0.5 / 1.349)); // ≥ 4 IQR/1.349 from the median, with slack
    }
  });
});

describe("scripts/poison-inject.py with --label-column (headed tables, e.g. R datasets)", () => {
  it("moves the named label last, drops the --drop columns, keeps rows unchanged with nothing injected", () => {
    const data = join(dir, "headed.csv");
    writeFileSync(data, 'rownames,kind,a,b\n"x, one",yes,1.5,2\n"y",no,3,4.25\n"z",yes,5,6\n');
    const out = join(dir, "headed-out.csv");
    const truthFile = join(dir, "headed.json");
    const p = spawnSync(
      "python3",
      ["scripts/poison-inject.py", data, out, truthFile, "--seed", "1", "--flip", "0", "--outlier", "0", "--label-column", "kind", "--drop", "rownames"],
      {
        encoding: "utf8",
      },
    );
    expect(p.status, p.stderr).toBe(0);
    expect(readFileSync(out, "utf8").trim().split(/\r?\n/)).toEqual(["f1,f2,label", "1.5,2,yes", "3,4.25,no", "5,6,yes"]);
    const truth = JSON.parse(readFileSync(truthFile, "utf8")) as { rows: number; features: number; classes: number; flipped: number[] };
    expect(truth).toMatchObject({ rows: 3, features: 2, classes: 2, flipped: [] });
    // A column name that is not in the header is refused in one line.
    const bad = spawnSync("python3", ["scripts/poison-inject.py", data, out, truthFile, "--seed", "1", "--label-column", "klass"], { encoding: "utf8" });
    expect(bad.status).not.toBe(0);
    expect(bad.stderr.trim()).toMatch(/headed\.csv: no column named klass$/);
  });

  it("--max-rows keeps a seeded sample of rows in their original order", () => {
    const data = join(dir, "many.csv");
    writeFileSync(data, `id,v,label\n${Array.from({ length: 40 }, (_, i) => `r${i},${i},${i % 2 ? "a" : "b"}`).join("\n")}\n`);
    const sample = (seed: string) => {
      const out = join(dir, `many-${seed}.csv`);
      const args = ["scripts/poison-inject.py", data, out, join(dir, `many-${seed}.json`), "--seed", seed, "--flip", "0", "--outlier", "0"];
      const p = spawnSync("python3", [...args, "--label-column", "label", "--drop", "id", "--max-rows", "10"], { encoding: "utf8" });
      expect(p.status, p.stderr).toBe(0);
      return readFileSync(out, "utf8")
        .trim()
        .split(/\r?\n/)
        .slice(1)
        .map((l) => Number(l.split(",")[0]));
    };
    const a = sample("5");
    expect(a).toHaveLength(10);
    expect([...a].sort((x, y) => x - y)).toEqual(a); // original order kept
    expect(new Set(a).size).toBe(10);
    expect(sample("5")).toEqual(a); // the seed decides the sample
    expect(sample("6")).not.toEqual(a);
  });
});
