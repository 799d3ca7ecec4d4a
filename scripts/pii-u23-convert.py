#!/usr/bin/env python3
"""Build PII held-out set U23 (LLM-written texts with inserted values, three models) as JSON Lines for
bench/pii-external.ts.

  python3 scripts/pii-u23-convert.py FILE.csv [FILE.csv ...] > u23-llm.jsonl
  python3 scripts/pii-u23-convert.py --check FILE.csv [...]      # counts only, nothing written

Each CSV row has target_text (the text with "[LABEL]" placeholders), source_text (the same text with the
values put in) and privacy_mask (a Python list of {value, start, end, label}, in placeholder order). The
start/end given in privacy_mask do not point at the values in source_text, so they are not used: the
offsets are rebuilt by walking target_text, putting each placeholder's value in its place; the rebuilt
text must equal source_text exactly, or the row is dropped and counted on stderr.

Labels (theirs -> bench):
  FIRSTNAME, MIDDLENAME, LASTNAME -> PERSON; pieces of a name with only spaces between them become one
    span ("Tammy" "Roberts" -> "Tammy Roberts"); PREFIX ("Dr.", "Mr.") is left outside the span.
  EMAIL -> EMAIL_ADDRESS, PHONENUMBER -> PHONE_NUMBER, IP/IPV4/IPV6 -> IP_ADDRESS, URL -> URL,
  DATE/DOB -> DATE_TIME (precision only in the bench).
  CREDITCARDNUMBER -> CREDIT_CARD, IBAN -> IBAN_CODE, SSN -> US_SSN, BITCOINADDRESS -> CRYPTO when the value
    passes its check (Luhn; ISO 13616 length and mod 97; SSA rules: area not 000/666/9xx, group not 00,
    serial not 0000; Base58Check or the bc1 checksum); a value that fails keeps a label of its own
    (CREDIT_CARD_FAILS_CHECK, ...) that the bench does not score, so a prediction on it is counted apart.
  Every other label keeps its name and is not scored (a prediction on one is counted apart).
Offsets are in UTF-16 units (a character beyond the Basic Multilingual Plane becomes two U+FFFD).
"""
import ast
import csv
import hashlib
import json
import re
import sys
from collections import Counter

PLACEHOLDER = re.compile(r"\[([A-Z0-9_]+)\]")
NAME_PARTS = {"FIRSTNAME", "MIDDLENAME", "LASTNAME"}
MAPPED = {
    "EMAIL": "EMAIL_ADDRESS",
    "PHONENUMBER": "PHONE_NUMBER",
    "IP": "IP_ADDRESS",
    "IPV4": "IP_ADDRESS",
    "IPV6": "IP_ADDRESS",
    "URL": "URL",
    "DATE": "DATE_TIME",
    "DOB": "DATE_TIME",
}
# ISO 13616 registry lengths of the countries whose IBANs a generator may write.
IBAN_LENGTHS = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BR": 29,
    "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "DO": 28, "EE": 20, "EG": 29,
    "ES": 24, "FI": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28,
    "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20,
    "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MC": 27, "MD": 24, "ME": 22, "MK": 19,
    "MR": 27, "MT": 31, "MU": 30, "NL": 18, "NO": 15, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29,
    "RO": 24, "RS": 22, "SA": 24, "SC": 31, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "ST": 25, "SV": 28,
    "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20,
}


def fail(msg):
    print(msg, file=sys.stderr)
    sys.exit(2)


def utf16(s):
    return "".join(ch if ord(ch) <= 0xFFFF else "\ufffd\ufffd" for ch in s)


def luhn_ok(value):
    digits = re.sub(r"[ -]", "", value)
    if not digits.isdigit() or not 12 <= len(digits) <= 19:
        return False
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def iban_ok(value):
    s = re.sub(r"[ -]", "", value).upper()
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]+", s) or IBAN_LENGTHS.get(s[:2]) != len(s):
        return False
    moved = s[4:] + s[:4]
    return int("".join(str(int(ch, 36)) for ch in moved)) % 97 == 1


def ssn_ok(value):
    m = re.fullmatch(r"(\d{3})([- ]?)(\d{2})\2(\d{4})", value)
    if not m:
        return False
    area, group, serial = m.group(1), m.group(3), m.group(4)
    return area not in ("000", "666") and area[0] != "9" and group != "00" and serial != "0000"


B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"


