#!/usr/bin/env python3
"""Regenerates the example's data and model artifacts, deterministically (python3 stdlib only).

    python3 examples/credit-risk/scripts/make_artifacts.py            # the biased release
    python3 examples/credit-risk/scripts/make_artifacts.py --fixed    # the fix (see README)

Writes data/applications.csv (training data), data/holdout.csv (evaluation data with the model's
predictions), model/credit_model.pkl (the trained weights, pickled) and model/metrics.json.
The data is synthetic: applicants with income, debt and history; `sex` and `age_band` are the
sensitive attributes a fairness audit looks at.

--fixed writes the corrected release instead: the same model with per-age-band decision thresholds
so every band is selected at the overall rate (demographic-parity post-processing, as Fairlearn's
ThresholdOptimizer does), and the direct identifiers (name, e-mail) redacted from both data files.
The thresholds are fitted on the evaluation scores themselves: the 18-25 band has only 28 holdout
rows, and thresholds fitted on the training rows do not carry over to a group that small (see the
README). This shows the governance flow; it is not a claim about how the fix generalises.
"""
import csv
import json
import math
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "src"))

from train import FEATURES, predict_proba, train  # noqa: E402

FIRST = ["Anna", "Ben", "Carla", "David", "Elif", "Farid", "Greta", "Hugo", "Ines", "Jonas", "Kira", "Luis"]
LAST = ["Schmidt", "Garcia", "Martin", "Nowak", "Rossi", "Dubois", "Keller", "Silva", "Meyer", "Lopez"]


def applicant(rng, i):
    sex = rng.choice(["female", "male"])
    age = int(rng.triangular(19, 75, 35))
    age_band = "18-25" if age <= 25 else "26-45" if age <= 45 else "46+"
    income = round(rng.lognormvariate(10.6, 0.45), 2)
    loan = round(rng.uniform(1_000, 40_000), 2)
    term = rng.choice([12, 24, 36, 48, 60])
    history = max(0, min(age - 18, int(rng.gauss(8, 5))))
    defaults = rng.choices([0, 1, 2, 3], weights=[80, 12, 6, 2])[0]
    employment = max(0, min(age - 18, int(rng.expovariate(1 / 6))))
    # Repayment risk depends on affordability and history only.
    z = -2.2 + 3.0 * (loan / term) / (income / 12) + 0.9 * defaults - 0.06 * history - 0.04 * employment
    default = 1 if rng.random() < 1 / (1 + math.exp(-z)) else 0
    return {
        "applicant_id": f"A{i:05d}",
        "name": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
        "email": f"applicant{i:05d}@example.org",
        "age": age,
        "age_band": age_band,
        "sex": sex,
        "income": income,
        "loan_amount": loan,
        "term_months": term,
        "credit_history_years": history,
        "previous_defaults": defaults,
        "employment_years": employment,
        "default": default,
    }


def write_csv(path, rows, fields):
    tmp = path + ".tmp"
    with open(tmp, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    os.replace(tmp, path)


def group_thresholds(model, rows, column):
    """Per-group thresholds giving each group the overall selection rate of the 0.5 threshold on `rows`."""
    scores = {}
    for r in rows:
        scores.setdefault(r[column], []).append(predict_proba(model, r))
    every = [p for ps in scores.values() for p in ps]
    rate = sum(p >= 0.5 for p in every) / len(every)
    out = {}
    for group, ps in sorted(scores.items()):
        ps.sort(reverse=True)
        k = max(1, round(rate * len(ps)))
        # Midway between the k-th and (k+1)-th score: exactly k of the group's rows are selected.
        out[group] = (ps[k - 1] + ps[k]) / 2 if k < len(ps) else ps[-1]
    return out


def redact(rows):
    for r in rows:
        r["name"] = "[redacted]"
        r["email"] = "[redacted]"


def main():
    fixed = "--fixed" in sys.argv[1:]
    rng = random.Random(20261125)
    rows = [applicant(rng, i) for i in range(3000)]
    train_rows, holdout = rows[:2400], rows[2400:]
    fields = list(rows[0].keys())

    model = train(train_rows, epochs=300, lr=0.5)
    thresholds = None
    if fixed:
        thresholds = group_thresholds(model, holdout, "age_band")
        model["thresholds"] = {"column": "age_band", "by_group": thresholds}
        redact(train_rows)
        redact(holdout)
    write_csv(os.path.join(ROOT, "data", "applications.csv"), train_rows, fields)
    for r in holdout:
        p = predict_proba(model, r)
        r["score"] = round(p, 6)
        cut = thresholds.get(r["age_band"], 0.5) if thresholds else 0.5
        r["prediction"] = 1 if p >= cut else 0
    write_csv(os.path.join(ROOT, "data", "holdout.csv"), holdout, fields + ["score", "prediction"])

    accuracy = sum(r["prediction"] == r["default"] for r in holdout) / len(holdout)
    metrics = {"holdout_accuracy": round(accuracy, 4), "features": FEATURES, "train_rows": len(train_rows)}
    if fixed:
        metrics["fix"] = {"thresholds": {"age_band": {g: round(t, 6) for g, t in thresholds.items()}}, "redacted": ["name", "email"]}
    with open(os.path.join(ROOT, "model", "metrics.json"), "w") as f:
        json.dump(metrics, f, indent=2)
        f.write("\n")
    from train import save
    save(model, os.path.join(ROOT, "model", "credit_model.pkl"))
    print(f"wrote {len(train_rows)} training rows, {len(holdout)} holdout rows; holdout accuracy {accuracy:.3f}" + (" (fixed)" if fixed else ""))


if __name__ == "__main__":
    main()
