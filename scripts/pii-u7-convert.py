#!/usr/bin/env python3
"""Build the two parts of PII held-out set U7 as the JSON Lines bench/pii-external.ts reads.

  python3 scripts/pii-u7-convert.py germeval NER-de-test.tsv > u7-germeval.jsonl
  python3 scripts/pii-u7-convert.py generated de.json fr.json es.json it.json > u7-generated.jsonl

germeval: the GermEval 2014 NER test file (tab-separated: index, token, outer tag, nested tag; a
"#\tsource\t[date]" line opens each sentence). Only the outer column is read. B-PER/I-PER become
PERSON gold spans; every other outer label (ORG, LOC, OTH and their -part/-deriv forms, PERpart,
PERderiv) keeps its own name, so the bench counts predictions on it apart. Tokens are joined by
single spaces; one sample per sentence, scoped to PERSON (the set labels no other Rampart kind).
A fixed sample of CAP sentences is taken: sentences ordered by sha256("rampart-u7-germeval:" + N),
N the sentence's position in the file (from 0), the first CAP kept, written in file order.

generated: JSON arrays written by scripts/presidio-synth-generate.py (presidio-research's generator);
each becomes JSON Lines {text, spans: [{entity, start, end}], source}, labels left as the generator
wrote them (the bench maps them). Only JSON and TSV are read; nothing of either set is run.
"""
import hashlib
import json
import sys

CAP = 1000


def germeval(path):
    sentences, tokens = [], []
    with open(path, encoding="utf-8") as fh:
        for n, raw in enumerate(fh, 1):
            line = raw.rstrip("\n")
            if line.startswith("#\t") or line.startswith("# "):
                continue
            if not line.strip():
                if tokens:
                    sentences.append(tokens)
                    tokens = []
                continue
            parts = line.split("\t")
            if len(parts) < 3:
                sys.exit(f"{path}:{n}: not GermEval (index, token, outer tag, nested tag)")
            tokens.append((parts[1], parts[2]))
    if tokens:
        sentences.append(tokens)
    order = sorted(range(len(sentences)), key=lambda i: hashlib.sha256(f"rampart-u7-germeval:{i}".encode()).hexdigest())
    keep = sorted(order[:CAP])
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
        print(json.dumps({"text": text, "spans": spans, "scope": ["PERSON"], "source": f"germeval:{i}"}, ensure_ascii=False))
    print(f"{len(keep)} of {len(sentences)} sentences", file=sys.stderr)


def generated(paths):
    for path in paths:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
        for k, d in enumerate(data):
            spans = [{"entity": s["entity_type"], "start": s["start_position"], "end": s["end_position"]} for s in d["spans"]]
            print(json.dumps({"text": d["full_text"], "spans": spans, "source": f"{path}:{k}"}, ensure_ascii=False))


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "germeval":
        germeval(sys.argv[2])
    elif len(sys.argv) >= 3 and sys.argv[1] == "generated":
        generated(sys.argv[2:])
    else:
        sys.exit(__doc__)
