import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
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

describe("--round-outliers (set S): moved values written on their column's grid", () => {
  // A count column (whole numbers), a two-decimal column and a one-decimal column, 300 rows, header f1..f3,label.
  const r = rng(21);
  const clean = Array.from({ length: 300 }, (_, i) => `${Math.floor(r() * 40)},${(r() * 10).toFixed(2)},${(5 + r()).toFixed(1)},${i % 2 ? "x" : "y"}`);
  const data = join(dir, "grid.csv");
  writeFileSync(data, `f1,f2,f3,label\n${clean.join("\n")}\n`);
  const decimals = (cell: string) => (cell.includes(".") ? cell.split(".")[1]!.length : 0);
  const run = (script: string, round: boolean) => {
    const out = join(dir, `grid-${script}-${round}.csv`);
    const truthFile = join(dir, `grid-${script}-${round}.json`);
    const args = [`scripts/${script}`, data, out, truthFile, "--seed", "4", ...(script === "poison-inject.py" ? ["--header"] : []), ...(round ? ["--round-outliers"] : [])];
    const p = spawnSync("python3", args, { encoding: "utf8" });
    expect(p.status, p.stderr).toBe(0);
    const truth = JSON.parse(readFileSync(truthFile, "utf8")) as { outliers: number[]; flipped: number[] };
    const lines = readFileSync(out, "utf8").trim().split(/\r?\n/).slice(1);
    return { truth, lines };
  };

  for (const script of ["poison-inject.py", "poison-inject-confusable.py"]) {
    it(`${script}: each moved value has its column's decimals; every other cell is as read`, () => {
      const { truth, lines } = run(script, true);
      expect(truth.outliers.length).toBe(9);
      let moved = 0;
      for (let i = 0; i < 300; i++) {
        const cells = lines[i]!.split(",");
        const before = clean[i]!.split(",");
        for (let j = 0; j < 3; j++) {
          if (cells[j] === before[j]) continue;
          moved++;
          expect(truth.outliers).toContain(i + 1);
          expect(decimals(cells[j]!)).toBe([0, 2, 1][j]);
          expect(Math.abs(Number(cells[j]) - Number(before[j]))).toBeGreaterThan(1);
        }
      }
      expect(moved).toBeGreaterThanOrEqual(truth.outliers.length);
    });

    it(`${script}: without the flag the moved values stay unrounded floats (sets A–R), same rows and seeds`, () => {
      const rounded = run(script, true);
      const plain = run(script, false);
      expect(plain.truth).toEqual(rounded.truth);
      const offGrid = plain.truth.outliers.filter((row) => {
        const cells = plain.lines[row - 1]!.split(",");
        const before = clean[row - 1]!.split(",");
        return cells.slice(0, 3).some((c, j) => c !== before[j] && decimals(c) > 2);
      });
      expect(offGrid.length).toBe(plain.truth.outliers.length);
    });
  }
});

