#!/usr/bin/env python3
"""Build the name parts of PII held-out set U9 as the JSON Lines bench/pii-external.ts reads.

  python3 scripts/pii-u9-convert.py NAME FILE.conll02 > u9-NAME.jsonl

FILE is a CoNLL-2002 style file as ixa-ehu/ner-evaluation-corpus-europarl ships it: one token per
line, token and tag separated by a tab (or spaces), sentences end at a blank line, "-DOCSTART-" lines
skipped. Every sentence is kept (no sampling), in file order. B-PER/I-PER become PERSON gold spans (an
I- tag continues an open span of the same kind, else opens one, so IOB1 and IOB2 both read right);
ORG, LOC and MISC keep their names, so the bench counts predictions on them apart. Tokens are joined by
single spaces; each sample is scoped to PERSON (the set labels no other Rampart kind).

The generated part of U9 is converted by scripts/pii-u8-convert.py's "generated" mode. Only text is
read; nothing of the set is run.
"""
import json
import sys


def read(path):
    sentences, tokens = [], []
    with open(path, encoding="utf-8") as fh:
        for n, raw in enumerate(fh, 1):
            line = raw.rstrip("\n").rstrip("\r")
            if not line.strip():
                if tokens:
                    sentences.append(tokens)
                    tokens = []
                continue
            parts = line.split("\t") if "\t" in line else line.split()
            if len(parts) < 2:
                sys.exit(f"{path}:{n}: not CoNLL-2002 (token, tag)")
            token, tag = parts[0], parts[-1]
            if token == "-DOCSTART-":
                continue
            if tag != "O" and tag[:2] not in ("B-", "I-"):
                sys.exit(f"{path}:{n}: tag {tag!r} is not O, B-X or I-X")
            tokens.append((token, tag))
    if tokens:
        sentences.append(tokens)
    return sentences


def convert(name, path):
    sentences = read(path)
    for i, sentence in enumerate(sentences):
        text, spans, open_span = "", [], None
        for token, tag in sentence:
            if text:
                text += " "
            start = len(text)
            text += token
            kind = tag[2:] if tag != "O" else None
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
    print(f"{len(sentences)} sentences", file=sys.stderr)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    convert(sys.argv[1], sys.argv[2])
