"""Logistic-regression credit-default model for the example project (stdlib only).

Features are standardised with statistics from the training data; sensitive attributes (sex,
age band) are deliberately not used as features.
"""
import math
import os
import pickle

FEATURES = ["income", "loan_amount", "term_months", "credit_history_years", "previous_defaults", "employment_years"]


def _vector(model, row):
    x = [float(row[f]) for f in FEATURES]
    x[0] = math.log(x[0])  # income is log-normal
    return [(v - m) / s for v, m, s in zip(x, model["mean"], model["std"])]


def train(rows, epochs=300, lr=0.5):
    raw = [[float(r[f]) for f in FEATURES] for r in rows]
    for x in raw:
        x[0] = math.log(x[0])
    n = len(raw)
    mean = [sum(col) / n for col in zip(*raw)]
    std = [max(1e-9, math.sqrt(sum((v - m) ** 2 for v in col) / n)) for col, m in zip(zip(*raw), mean)]
    xs = [[(v - m) / s for v, m, s in zip(x, mean, std)] for x in raw]
    ys = [int(r["default"]) for r in rows]
    w = [0.0] * len(FEATURES)
    b = 0.0
    for _ in range(epochs):
        gw = [0.0] * len(w)
        gb = 0.0
        for x, y in zip(xs, ys):
            p = 1 / (1 + math.exp(-(sum(wi * xi for wi, xi in zip(w, x)) + b)))
            for j, xj in enumerate(x):
                gw[j] += (p - y) * xj
            gb += p - y
        w = [wi - lr * g / n for wi, g in zip(w, gw)]
        b -= lr * gb / n
    return {"features": FEATURES, "weights": w, "bias": b, "mean": mean, "std": std}


def predict_proba(model, row):
    x = _vector(model, row)
    z = sum(wi * xi for wi, xi in zip(model["weights"], x)) + model["bias"]
    return 1 / (1 + math.exp(-z))


def save(model, path):
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        pickle.dump(model, f, protocol=4)
    os.replace(tmp, path)
