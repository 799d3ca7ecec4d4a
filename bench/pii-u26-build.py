#!/usr/bin/env python3
"""Build the U26 held-out PII set (docs/data.md, "Session 35") as JSON Lines for bench/pii-external.ts.

    python3 bench/pii-u26-build.py <python-stdnum checkout> > u26.jsonl
    python3 bench/pii-u26-build.py <checkout> --summary          # counts per list and class, on stderr

Source: the `numbers = '''...'''` lists of python-stdnum's doctests (tests/test_*.doctest), identifiers its
maintainers collected ("found online", the IBAN registry's samples) and marked valid or broken. Each list is
followed by its own assertion: `[x for x in numbers.splitlines() if x and not M.is_valid(x)] == []` says every
line is valid, `[... if x and M.is_valid(x)] == []` says none is. A list with neither (or both) of those two
plain forms is left out and counted. The doctests are read as text; nothing of python-stdnum is imported or run.

One sample per distinct line, the line as its maintainers printed it (spaces, dots, dashes kept). Classes:
  gold     valid lines of the kinds Rampart claims: IBANs (test_iban, test_be_iban's first 24 characters as its
           doctest splits them; only when the country length and mod 97 hold, as scripts/pii-u23-convert.py
           computes them, on the letters and digits),
           Italian fiscal codes (IT_FISCAL_CODE), Bitcoin addresses (CRYPTO);
  negative identifiers that are no person's data and hold none of Rampart's kinds (company registers,
           securities, product and document codes, and every line a list marks as broken of a gold kind):
           no span, so any Rampart span of a scored kind on them is a false positive;
  other    everything else (personal numbers of kinds Rampart does not claim, tax and VAT numbers, which a
           sole trader's may embed a personal number, bank accounts): one span of the unscored label
           OTHER_ID, so a Rampart span on it is counted apart.
Bad input: one line on stderr naming the file, line and field, exit 2.
"""
import importlib.util
import json
import os
import re
import sys

_spec = importlib.util.spec_from_file_location("u23", os.path.join(os.path.dirname(__file__), "..", "scripts", "pii-u23-convert.py"))
_u23 = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_u23)
iban_ok = _u23.iban_ok

GOLD = {"iban": "IBAN_CODE", "be_iban": "IBAN_CODE", "it_codicefiscale": "IT_FISCAL_CODE", "bitcoin": "CRYPTO"}
# No person's data, and no part of them is one of Rampart's kinds.
NEGATIVE = set(
    "au_abn au_acn bic br_cnpj ca_bn casrn cfi ch_esr ch_uid cn_uscc cr_cpj cusip cz_ico de_leitweg de_wkn "
    "do_ncf es_cae es_cups es_referenciacatastral eu_banknote eu_ecnumber eu_eic eu_excise figi fr_siren fr_siret "
    "gb_sedol il_hp isbn isil isin iso11649 kr_brn lei ma_ice mk_edb pl_regon ro_onrc ru_ogrn sg_uen si_maticna "
    "sk_ico sn_ninea th_moa tw_ubn ua_edrpou".split()
)
START = ">>> numbers = '''"
VALID = re.compile(r"^>>> \[ ?x for x in numbers\.splitlines\(\) if x and not ([\w.]+)\.is_valid\(x\) ?\]$")
BROKEN = re.compile(r"^>>> \[ ?x for x in numbers\.splitlines\(\) if x and ([\w.]+)\.is_valid\(x\) ?\]$")
# test_be_iban's list holds "IBAN  BIC" rows, split by the doctest itself at column 24 and checked as one.
VALID_BE = re.compile(r"^>>> \[ ?x\[0\] for x in numbers if not iban\.is_valid\(x\[0\]\) ?\]$")


def die(msg):
    print(msg, file=sys.stderr)
    sys.exit(2)


def lists(path, text):
    """(first line number, lines, True|False|None) for each numbers list; None = no plain assertion."""
    rows = text.split("\n")
    i = 0
    while i < len(rows):
        if rows[i].strip() != START:
            i += 1
            continue
        first = i + 1
        values = []
        i += 1
        while i < len(rows) and rows[i].strip() != "... '''":
            if not rows[i].startswith("..."):
                die(f"{path}:{i + 1}: list line does not start with '...'")
            values.append((i + 1, rows[i][3:].strip()))
            i += 1
        if i >= len(rows):
            die(f"{path}:{first}: list never closed")
        i += 1
        valid = broken = False
        while i < len(rows) and rows[i].strip() != START:
            line = rows[i].strip()
            valid |= bool(VALID.match(line) or VALID_BE.match(line))
            broken |= bool(BROKEN.match(line))
            i += 1
        yield first, [(n, v) for n, v in values if v], (valid if valid != broken else None)


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    summary = "--summary" in sys.argv
    if len(args) != 1:
        die("usage: python3 bench/pii-u26-build.py <python-stdnum checkout> [--summary]")
    root = args[0]
    tests = os.path.join(root, "tests")
    if not os.path.isdir(tests):
        die(f"{root}: no tests/ folder")
    seen = set()
    counts = {}
    out = []
    for name in sorted(os.listdir(tests)):
        if not (name.startswith("test_") and name.endswith(".doctest")):
            continue
        module = name[len("test_") : -len(".doctest")]
        path = os.path.join(tests, name)
        with open(path, encoding="utf-8") as f:
            text = f.read()
        for first, values, valid in lists(f"tests/{name}", text):
            for line_no, value in values:
                if valid is None:
                    key = "left out (no plain assertion)"
                elif value in seen:
                    key = "left out (repeated line)"
                else:
                    seen.add(value)
                    spans = []
                    if module in GOLD and valid:
                        part = value[:24].strip() if module == "be_iban" else value
                        if GOLD[module] == "IBAN_CODE" and not iban_ok(re.sub(r"[^0-9A-Za-z]", "", part)):
                            key = "left out (valid list, fails the builder's IBAN check)"
                            counts[(module, key)] = counts.get((module, key), 0) + 1
                            continue
                        spans = [{"entity": GOLD[module], "start": 0, "end": len(part.encode("utf-16-le")) // 2}]
                        key = f"gold {GOLD[module]}"
                    elif module in GOLD or module in NEGATIVE:
                        key = "negative (broken)" if module in GOLD or not valid else "negative"
                    else:
                        spans = [{"entity": "OTHER_ID", "start": 0, "end": len(value.encode("utf-16-le")) // 2}]
                        key = "other"
                    out.append({"text": value, "spans": spans, "source": module, "valid": valid, "line": line_no})
                counts[(module, key)] = counts.get((module, key), 0) + 1
    for row in out:
        print(json.dumps(row, ensure_ascii=False))
    if summary:
        totals = {}
        for (module, key), n in sorted(counts.items()):
            totals[key] = totals.get(key, 0) + n
            print(f"{module}\t{key}\t{n}", file=sys.stderr)
        for key, n in sorted(totals.items()):
            print(f"TOTAL\t{key}\t{n}", file=sys.stderr)
        print(f"TOTAL\tsamples\t{len(out)}", file=sys.stderr)


if __name__ == "__main__":
    main()
