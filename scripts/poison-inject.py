#!/usr/bin/env python3
"""Injects label flips and outliers into a real tabular dataset, for bench/poison-external.ts.

    python3 scripts/poison-inject.py DATA.csv OUT.csv TRUTH.json --seed N [--flip 0.05] [--outlier 0.03] [--header]
        [--label-column NAME [--drop COL,COL]] [--max-rows N] [--skip-na-label] [--round-outliers]

DATA.csv: numeric feature columns and the class label in the LAST column (no header unless
--header). OUT.csv gets a header f1..fk,label. TRUTH.json lists the 1-based data rows changed.
With --label-column the file has a header naming its columns (an R-datasets CSV, say): that column
is the label wherever it stands, and the --drop columns (row names, non-numeric descriptors) are
left out; `--flip 0 --outlier 0` then just writes the table in the f1..fk,label form.
--max-rows N keeps a sample of N of the usable rows (drawn with --seed, original order kept), so
that no big table outweighs the others when figures are pooled over a set. --skip-na-label leaves out
rows whose label is NA or empty, and rows with an infinite value (R's Inf), (off by default, so earlier sets' files are unchanged).
--round-outliers (set S) writes each moved value on its column's grid: rounded to as many decimals as
the column's values are written with (a whole number in a count column), as a poisoner who keeps to the
column's format would; off by default (unrounded floats, as sets A-R were written).

Written apart from Rampart's own test generator (test/data/poison-data.ts) so the detector is not
measured on the distribution it was tuned on:
  - flips: a row's label is replaced by a different class present in the data, chosen uniformly;
  - outliers: 1 to 3 random features of a row are moved to median +/- U(5, 10) robust standard
    deviations of that feature (1.4826 * MAD, else IQR / 1.349, else the standard deviation);
    flipped rows are never also outliers.
"""
import argparse
import csv
import json
import math
import random
import statistics

from poison_grid import column_decimals, on_grid


def robust_sd(values):
    med = statistics.median(values)
    mad = statistics.median([abs(v - med) for v in values])
    if mad > 0:
        return med, 1.4826 * mad
    q = statistics.quantiles(values, n=4)
    if q[2] - q[0] > 0:
        return med, (q[2] - q[0]) / 1.349
    return med, statistics.pstdev(values) or 1.0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("data")
    ap.add_argument("out")
    ap.add_argument("truth")
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--flip", type=float, default=0.05)
    ap.add_argument("--outlier", type=float, default=0.03)
    ap.add_argument("--header", action="store_true")
    ap.add_argument("--label-column")
    ap.add_argument("--drop", default="")
    ap.add_argument("--max-rows", type=int, default=0)
    ap.add_argument("--skip-na-label", action="store_true")
    ap.add_argument("--round-outliers", action="store_true")
    a = ap.parse_args()
    with open(a.data, newline="", encoding="utf-8", errors="replace") as f:
        rows = [r for r in csv.reader(f) if r and any(c.strip() for c in r)]
    if not rows:
        raise SystemExit(f"{a.data}: no rows")
    if a.label_column:
        names = [c.strip() for c in rows[0]]
        drop = {c for c in a.drop.split(",") if c}
        missing = [c for c in [a.label_column, *drop] if c not in names]
        if missing:
            raise SystemExit(f"{a.data}: no column named {', '.join(missing)}")
        keep = [j for j, c in enumerate(names) if c not in drop and c != a.label_column]
        at = names.index(a.label_column)
        rows = [[r[j] for j in keep] + [r[at]] for r in rows[1:] if len(r) == len(names)]
    elif a.header:
        rows = rows[1:]
    rows = [[c.strip() for c in r] for r in rows]
    k = len(rows[0]) - 1
    # Keep numeric rows only (some files carry "?" for missing values).
    def numeric(r):
        try:
            [float(c) for c in r[:-1]]
            return len(r) == k + 1
        except ValueError:
            return False
    rows = [r for r in rows if numeric(r)]
    if a.skip_na_label:
        # R writes a missing factor as NA; such a row has no class to flip or keep.
        rows = [r for r in rows if r[-1] not in ("NA", "") and all(math.isfinite(float(c)) for c in r[:-1])]
    rng = random.Random(a.seed)
    if a.max_rows and len(rows) > a.max_rows:
        keep_rows = sorted(rng.sample(range(len(rows)), a.max_rows))
        rows = [rows[i] for i in keep_rows]
    n = len(rows)
    classes = sorted({r[-1] for r in rows})
    order = list(range(n))
    rng.shuffle(order)
    n_flip = round(a.flip * n)
    n_out = round(a.outlier * n)
    flipped = sorted(order[:n_flip])
    outliers = sorted(order[n_flip:n_flip + n_out])
    stats = [robust_sd([float(r[j]) for r in rows]) for j in range(k)]
    grid = [column_decimals([r[j] for r in rows]) for j in range(k)]
    for i in flipped:
        rows[i][-1] = rng.choice([c for c in classes if c != rows[i][-1]])
    for i in outliers:
        for j in rng.sample(range(k), min(k, rng.randint(1, 3))):
            med, sd = stats[j]
            moved = med + rng.choice((-1, 1)) * rng.uniform(5, 10) * sd
            rows[i][j] = on_grid(moved, grid[j]) if a.round_outliers else repr(moved)
    with open(a.out, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow([f"f{j + 1}" for j in range(k)] + ["label"])
        w.writerows(rows)
    with open(a.truth, "w") as f:
        json.dump({"rows": n, "classes": len(classes), "features": k, "seed": a.seed,
                   "flipped": [i + 1 for i in flipped], "outliers": [i + 1 for i in outliers]}, f)


if __name__ == "__main__":
    main()
