#!/usr/bin/env python3
"""Build the human-labelled parts of PII held-out set U13 as the JSON Lines bench/pii-external.ts reads.

  python3 scripts/pii-u13-convert.py uner   NAME FILE.iob2      > u13-NAME.jsonl  # Universal NER (UD + IOB2)
  python3 scripts/pii-u13-convert.py ler    NAME FILE.conll     > u13-NAME.jsonl  # German Legal Entity Recognition
  python3 scripts/pii-u13-convert.py mxnews NAME FILE.txt       > u13-NAME.jsonl  # Mx-news (IOBES, tab-separated)
  python3 scripts/pii-u13-convert.py bios   NAME A.tsv B.tsv …  > u13-NAME.jsonl  # token TAB IOBES tag

uner: comment lines ("# text = …" holds the sentence as written), then index TAB token TAB IOB2 tag
(further columns ignored); a blank line ends a sentence. The sample text is the "# text" line when every
token is found in it in order with only white space between them, else the tokens joined by one space.
PER -> PERSON; LOC, ORG keep their names (outside Rampart's scope).

ler: token SPACE tag per line (CRLF or LF), a blank line ends a sentence. The person classes PER
(person), RR (judge) and AN (lawyer) -> PERSON; STR (street) -> STREET_ADDRESS; the other 16 classes
(laws, courts, institutions, places, …) keep their names. Tokens joined by one space; scope PERSON and
STREET_ADDRESS.

mxnews: a header line, then "Sentence: N" TAB word TAB part of speech TAB IOBES tag; blank lines are
skipped, a new sentence number starts a sample. PER -> PERSON; every other class (TIT titles, ADD
addresses/URLs/user names, GPE, ORG, …) keeps its name. Tokens joined by one space.

bios: token TAB IOBES tag per line (files of one book's chapters, in the order given), a blank line
ends a sentence. PER -> PERSON, except a span with no upper-case letter (a designation such as "la
jeune femme", not a name), which gets the kind "designation"; LOC keeps its name. Tokens joined by one
space.

Every sample is scoped to PERSON (ler: and STREET_ADDRESS): predictions of other kinds are not scored.
One sample per sentence (paragraph), every one, in file order; no sampling. Offsets are in UTF-16 units:
a character beyond the Basic Multilingual Plane becomes U+FFFD, so Python's and JavaScript's offsets
agree. A bad line stops the conversion with its file and line number (exit 2). Only text is read;
nothing of the sets is run.
"""
import json
import sys


def fail(msg):
    print(msg, file=sys.stderr)
    sys.exit(2)


def bmp(s):
    return "".join(ch if ord(ch) <= 0xFFFF else "\ufffd" for ch in s)


def emit(text, spans, source, scope):
    print(json.dumps({"text": text, "spans": spans, "source": source, "scope": scope}, ensure_ascii=False))


def tagged(tokens, mapping, where):
    """Spans of (token, tag) pairs in IOB1/IOB2/IOBES: B/S open, I/E continue a span of the same kind."""
    kinds = []
    for token, tag, n in tokens:
        if tag == "O":
            kinds.append((None, False))
            continue
        if len(tag) < 3 or tag[1] != "-" or tag[0] not in "BIES":
            fail(f"{where}:{n}: tag {tag!r} is not O or B-/I-/E-/S-X")
        kind = mapping.get(tag[2:], tag[2:])
        kinds.append((kind, tag[0] in "IE"))
    return kinds


def place(tokens, text):
    """Offsets of each token in text when they follow one another separated only by white space."""
    at, out = 0, []
    for tok in tokens:
        while at < len(text) and text[at].isspace():
            at += 1
        if not text.startswith(tok, at):
            return None
        out.append(at)
        at += len(tok)
    return out if text[at:].strip() == "" else None


PLACED = [0]


def build(tokens, kinds, text=None):
    starts = place([t for t, _, _ in tokens], text) if text is not None else None
    PLACED[0] += starts is not None
    if starts is None:
        text, starts = "", []
        for tok, _, _ in tokens:
            if text:
                text += " "
            starts.append(len(text))
            text += tok
    spans, open_span = [], None
    for (tok, _, _), start, (kind, inside) in zip(tokens, starts, kinds):
        end = start + len(tok)
        if kind and inside and open_span and open_span["entity"] == kind:
            open_span["end"] = end
        elif kind:
            open_span = {"entity": kind, "start": start, "end": end}
            spans.append(open_span)
        else:
            open_span = None
    return text, spans


