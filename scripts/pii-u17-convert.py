#!/usr/bin/env python3
"""Build PII held-out set U17 (two human-labelled families) as the JSON Lines bench/pii-external.ts reads.

  python3 scripts/pii-u17-convert.py cess NAME CONLL2002_DIR FILE.tbf …  > u17-cess-es.jsonl  # CESS-ESP (Spanish)
  python3 scripts/pii-u17-convert.py ieer NAME FILE …                     > u17-ieer-en.jsonl  # NIST IE-ER 1999 (English)

cess: the CESS-ESP treebank (bracketed trees, Latin-1). A leaf is "(tag word lemma)"; elided subjects
("*0*") are no leaves. A word's underscores join a multi-word unit and become spaces; -Fpa- and -Fpt- are
brackets, -fe- a quote. One sample per file: its words joined by one space, sentences by a line break. The
named-entity class sits in a proper noun's tag: np0000p -> PERSON (one span per word, multi-word names are
one word), np0000l LOCATION, np0000o ORGANIZATION, np0000a and np00000 OTHER_NAME (not scored); a date
word (tag W) -> DATE_TIME (precision only). Scope PERSON and DATE_TIME.
Overlap with CoNLL-2002 (seen): a file is dropped when any 10 consecutive words of one of its sentences
(runs of letters and digits, lower-cased) also occur in a row in a sentence of CoNLL-2002's Spanish files
(esp.train, esp.testa, esp.testb under CONLL2002_DIR). A file whose brackets do not balance is dropped
too. Both numbers are printed.

ieer: NIST 1999 IE-ER newswire (SGML, Latin-1). One sample per <DOC>: the text between <TEXT> and </TEXT>
as written, <ANNOTATION>…</ANNOTATION> notes removed; <b_enamex|timex|numex type="T">…<e_…> marks spans.
PERSON -> PERSON; DATE, TIME -> DATE_TIME (precision only); a span marked status="opt" (optional in NIST's
scoring) keeps its type with the suffix _OPT and is not scored; other types keep their names and are not
scored. Scope PERSON and DATE_TIME.

Offsets are in UTF-16 units (a character beyond the Basic Multilingual Plane becomes two U+FFFD). A bad
file stops the conversion with its name and what is wrong (exit 2). Only text is read; nothing of the sets
is run. No sampling: every document, in the order given (less cess's overlap).
"""
import json
import os
import re
import sys


def fail(msg):
    print(msg, file=sys.stderr)
    sys.exit(2)


def utf16(s):
    return "".join(ch if ord(ch) <= 0xFFFF else "\ufffd\ufffd" for ch in s)


def emit(text, spans, source, scope):
    print(json.dumps({"text": text, "spans": spans, "source": source, "scope": scope}, ensure_ascii=False))


WORD = re.compile(r"[^\W_]+")
WINDOW = 10


def windows(text):
    words = [w.lower() for w in WORD.findall(text)]
    return {" ".join(words[i : i + WINDOW]) for i in range(len(words) - WINDOW + 1)}


def conll2002_windows(folder):
    seen = set()
    for name in ("esp.train", "esp.testa", "esp.testb"):
        path = os.path.join(folder, name)
        try:
            with open(path, encoding="latin-1") as fh:
                lines = fh.read().split("\n")
        except OSError as e:
            fail(f"{path}: {e.strerror}")
        sentence = []
        for line in lines + [""]:
            if line.strip() and not line.startswith("-DOCSTART-"):
                sentence.append(line.split(" ")[0])
            elif sentence:
                seen |= windows(" ".join(sentence))
                sentence = []
    return seen


LEAF_WORD = {"-Fpa-": "(", "-Fpt-": ")", "-fe-": '"'}
NP_CLASS = {"np0000p": "PERSON", "np0000l": "LOCATION", "np0000o": "ORGANIZATION"}


def tree_tokens(raw):
    """Atoms and brackets of a bracketed tree file, or None when its brackets do not balance."""
    out = [m.group(0) for m in re.finditer(r"\(|\)|[^\s()]+", raw)]
    depth = 0
    for t in out:
        depth += 1 if t == "(" else -1 if t == ")" else 0
        if depth < 0:
            return None
    return out if depth == 0 else None


def cess_sentences(path):
    """Each top-level tree as a list of (tag, word) leaves."""
    with open(path, encoding="latin-1") as fh:
        toks = tree_tokens(fh.read())
    if toks is None:
        return None
    sentences, leaves, depth, i = [], [], 0, 0
    while i < len(toks):
        t = toks[i]
        if t == "(":
            # A leaf: ( tag word lemma )
            if i + 4 < len(toks) and toks[i + 4] == ")" and "(" not in toks[i + 1 : i + 4] and ")" not in toks[i + 1 : i + 4]:
                leaves.append((toks[i + 1], toks[i + 2]))
                i += 5
                continue
            depth += 1
        elif t == ")":
            depth -= 1
            if depth == 0 and leaves:
                sentences.append(leaves)
                leaves = []
        i += 1
    if leaves:
        sentences.append(leaves)
    return sentences


