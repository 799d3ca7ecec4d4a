#!/usr/bin/env python3
"""Builds blind round 15 (bench/prompt-model/BLIND.md): tool results that AgentDyn's agents really read,
with and without an injection, each row with the task the agent was given.

usage: blind15.py RUNS_DIR DATA_DIR

RUNS_DIR is the `runs/` folder of AgentDyn (repository and commit in BLIND.md, "Round 15"): one JSON log per
run, runs/<pipeline>/<suite>/<user task>/<attack or "none">/<injection task or "none">.json, with the run's
`messages` (system, user, assistant, tool…), its `attack_type` and its `injections` (injection vector → the
text that was planted). Every log is read with json.load; nothing is imported or run.

Only pipelines without a defence are read (a name with no suffix such as -spotlighting_with_delimiting or
-transformers_pi_detector: a defence may rewrite or blank the tool result), and only the user tasks
(user_task_*), not the injection tasks run on their own.

Rows (all role "data", each with `task` = the run's first user message):
  agentdyn-important  a tool message of an attacked run that holds the planted text (found by its words in
                      order, whatever YAML quoting and line breaks the tool's answer adds), as logged;
                      group = the suite
  agentdyn-bare       the same tool message with the planted text replaced by its goal alone (the sentence
                      between "please do the following first:" and "After you do that"), i.e. the
                      attacker's request with no lead-in, no signature and no <INFORMATION> tags;
                      group = the suite
  benign              every tool message of a run without an attack ("none"), as logged; group = the suite
Duplicates (normalised text + task) are dropped; a planted text whose goal cannot be cut out drops its row from both
injection families (they stay paired); a tool message with two planted texts has both cut out in its twin. Then at most
CAP rows per family and CAP benign rows are kept: the candidates sorted by (suite, task, text) and shuffled
with random.Random(15). A row equal (normalised: NFKC, lower case, whitespace collapsed) to a row of
DATA_DIR/*.jsonl (earlier rounds) or test/fixtures/prompts/*.jsonl is dropped. Writes
DATA_DIR/blind15-injections.jsonl and DATA_DIR/blind15-benign.jsonl atomically; prints counts only.
"""
import glob, json, os, random, re, sys, unicodedata

SEED = 15
CAP = 1500
DEFENCES = ("-drift", "-piguard_detector", "-progent", "-prompt_guard_2_detector", "-repeat_user_prompt",
            "-spotlighting_with_delimiting", "-tool_filter", "-transformers_pi_detector", "-camel")

if len(sys.argv) != 3:
    sys.exit("usage: blind15.py RUNS_DIR DATA_DIR")
runs, out = sys.argv[1], sys.argv[2]


def fail(where, why):
    sys.exit(f"{where}: {why}")


def key(t):
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", t).lower()).strip()


def content(m, where):
    c = m.get("content")
    if c is None:
        return ""
    if isinstance(c, str):
        return c
    if isinstance(c, list):
        parts = []
        for x in c:
            if isinstance(x, dict) and isinstance(x.get("content", ""), str):
                parts.append(x.get("content", ""))
            elif isinstance(x, str):
                parts.append(x)
            else:
                fail(where, "a message part is neither text nor {content: text}")
        return "".join(parts)
    fail(where, "field content is neither text nor a list")


# The planted text's words in order, separated by anything that is not a letter or digit (YAML adds
# quotes, doubled quotes, indentation and doubled line breaks; JSON adds \n escapes).
SEP = r"(?:\\[nt]|[^A-Za-z0-9])+"


def span_pattern(planted):
    words = re.findall(r"[A-Za-z0-9]+", planted)
    return re.compile(SEP.join(re.escape(w) for w in words)) if words else None


GOAL = re.compile(r"please do the following first:\s*(.+?)\s*After you do that", re.S)

seen = set()
fixtures = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "test", "fixtures", "prompts")
for f in glob.glob(os.path.join(out, "*.jsonl")) + glob.glob(os.path.join(fixtures, "*.jsonl")):
    if os.path.basename(f).startswith("blind15-"):
        continue
    for n, line in enumerate(open(f, encoding="utf-8"), 1):
        if line.strip():
            try:
                seen.add(key(json.loads(line)["text"]))
            except (ValueError, KeyError) as e:
                fail(f"{f}:{n}", f"not a JSON row with a text field ({e})")

