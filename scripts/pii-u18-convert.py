#!/usr/bin/env python3
"""Build PII held-out set U18 (Europeana Newspapers, German parts) as the JSON Lines bench/pii-external.ts reads.

  python3 scripts/pii-u18-convert.py NAME FILE.bio > u18-NAME.jsonl

FILE.bio: token SPACE tag per line (IOB1 or IOB2), no blank lines and no document marks. The German files
rarely split a full stop from its word (U16's rule, "a sentence ends at a token '.'", gives samples of
100,000 characters here), so samples are cut by length instead: a sample closes after the first token
tagged O that ends in ".", "?" or "!" once it holds MIN_TOKENS tokens, or at the first token tagged O once
it holds MAX_TOKENS (a span is never cut). Tokens are joined by one space. PER -> PERSON; LOC, ORG and
any other tag keep their names and are not scored. Scope PERSON. Every sample is kept, in file order.

Offsets are in UTF-16 units (a character beyond the Basic Multilingual Plane becomes two U+FFFD). A line
that is not "token tag", or a tag that is not O or B-/I-X, stops the conversion with its file and line
number (exit 2). Only text is read; nothing of the set is run.
"""
import json
import sys

from pii_bio import append_tagged

MIN_TOKENS = 150
MAX_TOKENS = 400


def fail(msg):
    print(msg, file=sys.stderr)
    sys.exit(2)


def utf16(s):
    return "".join(ch if ord(ch) <= 0xFFFF else "\ufffd\ufffd" for ch in s)


def read(path):
    rows = []
    with open(path, encoding="utf-8") as fh:
        for n, raw_line in enumerate(fh, 1):
            parts = raw_line.rstrip("\r\n").rsplit(" ", 1)
            if len(parts) != 2 or not parts[0].strip():
                fail(f"{path}:{n}: not a Europeana line (token SPACE tag)")
            tag = parts[1]
            if tag != "O" and (len(tag) < 3 or tag[1] != "-" or tag[0] not in "BI"):
                fail(f"{path}:{n}: tag {tag!r} is not O or B-/I-X")
            rows.append((utf16(parts[0].strip()), tag))
    return rows


def samples(rows):
    current = []
    for tok, tag in rows:
        current.append((tok, tag))
        if tag != "O":
            continue
        if (len(current) >= MIN_TOKENS and tok[-1] in ".?!") or len(current) >= MAX_TOKENS:
            yield current
            current = []
    if current:
        yield current


def convert(name, path):
    count = 0
    for chunk in samples(read(path)):
        spans = []
        text = append_tagged("", spans, chunk, {"PER": "PERSON"})
        print(json.dumps({"text": text, "spans": spans, "source": f"{name}:{count}", "scope": ["PERSON"]}, ensure_ascii=False))
        count += 1
    print(f"{count} samples", file=sys.stderr)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    convert(sys.argv[1], sys.argv[2])
