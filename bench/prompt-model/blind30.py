#!/usr/bin/env python3
"""Builds blind round 30 (bench/prompt-model/BLIND.md, "Round 30"): the labelled prompt-injection evaluation fixture
of an agent-governance toolkit — attacks in plain, encoded, spaced, leet, homoglyph and translated forms, delivered
by the user or inside documents, retrieved chunks, tool results and memory, with benign rows of the same kinds
(security discussion, quoted injection examples, detector fixtures, obfuscated harmless requests) — from
microsoft/agent-governance-toolkit (MIT licence, 2026).

usage: blind30.py CHECKOUT DATA_DIR

CHECKOUT  a checkout of that repository (commit in BLIND.md), or of its `benchmarks/prompt-injection/corpus` folder.
          Only `benchmarks/prompt-injection/corpus/injection-smoke.jsonl` is read, one JSON object a line with
          `text`, `attack_class` (`benign` or the attack's class: the label and the family), `bypass_class` (the
          surface form), `benign_subclass` and `source_type` (where the text arrives: user, document, rag_chunk,
          ticket, tool_result, memory). Nothing of the repository is imported or run.

Rows, no task; role "user" for `source_type` user, else "data" (a text the agent reads, not the user's own):
  `blind30-injections.jsonl`: every row whose attack_class is not `benign`; source `agt-<attack_class>`;
  `blind30-benign.jsonl`: every benign row; source `agt-legit-<benign_subclass>`;
  group = the row's bypass_class.
A text equal to a seen row (seen_texts.py: every row of DATA_DIR/*.jsonl but this round's, and of
test/fixtures/prompts/*.jsonl, compared NFKC, lower case, white space collapsed) is left out, and so is a repeat within
a file. Nothing is capped or sampled. Output, written atomically: DATA_DIR/blind30-*.jsonl; only counts are printed.
"""
import os, sys
from seen_texts import Dedup, fail, jsonl_objects, normalised as key, seen_texts, write_jsonl

if len(sys.argv) != 3:
    sys.exit("usage: blind30.py CHECKOUT DATA_DIR")
src, out = sys.argv[1:]
path = os.path.join(src, "benchmarks", "prompt-injection", "corpus", "injection-smoke.jsonl")
SOURCE_TYPES = {"user", "document", "rag_chunk", "ticket", "tool_result", "memory"}


def field(obj, name, where):
    """A non-empty text field, or a one-line error naming file, line and field."""
    value = obj.get(name)
    if not isinstance(value, str) or not value.strip():
        fail(where, f"field {name}: needs a text")
    return value


corpus = []
for where, obj in jsonl_objects(path):
    text, cls = field(obj, "text", where), field(obj, "attack_class", where)
    form, kind = field(obj, "bypass_class", where), field(obj, "source_type", where)
    sub = field(obj, "benign_subclass", where)
    if kind not in SOURCE_TYPES:
        fail(where, f"field source_type: unknown value {kind!r}")
    corpus.append((text, cls, form, kind, sub))

seen = seen_texts(out, lambda name: name.startswith("blind30-"), key)
for part, label in (("injections", 1), ("benign", 0)):
    dedup, rows = Dedup(seen, key), []
    chosen = [c for c in corpus if (c[1] != "benign") == bool(label)]
    for text, cls, form, kind, sub in chosen:
        source = f"agt-{cls}" if label else f"agt-legit-{sub}"
        role = "user" if kind == "user" else "data"
        if dedup.fresh(text, None):
            rows.append({"text": text, "label": label, "source": source, "role": role, "group": form})
    name = f"blind30-{part}.jsonl"
    write_jsonl(os.path.join(out, name), rows)
    roles = {r: sum(1 for x in rows if x["role"] == r) for r in ("user", "data")}
    print(f"{name}: {len(rows)} rows, {len({r['source'] for r in rows})} sources, roles {roles} (dropped as seen: {dedup.dropped}, repeats: {len(chosen) - len(rows) - dedup.dropped})")
