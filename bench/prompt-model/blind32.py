#!/usr/bin/env python3
"""Builds blind round 32 (bench/prompt-model/BLIND.md, "Round 32"): the red-team scenario sets of a prompt-injection
firewall — hand-written attacks in English, Polish and mixed languages (instruction override, data exfiltration,
multi-turn slow burn written as one text, obfuscation, semantic evasion, tool and agent abuse, context inconsistency)
with benign business, code and security-research texts of the same channels (chat, e-mail, documents) — and its
coverage sets (attacks and benign look-alikes imported from public corpora), from Vigil-Guard/vigil-redteam (MIT
licence, 2026).

usage: blind32.py CHECKOUT DATA_DIR

CHECKOUT  a checkout of that repository (commit in BLIND.md), or of its `datasets` folder. Only the JSON Lines files
          under `datasets/golden/`, `datasets/experimental/*/` and `datasets/coverage/` are read, one object a line with
          `user_input` (the text), `expected_verdict` (`block` = attack, `allow` = benign: the label), `category`
          (the family), `channel` (chat, email, document, rag, browser, agent_tool) and `tier`. Nothing is imported
          or run.

Rows, no task; role "user" for the chat channel, "data" for every other channel (a text that arrives as an e-mail,
document, retrieved chunk, web page or tool exchange), the same for attacks and benign rows:
  `blind32-injections.jsonl`: the attacks of the golden tier; source `vg-<category>`, group = the file's name;
  `blind32-benign.jsonl`: the benign rows of the golden tier and of `experimental/`; source `vg-legit-<file name>`;
  `blind32-side-coverage-injections.jsonl`, `blind32-side-coverage-benign.jsonl`: the coverage tier (rows imported
      by the publisher from other public corpora); source `vgc-<file name>-<category>`.
A text equal to a seen row (seen_texts.py: every row of DATA_DIR/*.jsonl but this round's, and of
test/fixtures/prompts/*.jsonl, compared NFKC, lower case, white space collapsed) is left out, and so is a repeat within
an output file. Nothing is capped or sampled. Output, written atomically: DATA_DIR/blind32-*.jsonl; only counts are
printed.
"""
import glob, os, sys
from seen_texts import Dedup, fail, jsonl_objects, normalised as key, seen_texts, write_round

if len(sys.argv) != 3:
    sys.exit("usage: blind32.py CHECKOUT DATA_DIR")
src, out = sys.argv[1:]
root = os.path.join(src, "datasets") if os.path.isdir(os.path.join(src, "datasets")) else src
LABELS = {"block": 1, "allow": 0}
CHANNELS = {"chat", "email", "document", "rag", "browser", "agent_tool"}


def rows_of(path):
    """(text, label, category, channel) for every line of one scenario file, or a one-line error naming file, line
    and field."""
    found = []
    for where, obj in jsonl_objects(path):
        text = obj.get("user_input")
        if not isinstance(text, str) or not text.strip():
            fail(where, "field user_input: needs a text")
        if obj.get("expected_verdict") not in LABELS:
            fail(where, "field expected_verdict: needs block or allow")
        category = obj.get("category")
        if not isinstance(category, str) or not category.strip():
            fail(where, "field category: needs a name")
        if obj.get("channel") not in CHANNELS:
            fail(where, "field channel: needs one of " + ", ".join(sorted(CHANNELS)))
        found.append((text, LABELS[obj["expected_verdict"]], category, obj["channel"]))
    return found


tiers = {
    "golden": sorted(glob.glob(os.path.join(root, "golden", "*.jsonl")))
    + sorted(glob.glob(os.path.join(root, "experimental", "*", "*.jsonl"))),
    "coverage": sorted(glob.glob(os.path.join(root, "coverage", "*.jsonl"))),
}
for tier, paths in tiers.items():
    if not paths:
        fail(os.path.join(root, tier), "no JSON Lines scenario files")

seen = seen_texts(out, lambda name: name.startswith("blind32-"), key)
outputs = {"injections": [], "benign": [], "side-coverage-injections": [], "side-coverage-benign": []}
dedups = {part: Dedup(seen, key) for part in outputs}
for tier, paths in tiers.items():
    for path in paths:
        name = os.path.splitext(os.path.basename(path))[0]
        for text, label, category, channel in rows_of(path):
            if tier == "golden":
                part = "injections" if label else "benign"
                source = f"vg-{category}" if label else f"vg-legit-{name}"
            else:
                part = "side-coverage-" + ("injections" if label else "benign")
                source = f"vgc-{name}-{category}"
            role = "user" if channel == "chat" else "data"
            if dedups[part].fresh(text, None):
                outputs[part].append({"text": text, "label": label, "source": source, "role": role, "group": name})

write_round(out, "blind32", outputs, dedups)