def bitcoin_ok(value):
    """Base58Check (double SHA-256) for legacy addresses, the BIP 173/350 checksum for bc1 addresses."""
    if value.lower().startswith("bc1"):
        data = value.lower()[3:]
        if value not in (value.lower(), value.upper()) or not data or any(ch not in BECH32 for ch in data):
            return False
        values = [ord(ch) >> 5 for ch in "bc"] + [0] + [ord(ch) & 31 for ch in "bc"] + [BECH32.index(ch) for ch in data]
        chk = 1
        for v in values:
            top = chk >> 25
            chk = (chk & 0x1FFFFFF) << 5 ^ v
            for i, g in enumerate((0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)):
                chk ^= g if (top >> i) & 1 else 0
        return chk in (1, 0x2BC830A3)
    if not value or any(ch not in B58 for ch in value):
        return False
    n = 0
    for ch in value:
        n = n * 58 + B58.index(ch)
    raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
    raw = b"\0" * (len(value) - len(value.lstrip("1"))) + raw
    if len(raw) != 25:
        return False
    return hashlib.sha256(hashlib.sha256(raw[:-4]).digest()).digest()[:4] == raw[-4:]


CHECKED = {"CREDITCARDNUMBER": ("CREDIT_CARD", luhn_ok), "IBAN": ("IBAN_CODE", iban_ok), "SSN": ("US_SSN", ssn_ok), "BITCOINADDRESS": ("CRYPTO", bitcoin_ok)}


def rebuild(target, masks):
    """Source text and [(start, end, their label, value)] from the placeholder text; None if they disagree."""
    out, spans, at, i = [], [], 0, 0
    for m in PLACEHOLDER.finditer(target):
        if i >= len(masks) or masks[i]["label"] != m.group(1):
            return None
        out.append(target[at : m.start()])
        start = sum(len(utf16(x)) for x in out)
        value = str(masks[i]["value"])
        out.append(value)
        spans.append((start, start + len(utf16(value)), m.group(1), value))
        at, i = m.end(), i + 1
    if i != len(masks):
        return None
    out.append(target[at:])
    return "".join(out), spans


def gold(text16, spans, counts):
    """Bench spans: checked kinds split by their check, name pieces joined, the rest mapped or kept."""
    result = []
    for start, end, label, value in spans:
        if label in CHECKED:
            ours, ok = CHECKED[label]
            counts[(ours, ok(value))] += 1
            result.append({"entity": ours if ok(value) else f"{ours}_FAILS_CHECK", "start": start, "end": end})
        elif label in NAME_PARTS:
            last = result[-1] if result else None
            if last and last["entity"] == "PERSON" and text16[last["end"] : start].strip(" ") == "" and "\n" not in text16[last["end"] : start]:
                last["end"] = end
            else:
                result.append({"entity": "PERSON", "start": start, "end": end})
        else:
            result.append({"entity": MAPPED.get(label, label), "start": start, "end": end})
    return result


def main():
    args = sys.argv[1:]
    check = "--check" in args
    paths = [a for a in args if a != "--check"]
    if not paths:
        fail("usage: pii-u23-convert.py [--check] FILE.csv [FILE.csv ...]")
    counts, labels, dropped, n = Counter(), Counter(), 0, 0
    csv.field_size_limit(10_000_000)
    for path in paths:
        try:
            f = open(path, newline="", encoding="utf-8")
        except OSError as e:
            fail(f"{path}: {e.strerror}")
        with f:
            reader = csv.DictReader(f)
            missing = {"target_text", "source_text", "privacy_mask"} - set(reader.fieldnames or [])
            if missing:
                fail(f"{path}: missing columns {sorted(missing)}")
            for row in reader:
                try:
                    masks = ast.literal_eval(row["privacy_mask"])
                except (ValueError, SyntaxError):
                    fail(f"{path}:{reader.line_num}: privacy_mask is not a Python literal")
                built = rebuild(row["target_text"], masks)
                if built is None or built[0] != row["source_text"]:
                    dropped += 1
                    continue
                text, spans = built
                text16 = utf16(text)
                sample = {"text": text16, "spans": gold(text16, spans, counts)}
                labels.update(s["entity"] for s in sample["spans"])
                n += 1
                if not check:
                    print(json.dumps(sample, ensure_ascii=False))
    print(f"{n} samples, {dropped} rows dropped (placeholders and values disagree)", file=sys.stderr)
    for (ours, ok), k in sorted(counts.items()):
        print(f"  {ours} {'passes' if ok else 'fails'} its check: {k}", file=sys.stderr)
    print("  gold spans: " + ", ".join(f"{k} {v}" for k, v in labels.most_common()), file=sys.stderr)


if __name__ == "__main__":
    main()
