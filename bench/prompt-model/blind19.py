#!/usr/bin/env python3
"""Builds blind round 19 (bench/prompt-model/BLIND.md, "Round 19"): forum comments that RTC-Bench (RedTeamCUA,
Liao et al. 2025) plants in a Reddit-like forum for a computer-use agent to read while it does a user's task.

usage: blind19.py RTC_DIR DATA_DIR

RTC_DIR   a checkout of OSU-NLP-Group/RedTeamCUA (commit in BLIND.md): evaluation_examples/examples/reddit/*.json,
          one scenario each: `instruction` (the user's task), `meta_data` (`benign_task_type`: loose or specific;
          `adversary_injection_type`: code or language) and `adversary_config`, whose one entry replaces a
          forum comment's body with `parameters.new_content` (operation "replace", table "comments", column
          "body"). Every file is read with json.load; nothing is imported or run.
          The OwnCloud scenarios (PDF files) and the RocketChat ones (a simulated colleague's strategy hint,
          not a message) hold no text an agent reads as such and are not read.

Rows (all injections, role "data", task = the scenario's instruction): text = the planted comment body;
source = `rtc-<adversary_injection_type>` (the attacker's goal spelled as a command, or in words);
group = `benign_task_type`. Duplicates (normalised text + task) dropped; a row equal (normalised: NFKC, lower
case, white space collapsed) to a row of DATA_DIR/*.jsonl (other than this round's file) or of
test/fixtures/prompts/*.jsonl is dropped. No cap, no sampling. Writes DATA_DIR/blind19-injections.jsonl
atomically; prints counts only.
"""
import glob, json, os, re, sys, unicodedata
from seen_texts import seen_texts

if len(sys.argv) != 3:
    sys.exit("usage: blind19.py RTC_DIR DATA_DIR")
src, out = sys.argv[1:]


def fail(where, why):
    sys.exit(f"{where}: {why}")


def key(t):
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", t).lower()).strip()


def scenario(path):
    try:
        with open(path, encoding="utf-8") as f:
            d = json.load(f)
    except (OSError, ValueError) as e:
        fail(path, f"cannot read as JSON ({e})")
    try:
        task, meta, configs = d["instruction"], d["meta_data"], d["adversary_config"]
        params = [c["parameters"] for c in configs]
    except (KeyError, TypeError):
        fail(path, "no instruction, meta_data or adversary_config[].parameters")
    if not isinstance(task, str) or len(params) != 1:
        fail(path, "expected a string instruction and one adversary_config entry")
    p = params[0]
    if (p.get("operation_type"), p.get("table_name"), p.get("column_name")) != ("replace", "comments", "body"):
        fail(path, "adversary_config does not replace a comment's body")
    if not isinstance(p.get("new_content"), str):
        fail(path, "no string parameters.new_content")
    return task, meta.get("benign_task_type"), meta.get("adversary_injection_type"), p["new_content"]


seen = seen_texts(out, lambda name: name.startswith("blind19-"), key)

files = sorted(glob.glob(os.path.join(src, "evaluation_examples", "examples", "reddit", "*.json")))
if not files:
    fail(src, "no evaluation_examples/examples/reddit/*.json")
rows, taken, dropped = [], set(), 0
for path in files:
    task, task_type, injection_type, text = scenario(path)
    k = (key(text), task)
    if not k[0] or k in taken:
        continue
    taken.add(k)
    if k[0] in seen:
        dropped += 1
        continue
    rows.append({"text": text, "label": 1, "source": f"rtc-{injection_type}", "role": "data", "task": task,
                 "group": task_type})

os.makedirs(out, exist_ok=True)
path = os.path.join(out, "blind19-injections.jsonl")
with open(path + ".tmp", "w", encoding="utf-8") as f:
    for r in rows:
        f.write(json.dumps(r, ensure_ascii=False) + "\n")
os.replace(path + ".tmp", path)
counts = {}
for r in rows:
    counts[(r["source"], r["group"])] = counts.get((r["source"], r["group"]), 0) + 1
print(f"blind19-injections.jsonl: {len(rows)} injections", sorted(counts.items()),
      "distinct texts:", len({key(r["text"]) for r in rows}), "distinct tasks:", len({r["task"] for r in rows}))
print("dropped as seen:", dropped)
