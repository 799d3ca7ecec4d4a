#!/usr/bin/env python3
"""Build the U25 held-out PII set (docs/data.md, "Session 34") as JSON Lines for bench/pii-external.ts.

    python3 bench/pii-u25-build.py --elea <dataset-v1.jsonl> --contextsafe <ContextSafe checkout> \
        [--family elea|contextsafe|all] > u25.jsonl

Two Spanish families, read from files at the commits the declaration names (nothing of them is committed here):
  elea         cluna-8/elea: harness/corpus/dataset-v1.jsonl, a generated corpus of Spanish administrative
               messages with the generator's own code-point offsets ({id, text, entities: [{entity_type, start,
               end, value}], forbidden, source, ...}); every span must hold its value or the file is refused.
  contextsafe  AlexAlves87/ContextSafe: the ADVERSARIAL_TESTS table of ml/scripts/adversarial/evaluate_adversarial.py,
               read with Python's parser (ast.literal_eval on the literals; the file is never imported or run).
               Its expected entities are strings, so each is placed at its first not yet used occurrence.

Checksum-backed labels keep their kind only when the value passes its own check, computed in Python (not by
Rampart): IBAN mod 97 and the country's length, card Luhn (both as scripts/pii-u23-convert.py computes them),
Spanish DNI/NIE letter, Spanish social security mod 97. A failing value gets a label of its own (`..._FAILS_CHECK`) that the bench does not score. Offsets are
written in UTF-16 units. Bad input: one line on stderr naming the file, line and field, exit 2.
"""
import argparse
import ast
import importlib.util
import json
import os
import re
import sys

# The card and IBAN checks of the U23 conversion (IBAN country length and mod 97, Luhn), shared.
_spec = importlib.util.spec_from_file_location("u23", os.path.join(os.path.dirname(__file__), "..", "scripts", "pii-u23-convert.py"))
_u23 = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_u23)
iban_ok, luhn_ok = _u23.iban_ok, _u23.luhn_ok

ELEA_MAP = {"PERSON": "PERSON", "EMAIL_ADDRESS": "EMAIL_ADDRESS", "PHONE_NUMBER": "PHONE_NUMBER",
            "DATE_TIME": "DATE_TIME", "PASSPORT": "ES_PASSPORT"}
# A street, a house number, a comma, a five-digit Spanish postcode and a town ("Calle Mayor 28, 28031 Madrid").
POSTAL = re.compile(r"\d{1,4}, \d{5} \S")
CONTEXTSAFE_MAP = {"PERSON": "PERSON", "ADDRESS": "STREET_ADDRESS", "PHONE": "PHONE_NUMBER", "DATE": "DATE_TIME"}


def die(msg):
    print(msg, file=sys.stderr)
    sys.exit(2)


def compact(value):
    return "".join(ch for ch in value if ch.isalnum()).upper()


def dni_nie_ok(value):
    v = compact(value)
    letters = "TRWAGMYFPDXBNJZSQVHLCKE"
    if len(v) != 9 or not v[-1].isalpha():
        return False
    body = v[:-1]
    if body[0] in "XYZ":
        body = str("XYZ".index(body[0])) + body[1:]
    return body.isdigit() and letters[int(body) % 23] == v[-1]


def nss_ok(value):
    """Spanish social security (afiliación) number: province, eight digits, a mod-97 control of the ten."""
    v = compact(value)
    if len(v) != 12 or not v.isdigit():
        return False
    province, number, control = int(v[:2]), int(v[2:10]), int(v[10:])
    if int(v[:10]) % 97 == control:
        return True
    return number < 10**7 and (province * 10**7 + number) % 97 == control


def checked(kind, value):
    """Their checksum-backed label → ours, or a label of its own when the value fails its check."""
    if kind in ("IBAN", "IBAN_CODE"):
        return "IBAN_CODE" if iban_ok(value) else "IBAN_CODE_FAILS_CHECK"
    if kind == "CREDIT_CARD":
        return "CREDIT_CARD" if luhn_ok(value) else "CREDIT_CARD_FAILS_CHECK"
    if kind in ("ES_NIF", "ES_NIE"):
        return kind if dni_nie_ok(value) else kind + "_FAILS_CHECK"
    if kind == "DNI_NIE":
        return "ES_NIF" if dni_nie_ok(value) else "ES_NIF_FAILS_CHECK"
    if kind == "NSS":
        return "ES_SOCIAL_SECURITY" if nss_ok(value) else "ES_SOCIAL_SECURITY_FAILS_CHECK"
    return None


