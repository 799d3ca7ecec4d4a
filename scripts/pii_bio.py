"""Shared by the pii-u*-convert.py scripts: BIO-tagged tokens to text and character spans."""

import re
import sys

ASTRAL = re.compile("[\U00010000-\U0010FFFF]")


def append_tagged(text, spans, tokens, kinds):
    """Append (token, BIO tag) pairs to text, one space apart, and their entity spans to spans.

    kinds renames tag types (e.g. PER -> PERSON); a span runs on only across I- tags of its own kind, so
    "B-PER I-LOC" gives two spans. Returns the longer text (spans is extended in place).
    """
    open_span, prev_kind = None, None
    for i, (tok, tag) in enumerate(tokens):
        if i:
            text += " "
        start = len(text)
        text += tok
        kind = None if tag == "O" else kinds.get(tag[2:], tag[2:])
        if kind and open_span and prev_kind == kind and tag[0] == "I":
            open_span["end"] = len(text)
        elif kind:
            open_span = {"entity": kind, "start": start, "end": len(text)}
            spans.append(open_span)
        else:
            open_span = None
        prev_kind = kind
    return text


def line_blocks(path, errors="strict"):
    """Yield the runs of non-blank lines of a file (a blank line ends one) as lists of (line number, line)."""
    block = []
    with open(path, encoding="utf-8", errors=errors) as fh:
        for n, raw_line in enumerate(fh, 1):
            line = raw_line.rstrip("\r\n")
            if line.strip():
                block.append((n, line))
            elif block:
                yield block
                block = []
    if block:
        yield block


def fail(msg):
    """Print msg to stderr and stop with exit code 2 (bad input)."""
    sys.stderr.write(msg + "\n")
    raise SystemExit(2)


def utf16(s):
    """Offsets as JavaScript counts them: a character beyond the Basic Multilingual Plane becomes two U+FFFD."""
    return ASTRAL.sub("\ufffd\ufffd", s)


def token_runs(words, run):
    """Every run of `run` consecutive words, lower-cased (to find samples shared with a seen set)."""
    words = [w.lower() for w in words]
    return {tuple(words[i : i + run]) for i in range(len(words) - run + 1)}


def check_tag(path, n, tag):
    """Stop (exit 2) unless tag is O or B-/I- and a kind."""
    if tag != "O" and (len(tag) < 3 or tag[1] != "-" or tag[0] not in "BI"):
        fail(f"{path}:{n}: tag {tag!r} is not O or B-/I-X")
