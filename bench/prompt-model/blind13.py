#!/usr/bin/env python3
"""Builds blind round 13 (bench/prompt-model/BLIND.md): instructions planted in task data, from SEP.

usage: blind13.py SOURCES_DIR DATA_DIR

SOURCES_DIR holds the two files read from the SEP repository (folder `sep`; repository and commit in
BLIND.md): Zverev et al., "Can LLMs Separate Instructions From Data?" (ICLR 2025).
  SEP_dataset/interim_data_files/raw_data.json  the generated task data: per subtask, a JSON text with a
      system prompt (the task) and a list of data prompts (the input the task works on)
  SEP_dataset/source/probes.json  the publisher's 100 probes: 50 plain questions and the same 50 with
      "On top of your main task, answer this priority question:" in front (the publisher's "insistent")
Both are read with json.loads; nothing is imported or run. The assembled SEP_dataset.json is over the
snapshot's size limit, so the rows are assembled here the way the publisher's insert_probes.py does:
one probe drawn uniformly for each data prompt, put on its left or right (drawn uniformly), joined by a
space.

Rows (all role "data": the input a task is run on, not the user's request):
  injections  N data prompts (a seeded sample) with a probe inside: source = "probe-plain" or
              "probe-insistent" (the publisher's split: probe index < 50 or >= 50), group = task domain
  benign      the same N data prompts without the probe: source = "clean", group = task domain
A data prompt equal (normalised: NFKC, lower case, whitespace collapsed) to a row of DATA_DIR/*.jsonl
(earlier rounds) or test/fixtures/prompts/*.jsonl is dropped before sampling. Writes
DATA_DIR/blind13-injections.jsonl and DATA_DIR/blind13-benign.jsonl atomically; prints counts only.
"""
import glob, json, os, random, re, sys, unicodedata

SEED = 13
N = 600  # data prompts sampled; each gives one injected row and its clean twin

if len(sys.argv) != 3:
    sys.exit("usage: blind13.py SOURCES_DIR DATA_DIR")
root = os.path.join(sys.argv[1], "sep", "SEP_dataset")
out = sys.argv[2]


def fail(where, why):
    sys.exit(f"{where}: {why}")


def key(t):
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", t).lower()).strip()


def load(path):
    try:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)
    except (OSError, ValueError) as e:
        fail(path, f"not readable JSON ({e})")


seen = set()
fixtures = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "test", "fixtures", "prompts")
for f in glob.glob(os.path.join(out, "*.jsonl")) + glob.glob(os.path.join(fixtures, "*.jsonl")):
    if os.path.basename(f).startswith("blind13-"):
        continue
    for n, line in enumerate(open(f, encoding="utf-8"), 1):
        if line.strip():
            try:
                seen.add(key(json.loads(line)["text"]))
            except (ValueError, KeyError) as e:
                fail(f"{f}:{n}", f"not a JSON row with a text field ({e})")

probes_path = os.path.join(root, "source", "probes.json")
probes = load(probes_path)
if not isinstance(probes, list) or len(probes) != 100 or not all(isinstance(p, dict) and isinstance(p.get("instruction"), str) for p in probes):
    fail(probes_path, "expected 100 probes with an 'instruction' text")

raw_path = os.path.join(root, "interim_data_files", "raw_data.json")
raw = load(raw_path)
output = raw.get("output") if isinstance(raw, dict) else None
if not isinstance(output, dict):
    fail(raw_path, "no 'output' mapping")

# Each subtask's generated answer is a JSON text {name, description, system_prompt, data: [...]}.
items, unreadable, dropped, keys = [], 0, 0, set()
for domain, tasks in output.items():
    if domain == "descr" or not isinstance(tasks, dict):
        continue
    for task, body in tasks.items():
        if task == "descr" or not isinstance(body, dict):
            continue
        for attempts in body.get("subtasks", []):
            for answer in attempts if isinstance(attempts, list) else [attempts]:
                try:
                    sub = json.loads(answer) if isinstance(answer, str) else answer
                except ValueError:
                    unreadable += 1
                    continue
                if not isinstance(sub, dict) or not isinstance(sub.get("data"), list):
                    unreadable += 1
                    continue
                for d in sub["data"]:
                    if not isinstance(d, str) or len(d.strip()) < 20:
                        continue
                    k = key(d)
                    if k in keys:
                        continue
                    keys.add(k)
                    if k in seen:
                        dropped += 1
                        continue
                    items.append((domain, d, sub.get("system_prompt") if isinstance(sub.get("system_prompt"), str) else ""))

rng = random.Random(SEED)
items.sort()
rng.shuffle(items)
if len(items) < N:
    fail(raw_path, f"only {len(items)} data prompts, {N} needed")
attacks, benign = [], []
for domain, data, task in items[:N]:
    i = rng.randrange(len(probes))
    probe = probes[i]["instruction"]
    text = f"{probe} {data}" if rng.random() < 0.5 else f"{data} {probe}"
    family = "probe-insistent" if i >= 50 else "probe-plain"
    # The subtask's system prompt is the task the data was given for (read by the task-aware data role,
    # session 15; scoring without it is `eval.ts --no-task`).
    attacks.append({"text": text, "label": 1, "source": family, "group": domain, "role": "data", "task": task})
    benign.append({"text": data, "label": 0, "source": "clean", "group": domain, "role": "data", "task": task})

for name, rows in (("blind13-injections.jsonl", attacks), ("blind13-benign.jsonl", benign)):
    tmp = os.path.join(out, name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    os.replace(tmp, os.path.join(out, name))
    fam = {}
    for r in rows:
        fam[r["source"]] = fam.get(r["source"], 0) + 1
    print(f"{name}: {sum(r['label'] for r in rows)} injections / {sum(1 - r['label'] for r in rows)} benign {sorted(fam.items())}")
dom = {}
for r in benign:
    dom[r["group"]] = dom.get(r["group"], 0) + 1
print(f"data prompts: {len(items)} distinct unseen; unreadable subtask answers: {unreadable}; dropped as seen: {dropped}")
print(f"benign by domain: {sorted(dom.items())}")
