#!/usr/bin/env python3
"""A harder injector variant for bench/poison-external.ts, written apart from scripts/poison-inject.py.

    python3 scripts/poison-inject-confusable.py DATA.csv OUT.csv TRUTH.json --seed N [--flip 0.05] [--outlier 0.03] [--round-outliers]

Same input and output formats as poison-inject.py (numeric features, class in the last column, no
header; OUT.csv gets f1..fk,label; TRUTH.json lists the 1-based rows changed). What differs:
  - flips go to the MOST CONFUSABLE class: the other class whose centroid (features scaled by
    their interquartile range) is nearest to the row, so a flip looks like a plausible mistake;
  - flipped rows are drawn with probability proportional to 1 / (1 + distance to that class's
    centroid), favouring rows already near the boundary;
  - outliers are milder: 1 or 2 features moved to median +/- U(4, 8) scaled IQRs (IQR / 1.349; the
    population standard deviation when the IQR is 0), never in a flipped row.
With --round-outliers (set S) a moved value is rounded to its column's grid (the decimals the column's
values are written with; a whole number in a count column), and every other value is written as read.
"""
import argparse
import csv
import json
import math
import random

from poison_grid import column_decimals, on_grid


def quantile(sorted_values, q):
    pos = (len(sorted_values) - 1) * q
    lo = math.floor(pos)
    hi = math.ceil(pos)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (pos - lo)


def column_scale(values):
    s = sorted(values)
    med = quantile(s, 0.5)
    iqr = quantile(s, 0.75) - quantile(s, 0.25)
    if iqr > 0:
        return med, iqr / 1.349
    mean = sum(values) / len(values)
    sd = math.sqrt(sum((v - mean) ** 2 for v in values) / len(values))
    return med, sd or 1.0


def is_numeric(cells):
    try:
        [float(c) for c in cells]
        return True
    except ValueError:
        return False


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("data")
    ap.add_argument("out")
    ap.add_argument("truth")
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--flip", type=float, default=0.05)
    ap.add_argument("--outlier", type=float, default=0.03)
    ap.add_argument("--round-outliers", action="store_true")
    a = ap.parse_args()
    with open(a.data, newline="") as f:
        raw = [[c.strip() for c in r] for r in csv.reader(f) if r and any(c.strip() for c in r)]
    width = len(raw[0])
    rows = []
    for r in raw:
        if len(r) != width:
            continue
        try:
            rows.append(([float(c) for c in r[:-1]], r[-1]))
        except ValueError:
            pass  # a "?" or other non-numeric cell: the row is left out
    k = width - 1
    n = len(rows)
    texts = [r for r in raw if len(r) == width and is_numeric(r[:-1])]
    grid = [column_decimals([r[j] for r in texts]) for j in range(k)]
    rng = random.Random(a.seed)
    scales = [column_scale([x[j] for x, _ in rows]) for j in range(k)]
    classes = sorted({y for _, y in rows})
    centroid = {}
    for c in classes:
        members = [x for x, y in rows if y == c]
        centroid[c] = [sum(x[j] for x in members) / len(members) for j in range(k)]

    def dist(x, c):
        return math.sqrt(sum(((x[j] - centroid[c][j]) / scales[j][1]) ** 2 for j in range(k)))

    # Weighted sampling without replacement (Efraimidis-Spirakis keys).
    target = {}
    keys = []
    for i, (x, y) in enumerate(rows):
        others = [c for c in classes if c != y]
        nearest = min(others, key=lambda c: dist(x, c))
        target[i] = nearest
        w = 1.0 / (1.0 + dist(x, nearest))
        keys.append((rng.random() ** (1.0 / w), i))
    keys.sort(reverse=True)
    n_flip = round(a.flip * n)
    flipped = sorted(i for _, i in keys[:n_flip])
    rest = [i for i in range(n) if i not in set(flipped)]
    rng.shuffle(rest)
    outliers = sorted(rest[: round(a.outlier * n)])
    out_rows = [[*x] for x, _ in rows]
    labels = [y for _, y in rows]
    for i in flipped:
        labels[i] = target[i]
    moved = {}
    for i in outliers:
        for j in rng.sample(range(k), min(k, rng.choice((1, 2)))):
            med, sd = scales[j]
            out_rows[i][j] = med + rng.choice((-1, 1)) * rng.uniform(4, 8) * sd
            if a.round_outliers:
                moved[(i, j)] = on_grid(out_rows[i][j], grid[j])
    with open(a.out, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow([f"f{j + 1}" for j in range(k)] + ["label"])
        for i, (x, y) in enumerate(zip(out_rows, labels)):
            if a.round_outliers:
                w.writerow([moved.get((i, j), texts[i][j]) for j in range(k)] + [y])
            else:
                w.writerow([repr(v) for v in x] + [y])
    with open(a.truth, "w") as f:
        json.dump({"rows": n, "classes": len(classes), "features": k, "seed": a.seed,
                   "flipped": [i + 1 for i in flipped], "outliers": [i + 1 for i in outliers]}, f)


if __name__ == "__main__":
    main()
