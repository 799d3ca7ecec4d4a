#!/usr/bin/env python3
"""Turn the three labelled sets of PII held-out set U6 into the JSON Lines that bench/pii-external.ts reads.

  python3 scripts/pii-u6-convert.py hujary DIR > u6-hujary.jsonl      # Hujary/scrubadub_evaluation datasets/
  python3 scripts/pii-u6-convert.py softcom DIR > u6-softcom.jsonl    # ch8ri0s/PII-Anonymizer test/fixtures/
  python3 scripts/pii-u6-convert.py datafog DIR > u6-datafog.jsonl    # DataFog/datafog-python tests/corpus/
  python3 scripts/pii-u6-convert.py noren DIR > u6-noren.jsonl        # himorishige/noren …/datasets/ground-truth/

Every set gives character offsets; a gold span whose offsets do not hold its own text is moved to the
nearest verbatim occurrence of that text, or dropped if there is none (counted on stderr). Only JSON is
read; nothing of the sets is imported or run.

hujary: 30 German business texts (data/Dataset_NN.txt) with gold_exact_match/Dataset_NN.json
{entities: [{label, start, end, text}]}; a label that is a list (["ORG", "LOC"]) is a kind Rampart
does not report unless one of its members is; an entity given as "alternatives" is scored on its first.
softcom: test/fixtures/realistic/*.txt (Swiss DE/FR/EN/IT documents) with
test/fixtures/piiAnnotated/realistic-ground-truth.json; documents marked annotationStatus "pending"
(no labels yet) are left out.
datafog: tests/corpus/*.json, arrays of {input, expected_entities: [{type, start, end, text}]};
cases with no expected entity are negatives (any prediction on them is a false positive).
noren: core-credit-card.json and core-email.json, arrays of {text, annotations: [{type, start, end,
value}]}; each file labels one kind, so each case is scoped to it (as for Presidio's recognizer tables).

Labels are written in bench/pii-external.ts's vocabulary; kinds Rampart does not detect keep their
own name, so the bench counts predictions on them apart (neither right nor wrong).
"""
import glob
import json
import os
import sys

HUJARY = {
    "PER": "PERSON",
    "E_MAIL": "EMAIL_ADDRESS",
    "TELEFON": "PHONE_NUMBER",
    "IBAN": "IBAN_CODE",
    "IP_ADRESSE": "IP_ADDRESS",
    "URL": "URL",
    "STRASSE": "STREET_ADDRESS",
    "DATUM": "DATE_TIME",
}
SOFTCOM = {
    "PERSON_NAME": "PERSON",
    "EMAIL": "EMAIL_ADDRESS",
    "PHONE_NUMBER": "PHONE_NUMBER",
    "IBAN": "IBAN_CODE",
    "ADDRESS": "STREET_ADDRESS",
    "DATE": "DATE_TIME",
}
DATAFOG = {
    "PERSON": "PERSON",
    "EMAIL": "EMAIL_ADDRESS",
    "PHONE": "PHONE_NUMBER",
    "SSN": "US_SSN",
    "CREDIT_CARD": "CREDIT_CARD",
    "IP_ADDRESS": "IP_ADDRESS",
    "ADDRESS": "STREET_ADDRESS",
    "DE_IBAN": "IBAN_CODE",
    "IBAN": "IBAN_CODE",
    "DATE": "DATE_TIME",
}

dropped = 0
moved = 0


def span(text, start, end, value, label):
    """The gold span, checked against its own text."""
    global dropped, moved
    if value is None or text[start:end] == value:
        return {"entity": label, "start": start, "end": end}
    hits = []
    at = text.find(value)
    while at >= 0:
        hits.append(at)
        at = text.find(value, at + 1)
    if not hits:
        dropped += 1
        return None
    moved += 1
    best = min(hits, key=lambda h: abs(h - start))
    return {"entity": label, "start": best, "end": best + len(value)}


def mapped(label, table):
    if isinstance(label, list):
        ours = [table[x] for x in label if x in table]
        return ours[0] if ours else "+".join(label)
    return table.get(label, label)


def hujary(root):
    for path in sorted(glob.glob(os.path.join(root, "gold_exact_match", "*.json"))):
        gold = json.load(open(path, encoding="utf-8"))
        name = os.path.splitext(os.path.basename(path))[0]
        with open(os.path.join(root, "data", name + ".txt"), encoding="utf-8", newline="") as f:
            text = f.read()
        # An entity with "alternatives" (e.g. "Frau Sabine Lehmann" or "Sabine Lehmann") is scored on
        # its first alternative; the overlap rule makes a prediction of either form a hit.
        spans = [
            span(text, a["start"], a["end"], a.get("text"), mapped(e["label"], HUJARY))
            for e in gold["entities"]
            for a in [e["alternatives"][0] if "alternatives" in e else e]
        ]
        yield {"id": f"hujary/{name}", "text": text, "spans": [s for s in spans if s]}


def softcom(root):
    truth = json.load(open(os.path.join(root, "piiAnnotated", "realistic-ground-truth.json"), encoding="utf-8"))
    for name, doc in truth["documents"].items():
        if doc.get("annotationStatus") == "pending":
            continue
        with open(os.path.join(root, "realistic", name), encoding="utf-8", newline="") as f:
            text = f.read()
        spans = [span(text, e["start"], e["end"], e.get("text"), mapped(e["type"], SOFTCOM)) for e in doc["entities"]]
        yield {"id": f"softcom/{name}", "text": text, "spans": [s for s in spans if s]}


def datafog(root):
    for path in sorted(glob.glob(os.path.join(root, "*.json"))):
        for case in json.load(open(path, encoding="utf-8")):
            text = case["input"]
            spans = [span(text, e["start"], e["end"], e.get("text"), mapped(e["type"], DATAFOG)) for e in case["expected_entities"]]
            yield {"id": f"datafog/{os.path.basename(path)}/{case['id']}", "text": text, "spans": [s for s in spans if s]}


NOREN = {"core-credit-card.json": "CREDIT_CARD", "core-email.json": "EMAIL_ADDRESS"}


def noren(root):
    for name, label in NOREN.items():
        for case in json.load(open(os.path.join(root, name), encoding="utf-8")):
            text = case["text"]
            spans = [span(text, a["start"], a["end"], a.get("value"), label) for a in case["annotations"]]
            yield {"id": f"noren/{name}/{case['id']}", "text": text, "spans": [s for s in spans if s], "scope": [label]}


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("hujary", "softcom", "datafog", "noren"):
        sys.exit(__doc__)
    n = 0
    for sample in {"hujary": hujary, "softcom": softcom, "datafog": datafog, "noren": noren}[sys.argv[1]](sys.argv[2]):
        print(json.dumps(sample, ensure_ascii=False))
        n += 1
    print(f"{n} samples; {moved} gold spans moved to their text, {dropped} dropped (text not found)", file=sys.stderr)


if __name__ == "__main__":
    main()
