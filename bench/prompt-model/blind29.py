#!/usr/bin/env python3
"""Builds blind round 29 (bench/prompt-model/BLIND.md, "Round 29"): the labelled evaluation corpus of an AI gateway's
guardrail judges — prompt-injection attacks with benign prompts and completions of the same kind — from
cisco-ai-defense/defenseclaw (Apache-2.0 licence, 2026).

usage: blind29.py CHECKOUT DATA_DIR

CHECKOUT  a checkout of that repository (commit in BLIND.md). Only JSON Lines are read; nothing of it is imported
          or run: `internal/gateway/testdata/security_suite/eval_corpus/{injection,tool_injection,exfil}/corpus.jsonl`,
          one object a line with `id`, `direction`, `content`, `is_attack` (the label) and `expected_categories`
          (the attack's categories, empty for a benign item); tool_injection items also name a `tool_name`.

Rows, all role "user" (the text the gateway scans), no task:
  `blind29-injections.jsonl` / `blind29-benign.jsonl` (the headline): the `injection` judge's items; an attack's
    source is `dc-<its categories joined by +>` (one family per category set), a benign item's `dc-legit-<direction>`;
  `blind29-side-tool-{injections,benign}.jsonl`: the `tool_injection` judge's items (arguments of an agent's tool
    call), the same way with the prefix `dct-`; `blind29-side-exfil-{injections,benign}.jsonl`: the `exfil` judge's
    items (requests to read secret files or send data out), prefix `dce-`. Sides are not in the headline.
  group = the surface-form variant the id names (`base` for an item without `.vNN`, else `vNN`).
A text equal to a seen row (seen_texts.py: every row of DATA_DIR/*.jsonl but this round's, and of
test/fixtures/prompts/*.jsonl, compared NFKC, lower case, white space collapsed) is left out, and so is a repeat within
a file. Nothing is capped or sampled. Output, written atomically: DATA_DIR/blind29-*.jsonl; only counts are printed.
"""
import json, os, sys
from seen_texts import Dedup, fail, normalised as key, seen_texts, write_jsonl

if len(sys.argv) != 3:
    sys.exit("usage: blind29.py CHECKOUT DATA_DIR")
src, out = sys.argv[1:]
corpus_root = os.path.join(src, "internal", "gateway", "testdata", "security_suite", "eval_corpus")


def items(judge):
    """The judge's corpus as (text, is_attack, categories, direction, id), or a one-line error naming file and line."""
    path = os.path.join(corpus_root, judge, "corpus.jsonl")
    found = []
    try:
        with open(path, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    obj = json.loads(line)
                except ValueError as e:
                    fail(f"{path}:{n}", f"not JSON ({e})")
                if not isinstance(obj, dict):
                    fail(f"{path}:{n}", "not a JSON object")
                text, attack, cats = obj.get("content"), obj.get("is_attack"), obj.get("expected_categories") or []
                if not isinstance(text, str) or not text.strip():
                    fail(f"{path}:{n}", "field content: needs a text")
                if not isinstance(attack, bool):
                    fail(f"{path}:{n}", "field is_attack: needs true or false")
                if attack and (not isinstance(cats, list) or not cats or not all(isinstance(c, str) for c in cats)):
                    fail(f"{path}:{n}", "field expected_categories: an attack needs its categories")
                found.append((text, attack, cats, str(obj.get("direction") or "prompt"), str(obj.get("id") or n)))
    except (OSError, UnicodeDecodeError) as e:
        fail(path, f"cannot read as UTF-8 text ({e})")
    return found


def variant(item_id):
    """`vNN` for an id ending `.vNN`, else `base`."""
    tail = item_id.rsplit(".", 1)
    return tail[1] if len(tail) == 2 and tail[1].startswith("v") else "base"


seen = seen_texts(out, lambda name: name.startswith("blind29-"), key)
for judge, prefix, stem in (("injection", "dc", ""), ("tool_injection", "dct", "side-tool-"), ("exfil", "dce", "side-exfil-")):
    corpus = items(judge)
    for part, label in (("injections", 1), ("benign", 0)):
        dedup, rows = Dedup(seen, key), []
        chosen = [c for c in corpus if c[1] == bool(label)]
        for text, _, cats, direction, item_id in chosen:
            source = f"{prefix}-{'+'.join(cats).lower().replace(' ', '_')}" if label else f"{prefix}-legit-{direction}"
            if dedup.fresh(text, None):
                rows.append({"text": text, "label": label, "source": source, "role": "user", "group": variant(item_id)})
        name = f"blind29-{stem}{part}.jsonl"
        write_jsonl(os.path.join(out, name), rows)
        print(f"{name}: {len(rows)} rows, {len({r['source'] for r in rows})} sources (dropped as seen: {dedup.dropped}, repeats: {len(chosen) - len(rows) - dedup.dropped})")
