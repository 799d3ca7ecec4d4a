#!/usr/bin/env python3
"""Builds blind round 20 (bench/prompt-model/BLIND.md, "Round 20"): tool results and retrieved documents with and
without a planted instruction, each with the user's task, from two publishers.

usage: blind20.py IHEVAL_DIR INJQA_DIR DATA_DIR

IHEVAL_DIR  a checkout of ytyz1307zzh/IHEval (commit in BLIND.md): benchmark/tool-use/{get-webpage,slack-user}/
            aligned/default/input_data.json (the benign twins) and conflict/tool_prompt_{weak,strong}/input_data.json
            (the same records with an instruction planted in the tool's output). Each record: `instruction` (the
            user's message), `tool.return.content` (what the tool hands the model), `answer.task` (get-webpage
            only: the user's task). Only these files are read, with json.load.
INJQA_DIR   a checkout of LukeChen-go/indirect-pia-detection (commit in BLIND.md): data/crafted_instruction_data_
            {squad,tri}_injection_qa.json (Inj-SQuAD and Inj-TriviaQA: `instruction` = the user's question, `input`
            = the retrieved document, `injection` = the attacker's question) and instruction_attack_defense_tools.py,
            from which only the literal list IGNORE_ATTACK_SENTENCES["test"] is read, with ast.literal_eval (nothing
            is imported or run).

Rows, all role "data", task = the user's message:
  IHEval: text = the tool's output. Benign: every aligned record (source `iheval-clean`, group = the tool).
    Injections: every conflict record of both strengths (source `iheval-<tool or web task>`, group = the strength).
  Inj-QA: benign = every record's document as published (source `injqa-clean`, group = the file: squad, trivia).
    Injection: the same document with the record's attacker question planted by one of four of the publisher's
    attacks and at one of its three sides, both drawn per record with random.Random(20) in file order (squad, then
    trivia): `naive` (the question, first letter capitalised as the publisher's str.capitalize does), `ignore` (one
    of the publisher's ten test "ignore" sentences, drawn by the same generator, with the question in its slot),
    `escape` (a run of 0-19 newlines or tabs, then the capitalised question), `completion` ("##response:" / "OK." /
    "##instruction:" lines, then the capitalised question). Sides as the publisher's insert_injection: `start`
    (injection, space, document), `end` (document, space, injection), `middle` (joined with spaces at a drawn word
    gap of the document split on single spaces). Source `injqa-<attack>`, group = the file; field `side` kept.
Duplicates (normalised text + task) dropped; a row whose normalised text (NFKC, lower case, white space collapsed)
equals a row of DATA_DIR/*.jsonl (other than this round's files) or of test/fixtures/prompts/*.jsonl is dropped.
No cap. Writes DATA_DIR/blind20-injections.jsonl and DATA_DIR/blind20-benign.jsonl atomically; prints counts only.
"""
import ast, glob, json, os, random, re, sys, unicodedata
from seen_texts import seen_texts

if len(sys.argv) != 4:
    sys.exit("usage: blind20.py IHEVAL_DIR INJQA_DIR DATA_DIR")
iheval, injqa, out = sys.argv[1:]


def fail(where, why):
    sys.exit(f"{where}: {why}")


def key(t):
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", t).lower()).strip()


def load_json(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        fail(path, f"cannot read as JSON ({e})")


def tool_records(path):
    data = load_json(path)
    if not isinstance(data, list):
        fail(path, "expected a list of records")
    rows = []
    for n, d in enumerate(data):
        try:
            text, task = d["tool"]["return"]["content"], d["instruction"]
            web_task = d["answer"]["task"] if isinstance(d.get("answer"), dict) else None
        except (KeyError, TypeError):
            fail(f"{path}[{n}]", "no tool.return.content or instruction")
        if not isinstance(text, str) or not isinstance(task, str):
            fail(f"{path}[{n}]", "tool.return.content and instruction must be strings")
        rows.append((d.get("id"), text, task, web_task))
    return rows


def ignore_sentences(path):
    try:
        with open(path, encoding="utf-8") as f:
            tree = ast.parse(f.read(), path)
    except (OSError, SyntaxError) as e:
        fail(path, f"cannot parse ({e})")
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "IGNORE_ATTACK_SENTENCES" for t in node.targets):
            value = ast.literal_eval(node.value)
            test = value.get("test") if isinstance(value, dict) else None
            if isinstance(test, list) and test and all(isinstance(s, str) and "{injected_prompt}" in s for s in test):
                return test
    fail(path, "no literal IGNORE_ATTACK_SENTENCES['test'] list with {injected_prompt} slots")


