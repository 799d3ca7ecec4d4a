#!/usr/bin/env python3
"""Held-out set U24 (declared in docs/data.md): a generated PII corpus with gold character spans.

    python3 scripts/pii-u24-convert.py labels.jsonl > u24-capstone.jsonl

Input: JSON Lines of {"id", "text", "entities": [{"start", "end", "label"}]} (Python code-point offsets).
Output: bench/pii-external.ts's JSON Lines form, {"text", "spans": [{"entity", "start", "end"}]} with
UTF-16 offsets. One sample per distinct text (a text met again is skipped, whatever its labels), rows
without entities kept (they hold the corpus's decoys).

Cards, SSNs and IP addresses are checked here, by this script's own rules, before any Rampart code reads
the texts; a value failing its check keeps a label of its own that the bench does not score
(CREDIT_CARD_FAILS_CHECK, US_SSN_FAILS_CHECK, IP_ADDRESS_NOT_DOTTED): a prediction on one is counted apart.
Counts go to stderr. Bad input: one-line error, exit 2.
"""
import ipaddress
import json
import re
import sys
from collections import Counter


def fail(msg):
    print(f"pii-u24-convert: {msg}", file=sys.stderr)
    sys.exit(2)


def utf16_offset(text, index):
    """JavaScript string offset of Python index `index`."""
    return len(text[:index].encode("utf-16-le")) // 2


def digits_of(value):
    return re.sub(r"\D", "", value)


def luhn_ok(value):
    d = digits_of(value)
    if not 13 <= len(d) <= 19:
        return False
    total = 0
    for i, ch in enumerate(reversed(d)):
        n = int(ch)
        if i % 2 == 1:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return total % 10 == 0


def ssn_ok(value):
    """Nine digits the SSA could issue: area not 000, 666 or 9xx; group not 00; serial not 0000."""
    d = digits_of(value)
    if len(d) != 9:
        return False
    area, group, serial = d[:3], d[3:5], d[5:]
    return area not in ("000", "666") and area[0] != "9" and group != "00" and serial != "0000"


def ip_ok(value):
    """Dotted IPv4 or colon IPv6 text; a bare integer is an address only to a program that parses it."""
    try:
        ipaddress.ip_address(value.strip())
        return True
    except ValueError:
        return False


MAPPED = {"PERSON": "PERSON", "ADDRESS": "STREET_ADDRESS", "EMAIL": "EMAIL", "PHONE": "PHONE_NUMBER", "DOB": "DATE_TIME"}
CHECKED = {
    "CREDIT_CARD": ("CREDIT_CARD", "CREDIT_CARD_FAILS_CHECK", luhn_ok),
    "SSN": ("US_SSN", "US_SSN_FAILS_CHECK", ssn_ok),
    "IP_ADDRESS": ("IP_ADDRESS", "IP_ADDRESS_NOT_DOTTED", ip_ok),
}


def convert(row, counts, where):
    text = row.get("text")
    entities = row.get("entities")
    if not isinstance(text, str) or not isinstance(entities, list):
        fail(f"{where}: needs a text string and an entities list")
    spans = []
    for e in entities:
        start, end, label = e.get("start"), e.get("end"), e.get("label")
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
            fail(f"{where}: span {start}..{end} is outside the text")
        value = text[start:end]
        if label in CHECKED:
            good, bad, check = CHECKED[label]
            entity = good if check(value) else bad
        else:
            entity = MAPPED.get(label, label)
        counts[entity] += 1
        spans.append({"entity": entity, "start": utf16_offset(text, start), "end": utf16_offset(text, end)})
    return {"text": text, "spans": spans}


def main():
    if len(sys.argv) < 2:
        fail("usage: pii-u24-convert.py labels.jsonl [more.jsonl …]")
    counts = Counter()
    rows = 0
    seen = set()
    for path in sys.argv[1:]:
        try:
            lines = open(path, encoding="utf-8").read().splitlines()
        except OSError as err:
            fail(f"{path}: {err.strerror}")
        for n, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError:
                fail(f"{path}:{n}: not JSON")
            sample = convert(row, Counter(), f"{path}:{n}")
            if sample["text"] in seen:
                counts["repeated text skipped"] += 1
                continue
            seen.add(sample["text"])
            counts.update(s["entity"] for s in sample["spans"])
            print(json.dumps(sample, ensure_ascii=False))
            rows += 1
    print(f"{rows} samples; " + ", ".join(f"{k} {v}" for k, v in counts.most_common()), file=sys.stderr)


if __name__ == "__main__":
    main()
