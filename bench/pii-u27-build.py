#!/usr/bin/env python3
"""Build the U27 held-out PII set (docs/data.md, "Session 36") as JSON Lines for bench/eval-pii-u27.ts.

    python3 bench/pii-u27-build.py <xrechnung-testsuite checkout> <eInvoicing-EN16931 checkout> > u27.jsonl
    python3 bench/pii-u27-build.py <kosit> <cen> --summary     # counts per label and syntax, on stderr

Sources, two families of invoices written by hand in the two syntaxes of EN 16931 (OASIS UBL 2.1, UN/CEFACT CII):
  kosit  the German e-invoicing test suite of KoSIT (itplr-kosit/xrechnung-testsuite), src/test/**/*.xml — the
         business and technical cases of the XRechnung standard;
  cen    the examples of CEN/TC 434's validation artefacts (ConnectingEurope/eInvoicing-EN16931),
         ubl/examples/*.xml and cii/examples/*.xml (any case of the extension).
The files are read as text and parsed with expat for the positions of elements; nothing is fetched and no entity
is expanded from outside the file.

One sample per file: the raw XML, as a scanner reads a record. Gold spans are the text of elements whose
meaning EN 16931 fixes (the business terms, BT-n), found by the element's own name and its parent's:
  IBAN_CODE        BT-84 payment account (UBL PayeeFinancialAccount/ID, CII PayeePartyCreditorFinancialAccount/
                   IBANID or ProprietaryID) and BT-91 debited account (UBL PaymentMandate/PayerFinancialAccount/ID,
                   CII PayerPartyDebtorFinancialAccount/IBANID) — only when the registry length and mod 97 hold
                   (scripts/pii-u23-convert.py's check); otherwise ACCOUNT_NOT_IBAN (unscored);
  EMAIL_ADDRESS    BT-43/BT-58 contact e-mail (UBL Contact/ElectronicMail, CII EmailURIUniversalCommunication/
                   URIID) and BT-34/BT-49 electronic address with scheme EM (UBL EndpointID, CII
                   URIUniversalCommunication/URIID) — when the value holds one "@" with a dot after it; otherwise
                   EMAIL_NOT_ADDRESS (unscored);
  PHONE_NUMBER     BT-42/BT-57 contact telephone (UBL Contact/Telephone, CII TelephoneUniversalCommunication/
                   CompleteNumber) — when it holds at least 6 digits; otherwise PHONE_NOT_NUMBER (unscored);
  STREET_ADDRESS   the first address line of any postal address (BT-35, BT-50, BT-64, BT-75: UBL StreetName,
                   CII LineOne);
  unscored         ADDRESS_LINE (further address lines: UBL AdditionalStreetName, AddressLine/Line, CII LineTwo,
                   LineThree), CARD_PARTIAL (BT-87, the last digits of a card: UBL CardAccount/
                   PrimaryAccountNumberID, CII ApplicableTradeSettlementFinancialCard/ID), CONTACT_NAME (BT-41,
                   BT-56, card holders: a person or a department, not told apart by the standard).
Offsets are UTF-16 code units of the decoded text, the value's surrounding white space left outside. "binary" lists
the spans of embedded attachments (BT-125, base64: UBL EmbeddedDocumentBinaryObject, CII AttachmentBinaryObject);
they stay in the text, and the harness says how many false positives fall inside them.
"""
import glob
import importlib.util
import json
import os
import sys
import xml.parsers.expat

_spec = importlib.util.spec_from_file_location("u23", os.path.join(os.path.dirname(__file__), "..", "scripts", "pii-u23-convert.py"))
_u23 = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_u23)
iban_ok = _u23.iban_ok

ACCOUNT = {("PayeeFinancialAccount", "ID"), ("PayerFinancialAccount", "ID"), ("PayeePartyCreditorFinancialAccount", "IBANID"),
           ("PayeePartyCreditorFinancialAccount", "ProprietaryID"), ("PayerPartyDebtorFinancialAccount", "IBANID")}
EMAIL = {("Contact", "ElectronicMail"), ("EmailURIUniversalCommunication", "URIID")}
EMAIL_EM = {"EndpointID", "URIID"}  # with schemeID="EM"
PHONE = {("Contact", "Telephone"), ("TelephoneUniversalCommunication", "CompleteNumber")}
STREET = {("PostalAddress", "StreetName"), ("Address", "StreetName"), ("PostalTradeAddress", "LineOne")}
LINE = {("PostalAddress", "AdditionalStreetName"), ("Address", "AdditionalStreetName"), ("AddressLine", "Line"),
        ("PostalTradeAddress", "LineTwo"), ("PostalTradeAddress", "LineThree")}
CARD = {("CardAccount", "PrimaryAccountNumberID"), ("ApplicableTradeSettlementFinancialCard", "ID")}
CONTACT = {("Contact", "Name"), ("DefinedTradeContact", "PersonName"), ("DefinedTradeContact", "DepartmentName"),
           ("CardAccount", "HolderName"), ("ApplicableTradeSettlementFinancialCard", "CardholderName")}