def uner(name, path):
    count, tokens, text = 0, [], None

    def flush():
        nonlocal count, tokens, text
        if tokens:
            t, spans = build(tokens, tagged(tokens, {"PER": "PERSON"}, path), text)
            emit(t, spans, f"{name}:{count}", ["PERSON"])
            count += 1
        tokens, text = [], None

    with open(path, encoding="utf-8") as fh:
        for n, raw in enumerate(fh, 1):
            line = raw.rstrip("\n").rstrip("\r")
            if not line.strip():
                flush()
            elif line.startswith("# text = "):
                text = bmp(line[len("# text = ") :])
            elif line.startswith("#"):
                continue
            else:
                parts = line.split("\t")
                if len(parts) < 3:
                    fail(f"{path}:{n}: not a Universal NER line (index TAB token TAB tag)")
                tokens.append((bmp(parts[1]), parts[2], n))
    flush()
    print(f"{count} sentences, {PLACED[0]} with their text as written", file=sys.stderr)


def ler(name, path):
    count, tokens = 0, []
    mapping = {"PER": "PERSON", "RR": "PERSON", "AN": "PERSON", "STR": "STREET_ADDRESS"}

    def flush():
        nonlocal count, tokens
        if tokens:
            t, spans = build(tokens, tagged(tokens, mapping, path))
            emit(t, spans, f"{name}:{count}", ["PERSON", "STREET_ADDRESS"])
            count += 1
        tokens = []

    with open(path, encoding="utf-8") as fh:
        for n, raw in enumerate(fh, 1):
            line = raw.rstrip("\n").rstrip("\r")
            if not line.strip():
                flush()
                continue
            parts = line.split(" ")
            if len(parts) != 2:
                fail(f"{path}:{n}: not a LER line (token SPACE tag)")
            tokens.append((bmp(parts[0]), parts[1], n))
    flush()
    print(f"{count} sentences", file=sys.stderr)


def mxnews(name, path):
    count, tokens, current = 0, [], None

    def flush():
        nonlocal count, tokens
        if tokens:
            t, spans = build(tokens, tagged(tokens, {"PER": "PERSON"}, path))
            emit(t, spans, f"{name}:{count}", ["PERSON"])
            count += 1
        tokens = []

    with open(path, encoding="utf-8") as fh:
        for n, raw in enumerate(fh, 1):
            line = raw.rstrip("\n").rstrip("\r")
            if n == 1 or not line.strip():
                continue
            parts = line.split("\t")
            if len(parts) != 4 or not parts[0].startswith("Sentence: "):
                fail(f"{path}:{n}: not a Mx-news line (Sentence: N TAB word TAB POS TAB tag)")
            if parts[0] != current:
                flush()
                current = parts[0]
            tokens.append((bmp(parts[1]), parts[3], n))
    flush()
    print(f"{count} sentences", file=sys.stderr)


def bios(name, paths):
    count, designations = 0, 0
    for path in paths:
        tokens = []

        def flush():
            nonlocal count, tokens, designations
            if tokens:
                t, spans = build(tokens, tagged(tokens, {"PER": "PERSON"}, path))
                for sp in spans:
                    if sp["entity"] == "PERSON" and not any(ch.isupper() for ch in t[sp["start"] : sp["end"]]):
                        sp["entity"] = "designation"
                        designations += 1
                emit(t, spans, f"{name}:{count}", ["PERSON"])
                count += 1
            tokens = []

        with open(path, encoding="utf-8") as fh:
            for n, raw in enumerate(fh, 1):
                line = raw.rstrip("\n").rstrip("\r")
                if not line.strip():
                    flush()
                    continue
                parts = line.split("\t")
                if len(parts) != 2:
                    fail(f"{path}:{n}: not a BIOES line (token TAB tag)")
                tokens.append((bmp(parts[0]), parts[1], n))
        flush()
    print(f"{count} sentences, {designations} person spans without a capital letter set apart", file=sys.stderr)


if __name__ == "__main__":
    modes = {"uner": uner, "ler": ler, "mxnews": mxnews}
    if len(sys.argv) >= 4 and sys.argv[1] == "bios":
        bios(sys.argv[2], sys.argv[3:])
    elif len(sys.argv) == 4 and sys.argv[1] in modes:
        modes[sys.argv[1]](sys.argv[2], sys.argv[3])
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
