#!/usr/bin/env python3
"""Build PII held-out set U19 (EHRI-NER, German and English) as the JSON Lines bench/pii-external.ts reads.

  python3 scripts/pii-u19-convert.py NAME FILE.txt > u19-NAME.jsonl

FILE.txt: token SPACE tag per line (IOB2), a blank line after each sentence, no document marks (the
repository's dataset/iob/LANG/ehri_LANG.txt). Consecutive sentences are joined into one sample until it
holds MIN_TOKENS tokens (the sample closes at the end of that sentence), so a name met earlier can be met
again in the same sample, as it would be in a document. Tokens and sentences are joined by one space.
PERS -> PERSON, DATE -> DATE_TIME (precision only); LOC, ORG, CAMP, GHETTO keep their names and are not
scored. Scope PERSON and DATE_TIME. Every sample is kept, in file order.

Offsets are in UTF-16 units (a character beyond the Basic Multilingual Plane becomes two U+FFFD). A line
that is not "token tag", or a tag that is not O or B-/I-X, stops the conversion with its file and line
number (exit 2). Only text is read; nothing of the set is run.
"""
import json
import sys

from pii_bio import append_tagged

MIN_TOKENS = 150
KINDS = {"PERS": "PERSON", "PER": "PERSON", "DATE": "DATE_TIME"}


def fail(msg):
    print(msg, file=sys.stderr)
    sys.exit(2)


def utf16(s):
    return "".join(ch if ord(ch) <= 0xFFFF else "\ufffd\ufffd" for ch in s)


def sentences(path):
    current = []
    with open(path, encoding="utf-8") as fh:
        for n, raw_line in enumerate(fh, 1):
            line = raw_line.rstrip("\r\n")
            if not line.strip():
                if current:
                    yield current
                current = []
                continue
            parts = line.rsplit(" ", 1)
            if len(parts) != 2 or not parts[0].strip():
                fail(f"{path}:{n}: not an EHRI-NER line (token SPACE tag)")
            tag = parts[1]
            if tag != "O" and (len(tag) < 3 or tag[1] != "-" or tag[0] not in "BI"):
                fail(f"{path}:{n}: tag {tag!r} is not O or B-/I-X")
            current.append((utf16(parts[0].strip()), tag))
    if current:
        yield current


def samples(path):
    chunk = []
    for sentence in sentences(path):
        chunk.extend(sentence)
        if len(chunk) >= MIN_TOKENS:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def convert(name, path):
    count = 0
    for chunk in samples(path):
        spans = []
        text = append_tagged("", spans, chunk, KINDS)
        record = {"text": text, "spans": spans, "source": f"{name}:{count}", "scope": ["PERSON", "DATE_TIME"]}
        print(json.dumps(record, ensure_ascii=False))
        count += 1
    print(f"{count} samples", file=sys.stderr)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    convert(sys.argv[1], sys.argv[2])
