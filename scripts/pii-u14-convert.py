#!/usr/bin/env python3
"""Build the human-labelled parts of PII held-out set U14 as the JSON Lines bench/pii-external.ts reads.

  python3 scripts/pii-u14-convert.py uner-doc NAME FILE.iob2     > u14-NAME.jsonl  # Universal NER, one sample per document
  python3 scripts/pii-u14-convert.py echr     NAME A.tsv B.tsv … > u14-NAME.jsonl  # ECHR case reports (token SPACE tag)

uner-doc: comment lines ("# newdoc id = …" opens a document, "# text = …" holds a sentence as written),
then index TAB token TAB IOB2 tag (further columns ignored); a blank line ends a sentence. A sentence's
text is its "# text" line when every token is found in it in order with only white space between them,
else its tokens joined by one space. One sample per document: its sentences joined by a line break.
PER -> PERSON; LOC, ORG keep their names (outside Rampart's scope). Scope PERSON.

echr: token SPACE tag per line (CRLF or LF; the tag is the last field), IOB2 tags, a blank line ends a
sentence. A sentence that is the single word PROCEDIMIENTO, PROCEDURE or PROCÉDURE (the heading that
opens every case report) starts a new document; one sample per document, files in the order given, its
sentences' tokens joined by one space and the sentences by a line break. PER (person) and
LEGAL_PROFESSIONAL (judges, agents, lawyers) -> PERSON, except a span with no upper-case letter (a role
word, not a name), which gets the kind "designation" and is not scored; DATE and DATETIME -> DATE_TIME
(precision only); every other class (LOC, ORG, CODE, QUANTITY, NATIONALITY, …) keeps its name. Scope
PERSON and DATE_TIME (every date is labelled in these reports).

Offsets are in UTF-16 units: a character beyond the Basic Multilingual Plane becomes U+FFFD, so
Python's and JavaScript's offsets agree. A bad line stops the conversion with its file and line number
(exit 2). Only text is read; nothing of the sets is run. No sampling: every document, in file order.
"""
import json
import sys

HEADINGS = {"PROCEDIMIENTO", "PROCEDURE", "PROCÉDURE"}


def fail(msg):
    print(msg, file=sys.stderr)
    sys.exit(2)


def bmp(s):
    return "".join(ch if ord(ch) <= 0xFFFF else "\ufffd" for ch in s)


def emit(text, spans, source, scope):
    print(json.dumps({"text": text, "spans": spans, "source": source, "scope": scope}, ensure_ascii=False))


def kinds_of(tokens, mapping, where):
    """(kind, continues) per token for IOB1/IOB2 tags: B opens a span, I continues one of the same kind."""
    out = []
    for _, tag, n in tokens:
        if tag == "O":
            out.append((None, False))
            continue
        if len(tag) < 3 or tag[1] != "-" or tag[0] not in "BI":
            fail(f"{where}:{n}: tag {tag!r} is not O or B-/I-X")
        out.append((mapping.get(tag[2:], tag[2:]), tag[0] == "I"))
    return out


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


class Doc:
    """Sentences appended one by one; spans keep document offsets."""

    def __init__(self):
        self.text, self.spans, self.placed = "", [], 0

    def add(self, tokens, kinds, written=None):
        words = [t for t, _, _ in tokens]
        starts = place(words, written) if written is not None else None
        if starts is None:
            sentence, starts = "", []
            for w in words:
                if sentence:
                    sentence += " "
                starts.append(len(sentence))
                sentence += w
        else:
            sentence = written
            self.placed += 1
        if self.text:
            self.text += "\n"
        base = len(self.text)
        self.text += sentence
        open_span = None
        for w, start, (kind, inside) in zip(words, starts, kinds):
            end = base + start + len(w)
            if kind and inside and open_span and open_span["entity"] == kind:
                open_span["end"] = end
            elif kind:
                open_span = {"entity": kind, "start": base + start, "end": end}
                self.spans.append(open_span)
            else:
                open_span = None


def uner_doc(name, path):
    docs, sentences, placed = 0, 0, 0
    doc, tokens, written = Doc(), [], None

    def end_sentence():
        nonlocal tokens, written, sentences
        if tokens:
            doc.add(tokens, kinds_of(tokens, {"PER": "PERSON"}, path), written)
            sentences += 1
        tokens, written = [], None

    def end_doc():
        nonlocal doc, docs, placed
        end_sentence()
        if doc.text:
            emit(doc.text, doc.spans, f"{name}:{docs}", ["PERSON"])
            docs += 1
            placed += doc.placed
        doc = Doc()

    with open(path, encoding="utf-8") as fh:
        for n, raw in enumerate(fh, 1):
            line = raw.rstrip("\n").rstrip("\r")
            if not line.strip():
                end_sentence()
            elif line.startswith("# newdoc"):
                end_doc()
            elif line.startswith("# text = "):
                written = bmp(line[len("# text = ") :])
            elif line.startswith("#"):
                continue
            else:
                parts = line.split("\t")
                if len(parts) < 3:
                    fail(f"{path}:{n}: not a Universal NER line (index TAB token TAB tag)")
                tokens.append((bmp(parts[1]), parts[2], n))
    end_doc()
    print(f"{docs} documents, {sentences} sentences, {placed} with their text as written", file=sys.stderr)


def echr(name, paths):
    mapping = {"PER": "PERSON", "LEGAL_PROFESSIONAL": "PERSON", "DATE": "DATE_TIME", "DATETIME": "DATE_TIME"}
    docs, designations = 0, 0
    doc = Doc()

    def end_doc():
        nonlocal doc, docs, designations
        if doc.text:
            for sp in doc.spans:
                if sp["entity"] == "PERSON" and not any(ch.isupper() for ch in doc.text[sp["start"] : sp["end"]]):
                    sp["entity"] = "designation"
                    designations += 1
            emit(doc.text, doc.spans, f"{name}:{docs}", ["PERSON", "DATE_TIME"])
            docs += 1
        doc = Doc()

    for path in paths:
        tokens = []

        def end_sentence():
            nonlocal tokens
            if tokens:
                if len(tokens) == 1 and tokens[0][0] in HEADINGS:
                    end_doc()
                doc.add(tokens, kinds_of(tokens, mapping, path))
            tokens = []

        with open(path, encoding="utf-8") as fh:
            for n, raw in enumerate(fh, 1):
                line = raw.rstrip("\n").rstrip("\r")
                if not line.strip():
                    end_sentence()
                    continue
                parts = line.rsplit(" ", 1)
                if len(parts) != 2 or not parts[0]:
                    fail(f"{path}:{n}: not an ECHR line (token SPACE tag)")
                tokens.append((bmp(parts[0]), parts[1], n))
        end_sentence()
    end_doc()
    print(f"{docs} documents, {designations} person spans without a capital letter set apart", file=sys.stderr)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "uner-doc":
        uner_doc(sys.argv[2], sys.argv[3])
    elif len(sys.argv) >= 4 and sys.argv[1] == "echr":
        echr(sys.argv[2], sys.argv[3:])
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
