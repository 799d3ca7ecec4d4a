#!/usr/bin/env python3
"""Training rows added in session 10 from a seen source (round 8, bench/prompt-model/BLIND.md).

usage: extra10.py SOURCES_DIR DATA_DIR

Round 8 read 150 of TaskTracker's 499 non-English questions and 300 of its injection triggers; all of
them are seen now. This writes DATA_DIR/seen8x-tasktracker.jsonl for train.ts:
  tasktracker-questions (benign): every translated secondary task on its own, a question in French,
      German, Arabic, Italian or Spanish sent as itself (what the session-6 model flagged);
  tasktracker-trivia (benign): TaskTracker's English trivia questions on their own;
  tasktracker-triggers (injection): every trigger of both lists followed by a secondary task chosen by
      sha256("r10-task" + trigger), as TaskTracker builds its poisoned text (role: data).
So the same non-English questions are benign alone and part of an injection after a trigger: the model
has to learn the trigger, not the language. Nothing read here is committed.
"""
import hashlib, json, os, sys

src, out = sys.argv[1], sys.argv[2]
tt = os.path.join(src, "TaskTracker", "task_tracker", "dataset_creation", "datasets")


def lines(name):
    return [l.strip() for l in open(os.path.join(tt, name), encoding="utf-8") if l.strip()]


tasks = lines("translated_secondary_tasks.txt")
rows = [{"text": t, "label": 0, "source": "tasktracker-questions", "group": "tasktracker-questions"} for t in tasks]
for l in lines("trivia_pairs.txt"):
    q = l.split(" Answer:")[0].removeprefix("Question:").strip()
    rows.append({"text": q, "label": 0, "source": "tasktracker-trivia", "group": "tasktracker-trivia"})
for f in ("saved_injections_test.txt", "saved_injections.txt"):
    for trig in lines(f):
        task = tasks[int(hashlib.sha256(("r10-task" + trig).encode()).hexdigest(), 16) % len(tasks)]
        rows.append({"text": f"{trig} {task}", "label": 1, "source": "tasktracker-triggers", "group": "tasktracker-triggers", "role": "data"})
with open(os.path.join(out, "seen8x-tasktracker.jsonl"), "w", encoding="utf-8") as fh:
    for r in rows:
        fh.write(json.dumps(r, ensure_ascii=False) + "\n")
pos = sum(r["label"] for r in rows)
print(f"seen8x-tasktracker.jsonl: {pos} injections / {len(rows) - pos} benign")