def utf16(text, i):
    """A code-point offset as UTF-16 units (what JavaScript's string offsets count)."""
    return len(text[:i].encode("utf-16-le")) // 2


def elea(path, stats):
    out = []
    try:
        lines = open(path, encoding="utf-8").read().split("\n")
    except OSError as e:
        die(f"{path}: {e}")
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            text, ents = row["text"], row["entities"]
        except (ValueError, KeyError, TypeError):
            die(f"{path}:{n}: text/entities: not a corpus row")
        spans = []
        for e in ents:
            try:
                s, t, kind, value = int(e["start"]), int(e["end"]), str(e["entity_type"]), str(e["value"])
            except (KeyError, TypeError, ValueError):
                die(f"{path}:{n}: entities: start/end/entity_type/value missing")
            if text[s:t] != value:
                die(f"{path}:{n}: entities: span {s}-{t} does not hold its value")
            label = checked(kind, value) or ELEA_MAP.get(kind, kind)
            if kind == "LOCATION" and POSTAL.search(value):
                label = "STREET_ADDRESS"
                stats["elea LOCATION spans that are postal addresses (scored as STREET_ADDRESS)"] += 1
            spans.append({"entity": label, "start": utf16(text, s), "end": utf16(text, t)})
        out.append({"text": text, "spans": spans, "family": "elea", "id": row.get("id", str(n)),
                    "forbidden": row.get("forbidden", [])})
    return out


def contextsafe(root, stats):
    path = os.path.join(root, "ml/scripts/adversarial/evaluate_adversarial.py")
    try:
        with open(path, encoding="utf-8") as f:
            tree = ast.parse(f.read(), filename=path)
    except (OSError, SyntaxError) as e:
        die(f"{path}: {e}")
    table = next((n.value for n in tree.body if isinstance(n, ast.Assign)
                  and getattr(n.targets[0], "id", None) == "ADVERSARIAL_TESTS"), None)
    if not isinstance(table, ast.List):
        die(f"{path}: ADVERSARIAL_TESTS: no list literal")
    out = []
    for k, call in enumerate(table.elts):
        kw = {a.arg: a.value for a in getattr(call, "keywords", [])}
        try:
            text = ast.literal_eval(kw["text"])
            expected = ast.literal_eval(kw["expected_entities"])
            name = ast.literal_eval(kw.get("name", ast.Constant(str(k))))
        except (KeyError, ValueError):
            die(f"{path}:{getattr(call, 'lineno', '?')}: text/expected_entities: not a literal")
        used, spans, missing = set(), [], False
        for e in expected:
            value, kind = str(e["text"]), str(e["type"])
            at = text.find(value)
            while at >= 0 and (at, at + len(value)) in used:
                at = text.find(value, at + 1)
            if at < 0:
                missing = True
                break
            used.add((at, at + len(value)))
            label = checked(kind, value) or CONTEXTSAFE_MAP.get(kind, kind)
            spans.append({"entity": label, "start": utf16(text, at), "end": utf16(text, at + len(value))})
        if missing:
            stats["contextsafe cases with an expected string not in the text (dropped)"] += 1
            continue
        out.append({"text": text, "spans": spans, "family": "contextsafe", "id": name})
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--elea", required=True, help="harness/corpus/dataset-v1.jsonl of cluna-8/elea")
    ap.add_argument("--contextsafe", required=True, help="a checkout of AlexAlves87/ContextSafe")
    ap.add_argument("--family", default="all", choices=["elea", "contextsafe", "all"])
    args = ap.parse_args()
    stats = {k: 0 for k in ("elea LOCATION spans that are postal addresses (scored as STREET_ADDRESS)",
                            "contextsafe cases with an expected string not in the text (dropped)")}
    rows = []
    if args.family in ("elea", "all"):
        rows += elea(args.elea, stats)
    if args.family in ("contextsafe", "all"):
        rows += contextsafe(args.contextsafe, stats)
    counts = {}
    for r in rows:
        for s in r["spans"]:
            counts[s["entity"]] = counts.get(s["entity"], 0) + 1
    for r in rows:
        print(json.dumps(r, ensure_ascii=False))
    print(f"{len(rows)} samples; " + "; ".join(f"{k} {v}" for k, v in stats.items()), file=sys.stderr)
    print("gold: " + ", ".join(f"{k} {counts[k]}" for k in sorted(counts)), file=sys.stderr)


if __name__ == "__main__":
    main()
