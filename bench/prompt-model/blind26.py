#!/usr/bin/env python3
"""Builds blind round 26 (bench/prompt-model/BLIND.md, "Round 26"): attacks on an autonomous agent (web, browser,
file, e-mail and code agents) and the agent requests meant to look like them, from proventra/proventra-core's
benchmark data (`benchmark/data/test_data.py`, MIT licence, 2025).

usage: blind26.py CHECKOUT DATA_DIR

CHECKOUT  a checkout of that repository (commit in BLIND.md). Read: `benchmark/data/test_data.py` as text; its two
          list literals PROMPT_INJECTION_ATTACKS and LEGITIMATE_REQUESTS are parsed with ast.literal_eval, so nothing
          of the file is imported or run. Each item holds text, is_attack, category and difficulty.

Rows, all role "user" (the text is what the agent is handed), no task:
  label 1: every item of PROMPT_INJECTION_ATTACKS (is_attack must be true); source `pv-<category>` (one family per
    category), group = difficulty;
  label 0: every item of LEGITIMATE_REQUESTS (is_attack must be false); source `pv-legit-<category>`, group = difficulty.
A text equal to a seen row (seen_texts.py: every row of DATA_DIR/*.jsonl but this round's, and of
test/fixtures/prompts/*.jsonl, compared NFKC, lower case, white space collapsed) is left out, and so is a repeat within
a file. Nothing is capped or sampled. Output, written atomically: DATA_DIR/blind26-{injections,benign}.jsonl; only
counts are printed.
"""
import ast, os, sys
from seen_texts import Dedup, fail, normalised as key, seen_texts, write_jsonl

if len(sys.argv) != 3:
    sys.exit("usage: blind26.py CHECKOUT DATA_DIR")
src, out = sys.argv[1:]
path = os.path.join(src, "benchmark", "data", "test_data.py")
try:
    with open(path, encoding="utf-8") as f:
        tree = ast.parse(f.read(), path)
except (OSError, UnicodeDecodeError, SyntaxError) as e:
    fail(path, f"cannot read as Python source ({e})")

# Only plain list literals are taken; TEST_DATA (their concatenation) is skipped by the isinstance check.
lists = {}
for node in tree.body:
    if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.value, ast.List):
        try:
            lists[getattr(node.targets[0], "id", "")] = ast.literal_eval(node.value)
        except ValueError as e:
            fail(f"{path}:{node.lineno}", f"not a literal list ({e})")
wanted = {"PROMPT_INJECTION_ATTACKS": ("injections", True), "LEGITIMATE_REQUESTS": ("benign", False)}
if not set(wanted) <= set(lists):
    fail(path, "needs the list literals PROMPT_INJECTION_ATTACKS and LEGITIMATE_REQUESTS")

seen = seen_texts(out, lambda name: name.startswith("blind26-"), key)
for name, (stem, attack) in wanted.items():
    dedup, rows = Dedup(seen, key), []
    for n, item in enumerate(lists[name]):
        if not isinstance(item, dict) or item.get("is_attack") is not attack or not isinstance(item.get("text"), str):
            fail(f"{path}: {name}[{n}]", f"needs a text and is_attack {attack}")
        family = str(item.get("category", "")).strip() or "none"
        if dedup.fresh(item["text"], None):
            rows.append(
                {"text": item["text"], "label": int(attack), "source": f"pv-{'' if attack else 'legit-'}{family}",
                 "role": "user", "group": str(item.get("difficulty", "")).strip() or "none"}
            )
    write_jsonl(os.path.join(out, f"blind26-{stem}.jsonl"), rows)
    pos = sum(r["label"] for r in rows)
    print(f"blind26-{stem}.jsonl: {pos} injections, {len(rows) - pos} benign (dropped as seen: {dedup.dropped})")