def cess(name, folder, paths):
    seen = conll2002_windows(folder)
    kept = dropped = broken = 0
    for path in paths:
        lines, spans = [], []
        at = 0
        overlap = False
        trees = cess_sentences(path)
        if trees is None:
            print(f"{path}: brackets do not balance; file dropped", file=sys.stderr)
            broken += 1
            continue
        for leaves in trees:
            words = []
            for tag, word in leaves:
                word = LEAF_WORD.get(word, word).replace("_", " ")
                if words:
                    at += 1
                start = at
                at += len(utf16(word))
                words.append(word)
                # A span excludes white space at its edges (a unit that ends in "_").
                lead = len(word) - len(word.lstrip())
                trail = len(word) - len(word.rstrip())
                label = NP_CLASS.get(tag) or ("OTHER_NAME" if tag.startswith("np") else "DATE_TIME" if tag == "W" else None)
                if label and start + lead < at - trail:
                    spans.append({"entity": label, "start": start + lead, "end": at - trail})
            sentence = " ".join(words)
            if windows(sentence) & seen:
                overlap = True
            lines.append(sentence)
            at += 1  # the line break
        if not lines:
            fail(f"{path}: no sentence")
        if overlap:
            dropped += 1
            continue
        text = utf16("\n".join(lines))
        for s in spans:
            if not 0 <= s["start"] < s["end"] <= len(text):
                fail(f"{path}: span {s!r} outside the text")
        emit(text, spans, f"{name}:{os.path.basename(path)}", ["PERSON", "DATE_TIME"])
        kept += 1
    print(f"{kept} documents kept, {dropped} dropped for overlap with CoNLL-2002, {broken} unreadable", file=sys.stderr)


MARK = re.compile(r"<(b|e)_(enamex|timex|numex)([^>]*)>")
IEER_TYPES = {"PERSON": "PERSON", "DATE": "DATE_TIME", "TIME": "DATE_TIME"}


def ieer(name, paths):
    docs = 0
    for path in paths:
        with open(path, encoding="latin-1") as fh:
            raw = fh.read()
        for n, doc in enumerate(raw.split("<DOC>")[1:]):
            body = re.search(r"<TEXT>(.*?)</TEXT>", doc, re.S)
            if not body:
                fail(f"{path}: document {n}: no <TEXT>")
            src = re.sub(r"<ANNOTATION>.*?</ANNOTATION>", "", body.group(1), flags=re.S)
            text, spans, stack, last = "", [], [], 0
            for m in MARK.finditer(src):
                text += utf16(src[last : m.start()])
                last = m.end()
                if m.group(1) == "b":
                    kind = re.search(r'type="([^"]*)"', m.group(3))
                    if not kind:
                        fail(f"{path}: document {n}: a <b_{m.group(2)}> without type")
                    opt = re.search(r'status="opt"', m.group(3), re.I) is not None
                    stack.append((m.group(2), kind.group(1), opt, len(text)))
                else:
                    if not stack or stack[-1][0] != m.group(2):
                        fail(f"{path}: document {n}: <e_{m.group(2)}> does not close the last open mark")
                    _, kind, opt, start = stack.pop()
                    label = IEER_TYPES.get(kind, kind)
                    if opt:
                        label += "_OPT"
                    # Spans exclude white space at their edges.
                    end = len(text)
                    while start < end and text[start].isspace():
                        start += 1
                    while end > start and text[end - 1].isspace():
                        end -= 1
                    if start < end:
                        spans.append({"entity": label, "start": start, "end": end})
            if stack:
                fail(f"{path}: document {n}: {len(stack)} marks left open")
            text += utf16(src[last:])
            emit(text, spans, f"{name}:{os.path.basename(path)}:{n}", ["PERSON", "DATE_TIME"])
            docs += 1
    print(f"{docs} documents", file=sys.stderr)


def main():
    if len(sys.argv) >= 5 and sys.argv[1] == "cess":
        cess(sys.argv[2], sys.argv[3], sys.argv[4:])
    elif len(sys.argv) >= 4 and sys.argv[1] == "ieer":
        ieer(sys.argv[2], sys.argv[3:])
    else:
        fail(__doc__.strip().split("\n\n")[1])


if __name__ == "__main__":
    main()
