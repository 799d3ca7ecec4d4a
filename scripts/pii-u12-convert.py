#!/usr/bin/env python3
"""Build the human-labelled parts of PII held-out set U12 as the JSON Lines bench/pii-external.ts reads.

  python3 scripts/pii-u12-convert.py conll2002 NAME FILE > u12-NAME.jsonl   # CoNLL-2002: token POS tag
  python3 scripts/pii-u12-convert.py btc NAME FILE       > u12-NAME.jsonl   # Broad Twitter Corpus CoNLL

conll2002: one token, its part of speech and its IOB tag per line, separated by single spaces; a blank
line ends a sentence; "-DOCSTART-" lines are skipped. B-/I-PER -> PERSON; LOC, ORG, MISC keep their
names (outside Rampart's scope). One sample per sentence, every sentence, in file order.

btc: one token TAB tag per line, a blank line ends a tweet. B-/I-PER -> PERSON, LOC and ORG keep their
names. The corpus labels user handles as persons, and as two tokens ("@" then the name, each B-PER);
a handle is an account identifier, not a written name, so the "@" token, the token after it and any
token that starts with "@" get the kind "handle", and a token that starts with "#" gets "hashtag" —
both outside the scored kinds (a prediction on them is counted apart, neither right nor wrong). One
sample per tweet, every tweet, in file order.

Tokens are joined by one space (both sets are tokenised; the raw text is not part of them). Offsets are
in UTF-16 units: a character beyond the Basic Multilingual Plane (an emoji) becomes U+FFFD, so Python's
and JavaScript's offsets agree. Every sample is scoped to PERSON. A bad line stops the conversion with
its file and line number (exit 2). Only text is read; nothing of the sets is run.
"""
import json
import sys


def fail(msg):
    print(msg, file=sys.stderr)
    sys.exit(2)


class Sample:
    """Joins tokens into one sample, extending a span while I- tags of its kind continue it."""

    def __init__(self, name):
        self.name, self.count = name, 0
        self.reset()

    def reset(self):
        self.text, self.spans, self.open = "", [], None

    def add(self, token, kind, inside):
        if self.text:
            self.text += " "
        start = len(self.text)
        self.text += "".join(ch if ord(ch) <= 0xFFFF else "\ufffd" for ch in token)
        if kind and inside and self.open and self.open["entity"] == kind:
            self.open["end"] = len(self.text)
        elif kind:
            self.open = {"entity": kind, "start": start, "end": len(self.text)}
            self.spans.append(self.open)
        else:
            self.open = None

    def flush(self):
        if self.text:
            print(json.dumps({"text": self.text, "spans": self.spans, "source": f"{self.name}:{self.count}", "scope": ["PERSON"]}, ensure_ascii=False))
            self.count += 1
        self.reset()


def split_tag(tag, where):
    if tag == "O":
        return None, False
    if tag[:2] not in ("B-", "I-") or len(tag) < 3:
        fail(f"{where}: tag {tag!r} is not O, B-X or I-X")
    kind = tag[2:]
    return ("PERSON" if kind == "PER" else kind), tag.startswith("I-")


def conll2002(name, path):
    out = Sample(name)
    with open(path, encoding="utf-8") as fh:
        for n, raw in enumerate(fh, 1):
            line = raw.rstrip("\n").rstrip("\r")
            if not line.strip():
                out.flush()
                continue
            parts = line.split(" ")
            if len(parts) != 3:
                fail(f"{path}:{n}: not a CoNLL-2002 line (token POS tag)")
            if parts[0] == "-DOCSTART-":
                continue
            kind, inside = split_tag(parts[2], f"{path}:{n}")
            out.add(parts[0], kind, inside)
    out.flush()
    print(f"{out.count} sentences", file=sys.stderr)


def btc(name, path):
    out = Sample(name)
    after_at = False
    with open(path, encoding="utf-8") as fh:
        for n, raw in enumerate(fh, 1):
            line = raw.rstrip("\n").rstrip("\r")
            if not line.strip():
                out.flush()
                after_at = False
                continue
            parts = line.split("\t")
            if len(parts) != 2:
                fail(f"{path}:{n}: not a BTC line (token TAB tag)")
            token = parts[0]
            kind, inside = split_tag(parts[1], f"{path}:{n}")
            if kind and (token.startswith("@") or after_at):
                kind, inside = "handle", False
            elif kind and token.startswith("#"):
                kind, inside = "hashtag", False
            out.add(token, kind, inside)
            after_at = token == "@"
    out.flush()
    print(f"{out.count} tweets", file=sys.stderr)


if __name__ == "__main__":
    modes = {"conll2002": conll2002, "btc": btc}
    if len(sys.argv) != 4 or sys.argv[1] not in modes:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    modes[sys.argv[1]](sys.argv[2], sys.argv[3])
