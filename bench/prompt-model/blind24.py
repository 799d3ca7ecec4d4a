#!/usr/bin/env python3
"""Builds blind round 24 (bench/prompt-model/BLIND.md, "Round 24"): the Prompt Injection Benchmark v1 (PIB) of
AUTHENSOR/prompt-injection-benchmark (15 Research Lab, 2026), a scanner benchmark of attacks and benign controls.

usage: blind24.py PIB_DIR DATA_DIR

PIB_DIR   a checkout of AUTHENSOR/prompt-injection-benchmark (commit in BLIND.md); only benchmark/v1/<category>/*.json
          is read, with json.load. Each file is a list of cases with `input` (the text a scanner sees), `category`,
          `subcategory` and `expected_detection` (true: an attack, false: a benign control).

Rows, all role "user" (the benchmark hands each input to a scanner as is), no task:
  headline, label 1: every attack of the categories in HEADLINE (orders to the model, planted instructions and
    exfiltration), one family per category, source `pib-<category>`, group = the subcategory;
  headline, label 0: every benign control of every category (the benchmark's negative cases), source `pib-benign`,
    group = the category it sits in;
  side file (not in the headline): the jailbreak attacks, source `pib-jailbreak`, group = the subcategory.
  The PII, credential and code-safety attacks are not prompt injections and are not read.
A row whose normalised text (NFKC, lower case, white space collapsed) equals a row of DATA_DIR/*.jsonl (other than
this round's files) or of test/fixtures/prompts/*.jsonl is dropped; duplicates (normalised text) dropped within each
file. No cap, no sampling. Writes DATA_DIR/blind24-{injections,benign,side-jailbreak}.jsonl atomically; prints counts.
"""
import glob, os, sys
from seen_texts import Dedup, fail, json_list, normalised as key, seen_texts, write_jsonl

if len(sys.argv) != 3:
    sys.exit("usage: blind24.py PIB_DIR DATA_DIR")
src, out = sys.argv[1:]
HEADLINE = ("prompt-injection", "memory-poisoning", "exfiltration")
SIDE = ("jailbreak",)

seen = seen_texts(out, lambda name: name.startswith("blind24-"), key)
files = {"injections": [], "benign": [], "side-jailbreak": []}
dedup = {stem: Dedup(seen, key) for stem in files}

paths = sorted(glob.glob(os.path.join(src, "benchmark", "v1", "*", "*.json")))
if not paths:
    fail(src, "no benchmark/v1/<category>/*.json files")
for path in paths:
    category = os.path.basename(os.path.dirname(path))
    for n, c in enumerate(json_list(path, "cases")):
        text, attack = (c.get("input"), c.get("expected_detection")) if isinstance(c, dict) else (None, None)
        if not isinstance(text, str) or not text.strip() or not isinstance(attack, bool):
            fail(f"{path}: case {n}", "needs a text input and a boolean expected_detection")
        group = c.get("subcategory") or category
        if not attack:
            stem, source, group = "benign", "pib-benign", category
        elif category in HEADLINE:
            stem, source = "injections", f"pib-{category}"
        elif category in SIDE:
            stem, source = "side-jailbreak", f"pib-{category}"
        else:
            continue
        if dedup[stem].fresh(text, None):
            files[stem].append({"text": text, "label": int(attack), "source": source, "role": "user", "group": group})

for stem, rows in files.items():
    write_jsonl(os.path.join(out, f"blind24-{stem}.jsonl"), rows)
    pos = sum(r["label"] for r in rows)
    print(f"blind24-{stem}.jsonl: {pos} injections, {len(rows) - pos} benign (dropped as seen: {dedup[stem].dropped})")
