#!/usr/bin/env python3
"""Builds blind round 22 (bench/prompt-model/BLIND.md, "Round 22"): retrieved passages of open-domain QA, with and
without a planted instruction, each with the user's question, from Leezekun/instruction-following-robustness-eval
(Li et al., "Evaluating the Instruction-Following Robustness of Large Language Models to Prompt Injection").

usage: blind22.py IFRE_DIR DATA_DIR

IFRE_DIR  a checkout of Leezekun/instruction-following-robustness-eval (commit in BLIND.md): only the publisher's
          prepared evaluation inputs under inputs/ are read, with json.load. Each file is a list of records with
          `context` (the retrieved passage as published), `question` (the user's question), `injected_context` (the
          passage with the attacker's text planted) and `injection` (the planted text).

Rows, all role "data", task = the record's question:
  label 1: every record's `injected_context` of the ten injected files in INJECTED (one family each);
  label 0, source `ifre-clean`: every record's `context` of the three `original-*` files (the publisher's clean
    passages; the injected files plant into these same passages).
  group = the QA set (nq, hotpotqa, squad). The `relevant-*` files (a different user question over the clean passage)
  and the TriviaQA files (their blobs are not in the snapshot) are not read.
Duplicates (normalised text + task) dropped; a row whose normalised text (NFKC, lower case, white space collapsed)
equals a row of DATA_DIR/*.jsonl (other than this round's files) or of test/fixtures/prompts/*.jsonl is dropped.
No cap, no sampling. Writes DATA_DIR/blind22-{injections,benign}.jsonl atomically; prints counts only.
"""
import json, os, re, sys, unicodedata
from seen_texts import Dedup, seen_texts, write_jsonl

if len(sys.argv) != 3:
    sys.exit("usage: blind22.py IFRE_DIR DATA_DIR")
src, out = sys.argv[1:]

# family -> (file stem under inputs/, group); each file holds 1,000 records (the random-position one 500).
INJECTED = {
    "ifre-nq-end": ("injected-relevant-end-direct-NaturalQuestions-dev-1000", "nq"),
    "ifre-nq-start": ("injected-relevant-start-direct-NaturalQuestions-dev-1000", "nq"),
    "ifre-nq-middle": ("injected-relevant-middle-direct-NaturalQuestions-dev-1000", "nq"),
    "ifre-nq-random": ("injected-relevant-random-direct-NaturalQuestions-dev-1000", "nq"),
    "ifre-nq-ignore-previous": ("injected-relevant-end-ignore_previous-NaturalQuestions-dev-1000", "nq"),
    "ifre-nq-ignore-next": ("injected-relevant-end-ignore_next-NaturalQuestions-dev-1000", "nq"),
    "ifre-nq-order": ("injected-relevant-end-order_prefix-NaturalQuestions-dev-1000", "nq"),
    "ifre-nq-irrelevant": ("injected-irrelevant-end-direct-NaturalQuestions-dev-1000", "nq"),
    "ifre-hotpotqa-end": ("injected-relevant-end-direct-HotpotQA-dev-1000", "hotpotqa"),
    "ifre-squad-end": ("injected-relevant-end-direct-SQuAD-dev-1000", "squad"),
}
CLEAN = {"nq": "original-NaturalQuestions-dev-1000", "hotpotqa": "original-HotpotQA-dev-1000", "squad": "original-SQuAD-dev-1000"}


def fail(where, why):
    sys.exit(f"{where}: {why}")


def key(t):
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", t).lower()).strip()


def valid(r, fields):
    return isinstance(r, dict) and all(isinstance(r.get(k), str) and r[k] for k in fields)


def records(stem, fields):
    """The file's list of records, each with the non-empty string fields named, or a one-line error."""
    path = os.path.join(src, "inputs", stem + ".json")
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, ValueError) as e:
        fail(path, f"cannot read as JSON ({e})")
    bad = next((n for n, r in enumerate(data) if not valid(r, fields)), None) if isinstance(data, list) else "all"
    if bad is not None:
        fail(f"{path}[{bad}]", f"expected a list of records with the non-empty strings {', '.join(fields)}")
    return data


seen = seen_texts(out, lambda name: name.startswith("blind22-"), key)
files = {"injections": [], "benign": []}
dedup = Dedup(seen, key)


def add(stem, text, label, source, task, group):
    if dedup.fresh(text, task):
        files[stem].append({"text": text, "label": label, "source": source, "role": "data", "task": task, "group": group})


for source, (stem, group) in INJECTED.items():
    for r in records(stem, ("question", "injected_context", "injection")):
        add("injections", r["injected_context"], 1, source, r["question"], group)
for group, stem in CLEAN.items():
    for r in records(stem, ("question", "context")):
        add("benign", r["context"], 0, "ifre-clean", r["question"], group)

os.makedirs(out, exist_ok=True)
for stem, rows in files.items():
    write_jsonl(os.path.join(out, f"blind22-{stem}.jsonl"), rows)
    by = {}
    for r in rows:
        by[r["source"] + "/" + r["group"]] = by.get(r["source"] + "/" + r["group"], 0) + 1
    print(stem, "rows", len(rows), "distinct texts", len({key(r["text"]) for r in rows}), "by source/group", sorted(by.items()))
print("dropped as seen:", dedup.dropped)
