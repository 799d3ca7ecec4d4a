#!/usr/bin/env python3
"""Builds blind round 34 (bench/prompt-model/BLIND.md, "Round 34"): the red-team and false-positive prompt sets of a
prompt-injection guard for chatbots and e-mail agents — attacks (plain overrides, role escalation, context stuffing,
encodings, tool triggers, attacks wrapped in a harmless request, multi-step traps, obvious / stealthy pairs) beside
benign look-alikes (the publisher's false-positive traps, everyday chatbot prompts, questions about AI, and e-mails,
technical and security ones among them) — from roli-lpci/little-canary (Apache-2.0 licence, 2026).

usage: blind34.py CHECKOUT DATA_DIR

CHECKOUT  a checkout of that repository (commit in BLIND.md), or of its `benchmarks` folder. Only
          `benchmarks/prompts.json` and `benchmarks/prompts_fp_realistic.json` are read (parsed as JSON; nothing of
          the repository is imported or run): each a list of objects with `id`, `category`, `prompt` (the text) and
          `expected_safe` (a boolean).

Rows, no task:
  text = the prompt as published; label = 0 when `expected_safe` is true, 1 when it is false (no other field is read);
  source `lc-<category>` (benign `lc-legit-<category>`), group = the file's name;
  role "data" for the categories whose name starts with `clawdbot_email` (e-mails the publisher's e-mail agent reads),
  "user" for every other row (the publisher scans them as the chatbot user's input).
  `blind34-injections.jsonl` holds the attacks, `blind34-benign.jsonl` the benign rows.
A text equal to a seen row (seen_texts.py: every row of DATA_DIR/*.jsonl but this round's, and of
test/fixtures/prompts/*.jsonl, compared NFKC, lower case, white space collapsed) is left out, and so is a repeat within
an output file. Nothing is capped or sampled. Output, written atomically: DATA_DIR/blind34-*.jsonl; only counts are
printed.
"""
import os, sys
from seen_texts import Dedup, fail, json_list, normalised as key, seen_texts, write_round

FILES = ("prompts.json", "prompts_fp_realistic.json")

if len(sys.argv) != 3:
    sys.exit("usage: blind34.py CHECKOUT DATA_DIR")
src, out = sys.argv[1:]
sub = os.path.join(src, "benchmarks")
root = sub if os.path.isdir(sub) else src


def prompts_of(path):
    """(text, label, category) for every entry of one file, or a one-line error naming file, entry and field."""
    found = []
    for n, p in enumerate(json_list(path, "prompt objects"), 1):
        where = f"{path}: entry {n}"
        if not isinstance(p, dict):
            fail(where, "not an object")
        text, category, safe = p.get("prompt"), p.get("category"), p.get("expected_safe")
        if not isinstance(text, str) or not text.strip():
            fail(where, "field prompt: needs a text")
        if not isinstance(category, str) or not category.strip():
            fail(where, "field category: needs a name")
        if not isinstance(safe, bool):
            fail(where, "field expected_safe: needs true or false")
        found.append((text, 0 if safe else 1, category))
    return found


seen = seen_texts(out, lambda name: name.startswith("blind34-"), key)
outputs = {"injections": [], "benign": []}
dedups = {part: Dedup(seen, key) for part in outputs}
for name in FILES:
    path = os.path.join(root, name)
    if not os.path.isfile(path):
        fail(path, "missing (the checkout needs benchmarks/" + name + ")")
    for text, label, category in prompts_of(path):
        part = "injections" if label else "benign"
        source = f"lc-{category}" if label else f"lc-legit-{category}"
        role = "data" if category.startswith("clawdbot_email") else "user"
        if dedups[part].fresh(text, None):
            outputs[part].append({"text": text, "label": label, "source": source, "role": role, "group": name[:-5]})

write_round(out, "blind34", outputs, dedups)
