#!/usr/bin/env python3
"""Build the human-labelled parts of PII held-out set U11 as the JSON Lines bench/pii-external.ts reads.

  python3 scripts/pii-u11-convert.py hipe2022 NAME FILE.tsv   > u11-NAME.jsonl   # HIPE-2022 TSV (v2.1)
  python3 scripts/pii-u11-convert.py wnut NAME FILE           > u11-NAME.jsonl   # WNUT-17: token TAB BIO tag

hipe2022: the literal coarse column (NE-COARSE-LIT); B-/I-PER (or pers) -> PERSON, every other kind keeps
its name (outside Rampart's scope). A sample ends after a token whose MISC column says EndOfSentence, and
at a new document ("# hipe2022:document_id"); NoSpaceAfter joins tokens, everything else (EndOfLine, the
printed line ends, too) is one space. Every sentence is kept, in file order. Scoped to PERSON.

wnut: one token and its tag per line, sentences end at a blank line; B-person/I-person -> PERSON, the
other kinds (location, group, corporation, product, creative-work) keep their name. Tokens are joined by
one space (the set is tokenised; its raw text is not part of it). Every sentence is kept. Scoped to
PERSON.

A bad line stops the conversion with its file and line number (exit 2). Only text is read; nothing of
the sets is run. Offsets are in UTF-16 units: a character beyond the Basic Multilingual Plane (an emoji)
becomes U+FFFD, so Python's and JavaScript's offsets agree.
"""
import json
import sys


def fail(msg):
    print(msg, file=sys.stderr)
    sys.exit(2)


def emit(text, spans, source):
    print(json.dumps({"text": text, "spans": spans, "source": source, "scope": ["PERSON"]}, ensure_ascii=False))


class Builder:
    """Joins tokens into one sample, extending a span while its I- tags continue it."""

    def __init__(self, name):
        self.name, self.count = name, 0
        self.reset()

    def reset(self):
        self.text, self.spans, self.open, self.space = "", [], None, False

    def add(self, token, tag, where, space_after=True):
        if tag != "O" and tag[:2] not in ("B-", "I-"):
            fail(f"{where}: tag {tag!r} is not O, B-X or I-X")
        if self.space:
            self.text += " "
        start = len(self.text)
        # JavaScript counts a character beyond the BMP (an emoji) as two; one U+FFFD keeps offsets equal.
        token = "".join(ch if ord(ch) <= 0xFFFF else "\ufffd" for ch in token)
        self.text += token
        kind = tag[2:] if tag != "O" else None
        if kind and kind.lower() in ("per", "pers", "person"):
            kind = "PERSON"
        if kind and tag.startswith("I-") and self.open and self.open["entity"] == kind:
            self.open["end"] = len(self.text)
        elif kind:
            self.open = {"entity": kind, "start": start, "end": len(self.text)}
            self.spans.append(self.open)
        else:
            self.open = None
        self.space = space_after

    def flush(self):
        if self.text:
            emit(self.text, self.spans, f"{self.name}:{self.count}")
            self.count += 1
        self.reset()


def hipe2022(name, path):
    out = Builder(name)
    header = None
    with open(path, encoding="utf-8") as fh:
        for n, raw in enumerate(fh, 1):
            line = raw.rstrip("\n").rstrip("\r")
            if line.startswith("# hipe2022:document_id"):
                out.flush()
                continue
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.split("\t")
            if header is None:
                if parts[0] != "TOKEN" or "NE-COARSE-LIT" not in parts or "MISC" not in parts:
                    fail(f"{path}:{n}: no HIPE header (TOKEN … NE-COARSE-LIT … MISC)")
                header = {h: i for i, h in enumerate(parts)}
                continue
            if len(parts) != len(header):
                fail(f"{path}:{n}: {len(parts)} columns, the header has {len(header)}")
            misc = parts[header["MISC"]].split("|")
            out.add(parts[0], parts[header["NE-COARSE-LIT"]], f"{path}:{n}", "NoSpaceAfter" not in misc)
            if "EndOfSentence" in misc:
                out.flush()
    out.flush()
    print(f"{out.count} sentences", file=sys.stderr)


def wnut(name, path):
    out = Builder(name)
    with open(path, encoding="utf-8") as fh:
        for n, raw in enumerate(fh, 1):
            line = raw.rstrip("\n").rstrip("\r")
            if not line.strip():
                out.flush()
                continue
            parts = line.split("\t")
            if len(parts) != 2:
                fail(f"{path}:{n}: not a WNUT line (token TAB tag)")
            out.add(parts[0], parts[1], f"{path}:{n}")
    out.flush()
    print(f"{out.count} sentences", file=sys.stderr)


if __name__ == "__main__":
    modes = {"hipe2022": hipe2022, "wnut": wnut}
    if len(sys.argv) != 4 or sys.argv[1] not in modes:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    modes[sys.argv[1]](sys.argv[2], sys.argv[3])
