#!/usr/bin/env python3
"""Turn the two labelled sets of PII held-out set U5 into the JSON Lines that bench/pii-external.ts reads.

  python3 scripts/pii-u5-convert.py nanni FILE.json > u5-nanni.jsonl
  python3 scripts/pii-u5-convert.py piimanager TEST_DIR > u5-piimanager.jsonl

nanni: a JSON array of {text, NER: [{entity, label}]} (Nannigalaxy/PII-synthetic_dataset). The set
gives values, not offsets: every verbatim occurrence of a labelled value in its text is a gold span
of that label (earlier labels first, no overlaps); a value not found verbatim, even without
surrounding asterisks or quotes, is dropped and counted on stderr. A record whose value sits under a misspelt key ("=": "...") has that value read.

piimanager: the pii-manager unit-test folder (test/unit/lang of bigscience-workshop/data_tooling's
pii-manager). Each test file's TEST list holds (text, text with <TAG> in place of each PII value,
...) tuples; the files are parsed with `ast`, never imported or run. Gold spans are where the tag
replaced text; every case is scoped to its file's one kind, as for Presidio's recognizer tables.
Only files of kinds Rampart detects are read (see FILES).

Labels are written in bench/pii-external.ts's vocabulary; kinds Rampart does not detect keep their
own name, so the bench counts predictions on them apart (neither right nor wrong).
"""
import ast
import json
import os
import re
import sys

NANNI_LABELS = {
    "PERSON": "PERSON",
    "EMAIL": "EMAIL_ADDRESS",
    "SSN": "US_SSN",
    "IBAN": "IBAN_CODE",
    "CREDIT_CARD": "CREDIT_CARD",
    "PHONE": "PHONE_NUMBER",
    "PASSPORT": "US_PASSPORT",
    "PASSPORT_NUM": "US_PASSPORT",
    "ROUTING_NUMBER": "US_BANK_NUMBER",
    "PATIENT_ID": "MEDICAL_RECORD_NUMBER",
    "MEDICAL_RECORD": "MEDICAL_RECORD_NUMBER",
}

# file (under test/unit/lang) → the label of its one kind, in the bench's vocabulary
FILES = {
    "any/test_credit_card.py": "CREDIT_CARD",
    "any/test_email.py": "EMAIL_ADDRESS",
    "any/test_ip_address.py": "IP_ADDRESS",
    "any/test_bitcoin_address.py": "CRYPTO",
    "en/any/test_ipn_en.py": "PHONE_NUMBER",
    "es/any/test_ipn_es.py": "PHONE_NUMBER",
    "en/us/test_ssn.py": "US_SSN",
    "es/es/test_govid_es_es.py": "ES_NIF",
}

TAG = re.compile(r"<([A-Z_]+)>")


def nanni(path):
    dropped = 0
    with open(path, encoding="utf-8") as f:
        records = json.load(f)
    for r in records:
        text = r["text"]
        spans = []
        taken = []
        for e in r.get("NER", []):
            value = e.get("entity")
            if value is None:
                value = next((v for k, v in e.items() if k != "label" and isinstance(v, str)), None)
            label = NANNI_LABELS.get(e.get("label", ""), e.get("label", "OTHER"))
            # Some values keep Markdown emphasis or quotes the text does not have ("*555-98-7654*").
            if value and value not in text:
                value = value.strip(" *'\"")
            if not value or value not in text:
                dropped += 1
                continue
            at = text.find(value)
            while at >= 0:
                end = at + len(value)
                if not any(at < b and a < end for a, b in taken):
                    taken.append((at, end))
                    spans.append({"entity": label, "start": at, "end": end})
                at = text.find(value, end)
        yield {"text": text, "spans": spans}
    print(f"nanni: {len(records)} records, {dropped} labels dropped (value not in text)", file=sys.stderr)


def cases(source):
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "TEST" for t in node.targets):
            for elt in node.value.elts:
                doc = elt.elts[0].value
                replaced = elt.elts[1].value
                yield doc, replaced


def spans_of(doc, replaced, label):
    """Where each <TAG> of the replaced text stands in the original: the literal text between tags
    is found in order; what lies between is the tagged value."""
    parts = TAG.split(replaced)
    literals = parts[0::2]
    if not doc.startswith(literals[0]):
        raise ValueError(f"prefix differs: {doc!r} / {replaced!r}")
    at = len(literals[0])
    spans = []
    for lit in literals[1:]:
        end = doc.find(lit, at + 1) if lit else len(doc)
        if end < 0:
            raise ValueError(f"cannot align {doc!r} / {replaced!r}")
        spans.append({"entity": label, "start": at, "end": end})
        at = end + len(lit)
    return spans


def piimanager(folder):
    n = 0
    for rel, label in FILES.items():
        with open(os.path.join(folder, rel), encoding="utf-8") as f:
            for doc, replaced in cases(f.read()):
                n += 1
                yield {"text": doc, "spans": spans_of(doc, replaced, label), "scope": [label]}
    print(f"piimanager: {n} cases", file=sys.stderr)


if __name__ == "__main__":
    kind, path = sys.argv[1], sys.argv[2]
    for sample in nanni(path) if kind == "nanni" else piimanager(path):
        print(json.dumps(sample, ensure_ascii=False))
