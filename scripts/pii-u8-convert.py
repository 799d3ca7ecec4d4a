#!/usr/bin/env python3
"""Build the parts of PII held-out set U8 as the JSON Lines bench/pii-external.ts reads.

  python3 scripts/pii-u8-convert.py conll NAME CAP FILE.conllu > u8-NAME.jsonl
  python3 scripts/pii-u8-convert.py generated a.json b.json ... > u8-generated.jsonl

conll: a CoNLL-style file as Babelscape/wikineural ships them (tab-separated: index, token, tag;
sentences end at a blank line; "-DOCSTART-" lines are skipped). B-PER/I-PER become PERSON gold spans
(an I- tag continues an open span of the same kind, else opens one, so IOB1 and IOB2 both read
right); every other label (ORG, LOC, MISC) keeps its own name, so the bench counts predictions on it
apart. Tokens are joined by single spaces; one sample per sentence, scoped to PERSON (these sets
label no other Rampart kind). A fixed sample of CAP sentences: sentences ordered by
sha256("rampart-u8-" + NAME + ":" + N), N the sentence's position in the file (from 0), the first
CAP kept, written in file order.

generated: JSON arrays written by scripts/presidio-synth-generate.py (presidio-research's
generator); each becomes {text, spans: [{entity, start, end}], source}, labels as the generator wrote
them (the bench maps them). Only text and JSON are read; nothing of either set is run.
"""
import hashlib
import json
import sys


def conll(name, cap, path):
    sentences, tokens = [], []
    with open(path, encoding="utf-8") as fh:
        for n, raw in enumerate(fh, 1):
            line = raw.rstrip("\n")
            if not line.strip():
                if tokens:
                    sentences.append(tokens)
                    tokens = []
                continue
            parts = line.split("\t")
            if len(parts) < 3:
                sys.exit(f"{path}:{n}: not CoNLL (index, token, tag)")
            if parts[1] == "-DOCSTART-":
                continue
            tokens.append((parts[1], parts[2]))
    if tokens:
        sentences.append(tokens)
    order = sorted(range(len(sentences)), key=lambda i: hashlib.sha256(f"rampart-u8-{name}:{i}".encode()).hexdigest())
    keep = sorted(order[:cap])
    for i in keep:
        text, spans, open_span = "", [], None
        for token, tag in sentences[i]:
            if text:
                text += " "
            start = len(text)
            text += token
            kind = tag[2:] if tag[:2] in ("B-", "I-") else None
            if kind == "PER":
                kind = "PERSON"
            if kind and tag.startswith("I-") and open_span and open_span["entity"] == kind:
                open_span["end"] = len(text)
                continue
            open_span = None
            if kind:
                open_span = {"entity": kind, "start": start, "end": len(text)}
                spans.append(open_span)
        print(json.dumps({"text": text, "spans": spans, "scope": ["PERSON"], "source": f"{name}:{i}"}, ensure_ascii=False))
    print(f"{len(keep)} of {len(sentences)} sentences", file=sys.stderr)


def generated(paths):
    for path in paths:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
        for k, d in enumerate(data):
            spans = [{"entity": s["entity_type"], "start": s["start_position"], "end": s["end_position"]} for s in d["spans"]]
            print(json.dumps({"text": d["full_text"], "spans": spans, "source": f"{path}:{k}"}, ensure_ascii=False))


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "conll":
        conll(sys.argv[2], int(sys.argv[3]), sys.argv[4])
    elif len(sys.argv) >= 3 and sys.argv[1] == "generated":
        generated(sys.argv[2:])
    else:
        sys.exit(__doc__)
