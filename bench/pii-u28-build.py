#!/usr/bin/env python3
"""U28 builder (docs/data.md, "Session 37"): kurkowski93/contextual-anonymizer's data/synthetic_data.json turned into
JSON Lines for bench/eval-pii-u28.ts ({text, spans: [{entity, start, end}], source, valid}).

    git -C contextual-anonymizer show b643d50d3df0a94ff6bec60963c0714d3b2e3081:data/synthetic_data.json > synthetic_data.json
    python3 bench/pii-u28-build.py synthetic_data.json [--summary] > u28.jsonl

Each row of that file holds a text ("context") and the same text with every value replaced by a numbered placeholder
("anonymized_context", "[NAME_1]", "[EMAIL_2]" ...). The spans are recovered by matching the placeholder text against
the original: the literal pieces between placeholders must match exactly, the whole text must match, and a
placeholder that appears twice must stand for the same value both times. Rows where that fails, where two
placeholders touch (nothing between them to tell where one value ends), or where the original itself holds a
placeholder are left out and counted. Offsets are UTF-16 code units (what the engine reports).

Label mapping (their placeholder name -> ours); the checks are this script's Python, not Rampart's:
  NAME, DOCTOR, CLIENT_NAME -> PERSON; EMAIL -> EMAIL_ADDRESS; PHONE -> PHONE_NUMBER;
  ADDRESS, STREET -> STREET_ADDRESS when the value holds a digit (a house number), else ADDRESS_NO_NUMBER (unscored);
  ACCOUNT -> IBAN_CODE when it is an IBAN (country, registry length, mod 97), CREDIT_CARD when 13-19 digits pass
  Luhn, else ACCOUNT (unscored); DATE -> DATE_TIME (precision only). Every other placeholder keeps its name and is
  not scored (PESEL and NIP among them: the engine has no Polish kinds).
The file is only read, never run or imported.
"""
import json
import re
import sys
from collections import Counter

# IBAN lengths of the SWIFT registry (countries that use the IBAN).
IBAN_LEN = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BR": 29, "BY": 28,
    "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "DO": 28, "EE": 20, "EG": 29, "ES": 24, "FI": 18,
    "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22,
    "IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20,
    "LU": 20, "LV": 21, "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MR": 27, "MT": 31, "MU": 30, "NL": 18, "NO": 15,
    "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "SA": 24, "SC": 31, "SE": 24, "SI": 19,
    "SK": 24, "SM": 27, "ST": 25, "SV": 28, "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20,
}

PERSON = {"NAME", "DOCTOR", "CLIENT_NAME"}
PLACEHOLDER = re.compile(r"\[([A-Z][A-Z_]*?)(?:_(\d+))?\]")


def iban_ok(v: str) -> bool:
    s = re.sub(r"[\s-]", "", v).upper()
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]+", s) or IBAN_LEN.get(s[:2]) != len(s):
        return False
    r = s[4:] + s[:4]
    return int("".join(str(int(ch, 36)) for ch in r)) % 97 == 1


def luhn_ok(v: str) -> bool:
    if not re.fullmatch(r"[\d\s-]+", v):
        return False
    d = re.sub(r"\D", "", v)
    if not 13 <= len(d) <= 19:
        return False
    t = 0
    for i, ch in enumerate(reversed(d)):
        n = int(ch)
        if i % 2:
            n = n * 2 - 9 if n > 4 else n * 2
        t += n
    return t % 10 == 0


def u16(text: str, i: int) -> int:
    return len(text[:i].encode("utf-16-le")) // 2


