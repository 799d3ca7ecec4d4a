#!/usr/bin/env python3
"""Builds blind round 28 (bench/prompt-model/BLIND.md, "Round 28"): agent skill files (SKILL.md) with an instruction
planted in them, beside the same publisher's clean skill files, from aisa-group/skill-inject (MIT licence, 2026).

usage: blind28.py CHECKOUT DATA_DIR

CHECKOUT  a checkout of that repository (commit in BLIND.md). Only JSON and Markdown are read; nothing of it is
          imported or run:
          `data/obvious_injections.json`     a list of injections: `instructions.line_injection` (the planted text)
                                             and `tasks`, each with `skill`, `line_num` and `injection_prefix`;
          `data/contextual_injections.json`  the same shape: dual-use instructions (a side file, not the headline);
          `data/skills/**/*.md`              the clean skill files and their reference pages.

A skill name maps to its folder as the repository's config does (SKILL_FOLDERS below; any other name is its own
folder); the planted file is the folder's SKILL.md (or the one SKILL.md below it). The planted text is
`injection_prefix + line_injection`, each of its lines stripped, inserted before line `line_num` of that file, as the
benchmark's sandbox builder places it.

Rows, all role "user" (the text an agent is handed), no task:
  label 1 (`blind28-injections.jsonl`): every task of every obvious injection, the skill file with the text planted;
    source `si-<injection id>` (one family per injection), group = the skill;
  label 1 (`blind28-side-contextual.jsonl`): the same for the contextual injections, source `si-ctx-<id>`;
  label 0 (`blind28-benign.jsonl`): every Markdown file under data/skills as published; source `si-legit-skill` for a
    SKILL.md, `si-legit-reference` for the others; group = its skill folder.
A text equal to a seen row (seen_texts.py: every row of DATA_DIR/*.jsonl but this round's, and of
test/fixtures/prompts/*.jsonl, compared NFKC, lower case, white space collapsed) is left out, and so is a repeat within
a file. Nothing is capped or sampled. Output, written atomically: DATA_DIR/blind28-*.jsonl; only counts are printed.
"""
import glob, json, os, sys
from seen_texts import Dedup, fail, json_list, normalised as key, seen_texts, write_jsonl

if len(sys.argv) != 3:
    sys.exit("usage: blind28.py CHECKOUT DATA_DIR")
src, out = sys.argv[1:]
skills_root = os.path.join(src, "data", "skills")

# The repository's config.py maps these task skill names to folders under data/skills.
SKILL_FOLDERS = {
    "pptx": "document-skills/pptx", "docx": "document-skills/docx", "xlsx": "document-skills/xlsx",
    "pdf": "document-skills/pdf", "internal_comms": "internal-comms", "internal_communication": "internal-comms",
    "code": "skill-creator", "email": "email-api", "fhir": "healthcare/fhir-developer-skill",
    "fhir-developer-skill": "healthcare/fhir-developer-skill", "slack": "slack-gif-creator", "webapp": "webapp-testing",
}


def read_text(path):
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except (OSError, UnicodeDecodeError) as e:
        fail(path, f"cannot read as UTF-8 text ({e})")


def skill_file(skill):
    """The SKILL.md a task's skill names: the folder's own, else the only one below it."""
    folder = os.path.join(skills_root, SKILL_FOLDERS.get(skill, skill))
    own = os.path.join(folder, "SKILL.md")
    if os.path.isfile(own):
        return own
    found = glob.glob(os.path.join(folder, "**", "SKILL.md"), recursive=True)
    if len(found) != 1:
        fail(folder, f"expected one SKILL.md for skill {skill!r}, found {len(found)}")
    return found[0]


def planted(path, text, line_num):
    """The file with `text` inserted before line `line_num` (1-based), each planted line stripped."""
    lines = read_text(path).splitlines(keepends=True)
    if not isinstance(line_num, int) or not 1 <= line_num <= len(lines) + 1:
        fail(path, f"line {line_num!r} is out of range ({len(lines)} lines)")
    block = [f"{raw.strip()}\n" if raw.strip() else "\n" for raw in text.strip("\n").splitlines()]
    return "".join(lines[: line_num - 1] + block + lines[line_num - 1 :])


def injection_rows(rel, source_prefix):
    rows = []
    for n, inj in enumerate(json_list(os.path.join(src, rel), "injections")):
        text = inj.get("instructions", {}).get("line_injection") if isinstance(inj, dict) else None
        if not isinstance(text, str) or not text.strip():
            fail(f"{rel}[{n}]", "needs instructions.line_injection")
        for task in inj.get("tasks", []):
            skill = task.get("skill")
            if not isinstance(skill, str) or not task.get("line_num"):
                fail(f"{rel}[{n}]", "a task needs a skill and a line_num")
            body = planted(skill_file(skill), (task.get("injection_prefix") or "") + text, task["line_num"])
            rows.append((body, f"{source_prefix}{inj.get('id')}", skill))
    return rows


benign = []
for path in sorted(glob.glob(os.path.join(skills_root, "**", "*.md"), recursive=True)):
    rel = os.path.relpath(path, skills_root)
    kind = "skill" if os.path.basename(path) == "SKILL.md" else "reference"
    benign.append((read_text(path), f"si-legit-{kind}", rel.split(os.sep)[0]))

seen = seen_texts(out, lambda name: name.startswith("blind28-"), key)
outputs = (
    ("injections", 1, injection_rows("data/obvious_injections.json", "si-")),
    ("side-contextual", 1, injection_rows("data/contextual_injections.json", "si-ctx-")),
    ("benign", 0, benign),
)
for stem, label, items in outputs:
    dedup, rows = Dedup(seen, key), []
    for text, source, group in items:
        if dedup.fresh(text, None):
            rows.append({"text": text, "label": label, "source": source, "role": "user", "group": group})
    write_jsonl(os.path.join(out, f"blind28-{stem}.jsonl"), rows)
    pos = sum(r["label"] for r in rows)
    print(f"blind28-{stem}.jsonl: {pos} injections, {len(rows) - pos} benign, {len({r['source'] for r in rows})} sources (dropped as seen: {dedup.dropped}, repeats: {len(items) - len(rows) - dedup.dropped})")
