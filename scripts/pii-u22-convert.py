#!/usr/bin/env python3
"""Build PII held-out set U22 (CrossNER test files, English Wikipedia prose of five domains) as the JSON Lines
bench/pii-external.ts reads.

  python3 scripts/pii-u22-convert.py NAME DOMAIN-test.txt [DOMAIN-test.txt …] --seen SEEN.jsonl [SEEN.jsonl …] > u22-crossner.jsonl

CrossNER: "token TAB tag" per line, IOB2, a blank line after each sentence. One sample per sentence.
The person classes person, politician, writer, musicalartist, scientist and researcher -> PERSON; every other
class keeps its name and is not scored (a prediction on one is counted apart). Scope PERSON.

--seen: JSON Lines of sets the project has already scored ({"text": …} per line). A sentence that shares a run
of RUN whitespace tokens (lower-cased) with any seen text is dropped; the count dropped goes to stderr.

Tokens are joined by one space; offsets in UTF-16 units (a character beyond the Basic Multilingual Plane
becomes two U+FFFD). A line of the wrong shape or a tag that is not O or B-/I-X stops the conversion with its
file and line number (exit 2). Only text is read; nothing of the set is run.
"""
import json
import sys

from pii_bio import append_tagged, line_blocks

RUN = 10
PERSON_CLASSES = ("person", "politician", "writer", "musicalartist", "scientist", "researcher")
KINDS = {c: "PERSON" for c in PERSON_CLASSES}
SCOPE = ["PERSON"]


def fail(msg):
    print(msg, file=sys.stderr)
    sys.exit(2)


def utf16(s):
    return "".join(ch if ord(ch) <= 0xFFFF else "\ufffd\ufffd" for ch in s)


def sentences(path):
    for block in line_blocks(path):
        sentence = []
        for n, line in block:
            parts = line.split("\t")
            if len(parts) != 2 or not parts[0]:
                fail(f"{path}:{n}: expected a token and a tag separated by a tab")
            tag = parts[1]
            if tag != "O" and (len(tag) < 3 or tag[1] != "-" or tag[0] not in "BI"):
                fail(f"{path}:{n}: tag {tag!r} is not O or B-/I-X")
            sentence.append((parts[0], tag))
        if sentence:
            yield sentence


def runs(words):
    words = [w.lower() for w in words]
    return {tuple(words[i : i + RUN]) for i in range(len(words) - RUN + 1)}


def convert(name, paths, seen_paths):
    seen = set()
    for path in seen_paths:
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    seen |= runs(json.loads(line)["text"].split())
    count = dropped = 0
    for path in paths:
        for sentence in sentences(path):
            if runs([tok for tok, _ in sentence]) & seen:
                dropped += 1
                continue
            spans = []
            text = append_tagged("", spans, [(utf16(tok), tag) for tok, tag in sentence], KINDS)
            record = {"text": text, "spans": spans, "source": f"{name}:{count}", "scope": SCOPE}
            print(json.dumps(record, ensure_ascii=False))
            count += 1
    print(f"{count} samples, {dropped} dropped (a run of {RUN} tokens shared with a seen set)", file=sys.stderr)


if __name__ == "__main__":
    args = sys.argv[1:]
    if "--seen" not in args or args.index("--seen") < 2:
        fail("usage: pii-u22-convert.py NAME DOMAIN-test.txt [...] --seen SEEN.jsonl [...]")
    at = args.index("--seen")
    convert(args[0], args[1:at], args[at + 1 :])