def align(context: str, anon: str):
    """[(label, key, start, end)] in code points, or a reason the row is left out."""
    parts = PLACEHOLDER.split(anon)
    # parts: lit0, label1, num1, lit1, label2, num2, lit2, ...
    lits = parts[0::3]
    labels = [(parts[i], parts[i + 1]) for i in range(1, len(parts), 3)]
    if not labels:
        return "no placeholder"
    if any(l == "" for l in lits[1:-1]):
        return "placeholders touch"
    seen: dict = {}
    pat = [re.escape(lits[0])]
    for i, (lab, num) in enumerate(labels):
        key = f"{lab}_{num}" if num else None
        if key and key in seen:
            pat.append(f"(?P=g{seen[key]})")
            pat.append(f"()")  # keep group numbering simple: an empty marker group
        else:
            if key:
                seen[key] = i
            pat.append(f"(?P<g{i}>.+?)")
            pat.append("()")
        pat.append(re.escape(lits[i + 1]))
    m = re.fullmatch("".join(pat), context, flags=re.S)
    if not m:
        return "no match"
    out = []
    # Recover each occurrence's span: named groups give first occurrences; repeated ones end at the marker group.
    gi = 1
    for i, (lab, num) in enumerate(labels):
        key = f"{lab}_{num}" if num else None
        if key and seen.get(key) != i:
            end = m.start(gi)  # the empty marker group sits right after the back-reference
            val = m.group(f"g{seen[key]}")
            out.append((lab, key, end - len(val), end))
            gi += 1
        else:
            out.append((lab, key, m.start(gi), m.end(gi)))
            gi += 2
    return out


def main() -> None:
    args = sys.argv[1:]
    summary = "--summary" in args
    args = [a for a in args if a != "--summary"]
    if len(args) != 1:
        print("usage: python3 bench/pii-u28-build.py <synthetic_data.json> [--summary] > u28.jsonl", file=sys.stderr)
        sys.exit(2)
    try:
        with open(args[0], encoding="utf-8") as f:
            rows = json.load(f)["data"]
    except (OSError, ValueError, KeyError, TypeError) as e:
        print(f"{args[0]}: not the set's JSON ({e})", file=sys.stderr)
        sys.exit(2)
    left, labels, checks = Counter(), Counter(), Counter()
    seen_texts = set()
    n = 0
    for i, r in enumerate(rows):
        ctx, anon = r.get("context"), r.get("anonymized_context")
        if not isinstance(ctx, str) or not isinstance(anon, str):
            print(f"{args[0]}: row {i}: field context/anonymized_context missing", file=sys.stderr)
            sys.exit(2)
        if PLACEHOLDER.search(ctx):
            left["original holds a placeholder"] += 1
            continue
        if ctx in seen_texts:
            left["repeated text"] += 1
            continue
        got = align(ctx, anon)
        if isinstance(got, str):
            left[got] += 1
            continue
        seen_texts.add(ctx)
        spans = []
        for lab, _key, a, b in got:
            val = ctx[a:b]
            if lab in PERSON:
                ent = "PERSON"
            elif lab == "EMAIL":
                ent = "EMAIL_ADDRESS"
            elif lab == "PHONE":
                ent = "PHONE_NUMBER"
            elif lab in ("ADDRESS", "STREET"):
                ent = "STREET_ADDRESS" if re.search(r"\d", val) else "ADDRESS_NO_NUMBER"
            elif lab == "ACCOUNT":
                ent = "IBAN_CODE" if iban_ok(val) else "CREDIT_CARD" if luhn_ok(val) else "ACCOUNT"
                checks[ent] += 1
            elif lab == "DATE":
                ent = "DATE_TIME"
            else:
                ent = lab
            labels[ent] += 1
            spans.append({"entity": ent, "start": u16(ctx, a), "end": u16(ctx, b)})
        n += 1
        print(json.dumps({"text": ctx, "spans": spans, "source": "contextual-anonymizer", "valid": True}, ensure_ascii=False))
    if summary:
        print(f"rows {len(rows)}, samples {n}; left out: {dict(left)}", file=sys.stderr)
        print(f"accounts: {dict(checks)}", file=sys.stderr)
        print(f"spans: {dict(labels.most_common())}", file=sys.stderr)


if __name__ == "__main__":
    main()
