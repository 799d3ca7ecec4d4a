#!/usr/bin/env python3
"""Builds blind round 11 (bench/prompt-model/BLIND.md) from a public labelled set written by others.

usage: blind11.py SOURCES_DIR DATA_DIR

SOURCES_DIR holds a checkout (folder named after the repository; commit in BLIND.md):
  go-promptguard  (mdombrov-33, MIT)  benchmarks/testdata/attacks.json and benign.json: the publisher's
                  labelled evaluation set ({"samples": [{"input", "label", "category", …}]}), read as JSON

Every row is the prompt as a user sends it (role "user"): the publisher's evaluation feeds each input to
its detector on its own. A row's `source` is the publisher's category ("attack-<category>" for the
attacks; "benign-edge" for its edge cases, "benign-plain" for every other benign category), so that
`eval.ts --by-source` gives the per-family figures the headline averages.

DATA_DIR holds whatever seen rows are at hand (earlier rounds' files): a round-11 row equal to one of
them or to a row of test/fixtures/prompts/*.jsonl (normalised: NFKC, lower case, whitespace collapsed)
is dropped. Writes DATA_DIR/blind11-injections.jsonl and DATA_DIR/blind11-benign.jsonl atomically.
Nothing read here is committed.
"""
import glob, json, os, re, sys, unicodedata

if len(sys.argv) != 3:
    sys.exit("usage: blind11.py SOURCES_DIR DATA_DIR")
src, out = sys.argv[1], sys.argv[2]
base = os.path.join(src, "go-promptguard", "benchmarks", "testdata")


def key(t):
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", t).lower()).strip()


seen = set()
fixtures = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "test", "fixtures", "prompts")
for f in glob.glob(os.path.join(out, "*.jsonl")) + glob.glob(os.path.join(fixtures, "*.jsonl")):
    if os.path.basename(f).startswith("blind11-"):
        continue
    for n, line in enumerate(open(f, encoding="utf-8"), 1):
        if line.strip():
            try:
                seen.add(key(json.loads(line)["text"]))
            except (ValueError, KeyError) as e:
                sys.exit(f"{f}:{n}: not a JSON row with a text field ({e})")


def load(name, want_label):
    path = os.path.join(base, name)
    try:
        doc = json.load(open(path, encoding="utf-8"))
    except (OSError, ValueError) as e:
        sys.exit(f"{path}: cannot read ({e})")
    rows, dropped = [], 0
    for i, s in enumerate(doc.get("samples", [])):
        if s.get("label") != want_label or not isinstance(s.get("input"), str):
            sys.exit(f"{path}: sample {i}: label {s.get('label')!r} or input not as expected")
        if key(s["input"]) in seen:
            dropped += 1
            continue
        cat = s.get("category", "")
        if want_label == "attack":
            source, label = f"attack-{cat}", 1
        else:
            source, label = ("benign-edge" if cat == "edge_case" else "benign-plain"), 0
        rows.append({"text": s["input"], "label": label, "source": source, "group": source, "role": "user"})
    print(f"{name}: {len(rows)} kept, {dropped} dropped as seen")
    return rows


for name, rows in (("blind11-injections.jsonl", load("attacks.json", "attack")), ("blind11-benign.jsonl", load("benign.json", "safe"))):
    tmp = os.path.join(out, name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    os.replace(tmp, os.path.join(out, name))
    print(f"{name}: {sum(r['label'] for r in rows)} injections / {sum(1 - r['label'] for r in rows)} benign")