describe("scripts/poison_grid.py (the grid both injectors write rounded outliers on)", () => {
  const py = (expr: string) => {
    const p = spawnSync("python3", ["-c", `import sys, json; sys.path.insert(0, "scripts"); from poison_grid import column_decimals, on_grid; print(json.dumps(${expr}))`], {
      encoding: "utf8",
    });
    expect(p.status, p.stderr).toBe(0);
    return JSON.parse(p.stdout) as unknown;
  };

  it("a column's decimals are the most any of its values is written with; whole numbers have none", () => {
    expect(py('column_decimals(["3", "4.25", "5.1"])')).toBe(2);
    expect(py('column_decimals(["3", "40", " 7 "])')).toBe(0);
    // Look-alikes that say nothing about the grid: exponent notation (SDSS's 8.80E-05), float noise past 12 decimals.
    expect(py('column_decimals(["8.80E-05", "1.5", "2"])')).toBe(1);
    expect(py('column_decimals(["0.1234567890123456"])')).toBe(12);
  });

  it("a moved value is written on that grid: a whole number in a count column, else fixed decimals", () => {
    expect(py("[on_grid(77528.6, 0), on_grid(115.15, 1), on_grid(2.0, 3)]")).toEqual(["77529", "115.2", "2.000"]);
  });

  it("both injectors use it (neither writes its own copy)", () => {
    for (const script of ["scripts/poison-inject.py", "scripts/poison-inject-confusable.py"]) {
      const text = readFileSync(script, "utf8");
      expect(text).toContain("from poison_grid import column_decimals, on_grid");
      expect(text).not.toMatch(/^def (column_decimals|on_grid)\(/m);
    }
  });
});

describe("scripts/poison-arff-pool.py (set I's pool of Weka ARFF tables)", () => {
  const arff = (rows: string[], header: string) => `% a comment\n@relation t\n${header}\n@data\n${rows.join("\n")}\n`;
  it("keeps numeric inputs and the nominal class, leaves out incomplete rows and sparse, small or unlabelled files", () => {
    const pool = join(dir, "arff-pool");
    const out = join(dir, "arff-out");
    spawnSync("mkdir", ["-p", pool]);
    const r = rng(3);
    const rows: string[] = [];
    for (let i = 0; i < 170; i++) {
      const cls = i % 2 ? "'class y'" : "x";
      const mostlyMissing = i % 5 === 0 ? String(i) : "?";
      const a = i === 7 ? "?" : (r() * 10).toFixed(3);
      rows.push(`${a},${(r() * 5).toFixed(2)},red,${i % 7},${mostlyMissing},${(r() * 2).toFixed(4)},${cls}`);
    }
    const header = [
      "@attribute a numeric",
      "@attribute 'b c' REAL",
      "@attribute colour {red,blue}",
      "@attribute d integer",
      "@attribute sparse numeric",
      "@attribute e real",
      "@attribute class {x,'class y'}",
    ].join("\n");
    writeFileSync(join(pool, "we.ka.arff"), arff(rows, header));
    writeFileSync(join(pool, "seen.arff"), arff(rows, header));
    writeFileSync(join(pool, "small.arff"), arff(rows.slice(0, 40), header));
    writeFileSync(join(pool, "numlabel.arff"), arff(["1,2,3,4,5", "2,3,4,5,6"], "@attribute a real\n@attribute b real\n@attribute c real\n@attribute d real\n@attribute y real"));
    writeFileSync(join(pool, "sparse.arff"), arff(["{0 1, 4 x}"], header));
    const p = spawnSync("python3", ["scripts/poison-arff-pool.py", pool, "--seed", "1", "--exclude", "seen", "--out", out], { encoding: "utf8" });
    expect(p.status, p.stderr).toBe(0);
    expect(p.stderr).toContain("pool: 1 tables");
    expect(p.stderr).toMatch(/out {2}seen: seen or a copy/);
    expect(p.stderr).toMatch(/out {2}small: 39 rows/);
    expect(p.stderr).toMatch(/out {2}numlabel: last attribute not nominal/);
    expect(p.stderr).toMatch(/out {2}sparse: .*sparse\.arff:\d+: sparse ARFF/);
    const lines = readFileSync(join(out, "we_ka.src.csv"), "utf8").trim().split(/\r?\n/);
    // 170 rows less the one with a missing kept value; a, 'b c', d, e kept (colour nominal, sparse 80 % missing).
    expect(lines).toHaveLength(169);
    expect(lines[0]!.split(",")).toHaveLength(5);
    expect(lines[0]!.endsWith(",x")).toBe(true);
    expect(lines[1]!.endsWith(",class y")).toBe(true);
  });

  it("reads KEEL's .dat dialect (set J): a range after the type, @inputs/@outputs lines, <null> missing", () => {
    const pool = join(dir, "keel-pool");
    const out = join(dir, "keel-out");
    spawnSync("mkdir", ["-p", pool]);
    const rows: string[] = [];
    for (let i = 0; i < 160; i++) rows.push(`${i % 20 === 0 ? "<null>" : (i / 10).toFixed(1)}, ${i % 13}, ${(i * 0.37).toFixed(2)}, ${i % 4}, ${i % 3 ? "positive" : "negative"}`);
    const header = [
      "@relation keel",
      "@attribute At1 real[0.0,16.0]",
      "@attribute At2 integer[0,12]",
      "@attribute At3 real[0.0,60.0]",
      "@attribute At4 integer[0,3]",
      "@attribute Class {positive,negative}",
      "@inputs At1, At2, At3, At4",
      "@outputs Class",
      "@data",
    ].join("\n");
    writeFileSync(join(pool, "keel-table.dat"), `${header}\n${rows.join("\n")}\n`);
    writeFileSync(join(pool, "notes.txt"), "not a table");
    const p = spawnSync("python3", ["scripts/poison-arff-pool.py", pool, "--seed", "1", "--out", out], { encoding: "utf8" });
    expect(p.status, p.stderr).toBe(0);
    expect(p.stderr).toContain("pool: 1 tables");
    const lines = readFileSync(join(out, "keel-table.src.csv"), "utf8").trim().split(/\r?\n/);
    // 160 rows less the 8 with <null> in At1; the four ranged columns kept, the class last.
    expect(lines).toHaveLength(152);
    expect(lines[0]!.split(",")).toHaveLength(5);
    expect(lines[0]!.endsWith(",positive")).toBe(true);
  });

  it("reads PMLB dataset folders (set K): the target column is the label, the continuous columns the features", () => {
    const pool = join(dir, "pmlb-pool");
    const out = join(dir, "pmlb-out");
    const dataset = (name: string, task: string, rows: string[]) => {
      mkdirSync(join(pool, name), { recursive: true });
      const features = ["a", "b", "c", "d", "colour"]
        .map((f) => `  - name: ${f}\n    type: ${f === "colour" ? "categorical" : "continuous"}\n    description: null # optional`)
        .join("\n");
      writeFileSync(join(pool, name, "metadata.yaml"), `# written by a script\ndataset: ${name}\ntask: ${task}\ntarget:\n  type: categorical\nfeatures: # list\n${features}\n`);
      writeFileSync(join(pool, name, `${name}.tsv.gz`), gzipSync(`a\tb\ttarget\tc\td\tcolour\n${rows.join("\n")}\n`));
    };
    const rows = Array.from({ length: 160 }, (_, i) => [i / 10, i % 13, i % 3, (i * 0.37).toFixed(2), i % 4, i % 5].join("\t"));
    dataset("pm_table", "classification", rows);
    dataset("pm_regression", "regression", rows);
    const p = spawnSync("python3", ["scripts/poison-arff-pool.py", pool, "--seed", "1", "--out", out], { encoding: "utf8" });
    expect(p.status, p.stderr).toBe(0);
    expect(p.stderr).toContain("pool: 1 tables");
    expect(p.stderr).toContain("out  pm_regression: not a classification task");
    const lines = readFileSync(join(out, "pm_table.src.csv"), "utf8").trim().split(/\r?\n/);
    expect(lines).toHaveLength(160);
    // a, b, c, d (the categorical colour left out), then the target moved last.
    expect(lines[1]).toBe("0.1,1,0.37,1,1");
  });

  it("with --pmlb-coded (set N) keeps PMLB's coded columns; --take-imbalanced draws the imbalanced stratum first", () => {
    const pool = join(dir, "pmlb-coded-pool");
    const out = join(dir, "pmlb-coded-out");
    const dataset = (name: string, target: (i: number) => number) => {
      mkdirSync(join(pool, name), { recursive: true });
      const features = ["a", "b", "c", "colour"].map((f) => `  - name: ${f}\n    type: ${f === "colour" ? "categorical" : "continuous"}`).join("\n");
      writeFileSync(join(pool, name, "metadata.yaml"), `dataset: ${name}\ntask: classification\ntarget:\n  type: categorical\nfeatures:\n${features}\n`);
      const rows = Array.from({ length: 160 }, (_, i) => [i / 10, i % 13, target(i), (i * 0.37).toFixed(2), i % 5].join("\t"));
      writeFileSync(join(pool, name, `${name}.tsv.gz`), gzipSync(`a\tb\ttarget\tc\tcolour\n${rows.join("\n")}\n`));
    };
    dataset("pm_rare", (i) => (i < 12 ? 1 : 0)); // 7.5 %: imbalanced
    dataset("pm_many", (i) => i % 16); // 16 even classes of 6.25 %: not imbalanced
    dataset("pm_even", (i) => i % 2);
    // Without --pmlb-coded the three continuous columns are too few (< 4): nothing in the pool.
    const plain = spawnSync("python3", ["scripts/poison-arff-pool.py", pool, "--list"], { encoding: "utf8" });
    expect(plain.stderr).toContain("pool: 0 tables");
    const list = spawnSync("python3", ["scripts/poison-arff-pool.py", pool, "--pmlb-coded", "--list"], { encoding: "utf8" });
    expect(list.status, list.stderr).toBe(0);
    expect(list.stderr).toContain("in   pm_rare: 160 rows, 4 features, 2 classes, smallest 0.075, imbalanced");
    expect(list.stderr).toContain("in   pm_many: 160 rows, 4 features, 16 classes, smallest 0.062\n");
    const p = spawnSync("python3", ["scripts/poison-arff-pool.py", pool, "--pmlb-coded", "--seed", "3", "--take", "1", "--take-imbalanced", "1", "--out", out], {
      encoding: "utf8",
    });
    expect(p.status, p.stderr).toBe(0);
    expect(p.stdout.trim().split("\n")).toEqual(["drawn pm_rare -> pm_rare.src.csv: 160 rows, 4 features, 2 classes"]);
    // a, b, c and the coded colour, then the target moved last.
    expect(readFileSync(join(out, "pm_rare.src.csv"), "utf8").split(/\r?\n/)[1]).toBe("0.1,1,0.37,1,1");
  });

  it("reads radMLBench tables (set L): ID dropped, Target the label, a column with text out, nan missing", () => {
    const pool = join(dir, "radml-pool");
    const out = join(dir, "radml-out");
    mkdirSync(pool, { recursive: true });
    const rows = Array.from({ length: 170 }, (_, i) => [`p${i}`, i % 2, (i * 0.5).toFixed(1), i % 7, i === 3 ? "nan" : (i / 4).toFixed(2), i * 2, i === 9 ? "v2" : "v1"].join(","));
    writeFileSync(join(pool, "Rad2024.gz"), gzipSync(`ID,Target,f_a,f_b,f_c,f_d,version\n${rows.join("\n")}\n`));
    writeFileSync(
      join(pool, "Tiny2020.gz"),
      gzipSync(
        `ID,Target,f_a,f_b,f_c,f_d\n${rows
          .slice(0, 40)
          .map((r) => r.split(",").slice(0, 6).join(","))
          .join("\n")}\n`,
      ),
    );
    writeFileSync(join(pool, "NoTarget.gz"), gzipSync("ID,outcome,f_a\n1,0,2\n"));
    const p = spawnSync("python3", ["scripts/poison-arff-pool.py", pool, "--seed", "1", "--out", out], { encoding: "utf8" });
    expect(p.status, p.stderr).toBe(0);
    expect(p.stderr).toContain("pool: 1 tables");
    expect(p.stderr).toContain("out  Tiny2020: 39 rows");
    expect(p.stderr).toContain("out  NoTarget:");
    const lines = readFileSync(join(out, "Rad2024.src.csv"), "utf8").trim().split(/\r?\n/);
    // 170 rows less the one with nan; four numeric features (the text column left out), Target last.
    expect(lines).toHaveLength(169);
    expect(lines[1]).toBe("0.5,1,0.25,2,1");
  });

  it("reads a CSV whose last column is the label only with --csv-label-last (set M): text and NA handled", () => {
    const pool = join(dir, "csv-pool");
    const out = join(dir, "csv-out");
    mkdirSync(pool, { recursive: true });
    const rows = Array.from({ length: 160 }, (_, i) => [(i * 0.5).toFixed(1), i % 3, i === 5 ? "NA" : i % 2, i % 4, i === 7 ? "x" : "y", (i * 7) % 2].join(","));
    writeFileSync(join(pool, "risk_clean.csv"), `age,priors,sex:F,degree:M,note,is_recid\n${rows.join("\n")}\n`);
    writeFileSync(join(pool, "small.csv"), `a,b,c,d,y\n${Array.from({ length: 20 }, (_, i) => `${i},1,2,3,${i % 2}`).join("\n")}\n`);
    // Without the flag the CSV files are not read (the commands of sets I–L read what they read).
    const off = spawnSync("python3", ["scripts/poison-arff-pool.py", pool, "--list"], { encoding: "utf8" });
    expect(off.status, off.stderr).toBe(0);
    expect(off.stderr).toContain("pool: 0 tables");
    const p = spawnSync("python3", ["scripts/poison-arff-pool.py", pool, "--csv-label-last", "--seed", "1", "--out", out], { encoding: "utf8" });
    expect(p.status, p.stderr).toBe(0);
    expect(p.stderr).toContain("pool: 1 tables");
    expect(p.stderr).toContain("out  small: 20 rows");
    const lines = readFileSync(join(out, "risk_clean.src.csv"), "utf8").trim().split(/\r?\n/);
    // 160 rows less the one with NA; four numeric features (the text column left out), the label last.
    expect(lines).toHaveLength(159);
    expect(lines[1]).toBe("0.5,1,1,1,1");
  });

  it("--take-wide (set O) draws the wide stratum before the imbalanced one and the rest", () => {
    const pool = join(dir, "wide-pool");
    const out = join(dir, "wide-out");
    mkdirSync(pool, { recursive: true });
    const table = (name: string, features: number, label: (i: number) => number) => {
      const head = [...Array.from({ length: features }, (_, j) => `x${j}`), "y"].join(",");
      const rows = Array.from({ length: 160 }, (_, i) => [...Array.from({ length: features }, (_, j) => (i * (j + 1)) % 17), label(i)].join(","));
      writeFileSync(join(pool, `${name}.csv`), `${head}\n${rows.join("\n")}\n`);
    };
    table("broad_a", 30, (i) => i % 2);
    table("broad_b", 31, (i) => i % 2);
    table("narrow_rare", 5, (i) => (i < 12 ? 1 : 0)); // 7.5 %: imbalanced
    table("narrow_even", 29, (i) => i % 2); // 29 features: not wide
    const list = spawnSync("python3", ["scripts/poison-arff-pool.py", pool, "--csv-label-last", "--take-wide", "1", "--list"], { encoding: "utf8" });
    expect(list.status, list.stderr).toBe(0);
    expect(list.stderr).toContain("in   broad_a: 160 rows, 30 features, 2 classes, smallest 0.500, wide\n");
    expect(list.stderr).toContain("in   narrow_even: 160 rows, 29 features, 2 classes, smallest 0.500\n");
    expect(list.stderr).toContain("in   narrow_rare: 160 rows, 5 features, 2 classes, smallest 0.075, imbalanced\n");
    const args = ["scripts/poison-arff-pool.py", pool, "--csv-label-last", "--seed", "5", "--take", "3", "--take-wide", "1", "--take-imbalanced", "1", "--out", out];
    const p = spawnSync("python3", args, { encoding: "utf8" });
    expect(p.status, p.stderr).toBe(0);
    const drawn = p.stdout
      .trim()
      .split("\n")
      .map((l) => l.split(" ")[1]);
    expect(drawn).toHaveLength(3);
    expect(["broad_a", "broad_b"]).toContain(drawn[0]);
    expect(drawn[1]).toBe("narrow_rare");
    // The draw is fixed by the seed alone.
    expect(spawnSync("python3", args, { encoding: "utf8" }).stdout).toBe(p.stdout);
  });

  it("--csv-label-named (set P) takes the first listed name a file has as its label; --take-multiclass draws after the wide stratum", () => {
    const pool = join(dir, "named-pool");
    const out = join(dir, "named-out");
    mkdirSync(pool, { recursive: true });
    const rows = (f: (i: number) => string) => Array.from({ length: 160 }, (_, i) => f(i)).join("\n");
    // "survived" comes before "class" in the list, so the ship's class stays an input (text: dropped).
    writeFileSync(
      join(pool, "ship.csv"),
      `survived,pclass,age,fare,sibsp,class\n${rows((i) => `${i % 2},${(i % 3) + 1},${20 + (i % 50)},${(i * 1.5).toFixed(1)},${i % 4},C${i % 3}`)}\n`,
    );
    writeFileSync(join(pool, "three.csv"), `a,b,Origin,c,d\n${rows((i) => `${i},${i % 7},${["usa", "eu", "jp"][i % 3]},${(i * 3) % 11},${i % 5}`)}\n`);
    writeFileSync(join(pool, "twice.csv"), `cut,a,b,c,d,Cut\n${rows((i) => `x${i % 2},${i},${i % 3},${i % 5},${i % 7},y${i % 2}`)}\n`);
    writeFileSync(join(pool, "none.csv"), `a,b,c,d,e\n${rows((i) => `${i},${i % 3},${i % 5},${i % 7},${i % 2}`)}\n`);
    const names = "survived,class,cut,origin";
    const list = spawnSync("python3", ["scripts/poison-arff-pool.py", pool, "--csv-label-named", names, "--take-multiclass", "1", "--list"], { encoding: "utf8" });
    expect(list.status, list.stderr).toBe(0);
    expect(list.stderr).toContain("pool: 2 tables");
    expect(list.stderr).toContain("in   ship: 160 rows, 4 features, 2 classes, smallest 0.500\n");
    expect(list.stderr).toContain("in   three: 160 rows, 4 features, 3 classes, smallest 0.331, multi-class\n");
    expect(list.stderr).toMatch(/out {2}twice: .*no single column named as a label/);
    expect(list.stderr).toMatch(/out {2}none: .*no single column named as a label/);
    const p = spawnSync("python3", ["scripts/poison-arff-pool.py", pool, "--csv-label-named", names, "--seed", "3", "--take", "1", "--take-multiclass", "1", "--out", out], {
      encoding: "utf8",
    });
    expect(p.status, p.stderr).toBe(0);
    expect(p.stdout.trim()).toBe("drawn three -> three.src.csv: 160 rows, 4 features, 3 classes");
    expect(readFileSync(join(out, "three.src.csv"), "utf8").split(/\r?\n/)[1]).toBe("1,1,3,1,eu");
  });

  it("--csv-label-count (set R) labels a row 1 where the named count is above 0, else 0; a file without it or with a non-count is out", () => {
    const pool = join(dir, "count-pool");
    const out = join(dir, "count-out");
    mkdirSync(pool, { recursive: true });
    const rows = (f: (i: number) => string) => Array.from({ length: 160 }, (_, i) => f(i)).join("\n");
    // A defect table as DefectData's ck folder has it: text identifiers, metrics, then the bug count.
    writeFileSync(
      join(pool, "ant.csv"),
      `name,version,name,wmc,loc,cbo,rfc,bug\n${rows((i) => `ant,1.7,C${i},${i % 9},${10 + i},${i % 4},${i % 13},${i % 5 === 0 ? 1 + (i % 3) : 0}`)}\n`,
    );
    writeFileSync(join(pool, "nobug.csv"), `wmc,loc,cbo,rfc,defects\n${rows((i) => `${i % 9},${i},${i % 4},${i % 13},${i % 2}`)}\n`);
    writeFileSync(join(pool, "text.csv"), `wmc,loc,cbo,rfc,bug\n${rows((i) => `${i % 9},${i},${i % 4},${i % 13},${i % 2 ? "yes" : "no"}`)}\n`);
    const list = spawnSync("python3", ["scripts/poison-arff-pool.py", pool, "--csv-label-count", "bug", "--list"], { encoding: "utf8" });
    expect(list.status, list.stderr).toBe(0);
    expect(list.stderr).toContain("pool: 1 tables");
    // 32 of 160 rows have bugs (1–3 of them): two classes, the smaller 0.2; version is a (constant) input.
    expect(list.stderr).toContain("in   ant: 160 rows, 5 features, 2 classes, smallest 0.200\n");
    expect(list.stderr).toMatch(/out {2}nobug: .*no single column named bug/);
    expect(list.stderr).toMatch(/out {2}text: .*bug value 'no' is not a count/);
    const p = spawnSync("python3", ["scripts/poison-arff-pool.py", pool, "--csv-label-count", "bug", "--seed", "1", "--out", out], { encoding: "utf8" });
    expect(p.status, p.stderr).toBe(0);
    const lines = readFileSync(join(out, "ant.src.csv"), "utf8").trim().split(/\r?\n/);
    expect(lines[0]).toBe("1.7,0,10,0,0,1");
    expect(lines[1]).toBe("1.7,1,11,1,1,0");
    expect(lines[10]).toBe("1.7,1,20,2,10,1");
  });

  it("a directory that is not there: one line naming it, exit 2", () => {
    const p = spawnSync("python3", ["scripts/poison-arff-pool.py", join(dir, "nowhere"), "--list"], { encoding: "utf8" });
    expect(p.status).toBe(2);
    expect(p.stderr.trim().split("\n")).toHaveLength(1);
    expect(p.stderr).toContain("nowhere: not a directory");
  });
});
