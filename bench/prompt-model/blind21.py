#!/usr/bin/env python3
"""Builds blind round 21 (bench/prompt-model/BLIND.md, "Round 21"): retrieved contexts of a Chinese news RAG
benchmark, with and without a planted "white denial-of-service" text, each with the user's question, from
IAAR-Shanghai/SafeRAG.

usage: blind21.py SAFERAG_DIR DATA_DIR

SAFERAG_DIR  a checkout of IAAR-Shanghai/SafeRAG (commit in BLIND.md): only nctd_datasets/nctd.json is read, with
             json.load. It maps each attack task (SA, ICC, SN, WDoS) to records: `questions` (the user's question),
             `enhanced_contexts` (the clean retrieved contexts that answer it) and `enhanced_<task>_contexts` (the
             attacker's contexts). The contexts are the publisher's retrieval chunks (its retriever splits the news
             into sentence chunks of at most 128 tokens), so each is one row as published; nothing is re-chunked.

Rows, all role "data", task = the record's question:
  label 1, source `saferag-wdos`, group `wdos`: every context of `enhanced_WDoS_contexts` (the planted warning that
    is to make the reader refuse to answer);
  label 0, source `saferag-clean`, group = the attack task whose record holds it: every context of every task's
    `enhanced_contexts` (benign retrieved contexts);
  side file, label 1, source `saferag-sa`, group `sa`: every context of `enhanced_SA_contexts` (soft ads: a promotion
    posing as an authoritative statement; not an instruction, scored apart, not in the headline).
  ICC (conflicting facts) and SN (silver noise) attack contexts carry no instruction and are not read.
Duplicates (normalised text + task) dropped; a row whose normalised text (NFKC, lower case, white space collapsed)
equals a row of DATA_DIR/*.jsonl (other than this round's files) or of test/fixtures/prompts/*.jsonl is dropped.
No cap. Writes DATA_DIR/blind21-{injections,benign,side}.jsonl atomically; prints counts only.
"""
import json, os, re, sys, unicodedata
from seen_texts import Dedup, seen_texts, write_jsonl

if len(sys.argv) != 3:
    sys.exit("usage: blind21.py SAFERAG_DIR DATA_DIR")
src, out = sys.argv[1:]
TASKS = ("SA", "ICC", "SN", "WDoS")


def fail(where, why):
    sys.exit(f"{where}: {why}")


def key(t):
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", t).lower()).strip()


path = os.path.join(src, "nctd_datasets", "nctd.json")
try:
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
except (OSError, ValueError) as e:
    fail(path, f"cannot read as JSON ({e})")
if not isinstance(data, dict) or any(not isinstance(data.get(t), list) for t in TASKS):
    fail(path, f"expected an object with the lists {', '.join(TASKS)}")

seen = seen_texts(out, lambda name: name.startswith("blind21-"), key)

files = {"injections": [], "benign": [], "side": []}
dedup = Dedup(seen, key)


def add(stem, text, label, source, task, group):
    if dedup.fresh(text, task):
        files[stem].append({"text": text, "label": label, "source": source, "role": "data", "task": task, "group": group})


def contexts(where, record, field):
    value = record.get(field)
    if not isinstance(value, list) or not all(isinstance(c, str) for c in value):
        fail(where, f"{field} must be a list of strings")
    return value


for task in TASKS:
    for n, record in enumerate(data[task]):
        where = f"{path}[{task}][{n}]"
        if not isinstance(record, dict) or not isinstance(record.get("questions"), str) or not record["questions"]:
            fail(where, "no question")
        question = record["questions"]
        for text in contexts(where, record, "enhanced_contexts"):
            add("benign", text, 0, "saferag-clean", question, task.lower())
        if task == "WDoS":
            for text in contexts(where, record, "enhanced_WDoS_contexts"):
                add("injections", text, 1, "saferag-wdos", question, "wdos")
        elif task == "SA":
            for text in contexts(where, record, "enhanced_SA_contexts"):
                add("side", text, 1, "saferag-sa", question, "sa")

os.makedirs(out, exist_ok=True)
for stem, rows in files.items():
    write_jsonl(os.path.join(out, f"blind21-{stem}.jsonl"), rows)
    groups = {}
    for r in rows:
        groups[r["group"]] = groups.get(r["group"], 0) + 1
    print(stem, "rows", len(rows), "distinct texts", len({key(r["text"]) for r in rows}),
          "distinct tasks", len({r["task"] for r in rows}), "by group", sorted(groups.items()))
print("dropped as seen:", dedup.dropped)
