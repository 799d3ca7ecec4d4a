#!/usr/bin/env python3
"""Set I's pool and draw (docs/data.md, "Session 11"): Weka ARFF classification tables to CSV.

    python3 scripts/poison-arff-pool.py DIR... --seed 1129 --take 24 --exclude NAME,NAME --out OUTDIR
    python3 scripts/poison-arff-pool.py DIR... --list            # the pool only, nothing written

Reads every *.arff file of the given directories (dense ARFF; a sparse file is out of the pool), and
every *.dat file in KEEL's ARFF dialect (set J: ranges after the type, @inputs/@outputs lines ignored,
"<null>" missing), and every PMLB dataset folder (set K: NAME/NAME.tsv.gz with NAME/metadata.yaml; the
label is the "target" column of a dataset whose metadata says "task: classification", the features are
the columns the metadata types "continuous", or with --pmlb-coded (set N) every column but the label), and every radMLBench table (set L: NAME.gz, a gzipped CSV
with a header, an "ID" column that is dropped and a binary "Target" column that is the label; a column is
a feature when every value of it parses as a number, "" and "nan" counted as missing), and, only with
--csv-label-last (set M), every NAME.csv with a header whose LAST column is the label (the features read
as radMLBench's are; imodels-data's cleaned tables). For ARFF and KEEL the
label is the file's LAST attribute, which must be nominal (Weka's convention for the class). Features:
the numeric (numeric/real/integer) attributes; nominal and string inputs are dropped, and so are
columns missing on more than 10 % of rows. Rows with a missing kept value or a missing label are left
out. A table is in the pool when it then has >= 150 rows, >= 4 features and 2-26 classes, each on
>= 10 rows. --exclude names tables (file stems) that are seen or copies of seen tables. The draw:
the pool sorted by file stem, shuffled with Python's random.Random(seed), the first --take kept. With
--take-imbalanced K (set N) the K first of the tables whose smallest class holds under --imbalance (0.1)
of the rows and under half an even split's share, shuffled the same way, are drawn first and the rest of --take from the remaining tables.
With --take-wide K (set O) the K first of the tables with >= --wide-features (30) features, shuffled the same way, are
drawn before everything else (then --take-imbalanced from the tables not drawn, then the rest).
With --take-multiclass K (set P) the K first of the tables with >= 3 classes not yet drawn, shuffled the same way,
come after the wide stratum and before the imbalanced one. With --csv-label-named NAMES (set P; implies
--csv-label-last) a CSV's label is the column named by the first of NAMES the file has, not its last column.
With --csv-label-count NAME (set R; implies --csv-label-last) the label is 1 where the column NAME holds a
count above 0 and 0 where it holds 0 (defect tables: bugs per class, the task "defective or not").
Each drawn table is written as OUTDIR/<stem, dots as underscores>.src.csv (no header, label last), the form
scripts/poison-inject.py reads. Untrusted input is only parsed, never evaluated.
"""
import argparse
import csv
import gzip
import os
import random
import re
import sys

ATTR = re.compile(r"@attribute\s+('(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|\S+)\s+(.*)$", re.I)


def split_values(line):
    """Splits an ARFF data line on commas outside quotes."""
    out, cur, q = [], [], None
    for ch in line:
        if q:
            if ch == q:
                q = None
            else:
                cur.append(ch)
        elif ch in "'\"":
            q = ch
        elif ch == ",":
            out.append("".join(cur).strip())
            cur = []
        else:
            cur.append(ch)
    out.append("".join(cur).strip())
    return out


def read_arff(path):
    names, kinds, rows, in_data = [], [], [], False
    with open(path, encoding="utf-8", errors="replace") as f:
        for no, raw in enumerate(f, 1):
            line = raw.strip()
            if not line or line.startswith("%"):
                continue
            if not in_data:
                low = line.lower()
                if low.startswith("@attribute"):
                    m = ATTR.match(line)
                    if not m:
                        raise ValueError(f"{path}:{no}: unreadable @attribute")
                    kind = m.group(2).strip()
                    names.append(m.group(1).strip("'\""))
                    # KEEL's .dat headers add a range to the type: real[-3.09,2.81], integer[1,5].
                    kinds.append("nominal" if kind.startswith("{") else re.match(r"[^\s\[]*", kind).group(0).lower())
                elif low.startswith("@data"):
                    in_data = True
                continue
            if line.startswith("{"):
                raise ValueError(f"{path}:{no}: sparse ARFF")
            vals = split_values(line.split("%")[0] if "%" in line and "'" not in line else line)
            if len(vals) != len(names):
                raise ValueError(f"{path}:{no}: {len(vals)} values for {len(names)} attributes")
            rows.append(vals)
    return names, kinds, rows


