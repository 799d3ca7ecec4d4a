#!/usr/bin/env python3
"""Builds the session-16 benign data-role check set from seen public sources (docs/gateway.md, "A larger
benign data-role set"): real documents and tool answers that an agent reads for a task, many of them
written for people and full of imperative sentences, each row with a task.

usage: seen_benign16.py BIPIA_DIR AGENTDOJO_DIR DATA_DIR

BIPIA_DIR      a checkout of microsoft/BIPIA (seen: rounds 3 and 9): benchmark/{email,table,code}/{train,test}.jsonl
               — e-mails, tables and Stack Overflow answers, each with the question asked about it (the task;
               a code row's task is "Fix the error in this code: <last error line>").
AGENTDOJO_DIR  a checkout of sequrity-ai/agentdojo (seen: round 12): src/agentdojo/data/suites/*/environment.yaml
               (and include/*.yaml) — e-mails, calendar events, files, web pages, channel messages, hotel and
               restaurant reviews, transactions — with every injection placeholder set to its default
               (injection_vectors.yaml), each record dumped as YAML as the suite's tools return it, with a
               user task of its suite (default_suites/v1/<suite>/user_tasks.py, the PROMPT strings, read as
               text) drawn with random.Random(16).
Every file is parsed as JSON or YAML (yaml.safe_load) or read as text; nothing is imported or run.
Rows (role "data", label 0): source bipia-email / bipia-table / bipia-code / agentdojo-<suite>. Duplicates
(normalised text + task) dropped. Writes DATA_DIR/seen16-benign.jsonl atomically; prints counts only.
"""
import json, os, random, re, sys, unicodedata

import yaml

if len(sys.argv) != 4:
    sys.exit("usage: seen_benign16.py BIPIA_DIR AGENTDOJO_DIR DATA_DIR")
bipia, dojo, out = sys.argv[1:]
rng = random.Random(16)


def fail(where, why):
    sys.exit(f"{where}: {why}")


def key(t):
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", t).lower()).strip()


rows = {}


def add(text, task, source):
    if text.strip() and task.strip():
        rows.setdefault((key(text), key(task)), {"text": text, "label": 0, "source": source, "role": "data", "task": task})


LIST_ITEM = re.compile(r"'((?:[^'\\]|\\.)*)'|\"((?:[^\"\\]|\\.)*)\"")


def as_text(v):
    # BIPIA keeps code rows as Python list literals of lines: their items are cut out with a regex, never
    # evaluated.
    if isinstance(v, list):
        return "\n".join(str(x) for x in v)
    v = str(v)
    if v.startswith("['") or v.startswith('["'):
        return "\n".join((a or b).replace("\\'", "'").replace('\\"', '"') for a, b in LIST_ITEM.findall(v))
    return v


for kind in ("email", "table", "code"):
    for split in ("train", "test"):
        path = os.path.join(bipia, "benchmark", kind, f"{split}.jsonl")
        try:
            lines = open(path, encoding="utf-8").read().splitlines()
        except OSError as e:
            fail(path, f"cannot read ({e})")
        for n, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                r = json.loads(line)
            except ValueError as e:
                fail(f"{path}:{n}", f"not JSON ({e})")
            if "context" not in r:
                fail(f"{path}:{n}", "field 'context' missing")
            if kind == "code":
                err = as_text(r.get("error", "")).strip().splitlines()
                task = f"Fix the error in this code: {err[-1].strip() if err else 'it fails'}"
            else:
                task = re.sub(r"^Q:\s*", "", str(r.get("question", "")).strip())
            add(as_text(r["context"]), task, f"bipia-{kind}")

PROMPT = re.compile(r"PROMPT\s*=\s*(?:\(\s*)?((?:(?:f?\"\"\"[\s\S]*?\"\"\"|f?\"(?:[^\"\\\n]|\\[\s\S])*\"|f?'(?:[^'\\\n]|\\[\s\S])*')\s*)+)")
PIECE = re.compile(r"f?\"\"\"([\s\S]*?)\"\"\"|f?\"((?:[^\"\\\n]|\\[\s\S])*)\"|f?'((?:[^'\\\n]|\\[\s\S])*)'")
suites_dir = os.path.join(dojo, "src", "agentdojo", "data", "suites")
TEXT_FIELDS = ("body", "content", "description", "message", "review", "reviews", "subject", "title", "text")


def records(node):
    """Every mapping in the tree that carries a text field: one record a tool would return."""
    if isinstance(node, dict):
        if any(isinstance(node.get(f), (str, list)) for f in TEXT_FIELDS):
            yield node
        else:
            for v in node.values():
                yield from records(v)
    elif isinstance(node, list):
        for v in node:
            yield from records(v)


for suite in sorted(os.listdir(suites_dir)):
    sdir = os.path.join(suites_dir, suite)
    tasks_path = os.path.join(dojo, "src", "agentdojo", "default_suites", "v1", suite, "user_tasks.py")
    if not os.path.isfile(os.path.join(sdir, "environment.yaml")) or not os.path.isfile(tasks_path):
        continue
    src = open(tasks_path, encoding="utf-8").read()
    tasks = []
    for m in PROMPT.finditer(src):
        t = "".join(a or b or c for a, b, c in PIECE.findall(m.group(1)))
        t = t.replace("\\\n", " ").replace("\\n", "\n").replace('\\"', '"').replace("\\'", "'")
        # f-string fields name the suite's constants (a hotel, a file); "this" stands in for them.
        t = re.sub(r"[ \t]+", " ", re.sub(r"\{[^{}]*\}", "this", t)).strip()
        if t:
            tasks.append(t)
    if not tasks:
        fail(tasks_path, "no PROMPT strings")
    try:
        vectors = yaml.safe_load(open(os.path.join(sdir, "injection_vectors.yaml"), encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as e:
        fail(os.path.join(sdir, "injection_vectors.yaml"), f"not YAML ({e})")
    defaults = {k: str(v.get("default", "")) for k, v in vectors.items() if isinstance(v, dict)}
    texts = []
    for root, _, files in os.walk(sdir):
        for f in sorted(files):
            if f.endswith(".yaml") and f != "injection_vectors.yaml":
                raw = open(os.path.join(root, f), encoding="utf-8").read()
                raw = re.sub(r"\{(\w+)\}", lambda m: defaults.get(m.group(1), m.group(0)), raw)
                # environment.yaml pulls in include/*.yaml with a custom tag; those files are read on their own.
                raw = re.sub(r"!include\s+\S+", "null", raw)
                try:
                    texts.append(yaml.safe_load(raw))
                except yaml.YAMLError as e:
                    fail(os.path.join(root, f), f"not YAML ({e})")
    for tree in texts:
        for rec in records(tree):
            add(yaml.safe_dump(rec, sort_keys=False, allow_unicode=True, width=10000), rng.choice(tasks), f"agentdojo-{suite}")

out_rows = sorted(rows.values(), key=lambda r: (r["source"], r["task"], r["text"]))
tmp = os.path.join(out, "seen16-benign.jsonl.tmp")
with open(tmp, "w", encoding="utf-8") as fh:
    for r in out_rows:
        fh.write(json.dumps(r, ensure_ascii=False) + "\n")
os.replace(tmp, os.path.join(out, "seen16-benign.jsonl"))
counts = {}
for r in out_rows:
    counts[r["source"]] = counts.get(r["source"], 0) + 1
print(f"seen16-benign.jsonl: {len(out_rows)} benign {sorted(counts.items())}; distinct texts {len({key(r['text']) for r in out_rows})}")
