#!/usr/bin/env python3
"""Build PII held-out set U16 (three human-labelled families) as the JSON Lines bench/pii-external.ts reads.

  python3 scripts/pii-u16-convert.py smartdata NAME FILE.json.gz …  > u16-smartdata.jsonl  # DFKI SmartData (German)
  python3 scripts/pii-u16-convert.py gum       NAME FILE.conllu …   > u16-gum.jsonl        # GUM / GENTLE (English)
  python3 scripts/pii-u16-convert.py europeana NAME FILE.bio K SEED > u16-enp-fr.jsonl    # Europeana Newspapers (French)

smartdata: the corpus's JSON export, documents written one after another (not an array). One sample per
document, its "text" as written. Concept mentions: PERSON -> PERSON, DATE -> DATE_TIME (precision only);
every other type (LOCATION_STREET, LOCATION_CITY, ORGANIZATION_COMPANY, NUMBER, …) keeps its name and is not
scored. Scope PERSON and DATE_TIME.

gum: CoNLL-U with the entity column of GUM (MISC "Entity=", brackets "(eid-type-…" open, "eid)" close). A
document's text is its tokens joined by one space unless SpaceAfter=No, sentences joined by a line break.
A person name is a run of proper-noun tokens (UPOS PROPN) whose innermost open entity is of type person;
each run is one PERSON span ("Biologist Nick Bos" gives "Nick Bos"; pronouns and common nouns that refer
to people are not names and are not scored). Documents whose tokens are withheld ("_", GUM's Reddit part)
are skipped. Scope PERSON.

europeana: token SPACE tag per line (IOB1 or IOB2, no blank lines, no document marks: the page map beside
the file is incomplete). A sentence ends after a token ".", "?" or "!" (or at the end of the file), its
tokens joined by one space; one sample per 20 consecutive sentences, joined by line breaks, from the top of
the file (the last sample may be shorter); then K of them drawn by Python's random.Random(SEED).sample over
their indices, kept in file order. PER -> PERSON; LOC, ORG keep their names. Scope PERSON.

Offsets are in UTF-16 units (a character beyond the Basic Multilingual Plane becomes two U+FFFD, so
Python's, Java's and JavaScript's offsets agree). A bad line stops the conversion with its file and line
number (exit 2). Only text is read; nothing of the sets is run. No sampling except europeana's K of SEED:
every document, in the order given.
"""
import gzip
import json
import random
import re
import sys

from pii_bio import append_tagged


def fail(msg):
    print(msg, file=sys.stderr)
    sys.exit(2)


def utf16(s):
    return "".join(ch if ord(ch) <= 0xFFFF else "\ufffd\ufffd" for ch in s)


def emit(text, spans, source, scope):
    print(json.dumps({"text": text, "spans": spans, "source": source, "scope": scope}, ensure_ascii=False))


def smartdata(name, paths):
    mapping = {"PERSON": "PERSON", "DATE": "DATE_TIME"}
    docs = 0
    for path in paths:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            raw = fh.read()
        dec, at = json.JSONDecoder(), 0
        while True:
            while at < len(raw) and raw[at].isspace():
                at += 1
            if at >= len(raw):
                break
            try:
                doc, at = dec.raw_decode(raw, at)
            except json.JSONDecodeError as e:
                fail(f"{path}: character {e.pos}: not a SmartData JSON document ({e.msg})")
            text = (doc.get("text") or {}).get("string")
            if not isinstance(text, str):
                fail(f"{path}: document {doc.get('id')!r}: field text.string missing")
            text = utf16(text)
            spans = []
            for m in ((doc.get("conceptMentions") or {}).get("array") or []):
                sp = m.get("span") or {}
                start, end = sp.get("start"), sp.get("end")
                if not isinstance(start, int) or not isinstance(end, int) or not 0 <= start < end <= len(text):
                    fail(f"{path}: document {doc.get('id')!r}: concept mention span {sp!r} outside the text")
                spans.append({"entity": mapping.get(m.get("type"), m.get("type")), "start": start, "end": end})
            emit(text, spans, f"{name}:{docs}", ["PERSON", "DATE_TIME"])
            docs += 1
    print(f"{docs} documents", file=sys.stderr)


ENTITY_PART = re.compile(r"\(|\)|[^()]+")


def entity_events(misc, where):
    """(opened [(eid, type)], closed [eid]) of one token's Entity= value."""
    value = None
    for field in misc.split("|"):
        if field.startswith("Entity="):
            value = field[len("Entity=") :]
    if value is None:
        return [], []
    opened, closed = [], []
    parts = ENTITY_PART.findall(value)
    i = 0
    while i < len(parts):
        p = parts[i]
        if p == "(":
            if i + 1 >= len(parts) or parts[i + 1] in "()":
                fail(f"{where}: Entity value {value!r} opens a bracket without a description")
            desc = parts[i + 1].split("-")
            if len(desc) < 2:
                fail(f"{where}: Entity description {parts[i + 1]!r} has no type")
            opened.append((desc[0], desc[1]))
            i += 2
            if i < len(parts) and parts[i] == ")":
                closed.append(desc[0])
                i += 1
        elif p == ")":
            fail(f"{where}: Entity value {value!r} closes a bracket it did not open")
        else:
            if i + 1 >= len(parts) or parts[i + 1] != ")":
                fail(f"{where}: Entity value {value!r} has text outside brackets")
            closed.append(p)
            i += 2
    return opened, closed


