#!/usr/bin/env python3
"""Build the human-labelled parts of PII held-out set U10 as the JSON Lines bench/pii-external.ts reads.

  python3 scripts/pii-u10-convert.py meddocan NAME DIR          > u10-NAME.jsonl   # brat .txt + .ann pairs
  python3 scripts/pii-u10-convert.py kind NAME FILE.tsv         > u10-NAME.jsonl   # token TAB tag (IO)
  python3 scripts/pii-u10-convert.py hipe NAME FILE.tsv         > u10-NAME.jsonl   # CLEF-HIPE-2020 TSV

meddocan: every document of DIR (sorted by file name) is one sample, its text as written. Brat labels
are mapped to ours: NOMBRE_SUJETO_ASISTENCIA and NOMBRE_PERSONAL_SANITARIO -> PERSON, CALLE ->
STREET_ADDRESS, CORREO_ELECTRONICO -> EMAIL_ADDRESS, NUMERO_TELEFONO and NUMERO_FAX -> PHONE_NUMBER,
ID_SUJETO_ASISTENCIA -> MEDICAL_RECORD_NUMBER, URL_WEB -> URL, DIREC_PROT_INTERNET -> IP_ADDRESS, FECHAS
-> DATE_TIME (precision only); every other label keeps its name (outside Rampart's scope, counted apart).
Every kind of personal data is labelled there, so the samples carry no scope: any Rampart finding that
overlaps no label is a false positive. A discontinuous brat span counts from its first to its last piece.

kind: KIND's TSV (token, tag; tags PER/LOC/ORG/O with no B-/I- prefix, sentences end at a blank line).
Every sentence is kept, in file order; a run of PER tokens is one PERSON span. Scoped to PERSON.

hipe: the literal coarse column (NE-COARSE-LIT, B-pers/I-pers -> PERSON); a sample ends after a token
whose MISC column says PySBDSegment or at a new document; NoSpaceAfter joins tokens, everything else
(line ends of the printed page too) is one space. Every segment is kept, in file order. Scoped to PERSON.

Only text is read; nothing of the sets is run. Offsets are in characters, and a text with a character
beyond the Basic Multilingual Plane is refused (JavaScript would count it twice).
"""
import json
import os
import sys

MEDDOCAN = {
    "NOMBRE_SUJETO_ASISTENCIA": "PERSON",
    "NOMBRE_PERSONAL_SANITARIO": "PERSON",
    "CALLE": "STREET_ADDRESS",
    "CORREO_ELECTRONICO": "EMAIL_ADDRESS",
    "NUMERO_TELEFONO": "PHONE_NUMBER",
    "NUMERO_FAX": "PHONE_NUMBER",
    "ID_SUJETO_ASISTENCIA": "MEDICAL_RECORD_NUMBER",
    "URL_WEB": "URL",
    "DIREC_PROT_INTERNET": "IP_ADDRESS",
    "FECHAS": "DATE_TIME",
}


def emit(text, spans, source, scope):
    if any(ord(ch) > 0xFFFF for ch in text):
        sys.exit(f"{source}: a character beyond the BMP; offsets would not match")
    row = {"text": text, "spans": spans, "source": source}
    if scope:
        row["scope"] = scope
    print(json.dumps(row, ensure_ascii=False))


