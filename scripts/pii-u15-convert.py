#!/usr/bin/env python3
"""Build the human-labelled part of PII held-out set U15 as the JSON Lines bench/pii-external.ts reads.

  python3 scripts/pii-u15-convert.py grascco DIR > u15-grascco.jsonl                # UIMA CAS JSON, one file per document
  python3 scripts/pii-u15-convert.py generated LOCALE GEN.json > u15-gen-LOCALE.jsonl  # presidio-synth-generate.py output

grascco: every "*.json" file of DIR (sorted by file name) is one document and one sample: its text is
the sofa string of the file's uima.cas.Sofa structure, as written; its spans are the structures of type
webanno.custom.PHI (begin, end, kind). Kinds are mapped to ours: NAME_PATIENT, NAME_DOCTOR,
NAME_RELATIVE, NAME_EXT -> PERSON; LOCATION_STREET -> STREET_ADDRESS; CONTACT_PHONE, CONTACT_FAX ->
PHONE_NUMBER; CONTACT_EMAIL -> EMAIL_ADDRESS; ID -> MEDICAL_RECORD_NUMBER (as U10 mapped MEDDOCAN's
patient identifiers); DATE -> DATE_TIME (precision only). Every other kind (NAME_TITLE, NAME_USERNAME,
AGE, PROFESSION, LOCATION_CITY, LOCATION_ZIP, LOCATION_HOSPITAL, LOCATION_ORGANIZATION,
LOCATION_COUNTRY, a PHI with no kind) keeps its name with a "grascco-" prefix: outside Rampart's
scope, so a prediction on it is counted apart. No scope: every kind of personal data is labelled.

generated: the JSON array scripts/presidio-synth-generate.py writes, one sample per sentence, labels
as the generator gives them (as U7-U14), except one fixed by the generator's code, not by its output:
its "US_SSN" is Faker's ssn() of the locale, which for fr_FR is the French NIR (with its key), so in a
fr_FR file US_SSN -> FR_NIR; Faker has no ssn() of its own for de_DE or es_ES (the US shape), so there
and in en_US it stays US_SSN.

Offsets in these files are UTF-16 units (the annotation tool is Java); a character beyond the Basic
Multilingual Plane becomes U+FFFD, so the offsets stay right for JavaScript. A file that is not CAS JSON,
or a span outside its text, stops the conversion with the file name (exit 2). Only text is read; nothing
of the set is run. No sampling: every document, in file-name order.
"""
import glob
import json
import os
import sys

KINDS = {
    "NAME_PATIENT": "PERSON",
    "NAME_DOCTOR": "PERSON",
    "NAME_RELATIVE": "PERSON",
    "NAME_EXT": "PERSON",
    "LOCATION_STREET": "STREET_ADDRESS",
    "CONTACT_PHONE": "PHONE_NUMBER",
    "CONTACT_FAX": "PHONE_NUMBER",
    "CONTACT_EMAIL": "EMAIL_ADDRESS",
    "ID": "MEDICAL_RECORD_NUMBER",
    "DATE": "DATE_TIME",
}


def fail(msg):
    print(msg, file=sys.stderr)
    sys.exit(2)


def bmp(s):
    return "".join(ch if ord(ch) <= 0xFFFF else "\ufffd" for ch in s)


def grascco(folder):
    paths = sorted(glob.glob(os.path.join(folder, "*.json")))
    if not paths:
        fail(f"{folder}: no .json files")
    for path in paths:
        name = os.path.basename(path)
        try:
            with open(path, encoding="utf-8") as fh:
                cas = json.load(fh)
            structures = cas["%FEATURE_STRUCTURES"]
        except (OSError, ValueError, KeyError, TypeError) as e:
            fail(f"{name}: not UIMA CAS JSON ({e.__class__.__name__})")
        sofas = [fs for fs in structures if fs.get("%TYPE") == "uima.cas.Sofa" and isinstance(fs.get("sofaString"), str)]
        if len(sofas) != 1:
            fail(f"{name}: field sofaString: expected one text, found {len(sofas)}")
        text = bmp(sofas[0]["sofaString"])
        spans = []
        for fs in structures:
            if fs.get("%TYPE") != "webanno.custom.PHI":
                continue
            begin, end = fs.get("begin", 0), fs.get("end")
            if not isinstance(begin, int) or not isinstance(end, int) or not 0 <= begin < end <= len(text):
                fail(f"{name}: PHI {fs.get('%ID')}: field begin/end: {begin}..{end} outside the text ({len(text)})")
            kind = fs.get("kind") or "NONE"
            spans.append({"entity": KINDS.get(kind, f"grascco-{kind}"), "start": begin, "end": end})
        spans.sort(key=lambda s: (s["start"], s["end"]))
        print(json.dumps({"text": text, "spans": spans, "source": f"grascco:{name}"}, ensure_ascii=False))


def generated(locale, path):
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except (OSError, ValueError) as e:
        fail(f"{path}: not JSON ({e.__class__.__name__})")
    relabel = {"US_SSN": "FR_NIR"} if locale.startswith("fr_FR") else {}
    for k, d in enumerate(data):
        try:
            spans = [{"entity": relabel.get(s["entity_type"], s["entity_type"]), "start": s["start_position"], "end": s["end_position"]} for s in d["spans"]]
            text = d["full_text"]
        except (KeyError, TypeError):
            fail(f"{path}: sample {k}: field full_text or spans missing")
        print(json.dumps({"text": text, "spans": spans, "source": f"{path}:{k}"}, ensure_ascii=False))


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "grascco":
        grascco(sys.argv[2])
    elif len(sys.argv) == 4 and sys.argv[1] == "generated":
        generated(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