def gum(name, paths):
    docs, skipped, persons = 0, 0, 0
    for path in paths:
        text, spans, stack, withheld = "", [], [], False
        run = None  # [start, end, entity id] of the person-name run being read
        sentence_open = False
        with open(path, encoding="utf-8") as fh:
            for n, raw_line in enumerate(fh, 1):
                line = raw_line.rstrip("\n").rstrip("\r")
                where = f"{path}:{n}"
                if not line.strip():
                    run = None
                    sentence_open = False
                    continue
                if line.startswith("#"):
                    continue
                cols = line.split("\t")
                if len(cols) != 10:
                    fail(f"{where}: not a CoNLL-U line (10 columns)")
                if "." in cols[0]:
                    continue  # an empty node of the enhanced graph: no text of its own
                form = utf16(cols[1])
                if form == "_":
                    withheld = True
                if not sentence_open:
                    if text:
                        text += "\n"
                    sentence_open = True
                    glue, mwt = "", None
                if "-" in cols[0]:
                    lo, hi = (int(x) for x in cols[0].split("-"))
                    start = len(text) + len(glue)
                    text += glue + form
                    mwt = (hi, start, len(text))
                    glue = "" if "SpaceAfter=No" in cols[9].split("|") else " "
                    continue
                if mwt and int(cols[0]) <= mwt[0]:
                    start, end = mwt[1], mwt[2]
                    if int(cols[0]) == mwt[0]:
                        mwt = None
                else:
                    start = len(text) + len(glue)
                    text += glue + form
                    end = len(text)
                    glue = "" if "SpaceAfter=No" in cols[9].split("|") else " "
                opened, closed = entity_events(cols[9], where)
                stack.extend(opened)
                innermost = stack[-1] if stack else None
                if cols[3] == "PROPN" and innermost and innermost[1] == "person":
                    if run and run[2] is innermost:
                        run[1] = end
                    else:
                        run = [start, end, innermost]
                        spans.append(run)
                else:
                    run = None
                for eid in closed:
                    for k in range(len(stack) - 1, -1, -1):
                        if stack[k][0] == eid:
                            del stack[k]
                            break
                    else:
                        fail(f"{where}: entity {eid!r} closed but not open")
        if withheld:
            skipped += 1
            continue
        out = [{"entity": "PERSON", "start": s, "end": e} for s, e, _ in spans]
        persons += len(out)
        emit(text, out, f"{name}:{docs}", ["PERSON"])
        docs += 1
    print(f"{docs} documents, {skipped} withheld skipped, {persons} person names", file=sys.stderr)


def europeana(name, path, k, seed):
    sentences, tokens = [], []
    with open(path, encoding="utf-8") as fh:
        for n, raw_line in enumerate(fh, 1):
            line = raw_line.rstrip("\n").rstrip("\r")
            parts = line.rsplit(" ", 1)
            if len(parts) != 2 or not parts[0].strip():
                fail(f"{path}:{n}: not a Europeana line (token SPACE tag)")
            tag = parts[1]
            if tag != "O" and (len(tag) < 3 or tag[1] != "-" or tag[0] not in "BI"):
                fail(f"{path}:{n}: tag {tag!r} is not O or B-/I-X")
            tok = utf16(parts[0].strip())
            tokens.append((tok, tag))
            if tok in (".", "?", "!"):
                sentences.append(tokens)
                tokens = []
    if tokens:
        sentences.append(tokens)
    starts = list(range(0, len(sentences), 20))
    chosen = set(random.Random(seed).sample(range(len(starts)), min(k, len(starts))))
    docs = 0
    for i, first in enumerate(starts):
        if i not in chosen:
            continue
        text, spans = "", []
        for sentence in sentences[first : first + 20]:
            if text:
                text += "\n"
            text = append_tagged(text, spans, sentence, {"PER": "PERSON"})
        emit(text, spans, f"{name}:{docs}", ["PERSON"])
        docs += 1
    print(f"{docs} of {len(starts)} samples of up to 20 sentences ({len(sentences)} sentences)", file=sys.stderr)


if __name__ == "__main__":
    if len(sys.argv) >= 4 and sys.argv[1] == "smartdata":
        smartdata(sys.argv[2], sys.argv[3:])
    elif len(sys.argv) >= 4 and sys.argv[1] == "gum":
        gum(sys.argv[2], sys.argv[3:])
    elif len(sys.argv) == 6 and sys.argv[1] == "europeana":
        europeana(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]))
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
