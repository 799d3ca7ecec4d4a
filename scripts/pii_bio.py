"""Shared by the pii-u*-convert.py scripts: BIO-tagged tokens to text and character spans."""


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
