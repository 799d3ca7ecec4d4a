#!/usr/bin/env python3
"""Turns a CoNLL-2003 file (token POS chunk NER per line) into the JSON Lines bench/pii-external.ts reads.

    python3 scripts/pii-conll-to-jsonl.py eng.testb > conll-testb.jsonl
    python3 scripts/pii-conll-to-jsonl.py test.conllx --conllx > ontonotes-bc.jsonl

--conllx reads the tab-separated CoNLL-X layout of OntoNotes (token in column 2, BIO tag with the
OntoNotes type, e.g. B-PERSON or B-person, in the last column). It has no document markers, so every 10 consecutive
sentences make one sample; PERSON spans become PERSON gold spans.

One sample per document (-DOCSTART-): tokens joined by single spaces, sentences by a newline, so a
name keeps its sentence around it. PER spans become PERSON gold spans; "scope" says only PERSON is
labelled here (the set's LOC/ORG/MISC are not Rampart entities, so other Rampart kinds are not scored).
Handles both IOB1 (I-PER throughout, B-PER only between two adjacent names) and IOB2 tags.
"""
import json
import sys


CONLLX = "--conllx" in sys.argv
GROUP = 10


def conllx_documents(lines):
    doc, sentence = [], []
    for raw in lines:
        line = raw.rstrip("\n")
        if not line.strip():
            if sentence:
                doc.append(sentence)
                sentence = []
                if len(doc) == GROUP:
                    yield doc
                    doc = []
            continue
        parts = line.split("\t")
        if len(parts) < 3:
            sys.exit(f"line not CoNLL-X (id, token, ..., tag): {line!r}")
        tag = parts[-1]
        # OntoNotes types -> the CoNLL-2003 name the sample builder expects for people (OntoNotes 5
        # writes B-PERSON, the older broadcast-news release B-person).
        if tag[2:].upper() == "PERSON":
            tag = tag[:2] + "PER"
        sentence.append((parts[1], tag))
    if sentence:
        doc.append(sentence)
    if doc:
        yield doc


def documents(lines):
    doc, sentence = [], []
    for raw in lines:
        line = raw.rstrip("\n")
        if line.startswith("-DOCSTART-"):
            if sentence:
                doc.append(sentence)
                sentence = []
            if doc:
                yield doc
            doc = []
            continue
        if not line.strip():
            if sentence:
                doc.append(sentence)
                sentence = []
            continue
        parts = line.split()
        if len(parts) < 2:
            sys.exit(f"line not 'token ... tag': {line!r}")
        sentence.append((parts[0], parts[-1]))
    if sentence:
        doc.append(sentence)
    if doc:
        yield doc


def sample(doc):
    text, spans = "", []
    for si, sentence in enumerate(doc):
        if si:
            text += "\n"
        open_span = None  # [start, end] of the PER span being built
        prev_type = None
        for ti, (token, tag) in enumerate(sentence):
            if ti:
                text += " "
            start = len(text)
            text += token
            kind = tag[2:] if "-" in tag else None
            begins = tag.startswith("B-") or kind != prev_type
            if open_span and (kind != "PER" or begins):
                spans.append(open_span)
                open_span = None
            if kind == "PER":
                if open_span is None:
                    open_span = [start, len(text)]
                else:
                    open_span[1] = len(text)
            prev_type = kind
        if open_span:
            spans.append(open_span)
    return {"text": text, "spans": [{"entity": "PER", "start": s, "end": e} for s, e in spans], "scope": ["PER"]}


with open(sys.argv[1], encoding="utf-8") as fh:
    for d in (conllx_documents if CONLLX else documents)(fh):
        print(json.dumps(sample(d), ensure_ascii=False))