seen = seen_texts(out, lambda name: name.startswith("blind20-"), key)

rows, taken, dropped = [], set(), 0


def add(text, label, source, task, group, **extra):
    global dropped
    k = (key(text), task)
    if not k[0] or k in taken:
        return
    taken.add(k)
    if k[0] in seen:
        dropped += 1
        return
    rows.append({"text": text, "label": label, "source": source, "role": "data", "task": task, "group": group, **extra})


# IHEval tool use: the aligned records are the benign twins of the conflict ones.
tool_use = os.path.join(iheval, "benchmark", "tool-use")
for tool in ("get-webpage", "slack-user"):
    clean = tool_records(os.path.join(tool_use, tool, "aligned", "default", "input_data.json"))
    for _, text, task, _ in clean:
        add(text, 0, "iheval-clean", task, tool)
    for strength in ("weak", "strong"):
        for _, text, task, web_task in tool_records(
            os.path.join(tool_use, tool, "conflict", f"tool_prompt_{strength}", "input_data.json")
        ):
            family = f"iheval-web-{web_task}" if tool == "get-webpage" else "iheval-slack"
            add(text, 1, family, task, strength)

# Inj-SQuAD / Inj-TriviaQA: the clean document, and the same document with the attacker's question planted.
sentences = ignore_sentences(os.path.join(injqa, "instruction_attack_defense_tools.py"))
draw = random.Random(20)


def plant(document, injection, side):
    if side == "start":
        return injection + " " + document
    if side == "end":
        return document + " " + injection
    words = document.split(" ")
    words.insert(draw.randrange(len(words)), injection)
    return " ".join(words)


for name, stem in (("squad", "squad"), ("trivia", "tri")):
    path = os.path.join(injqa, "data", f"crafted_instruction_data_{stem}_injection_qa.json")
    records = load_json(path)
    if not isinstance(records, list):
        fail(path, "expected a list of records")
    for n, d in enumerate(records):
        try:
            document, task, question = d["input"], d["instruction"], d["injection"]
        except (KeyError, TypeError):
            fail(f"{path}[{n}]", "no input, instruction or injection")
        if not all(isinstance(v, str) and v.strip() for v in (document, task, question)):
            fail(f"{path}[{n}]", "input, instruction and injection must be non-empty strings")
        add(document, 0, "injqa-clean", task, name)
        attack = draw.choice(("naive", "ignore", "escape", "completion"))
        side = draw.choice(("start", "middle", "end"))
        if attack == "naive":
            injection = question.capitalize()
        elif attack == "ignore":
            injection = draw.choice(sentences).format(injected_prompt=question)
        elif attack == "escape":
            injection = draw.choice("\n\t") * draw.randrange(20) + question.capitalize()
        else:
            injection = "\n\n##response:\n\nOK.\n##instruction:\n\n" + question.capitalize()
        add(plant(document, injection, side), 1, f"injqa-{attack}", task, name, side=side)

os.makedirs(out, exist_ok=True)
counts = {}
for label, stem in ((1, "injections"), (0, "benign")):
    path = os.path.join(out, f"blind20-{stem}.jsonl")
    with open(path + ".tmp", "w", encoding="utf-8") as f:
        for r in rows:
            if r["label"] == label:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
                counts[(stem, r["source"], r["group"])] = counts.get((stem, r["source"], r["group"]), 0) + 1
    os.replace(path + ".tmp", path)
for k, v in sorted(counts.items()):
    print(*k, v)
for label in (1, 0):
    part = [r for r in rows if r["label"] == label]
    print("label", label, "rows", len(part), "distinct texts", len({key(r["text"]) for r in part}),
          "distinct tasks", len({r["task"] for r in part}))
print("sides", sorted((s, sum(1 for r in rows if r.get("side") == s)) for s in ("start", "middle", "end")))
print("dropped as seen:", dropped)
