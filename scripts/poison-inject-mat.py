#!/usr/bin/env python3
"""Writes a MATLAB .mat table (variables X: rows x features, Y: class per row) as a CSV with the class
in the last column and no header, the form scripts/poison-inject.py reads.

    python3 scripts/poison-inject-mat.py DATA.mat OUT.csv [--max-cols N --seed S]

For evaluation sets only (scikit-feature's .mat tables, held-out sets G and H); needs SciPy (Debian
python3-scipy). Sparse X is densified; values are written as plain decimals. With --max-cols, constant
columns are left out and a seeded sample of N of the others is kept, in their original order (set H:
text and mass-spectrometry tables with 3,000-10,000 columns).
"""
import argparse
import csv
import random

import numpy as np
import scipy.io


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("data")
    ap.add_argument("out")
    ap.add_argument("--max-cols", type=int, default=0)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    m = scipy.io.loadmat(a.data)
    if "X" not in m or "Y" not in m:
        raise SystemExit(f"{a.data}: needs variables X and Y")
    X = m["X"]
    if hasattr(X, "toarray"):
        X = X.toarray()
    X = np.asarray(X, dtype=float)
    y = np.ravel(m["Y"])
    if X.shape[0] != y.shape[0]:
        raise SystemExit(f"{a.data}: X has {X.shape[0]} rows, Y {y.shape[0]}")
    if a.max_cols:
        varying = [j for j in range(X.shape[1]) if np.ptp(X[:, j]) > 0]
        if len(varying) > a.max_cols:
            varying = sorted(random.Random(a.seed).sample(varying, a.max_cols))
        X = X[:, varying]
    with open(a.out, "w", newline="") as f:
        w = csv.writer(f)
        for row, label in zip(X, y):
            w.writerow([repr(float(v)) if v != int(v) else str(int(v)) for v in row] + [f"c{int(label)}"])


if __name__ == "__main__":
    main()
