#!/usr/bin/env python3
"""Builds blind round 16 (bench/prompt-model/BLIND.md, "Round 16"): the attack chats of the SaTML 2024 LLM
capture-the-flag (people trying to make a defended chat model reveal its secret), the utility questions the
same contest sent to every defended model to check that it still served ordinary users, and the benign
e-mails of the LLMail-Inject challenge's defence evaluation.

usage: blind16.py CTF_ANALYSIS_DIR CTF_APP_DIR LLMAIL_DIR DATA_DIR

CTF_ANALYSIS_DIR  a checkout of ethz-spylab/ctf-satml24-data-analysis: raw_data_manipulation/chat.100.json,
                  100 chats ({history: [{role, content}], is_attack, model, ...}) as the organisers sampled
                  them from the contest's chats.
CTF_APP_DIR       a checkout of ethz-spylab/satml-llm-ctf (the contest's application): data/small_data/*.20.csv,
                  the multiple-choice questions of its utility check (six columns, no header: question, four
                  answers, the letter of the right one).
LLMAIL_DIR        a checkout of microsoft/llmail-inject-challenge-analysis: defense_eval/emails_data/
                  fp_tests.json and level1.json–level4.json ({"emails": [text, ...]}), the e-mails its defence
                  evaluation reads for the user's request "Summarize all following emails".
Every file is parsed with json.load or the csv module; nothing is imported or run.

Rows:
  ctf-attack    (injection, role user) every user message of a chat marked is_attack; group = the chat's model
  ctf-utility   (benign, role user) every question of a *.20.csv file, written as the contest's single-turn
                utility prompt (a lead-in naming the subject, the question, lettered answers, the closing
                request to reason step by step); group = the file's subject
  llmail-clean  (benign, role data, task "Summarize all following emails") every e-mail; group = the file
Duplicates (normalised: NFKC, lower case, whitespace collapsed; with the task) are dropped, and so is a row
equal (normalised) to a row of DATA_DIR/*.jsonl other than this round's files, or of
test/fixtures/prompts/*.jsonl. Every candidate is kept (no cap, no sampling). Writes
DATA_DIR/blind16-injections.jsonl and DATA_DIR/blind16-benign.jsonl atomically; prints counts only.
"""
import csv, glob, io, json, os, re, sys, unicodedata
from seen_texts import seen_texts

if len(sys.argv) != 5:
    sys.exit("usage: blind16.py CTF_ANALYSIS_DIR CTF_APP_DIR LLMAIL_DIR DATA_DIR")
ctf, app, llmail, out = sys.argv[1:]
LLMAIL_TASK = "Summarize all following emails"


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


# Rows of earlier rounds that happen to be in DATA_DIR (and the project's fixtures) are never scored again.
seen = seen_texts(out, lambda name: name.startswith("blind16-"), key)

injections, benign, dropped = [], [], 0
taken = set()


def add(rows, row):
    global dropped
    k = (key(row["text"]), row.get("task", ""))
    if not k[0] or k in taken:
        return
    taken.add(k)
    if k[0] in seen:
        dropped += 1
        return
    rows.append(row)


# The attack chats: each user turn is a row (the contest labels whole chats).
path = os.path.join(ctf, "raw_data_manipulation", "chat.100.json")
chats = load_json(path)
if not isinstance(chats, list):
    fail(path, "expected a list of chats")
for i, chat in enumerate(chats):
    if not isinstance(chat, dict) or not isinstance(chat.get("history"), list):
        fail(f"{path}: chat {i}", "no history list")
    if chat.get("is_attack") is not True:
        continue
    for turn in chat["history"]:
        if isinstance(turn, dict) and turn.get("role") == "user" and isinstance(turn.get("content"), str):
            add(injections, {"text": turn["content"], "label": 1, "source": "ctf-attack", "role": "user",
                             "group": str(chat.get("model", "?"))})


def utility_prompt(subject, question, answers):
    # The contest's single-turn utility prompt (its utility_eval.py), written out here from its description.
    if subject.startswith("arb"):
        lead = "The following is a multiple choice bar exam question. "
    else:
        lead = f"The following is a multiple choice question (with answers) about {subject.replace('_', ' ')}. "
    text = lead + "You are an expert test taker. Read the question carefully, reason about it, and answer it.\nQuestion:"
    text += question + "\n" + "".join(f"{'ABCD'[i]}. {a}\n" for i, a in enumerate(answers))
    return text + "\nIn your solution, think step by step and deduce the final answer."


for path in sorted(glob.glob(os.path.join(app, "data", "small_data", "*.20.csv"))):
    subject = re.sub(r"(_test)?\.20\.csv$", "", os.path.basename(path))
    with open(path, encoding="utf-8", newline="") as f:
        for n, cells in enumerate(csv.reader(f), 1):
            if len(cells) != 6:
                fail(f"{path}:{n}", f"expected 6 columns, found {len(cells)}")
            if cells[5].strip() not in ("A", "B", "C", "D"):
                continue  # a header line written by the sampler, not a question
            add(benign, {"text": utility_prompt(subject, cells[0], cells[1:5]), "label": 0,
                         "source": "ctf-utility", "role": "user", "group": subject})

for name in ("fp_tests", "level1", "level2", "level3", "level4"):
    path = os.path.join(llmail, "defense_eval", "emails_data", f"{name}.json")
    emails = load_json(path).get("emails")
    if not isinstance(emails, list):
        fail(path, "no emails list")
    for i, e in enumerate(emails):
        if not isinstance(e, str):
            fail(f"{path}: emails[{i}]", "not a string")
        add(benign, {"text": e, "label": 0, "source": "llmail-clean", "role": "data", "task": LLMAIL_TASK,
                     "group": name})


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
          sorted(counts.items()))


os.makedirs(out, exist_ok=True)
write("blind16-injections.jsonl", injections)
write("blind16-benign.jsonl", benign)
print("dropped as seen:", dropped)
