#!/usr/bin/env python3
"""Turns the labelled cases in Presidio's recognizer tests into JSON Lines for bench/pii-external.ts.

    python3 scripts/presidio-recognizer-cases.py PRESIDIO_CHECKOUT > cases.jsonl

PRESIDIO_CHECKOUT is a checkout of github.com/microsoft/presidio. The test files are only parsed
(ast), never imported or run. Each case becomes {"text", "spans": [{entity, start, end}], "scope":
[entity], "source"}: the tables label one entity kind each, so only that kind is scored.
"""
import ast
import json
import sys
from pathlib import Path

# Test file → the entity label its table is about (Presidio's names; the evaluator maps them).
FILES = {
    "test_credit_card_recognizer.py": "CREDIT_CARD",
    "test_iban_recognizer.py": "IBAN_CODE",
    "test_email_recognizer.py": "EMAIL_ADDRESS",
    "test_ip_recognizer.py": "IP_ADDRESS",
    "test_url_recognizer.py": "URL",
    "test_crypto_recognizer.py": "CRYPTO",
    "test_us_itin_recognizer.py": "US_ITIN",
    "test_uk_nhs_recognizer.py": "UK_NHS",
    "test_uk_nino_recognizer.py": "UK_NINO",
    "test_es_nif_recognizer.py": "ES_NIF",
    "test_es_nie_recognizer.py": "ES_NIE",
    "test_de_id_card_recognizer.py": "DE_ID_CARD",
    "test_phone_recognizer.py": "PHONE_NUMBER",
    "test_us_ssn_recognizer.py": "US_SSN",
}


def cases(path: Path, entity: str):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for dec in node.decorator_list:
            if not (isinstance(dec, ast.Call) and getattr(dec.func, "attr", "") == "parametrize" and len(dec.args) >= 2):
                continue
            names = dec.args[0].value if isinstance(dec.args[0], ast.Constant) else ""
            fields = [n.strip() for n in str(names).split(",")]
            pos_field = next((f for f in ("expected_positions", "expected_res") if f in fields), None)
            if fields[0] not in ("text", "iban") or fields[1:2] != ["expected_len"] or pos_field is None or not isinstance(dec.args[1], ast.List):
                continue
            at = fields.index(pos_field)
            for elt in dec.args[1].elts:
                if not isinstance(elt, ast.Tuple) or len(elt.elts) <= at:
                    continue
                try:
                    text = ast.literal_eval(elt.elts[0])
                    n = ast.literal_eval(elt.elts[1])
                    positions = ast.literal_eval(elt.elts[at])
                except ValueError:
                    continue
                if not isinstance(text, str) or not isinstance(n, int) or len(positions) < n:
                    continue
                spans = [{"entity": entity, "start": s, "end": e} for s, e in list(positions)[:n]]
                yield {"text": text, "spans": spans, "scope": [entity], "source": f"{path.name}:{elt.lineno}"}


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit("usage: presidio-recognizer-cases.py PRESIDIO_CHECKOUT")
    tests = Path(sys.argv[1]) / "presidio-analyzer" / "tests"
    for name, entity in FILES.items():
        path = tests / name
        if path.exists():
            for case in cases(path, entity):
                print(json.dumps(case, ensure_ascii=False))


if __name__ == "__main__":
    main()