def die(msg):
    print(msg, file=sys.stderr)
    sys.exit(2)


BINARY = {"EmbeddedDocumentBinaryObject", "AttachmentBinaryObject"}


def label(parent, name, attrs, value):
    """The gold label of an element's text, or None when the standard gives it no meaning Rampart scores."""
    pair = (parent, name)
    if pair in ACCOUNT:
        return "IBAN_CODE" if iban_ok(value) else "ACCOUNT_NOT_IBAN"
    if pair in EMAIL or (name in EMAIL_EM and attrs.get("schemeID") == "EM"):
        at = value.find("@")
        return "EMAIL_ADDRESS" if at > 0 and value.count("@") == 1 and "." in value[at:] else "EMAIL_NOT_ADDRESS"
    if pair in PHONE:
        return "PHONE_NUMBER" if sum(ch.isdigit() for ch in value) >= 6 else "PHONE_NOT_NUMBER"
    if pair in STREET:
        return "STREET_ADDRESS"
    if pair in LINE:
        return "ADDRESS_LINE"
    if pair in CARD:
        return "CARD_PARTIAL"
    if pair in CONTACT:
        return "CONTACT_NAME"
    if name in BINARY:
        return "BINARY"
    return None


def spans_of(path, raw):
    """Gold spans (byte offsets) of one file: (label, start, end)."""
    stack = []  # [local name, attrs, first text byte or None]
    out = []
    p = xml.parsers.expat.ParserCreate(namespace_separator=" ")
    p.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def start(name, attrs):
        stack.append([name.split(" ")[-1], attrs, None])

    def text(_data):
        if stack and stack[-1][2] is None:
            stack[-1][2] = p.CurrentByteIndex

    def end(_name):
        name, attrs, first = stack.pop()
        if first is None:
            return
        a, b = first, p.CurrentByteIndex
        while a < b and raw[a:a + 1].isspace():
            a += 1
        while b > a and raw[b - 1:b].isspace():
            b -= 1
        if a == b:
            return
        parent = stack[-1][0] if stack else ""
        lab = label(parent, name, attrs, raw[a:b].decode("utf-8"))
        if lab:
            out.append((lab, a, b))

    p.StartElementHandler = start
    p.CharacterDataHandler = text
    p.EndElementHandler = end
    try:
        p.Parse(raw, True)
    except xml.parsers.expat.ExpatError as e:
        die(f"{path}:{e.lineno}: not well-formed XML ({xml.parsers.expat.ErrorString(e.code)})")
    return out


def utf16(raw, b):
    prefix = raw[:b].decode("utf-8")
    return len(prefix) + sum(1 for ch in prefix if ord(ch) > 0xFFFF)


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    summary = "--summary" in sys.argv
    if len(args) != 2:
        die("usage: pii-u27-build.py <xrechnung-testsuite checkout> <eInvoicing-EN16931 checkout> [--summary] > u27.jsonl")
    xml_name = lambda f: f.lower().endswith(".xml")
    families = [
        ("kosit", args[0], sorted(glob.glob(os.path.join(args[0], "src", "test", "**", "*.xml"), recursive=True))),
        ("cen", args[1], sorted(f for d in ("ubl", "cii") for f in glob.glob(os.path.join(args[1], d, "examples", "*")) if xml_name(f))),
    ]
    counts, distinct = {}, {}
    n = 0
    for family, root, files in families:
        if not files:
            die(f"{root}: no invoice files of family {family}")
        for f in files:
            n += 1
            one(family, root, f, counts, distinct)
    if summary:
        for (lab, syntax), k in sorted(counts.items()):
            print(f"{lab}\t{syntax}\t{k}", file=sys.stderr)
        for lab, vals in sorted(distinct.items()):
            print(f"{lab}\tdistinct values\t{len(vals)}", file=sys.stderr)
        print(f"TOTAL\tsamples\t{n}", file=sys.stderr)


def one(family, root, f, counts, distinct):
    raw = open(f, "rb").read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        die(f"{f}:byte {e.start}: not UTF-8")
    rel = os.path.relpath(f, root).replace(os.sep, "/")
    head = text[:4000]
    syntax = "cii" if "CrossIndustryInvoice" in head else "ubl" if "urn:oasis:names:specification:ubl" in head else "other"
    spans, binary = [], []
    for lab, a, b in spans_of(rel, raw):
        if lab == "BINARY":
            binary.append([utf16(raw, a), utf16(raw, b)])
            continue
        spans.append({"entity": lab, "start": utf16(raw, a), "end": utf16(raw, b)})
        counts[(lab, f"{family}/{syntax}")] = counts.get((lab, f"{family}/{syntax}"), 0) + 1
        distinct.setdefault(lab, set()).add(raw[a:b])
    print(json.dumps({"text": text, "spans": spans, "source": f"{family}/{syntax}", "valid": True, "file": f"{family}:{rel}", "binary": binary}, ensure_ascii=False))


if __name__ == "__main__":
    main()
