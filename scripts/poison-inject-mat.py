#!/usr/bin/env python3
"""Writes a MATLAB .mat table (variables X: rows x features, Y: class per row) as a CSV with the class
in the last column and no header, the form scripts/poison-inject.py reads.

    python3 scripts/poison-inject-mat.py DATA.mat OUT.csv

For evaluation sets only (scikit-feature's .mat tables, held-out set G); needs SciPy (Debian
python3-scipy). Sparse X is densified; values are written as plain decimals.
"""
import csv
import sys

import numpy as np
import scipy.io


def main():
    if len(sys.argv) != 3:
        raise SystemExit("usage: poison-inject-mat.py DATA.mat OUT.csv")
    m = scipy.io.loadmat(sys.argv[1])
    if "X" not in m or "Y" not in m:
        raise SystemExit(f"{sys.argv[1]}: needs variables X and Y")
    X = m["X"]
    if hasattr(X, "toarray"):
        X = X.toarray()
    X = np.asarray(X, dtype=float)
    y = np.ravel(m["Y"])
    if X.shape[0] != y.shape[0]:
        raise SystemExit(f"{sys.argv[1]}: X has {X.shape[0]} rows, Y {y.shape[0]}")
    with open(sys.argv[2], "w", newline="") as f:
        w = csv.writer(f)
        for row, label in zip(X, y):
            w.writerow([repr(float(v)) if v != int(v) else str(int(v)) for v in row] + [f"c{int(label)}"])


if __name__ == "__main__":
    main()
