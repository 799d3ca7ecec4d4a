#!/usr/bin/env python3
"""Builds blind round 8 (bench/prompt-model/BLIND.md) from public labelled data written by others.

usage: blind8.py SOURCES_DIR DATA_DIR

SOURCES_DIR holds checkouts (folder named after the repository; commits in BLIND.md):
  TaskTracker      (microsoft, MIT)  task_tracker/dataset_creation/datasets/: saved_injections_test.txt and
                                     saved_injections.txt (injection triggers planted in documents),
                                     translated_secondary_tasks.txt (the injected tasks, in French, German, Arabic,
                                     Italian and Spanish),
                                     jailbreaks_pair_attack.txt (PAIR jailbreaks)
  FuzzyAI          (cyberark, Apache-2.0)  src/fuzzyai/resources/benign_prompts.txt (ordinary user prompts)
  NeMo-Guardrails  (NVIDIA, Apache-2.0)    every prompts.yml / nemoguardrails/llm/prompts/*.yml `content`
                                     (operators' prompt templates, including input-policy checks)

DATA_DIR is prepare.py's output plus blind7.py's: every row there is seen, and a round-8 row equal to one
of them (normalised: NFKC, lower case, whitespace collapsed) is dropped, as is a row equal to one in
test/fixtures/prompts/*.jsonl. Writes DATA_DIR/blind8-*.jsonl. Nothing read here is committed.
"""
import glob, hashlib, json, os, re, sys, unicodedata

import yaml

src, out = sys.argv[1], sys.argv[2]
CAP = 150  # per part: no single family decides the figure


def key(t):
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", t).lower()).strip()


def h(salt, t):
    return hashlib.sha256((salt + t).encode()).hexdigest()


def row(text, label, source):
    return {"text": text.strip()[:8000], "label": label, "source": source, "group": source}


def lines(path):
    return [l.strip() for l in open(path, encoding="utf-8") if l.strip()]


seen = set()
for f in glob.glob(os.path.join(out, "*.jsonl")) + glob.glob(os.path.join(os.path.dirname(__file__), "..", "..", "test", "fixtures", "prompts", "*.jsonl")):
    if os.path.basename(f).startswith("blind8-"):
        continue
    for l in open(f, encoding="utf-8"):
        if l.strip():
            seen.add(key(json.loads(l)["text"]))


def part(rows, cap=CAP):
    """Distinct rows not seen before, then a seeded sample of at most `cap` by sha256("r8" + text)."""
    kept, keys, dropped = [], set(), 0
    for r in rows:
        k = key(r["text"])
        if len(r["text"]) < 8 or k in keys:
            continue
        keys.add(k)
        if k in seen:
            dropped += 1
            continue
        kept.append(r)
    kept.sort(key=lambda r: h("r8", r["text"]))
    return kept[:cap], dropped, len(kept)


tt = os.path.join(src, "TaskTracker", "task_tracker", "dataset_creation", "datasets")
tasks = lines(os.path.join(tt, "translated_secondary_tasks.txt"))


def planted(trigger):
    # TaskTracker's poisoned text is a trigger followed by a secondary task; the task is chosen by a hash
    # of the trigger, so the pairing is fixed before any score.
    return trigger + " " + tasks[int(h("r8-task", trigger), 16) % len(tasks)]


inj_test = [row(planted(t), 1, "tasktracker-test-triggers") for t in lines(os.path.join(tt, "saved_injections_test.txt"))]
inj_train = [row(planted(t), 1, "tasktracker-train-triggers") for t in lines(os.path.join(tt, "saved_injections.txt"))]
pair = [row(t, 1, "tasktracker-pair-jailbreaks") for t in lines(os.path.join(tt, "jailbreaks_pair_attack.txt"))]

fuzzy = [row(t, 0, "fuzzyai-benign-prompts") for t in lines(os.path.join(src, "FuzzyAI", "src", "fuzzyai", "resources", "benign_prompts.txt"))]
questions = [row(t, 0, "tasktracker-multilingual-questions") for t in tasks]
nemo, nemo_root = [], os.path.join(src, "NeMo-Guardrails")
for f in sorted(glob.glob(os.path.join(nemo_root, "**", "prompts.yml"), recursive=True)) + sorted(glob.glob(os.path.join(nemo_root, "nemoguardrails", "llm", "prompts", "*.yml"))):
    try:
        doc = yaml.safe_load(open(f, encoding="utf-8")) or {}
    except yaml.YAMLError:
        continue
    for p in doc.get("prompts") or []:
        if isinstance(p, dict) and isinstance(p.get("content"), str):
            nemo.append(row(p["content"], 0, "nemo-guardrails-prompt-templates"))

parts = {
    "blind8-injections.jsonl": [inj_test, inj_train, pair],
    "blind8-benign.jsonl": [fuzzy, questions, nemo],
}
for name, groups in parts.items():
    rows = []
    for g in groups:
        kept, dropped, distinct = part(g)
        print(f"  {g[0]['source'] if g else '?'}: {len(kept)} kept of {distinct} distinct unseen ({dropped} dropped as seen)")
        rows += kept
    with open(os.path.join(out, name), "w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    pos = sum(r["label"] for r in rows)
    print(f"{name}: {pos} injections / {len(rows) - pos} benign")