def read_pmlb(folder, stem, coded=False):
    """A PMLB dataset as (names, kinds, rows) in the ARFF reader's form, the label moved last.

    With coded (set N) every feature column is a feature whatever its metadata type: PMLB stores
    binary, categorical and ordinal inputs as integer codes, which the detector reads as numbers."""
    task, types, name = None, {}, None
    with open(os.path.join(folder, "metadata.yaml"), encoding="utf-8") as f:
        in_features = False
        for raw in f:
            line = raw.split("#")[0].rstrip()
            if line.startswith("task:"):
                task = line.split(":", 1)[1].strip()
            elif line.startswith("features:"):
                in_features = True
            elif in_features and line and not line.startswith(" "):
                in_features = False
            elif in_features and line.strip().startswith("- name:"):
                name = line.split(":", 1)[1].strip().strip("'\"")
            elif in_features and name is not None and line.strip().startswith("type:"):
                types[name] = line.split(":", 1)[1].strip()
                name = None
    if task != "classification":
        return None
    with gzip.open(os.path.join(folder, f"{stem}.tsv.gz"), "rt", encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        if "target" not in header:
            raise ValueError(f"{folder}: no target column")
        rows = [line.rstrip("\n").split("\t") for line in f if line.strip()]
    t = header.index("target")
    order = [j for j in range(len(header)) if j != t] + [t]
    names = [header[j] for j in order]
    kinds = ["numeric" if coded or types.get(header[j]) == "continuous" else "nominal" for j in order[:-1]]
    kinds.append("nominal")
    for no, r in enumerate(rows, 2):
        if len(r) != len(header):
            raise ValueError(f"{folder}/{stem}.tsv.gz:{no}: {len(r)} values for {len(header)} columns")
    return names, kinds, [[r[j] for j in order] for r in rows]


def read_radml(path):
    """A radMLBench table (gzipped CSV, "ID" dropped, "Target" the label) in the ARFF reader's form."""
    with gzip.open(path, "rt", encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        header = next(reader, None)
        if not header or "Target" not in header:
            raise ValueError(f"{path}: no Target column")
        rows = []
        for no, r in enumerate(reader, 2):
            if not r:
                continue
            if len(r) != len(header):
                raise ValueError(f"{path}:{no}: {len(r)} values for {len(header)} columns")
            rows.append(["?" if v.strip().lower() in ("", "nan") else v.strip() for v in r])
    t = header.index("Target")
    order = [j for j in range(len(header)) if j != t and header[j] != "ID"] + [t]

    def number(v):
        try:
            float(v)
            return True
        except ValueError:
            return False

    kinds = ["numeric" if all(r[j] == "?" or number(r[j]) for r in rows) else "nominal" for j in order[:-1]]
    return [header[j] for j in order], kinds + ["nominal"], [[r[j] for j in order] for r in rows]


def read_csv_label_last(path, label_names=(), label_count=""):
    """A CSV with a header whose last column is the label, in the ARFF reader's form. With label_names
    (set P), the label is instead the column whose header, trimmed and lower-cased, is the first of them
    the file has (titanic's "survived" before its "class"); it is moved last, and a file with no such
    column, or two columns of that name, is out of the pool. With label_count (set R), the label is
    whether the count in the column of that name is above zero ("1") or not ("0"): defect tables record
    bugs per module, and the task their papers set is "defective or not"."""
    with open(path, encoding="utf-8", errors="replace", newline="") as f:
        reader = csv.reader(f)
        header = next(reader, None)
        if not header or len(header) < 2:
            raise ValueError(f"{path}: no header")
        rows = []
        for no, r in enumerate(reader, 2):
            if not r:
                continue
            if len(r) != len(header):
                raise ValueError(f"{path}:{no}: {len(r)} values for {len(header)} columns")
            rows.append(["?" if v.strip().lower() in ("", "nan", "na") else v.strip() for v in r])
    if label_count:
        names = [h.strip().lower() for h in header]
        if names.count(label_count) != 1:
            raise ValueError(f"{path}: no single column named {label_count}")
        at = names.index(label_count)
        for r in rows:
            if r[at] != "?":
                try:
                    r[at] = "1" if float(r[at]) > 0 else "0"
                except ValueError:
                    raise ValueError(f"{path}: {label_count} value {r[at]!r} is not a count") from None
        label_names = (label_count,)
    if label_names:
        names = [h.strip().lower() for h in header]
        found = [name for name in label_names if name in names]
        if not found or names.count(found[0]) != 1:
            raise ValueError(f"{path}: no single column named as a label")
        at = [names.index(found[0])]
        order = [j for j in range(len(header)) if j != at[0]] + at
        header, rows = [header[j] for j in order], [[r[j] for j in order] for r in rows]
    return header, column_kinds(rows, len(header) - 1) + ["nominal"], rows


def column_kinds(rows, k):
    def number(v):
        try:
            float(v)
            return True
        except ValueError:
            return False

    return ["numeric" if all(r[j] == "?" or number(r[j]) for r in rows) else "nominal" for j in range(k)]


def as_table(path, pmlb_coded=False, label_names=(), label_count=""):
    if path.endswith(".csv") and os.path.isfile(path):
        names, kinds, rows = read_csv_label_last(path, label_names, label_count)
    elif path.endswith(".gz") and os.path.isfile(path):
        names, kinds, rows = read_radml(path)
    elif os.path.isdir(path):
        read = read_pmlb(path, os.path.basename(path), pmlb_coded)
        if read is None:
            return None, "not a classification task"
        names, kinds, rows = read
    else:
        names, kinds, rows = read_arff(path)
    if not names or kinds[-1] != "nominal":
        return None, "last attribute not nominal"
    numeric = [j for j, k in enumerate(kinds[:-1]) if k in ("numeric", "real", "integer")]
    n = len(rows)
    def missing(v):
        return v in ("?", "", "<null>")  # "<null>": KEEL's missing value
    keep = [j for j in numeric if sum(missing(r[j]) for r in rows) <= 0.1 * n]
    out = []
    for r in rows:
        if missing(r[-1]) or any(missing(r[j]) for j in keep):
            continue
        try:
            out.append([float(r[j]) for j in keep] + [r[-1]])
        except ValueError:
            return None, "non-numeric value in a numeric column"
    counts = {}
    for r in out:
        counts[r[-1]] = counts.get(r[-1], 0) + 1
    why = []
    if len(out) < 150:
        why.append(f"{len(out)} rows")
    if len(keep) < 4:
        why.append(f"{len(keep)} features")
    if not 2 <= len(counts) <= 26:
        why.append(f"{len(counts)} classes")
    if counts and min(counts.values()) < 10:
        why.append(f"a class on {min(counts.values())} rows")
    if why:
        return None, ", ".join(why)
    return (out, len(keep), counts), None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dirs", nargs="+")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--take", type=int, default=0)
    ap.add_argument("--exclude", default="")
    ap.add_argument("--out")
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--csv-label-last", action="store_true", help="also read NAME.csv: a header, the label last")
    ap.add_argument("--pmlb-coded", action="store_true", help="PMLB: every feature column, coded ones too")
    ap.add_argument("--take-imbalanced", type=int, default=0,
                    help="first draw this many tables whose smallest class is under --imbalance of the rows")
    ap.add_argument("--imbalance", type=float, default=0.1)
    ap.add_argument("--take-wide", type=int, default=0,
                    help="first of all draw this many tables with at least --wide-features features")
    ap.add_argument("--wide-features", type=int, default=30)
    ap.add_argument("--csv-label-named", default="",
                    help="read NAME.csv with the label in the column named by the first of these (comma list) it has")
    ap.add_argument("--csv-label-count", default="",
                    help="read NAME.csv with the label 1 where the column of this name counts above 0, else 0 (set R)")
    ap.add_argument("--take-multiclass", type=int, default=0,
                    help="after the wide stratum, draw this many tables with at least 3 classes")
    a = ap.parse_args()
    label_names = tuple(n.strip().lower() for n in a.csv_label_named.split(",") if n.strip())
    label_count = a.csv_label_count.strip().lower()
    if label_names or label_count:
        a.csv_label_last = True
    exclude = {e for e in a.exclude.split(",") if e}
    pool = []
    for d in a.dirs:
        if not os.path.isdir(d):
            print(f"{d}: not a directory", file=sys.stderr)
            sys.exit(2)
        for name in sorted(os.listdir(d)):
            pmlb = os.path.isfile(os.path.join(d, name, f"{name}.tsv.gz"))
            ext = (
                ".arff" if name.endswith(".arff") else ".dat" if name.endswith(".dat")
                else ".gz" if name.endswith(".gz") and not name.endswith(".tsv.gz") else "" if pmlb
                else ".csv" if a.csv_label_last and name.endswith(".csv") else None
            )
            if ext is None:
                continue
            stem = name[: -len(ext)] if ext else name
            try:
                table, why = as_table(os.path.join(d, name), a.pmlb_coded, label_names, label_count)
            except ValueError as e:
                table, why = None, str(e)
            if stem in exclude:
                why = "seen or a copy of a seen table"
            if table is None or stem in exclude:
                print(f"out  {stem}: {why}", file=sys.stderr)
                continue
            rows, k, counts = table
            pool.append((stem, os.path.join(d, name), rows, k, counts))
    pool.sort(key=lambda t: t[0])
    print(f"pool: {len(pool)} tables", file=sys.stderr)
    def minority(t):
        return min(t[4].values()) / len(t[2])

    def imbalanced(t):
        # Under --imbalance of the rows and under half an even split's share, so that a table is not
        # called imbalanced only for having many classes (ten even classes hold 10 % each).
        return minority(t) < min(a.imbalance, 0.5 / len(t[4]))

    def wide(t):
        return a.take_wide and t[3] >= a.wide_features

    for t in pool:
        stem, _, rows, k, counts = t
        mark = (", wide" if wide(t) else "") + (", imbalanced" if imbalanced(t) else "")
        mark += ", multi-class" if a.take_multiclass and len(counts) >= 3 else ""
        print(f"in   {stem}: {len(rows)} rows, {k} features, {len(counts)} classes, smallest {minority(t):.3f}{mark}",
              file=sys.stderr)
    if a.list:
        return
    # Set N: the imbalanced stratum is drawn first (its own shuffle), then the rest of the pool, so that
    # the draw is fixed by the seed alone and says before any score how many imbalanced tables it holds.
    # Set O: the wide stratum (--take-wide) is drawn before the imbalanced one, each with its own shuffle.
    broad = [t for t in pool if wide(t)]
    random.Random(a.seed).shuffle(broad)
    broad = broad[: a.take_wide]
    # Set P: then the multi-class stratum (>= 3 classes) of the tables not yet drawn, its own shuffle.
    many = [t for t in pool if a.take_multiclass and len(t[4]) >= 3 and t not in broad]
    random.Random(a.seed).shuffle(many)
    many = many[: a.take_multiclass]
    rare = [t for t in pool if a.take_imbalanced and imbalanced(t) and t not in broad + many]
    random.Random(a.seed).shuffle(rare)
    rare = rare[: a.take_imbalanced]
    first = broad + many + rare
    order = [t for t in pool if t not in first]
    random.Random(a.seed).shuffle(order)
    drawn = first + (order[: a.take - len(first)] if a.take else order)
    os.makedirs(a.out, exist_ok=True)
    for stem, _, rows, k, counts in drawn:
        file = stem.replace(".", "_")  # the bench reads the table's name from the file name
        tmp = os.path.join(a.out, f".{file}.src.csv.tmp")
        with open(tmp, "w", newline="") as f:
            w = csv.writer(f)
            for r in rows:
                w.writerow([repr(v) if v != int(v) else str(int(v)) for v in r[:-1]] + [r[-1]])
        os.replace(tmp, os.path.join(a.out, f"{file}.src.csv"))
        print(f"drawn {stem} -> {file}.src.csv: {len(rows)} rows, {k} features, {len(counts)} classes")


if __name__ == "__main__":
    main()