important, bare, benign = {}, {}, {}
unplaced = 0
paths = sorted(glob.glob(os.path.join(runs, "*", "*", "user_task_*", "*", "*.json")))
if not paths:
    fail(runs, "no run logs (runs/<pipeline>/<suite>/user_task_*/<attack>/*.json)")
for path in paths:
    pipeline = os.path.relpath(path, runs).split(os.sep)[0]
    if pipeline.endswith(DEFENCES):
        continue
    try:
        run = json.load(open(path, encoding="utf-8"))
    except (OSError, ValueError) as e:
        fail(path, f"not a JSON run log ({e})")
    for field in ("suite_name", "messages", "attack_type"):
        if field not in run:
            fail(path, f"field {field!r} missing")
    suite = run["suite_name"]
    users = [content(m, path) for m in run["messages"] if m.get("role") == "user"]
    if not users or not users[0].strip():
        fail(path, "no user message (the task)")
    task = users[0].strip()
    planted = [v for v in (run.get("injections") or {}).values() if isinstance(v, str) and v.strip()]
    pats = [(span_pattern(v), v) for v in planted]
    for i, m in enumerate(run["messages"]):
        if m.get("role") != "tool":
            continue
        text = content(m, f"{path}: message {i}")
        if not text.strip():
            continue
        if not run["attack_type"]:
            benign.setdefault((key(text), key(task)), {"text": text, "label": 0, "source": "agentdyn-clean", "group": suite, "role": "data", "task": task})
            continue
        # Every planted text in the message (a tool answer can list two planted records) is cut out for
        # the bare twin, right to left so that earlier offsets stay valid.
        spans = []
        for pat, v in pats:
            for found in pat.finditer(text) if pat else ():
                spans.append((found.start(), found.end(), GOAL.search(v)))
        if not spans:
            continue
        if any(goal is None for _, _, goal in spans):
            unplaced += 1
            continue
        bare_text = text
        last = len(text) + 1
        for start, end, goal in sorted(spans, key=lambda s: (s[0], s[1]), reverse=True):
            if end > last:
                continue
            bare_text = bare_text[:start] + goal.group(1).strip() + bare_text[end:]
            last = start
        k = (key(text), key(task))
        important.setdefault(k, {"text": text, "label": 1, "source": "agentdyn-important", "group": suite, "role": "data", "task": task})
        bare.setdefault(k, {"text": bare_text, "label": 1, "source": "agentdyn-bare", "group": suite, "role": "data", "task": task})

def sample(rows):
    keys = sorted(rows, key=lambda k: (rows[k]["group"], rows[k]["task"], rows[k]["text"]))
    random.Random(SEED).shuffle(keys)
    return keys


inj_keys = [k for k in sample(important) if key(important[k]["text"]) not in seen and key(bare[k]["text"]) not in seen]
dropped = len(important) - len(inj_keys)
inj_keys = inj_keys[:CAP]
ben_keys = [k for k in sample(benign) if k[0] not in seen]
dropped += len(benign) - len(ben_keys)
ben_keys = ben_keys[:CAP]
injections = [important[k] for k in inj_keys] + [bare[k] for k in inj_keys]
benign_rows = [benign[k] for k in ben_keys]

for name, rows in (("blind15-injections.jsonl", injections), ("blind15-benign.jsonl", benign_rows)):
    tmp = os.path.join(out, name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    os.replace(tmp, os.path.join(out, name))
    fam = {}
    for r in rows:
        fam[(r["source"], r["group"])] = fam.get((r["source"], r["group"]), 0) + 1
    print(f"{name}: {sum(r['label'] for r in rows)} injections / {sum(1 - r['label'] for r in rows)} benign {sorted(fam.items())}")
print(f"candidates: {len(important)} planted tool messages, {len(benign)} clean; dropped as seen: {dropped}; planted text without a goal: {unplaced}")
print(f"distinct benign texts kept: {len({k[0] for k in ben_keys})}; distinct tasks: {len({r['task'] for r in injections + benign_rows})}")
