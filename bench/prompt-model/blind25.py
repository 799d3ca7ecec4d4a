#!/usr/bin/env python3
"""Builds blind round 25 (bench/prompt-model/BLIND.md, "Round 25"): web pages with and without instructions hidden in
their HTML, from ishaanv1206/Decoding-Latent-Attack-Surfaces-in-LLMs-Prompt-Injection-via-HTML-in-Web-Summarization
(Verma and Yadav, "Decoding Latent Attack Surfaces in LLMs: Prompt Injection via HTML in Web Summarization", 2025).

usage: blind25.py HTML_DIR DATA_DIR

HTML_DIR  a checkout of that repository (commit in BLIND.md). Read: `llama.csv`, the publisher's list of the 280 pages
          it evaluated, of which only the columns `filename`, `injected` (yes / no), `injection_type` and
          `content_type` are used (not the model outputs or scores); and each listed page, `clean/<filename>` or
          `injected/<filename>`, as UTF-8 text. Nothing is imported or run.

Rows, all role "data" (a page an agent fetched), task = the publisher's own request to its summariser:
  label 1: every listed page with injected = yes, its HTML as published; source `html-<injection_type>` (one family
    per way of hiding the text), group = the page's content type;
  label 0: every listed page with injected = no, source `html-clean`, group = the content type.
Pages in the folders but not in the list are not read (the publisher kept only pages whose hidden tag survived).
A page equal to a seen row (seen_texts.py: every row of DATA_DIR/*.jsonl but this round's, and of
test/fixtures/prompts/*.jsonl, compared NFKC, lower case, white space collapsed) is left out, and so is a repeat within a
file (same normalised text and task). Nothing is capped or sampled. Output, written atomically:
DATA_DIR/blind25-{injections,benign}.jsonl; only counts are printed.
"""
import csv, os, sys
from seen_texts import Dedup, fail, normalised as key, seen_texts, write_jsonl

# The publisher's own request to its summariser (evaluation.py), the task every page is read for.
TASK = "Summarize the page in one paragraph."
if len(sys.argv) != 3:
    sys.exit("usage: blind25.py HTML_DIR DATA_DIR")
src, out = sys.argv[1:]

seen = seen_texts(out, lambda name: name.startswith("blind25-"), key)
files = {"injections": [], "benign": []}
dedup = {stem: Dedup(seen, key) for stem in files}

index = os.path.join(src, "llama.csv")
try:
    with open(index, encoding="utf-8", newline="") as f:
        listed = list(csv.DictReader(f))
except OSError as e:
    fail(index, f"cannot read ({e})")
if not listed or not {"filename", "injected", "injection_type", "content_type"} <= set(listed[0]):
    fail(index, "needs the columns filename, injected, injection_type and content_type")

for n, page in enumerate(listed, 2):
    injected = page["injected"].strip().lower()
    if injected not in ("yes", "no") or not page["filename"].endswith(".html") or "/" in page["filename"]:
        fail(f"{index}:{n}", "needs injected yes/no and a bare .html file name")
    path = os.path.join(src, "injected" if injected == "yes" else "clean", page["filename"])
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except (OSError, UnicodeDecodeError) as e:
        fail(path, f"cannot read as UTF-8 text ({e})")
    stem, label = ("injections", 1) if injected == "yes" else ("benign", 0)
    source = f"html-{page['injection_type'].strip()}" if label else "html-clean"
    if dedup[stem].fresh(text, TASK):
        files[stem].append(
            {"text": text, "label": label, "source": source, "role": "data", "task": TASK,
             "group": page["content_type"].strip()}
        )

for stem, rows in files.items():
    write_jsonl(os.path.join(out, f"blind25-{stem}.jsonl"), rows)
    pos = sum(r["label"] for r in rows)
    print(f"blind25-{stem}.jsonl: {pos} injections, {len(rows) - pos} benign (dropped as seen: {dedup[stem].dropped})")