def meddocan(name, folder):
    docs = sorted(f[:-4] for f in os.listdir(folder) if f.endswith(".txt"))
    for doc in docs:
        with open(os.path.join(folder, doc + ".txt"), encoding="utf-8", newline="") as fh:
            text = fh.read()
        spans = []
        ann = os.path.join(folder, doc + ".ann")
        with open(ann, encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                if not line.startswith("T"):
                    continue
                parts = line.rstrip("\n").split("\t")
                if len(parts) < 3:
                    sys.exit(f"{ann}:{n}: not a brat text-bound line")
                label, _, ranges = parts[1].partition(" ")
                bounds = [int(x) for r in ranges.split(";") for x in r.split()]
                if not bounds or min(bounds) < 0 or max(bounds) > len(text):
                    sys.exit(f"{ann}:{n}: offsets outside the text")
                spans.append({"entity": MEDDOCAN.get(label, label), "start": min(bounds), "end": max(bounds)})
        spans.sort(key=lambda s: (s["start"], s["end"]))
        emit(text, spans, f"{name}:{doc}", None)
    print(f"{len(docs)} documents", file=sys.stderr)


def kind(name, path):
    sentences, tokens = [], []
    with open(path, encoding="utf-8") as fh:
        for n, raw in enumerate(fh, 1):
            line = raw.rstrip("\n").rstrip("\r")
            if not line.strip():
                if tokens:
                    sentences.append(tokens)
                    tokens = []
                continue
            parts = line.split("\t")
            if len(parts) != 2 or parts[1] not in ("O", "PER", "LOC", "ORG"):
                sys.exit(f"{path}:{n}: not a KIND line (token TAB O|PER|LOC|ORG)")
            tokens.append((parts[0], parts[1]))
    if tokens:
        sentences.append(tokens)
    for i, sentence in enumerate(sentences):
        text, spans, last = "", [], "O"
        for token, tag in sentence:
            if text:
                text += " "
            start = len(text)
            text += token
            if tag != "O" and tag == last:
                spans[-1]["end"] = len(text)
            elif tag != "O":
                spans.append({"entity": "PERSON" if tag == "PER" else tag, "start": start, "end": len(text)})
            last = tag
        emit(text, spans, f"{name}:{i}", ["PERSON"])
    print(f"{len(sentences)} sentences", file=sys.stderr)


def hipe(name, path):
    count = 0
    state = {"text": "", "spans": [], "open": None, "space": False}

    def flush():
        nonlocal count
        if state["text"]:
            emit(state["text"], state["spans"], f"{name}:{count}", ["PERSON"])
            count += 1
        state.update(text="", spans=[], open=None, space=False)

    with open(path, encoding="utf-8") as fh:
        header = None
        for n, raw in enumerate(fh, 1):
            line = raw.rstrip("\n").rstrip("\r")
            if line.startswith("# document_id"):
                flush()
                continue
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.split("\t")
            if header is None:
                if parts[0] != "TOKEN" or "NE-COARSE-LIT" not in parts or "MISC" not in parts:
                    sys.exit(f"{path}:{n}: no HIPE header (TOKEN … NE-COARSE-LIT … MISC)")
                header = {h: i for i, h in enumerate(parts)}
                continue
            if len(parts) != len(header):
                sys.exit(f"{path}:{n}: {len(parts)} columns, the header has {len(header)}")
            token, tag, misc = parts[0], parts[header["NE-COARSE-LIT"]], parts[header["MISC"]].split("|")
            if tag != "O" and tag[:2] not in ("B-", "I-"):
                sys.exit(f"{path}:{n}: tag {tag!r} is not O, B-X or I-X")
            if state["space"]:
                state["text"] += " "
            start = len(state["text"])
            state["text"] += token
            kind_ = tag[2:] if tag != "O" else None
            if kind_ == "pers":
                kind_ = "PERSON"
            op = state["open"]
            if kind_ and tag.startswith("I-") and op and op["entity"] == kind_:
                op["end"] = len(state["text"])
            elif kind_:
                state["open"] = {"entity": kind_, "start": start, "end": len(state["text"])}
                state["spans"].append(state["open"])
            else:
                state["open"] = None
            state["space"] = "NoSpaceAfter" not in misc
            if "PySBDSegment" in misc:
                flush()
    flush()
    print(f"{count} segments", file=sys.stderr)


if __name__ == "__main__":
    modes = {"meddocan": meddocan, "kind": kind, "hipe": hipe}
    if len(sys.argv) != 4 or sys.argv[1] not in modes:
        sys.exit(__doc__)
    modes[sys.argv[1]](sys.argv[2], sys.argv[3])
