#!/usr/bin/env python3
"""Builds blind round 31 (bench/prompt-model/BLIND.md, "Round 31"): the detector test fixtures of a prompt-injection
firewall library — per attack family ten attacks and five benign look-alikes of the same family, plus benign edge
cases, multilingual and everyday prompts — from mthamil107/prompt-shield (Apache-2.0 licence, 2026).

usage: blind31.py CHECKOUT DATA_DIR

CHECKOUT  a checkout of that repository (commit in BLIND.md), or of its `tests/fixtures` folder. Only the JSON files
          under `tests/fixtures/injections/` and `tests/fixtures/benign/` are read; nothing is imported or run (the
          folder's Python file is left out). Two shapes:
          {"detector_id", "test_cases": [{"input", "expected_detected", ...}]}  (the label is `expected_detected`)
          {"description", "positives": [{"text", ...}], "negatives": [{"text", ...}]}

Rows, no task; role "data" for the RAG-poisoning family (texts retrieved into the model's context), else "user":
  `blind31-injections.jsonl`: the attacks of the families that turn the model against its instructions, data or
      tools (HEADLINE below); source `ps-<family>`, family = the file's name;
  `blind31-side-content.jsonl`: the attacks whose aim is harmful content under a framing (academic pretext,
      hypothetical framing, dual persona) — jailbreaks, not injections; the same sources;
  `blind31-side-web.jsonl`: markup and URL payloads (HTML/Markdown injection, malicious URLs) aimed at a renderer or
      a fetcher more than at the model's instructions;
  `blind31-benign.jsonl`: every benign row of every file; source `ps-legit-<file name>`;
  group = the file's name.
A text equal to a seen row (seen_texts.py: every row of DATA_DIR/*.jsonl but this round's, and of
test/fixtures/prompts/*.jsonl, compared NFKC, lower case, white space collapsed) is left out, and so is a repeat within
a file. Nothing is capped or sampled. Output, written atomically: DATA_DIR/blind31-*.jsonl; only counts are printed.
"""
import glob, json, os, sys
from seen_texts import Dedup, fail, normalised as key, seen_texts, write_round

if len(sys.argv) != 3:
    sys.exit("usage: blind31.py CHECKOUT DATA_DIR")
src, out = sys.argv[1:]
root = os.path.join(src, "tests", "fixtures")
HEADLINE = {
    "base64_payload", "context_manipulation", "data_exfiltration", "instruction_override", "multi_turn_escalation",
    "prompt_leaking", "rag_poisoning", "role_hijack", "rot13_substitution", "sequence_alignment",
    "stylometric_discontinuity", "system_prompt_extraction", "task_deflection", "token_smuggling",
    "tool_function_abuse", "unicode_homoglyph", "whitespace_injection",
}
SIDES = {
    "content": {"academic_pretext", "hypothetical_framing", "dual_persona"},
    "web": {"markdown_html_injection", "url_injection"},
}
DATA_ROLE = {"rag_poisoning"}


def text_of(item, name, where):
    """A non-empty text field of one case, or a one-line error naming file, case and field."""
    value = item.get(name) if isinstance(item, dict) else None
    if not isinstance(value, str) or not value.strip():
        fail(where, f"field {name}: needs a text")
    return value


def cases(path):
    """(text, label) for every case of one fixture file, in file order."""
    try:
        with open(path, encoding="utf-8") as f:
            obj = json.load(f)
    except (OSError, UnicodeDecodeError, ValueError) as e:
        fail(path, f"cannot read as JSON ({e})")
    if not isinstance(obj, dict):
        fail(path, "not a JSON object")
    found = []
    if "test_cases" in obj:
        if not isinstance(obj["test_cases"], list):
            fail(path, "field test_cases: needs a list")
        for i, item in enumerate(obj["test_cases"]):
            where = f"{path}: test_cases[{i}]"
            label = item.get("expected_detected") if isinstance(item, dict) else None
            if not isinstance(label, bool):
                fail(where, "field expected_detected: needs true or false")
            found.append((text_of(item, "input", where), int(label)))
    elif "positives" in obj or "negatives" in obj:
        for part, label in (("positives", 1), ("negatives", 0)):
            items = obj.get(part, [])
            if not isinstance(items, list):
                fail(path, f"field {part}: needs a list")
            for i, item in enumerate(items):
                found.append((text_of(item, "text", f"{path}: {part}[{i}]"), label))
    else:
        fail(path, "field test_cases (or positives / negatives): missing")
    return found


families = {}
for kind in ("injections", "benign"):
    paths = sorted(glob.glob(os.path.join(root, kind, "*.json")))
    if not paths:
        fail(os.path.join(root, kind), "no JSON fixture files")
    for path in paths:
        name = os.path.splitext(os.path.basename(path))[0]
        if kind == "injections" and name not in HEADLINE and not any(name in s for s in SIDES.values()):
            fail(path, "a family this builder does not place (headline or side); BLIND.md lists them")
        families[(kind, name)] = cases(path)

seen = seen_texts(out, lambda name: name.startswith("blind31-"), key)
outputs = {"injections": [], "benign": [], "side-content": [], "side-web": []}
dedups = {part: Dedup(seen, key) for part in outputs}
for (kind, name), found in families.items():
    role = "data" if name in DATA_ROLE else "user"
    for text, label in found:
        if not label:
            part, source = "benign", f"ps-legit-{name}"
        elif kind == "benign":
            fail(os.path.join(root, kind, name + ".json"), "an attack in the benign folder")
        else:
            part = "injections" if name in HEADLINE else next(f"side-{s}" for s, names in SIDES.items() if name in names)
            source = f"ps-{name}"
        if dedups[part].fresh(text, None):
            outputs[part].append({"text": text, "label": label, "source": source, "role": role, "group": name})

write_round(out, "blind31", outputs, dedups)
