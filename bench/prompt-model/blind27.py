#!/usr/bin/env python3
"""Builds blind round 27 (bench/prompt-model/BLIND.md, "Round 27"): injections written into the text an LLM
application is asked to process (a translator, a summariser, a sentiment classifier) and that application's
legitimate inputs, from israelo19/promptguard (MIT licence, 2026).

usage: blind27.py CHECKOUT DATA_DIR

CHECKOUT  a checkout of that repository (commit in BLIND.md). Read as text and parsed with ast.literal_eval, so
          nothing of it is imported or run:
          `attacks/injection_attacks.py`    the dict literal ATTACK_LIBRARY (category -> list of attack texts);
          `scripts/test_defenses.py`        the list literal LEGITIMATE_INPUTS (dicts; the text is `payload`);
          `scripts/test_phase2_defenses.py` the dict literal LEGITIMATE_INPUTS (application -> list of texts).

Rows, all role "user" (the text the application is handed), no task:
  label 1: every attack text; source `pg-<category>` (one family per category), group = the application the
    category names (`summarizer`, `sentiment`; the others were written against the translator: `translator`);
  label 0: every legitimate input; source `pg-legit-<application>` (the phase-1 list is the translator's), group =
    that application.
A text equal to a seen row (seen_texts.py: every row of DATA_DIR/*.jsonl but this round's, and of
test/fixtures/prompts/*.jsonl, compared NFKC, lower case, white space collapsed) is left out, and so is a repeat within
a file, and an empty text. Nothing is capped or sampled. Output, written atomically: DATA_DIR/blind27-{injections,benign}.jsonl; only
counts are printed.
"""
import ast, os, sys
from seen_texts import Dedup, fail, normalised as key, seen_texts, write_jsonl

if len(sys.argv) != 3:
    sys.exit("usage: blind27.py CHECKOUT DATA_DIR")
src, out = sys.argv[1:]


def literal(rel, name):
    """The literal assigned to `name` at the top level of the file `rel`, or a one-line error."""
    path = os.path.join(src, rel)
    try:
        with open(path, encoding="utf-8") as f:
            tree = ast.parse(f.read(), path)
    except (OSError, UnicodeDecodeError, SyntaxError) as e:
        fail(path, f"cannot read as Python source ({e})")
    for node in tree.body:
        if isinstance(node, ast.Assign) and [getattr(t, "id", "") for t in node.targets] == [name]:
            try:
                return ast.literal_eval(node.value)
            except ValueError as e:
                fail(f"{path}:{node.lineno}", f"{name} is not a literal ({e})")
    fail(path, f"no top-level literal {name}")


def application(category):
    """The application a category was written against: its name says so, or it is the translator's."""
    for app in ("summarizer", "sentiment"):
        if category.startswith(app):
            return app
    return "translator"


attacks = literal("attacks/injection_attacks.py", "ATTACK_LIBRARY")
phase1 = literal("scripts/test_defenses.py", "LEGITIMATE_INPUTS")
phase2 = literal("scripts/test_phase2_defenses.py", "LEGITIMATE_INPUTS")
if not isinstance(attacks, dict) or not isinstance(phase1, list) or not isinstance(phase2, dict):
    fail(src, "expected ATTACK_LIBRARY a dict, LEGITIMATE_INPUTS a list (phase 1) and a dict (phase 2)")

injections = [(t, f"pg-{c}", application(c)) for c, texts in attacks.items() for t in texts]
benign = [(item.get("payload") if isinstance(item, dict) else None, "pg-legit-translator", "translator") for item in phase1]
benign += [(t, f"pg-legit-{app}", app) for app, texts in phase2.items() for t in texts]

seen = seen_texts(out, lambda name: name.startswith("blind27-"), key)
for stem, label, items in (("injections", 1, injections), ("benign", 0, benign)):
    dedup, rows, empty = Dedup(seen, key), [], 0
    for n, (text, source, group) in enumerate(items):
        if not isinstance(text, str):
            fail(f"{src}: {stem}[{n}]", "needs a text")
        if not text.strip():  # the library holds an empty attack (a probe of empty input): nothing to scan
            empty += 1
        elif dedup.fresh(text, None):
            rows.append({"text": text, "label": label, "source": source, "role": "user", "group": group})
    write_jsonl(os.path.join(out, f"blind27-{stem}.jsonl"), rows)
    pos = sum(r["label"] for r in rows)
    print(f"blind27-{stem}.jsonl: {pos} injections, {len(rows) - pos} benign (dropped as seen: {dedup.dropped}, empty: {empty})")
