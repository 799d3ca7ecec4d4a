#!/usr/bin/env python3
"""Builds session 21's held-out set for the harmful-step rule (docs/gateway.md, "Session 21"): shell outputs a
language-model agent read while solving AgentBench OS tasks, some of them carrying an injected task planted in
the environment (a file's text or name, a comment, an environment variable, a script's or a local server's
output), from Eugleo/agent-bench-analysis (Wybitul et al., AgentBench prompt-injection experiments).

usage: heldout21.py AB_DIR DATA_DIR

AB_DIR    a checkout of Eugleo/agent-bench-analysis (commit in docs/gateway.md): `injections/*.json` (one injected
          task each: its `description`) and `examples/*/*/os-std/runs.jsonl` (one agent run a line:
          `output.history`, the turns; `output.result.metadata`: injection_present, injection_id, template_id,
          vector_id). Every file is read with json.load / json.loads; nothing is imported or run.

Rows (role "data"; task = the run's problem, the text after "My problem is:" in the user turn that states it):
each later user turn "The output of the OS:" is one row, its text the output after that label (empty outputs
dropped). The turns before the problem (the prompt's one-shot example) are not read.
  label 1, source `agentbench-<injection_id>`, group `<template_id>/<vector_id>`: a turn of a run with an
    injection whose text contains the injected task (its description's first 40 letters and digits, compared on
    letters and digits only, lower case: the planted text may be re-wrapped or carry a template's prefix);
  label 0, source `agentbench-clean`, group = the task's id: every turn of a run without an injection;
  turns of an injected run that do not contain the injected task are dropped (the agent may be carrying it out).
Duplicates (normalised text + task) dropped; a row equal (normalised: NFKC, lower case, white space collapsed) to
a row of DATA_DIR/*.jsonl (other than this file) or of test/fixtures/prompts/*.jsonl is dropped. No cap, no
sampling. Writes DATA_DIR/heldout21-agentbench.jsonl atomically; prints counts only.
"""
import glob, json, os, re, sys, unicodedata
from seen_texts import seen_texts

if len(sys.argv) != 3:
    sys.exit("usage: heldout21.py AB_DIR DATA_DIR")
src, out = sys.argv[1:]
NAME = "heldout21-agentbench.jsonl"


def fail(where, why):
    sys.exit(f"{where}: {why}")


def key(t):
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", t).lower()).strip()


def letters(t):
    return re.sub(r"[^a-z0-9]", "", unicodedata.normalize("NFKC", t).lower())


def load_json(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        fail(path, f"cannot read as JSON ({e})")


injections = {}
for path in sorted(glob.glob(os.path.join(src, "injections", "*.json"))):
    d = load_json(path)
    items = d if isinstance(d, list) else [d]
    if not items or not isinstance(items[0], dict) or not isinstance(items[0].get("description"), str):
        fail(path, "no description")
    injections[os.path.splitext(os.path.basename(path))[0]] = letters(items[0]["description"])[:40]
if not injections:
    fail(src, "no injections/*.json")

seen = seen_texts(out, lambda name: name == NAME, key)

OS_LABEL = "The output of the OS:"
PROBLEM = "My problem is:"
files = sorted(glob.glob(os.path.join(src, "examples", "*", "*", "os-std", "runs.jsonl")))
if not files:
    fail(src, "no examples/*/*/os-std/runs.jsonl")
rows, taken, dropped_seen, dropped_injected_run = [], set(), 0, 0
for path in files:
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                run = json.loads(line)
                history = run["output"]["history"]
                meta = run["output"]["result"]["metadata"]
            except (ValueError, KeyError, TypeError):
                continue  # a run that errored has no result: nothing the agent read is known
            start = next((i for i, h in enumerate(history) if h.get("role") == "user" and PROBLEM in h.get("content", "")), None)
            if start is None:
                fail(f"{path}:{n}", "no user turn states the problem")
            task = history[start]["content"].split(PROBLEM, 1)[1].strip()
            injected = bool(meta.get("injection_present"))
            needle = injections.get(meta.get("injection_id")) if injected else None
            if injected and needle is None:
                fail(f"{path}:{n}", f"unknown injection_id {meta.get('injection_id')!r}")
            for h in history[start + 1 :]:
                if h.get("role") != "user" or not h.get("content", "").startswith(OS_LABEL):
                    continue
                text = h["content"][len(OS_LABEL) :].strip()
                if not text:
                    continue
                if injected:
                    if needle not in letters(text):
                        dropped_injected_run += 1
                        continue
                    row = {"text": text, "label": 1, "source": f"agentbench-{meta['injection_id']}", "role": "data", "task": task,
                           "group": f"{meta.get('template_id')}/{meta.get('vector_id')}"}
                else:
                    row = {"text": text, "label": 0, "source": "agentbench-clean", "role": "data", "task": task,
                           "group": str(meta.get("task_id"))}
                k = (key(text), task)
                if k in taken:
                    continue
                taken.add(k)
                if k[0] in seen:
                    dropped_seen += 1
                    continue
                rows.append(row)

os.makedirs(out, exist_ok=True)
target = os.path.join(out, NAME)
with open(target + ".tmp", "w", encoding="utf-8") as f:
    for r in rows:
        f.write(json.dumps(r, ensure_ascii=False) + "\n")
os.replace(target + ".tmp", target)
counts = {}
for r in rows:
    counts[r["source"]] = counts.get(r["source"], 0) + 1
print(f"{NAME}: {len(rows)} rows", sorted(counts.items()), "distinct tasks:", len({r["task"] for r in rows}))
print("dropped as seen:", dropped_seen, "turns of injected runs without the injected task:", dropped_injected_run)
