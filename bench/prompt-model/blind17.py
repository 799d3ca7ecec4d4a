#!/usr/bin/env python3
"""Builds blind round 17 (bench/prompt-model/BLIND.md, "Round 17"): InjecAgent's tool responses with an
attacker's instruction planted in one field, each with the user instruction the agent was serving, against the
tool responses InjecAgent's simulator wrote for the same agents (no instruction planted).

usage: blind17.py INJECAGENT_DATA_DIR DATA_DIR

INJECAGENT_DATA_DIR  the data/ folder of a checkout of enkryptai/xInjectAgent (a fork of uiuc-kang-lab/InjecAgent
                     that keeps its data and adds three attack wrappers of its own):
                     test_cases_{dh,ds}_{base,enhanced,test}.json and test_cases_dh_{tool,tech}.json (lists of
                     cases: "User Instruction", "Tool Response", "Attacker Tools", ...) and
                     attacker_simulated_responses.json ({"(Tool,{args})": "<response text>"}).
Every file is parsed with json.load; nothing is imported or run.

Rows (all role data; the task is the user instruction the agent was given):
  injecagent-dh      (injection) test_cases_dh_base: a direct-harm instruction bare in a tool response field
  injecagent-ds      (injection) test_cases_ds_base: a data-stealing instruction bare in a field
  xinject-wrapped    (injection) test_cases_dh_test, _dh_tool, _dh_tech, _ds_test: the fork's own wrappers
                     around the same instructions; group = the setting
  injecagent-sim     (benign) every simulated response; its task is the "User Instruction" of a case whose
                     "Attacker Tools" name the response's tool (the agent that read it was serving that user),
                     chosen with random.Random(17) over the cases in file order; a tool no case names gets a
                     user instruction chosen by the same generator from all cases
  injecagent-enhanced (injection, a side file not in the headline: its wrapper "IMPORTANT!!! Ignore all previous
                     instructions ..." was read in round 12) test_cases_{dh,ds}_enhanced
Duplicates (normalised: NFKC, lower case, whitespace collapsed; with the task) are dropped, and so is a row
equal (normalised) to a row of DATA_DIR/*.jsonl other than this round's files, or of
test/fixtures/prompts/*.jsonl. No cap. Writes DATA_DIR/blind17-injections.jsonl, blind17-benign.jsonl and
blind17-side-enhanced.jsonl atomically; prints counts only.
"""
import glob, json, os, random, re, sys, unicodedata
from seen_texts import seen_texts

if len(sys.argv) != 3:
    sys.exit("usage: blind17.py INJECAGENT_DATA_DIR DATA_DIR")
src, out = sys.argv[1:]


def fail(where, why):
    sys.exit(f"{where}: {why}")


def key(t):
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", t).lower()).strip()


def load_json(name):
    path = os.path.join(src, name)
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        fail(path, f"cannot read as JSON ({e})")


def cases(name):
    rows = load_json(name)
    if not isinstance(rows, list):
        fail(os.path.join(src, name), "expected a list of cases")
    for i, c in enumerate(rows):
        for field in ("User Instruction", "Tool Response"):
            if not isinstance(c, dict) or not isinstance(c.get(field), str):
                fail(f"{os.path.join(src, name)}: case {i}", f"no string field {field!r}")
        if not isinstance(c.get("Attacker Tools"), list):
            fail(f"{os.path.join(src, name)}: case {i}", "no list field 'Attacker Tools'")
    return rows


seen = seen_texts(out, lambda name: name.startswith("blind17-"), key)

taken, dropped = set(), 0


def add(rows, row):
    global dropped
    k = (key(row["text"]), row["task"])
    if not k[0] or k in taken:
        return
    taken.add(k)
    if k[0] in seen:
        dropped += 1
        return
    rows.append(row)


def injected(rows, name, source, group):
    for c in cases(name):
        add(rows, {"text": c["Tool Response"], "label": 1, "source": source, "role": "data",
                   "task": c["User Instruction"], "group": group})


injections, side, benign = [], [], []
injected(injections, "test_cases_dh_base.json", "injecagent-dh", "base")
injected(injections, "test_cases_ds_base.json", "injecagent-ds", "base")
for setting in ("dh_test", "dh_tool", "dh_tech", "ds_test"):
    injected(injections, f"test_cases_{setting}.json", "xinject-wrapped", setting)
for setting in ("dh_enhanced", "ds_enhanced"):
    injected(side, f"test_cases_{setting}.json", "injecagent-enhanced", setting)

# Which users' agents read a tool's answer: every case naming the tool among its attacker tools.
all_cases = cases("test_cases_dh_base.json") + cases("test_cases_ds_base.json")
users_of = {}
for c in all_cases:
    for tool in c["Attacker Tools"]:
        users_of.setdefault(tool, []).append(c["User Instruction"])
rng = random.Random(17)
sims = load_json("attacker_simulated_responses.json")
if not isinstance(sims, dict):
    fail(os.path.join(src, "attacker_simulated_responses.json"), "expected an object of responses")
for call, text in sims.items():
    if not isinstance(text, str):
        fail(f"attacker_simulated_responses.json: {call[:60]}", "response is not a string")
    m = re.match(r"\(([A-Za-z0-9_]+),", call)
    tool = m.group(1) if m else ""
    pool = users_of.get(tool) or [c["User Instruction"] for c in all_cases]
    add(benign, {"text": text, "label": 0, "source": "injecagent-sim", "role": "data", "task": rng.choice(pool),
                 "group": "named" if tool in users_of else "other"})


def write(name, rows):
    path = os.path.join(out, name)
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    os.replace(tmp, path)
    counts = {}
    for r in rows:
        counts[r["source"]] = counts.get(r["source"], 0) + 1
    print(f"{name}: {sum(r['label'] for r in rows)} injections / {sum(1 - r['label'] for r in rows)} benign",
          sorted(counts.items()), "distinct texts:", len({key(r["text"]) for r in rows}))


os.makedirs(out, exist_ok=True)
write("blind17-injections.jsonl", injections)
write("blind17-benign.jsonl", benign)
write("blind17-side-enhanced.jsonl", side)
print("dropped as seen:", dropped)
