#!/usr/bin/env python3
"""Builds blind round 23 (bench/prompt-model/BLIND.md, "Round 23"): user prompts in Hindi (Devanagari) and Hinglish
(Hindi-English code-mixed, Latin script), injections and benign prompts of the same genre, as the repository
kyahikaru/hinglish-prompt-injection-detector ships them (the 4,000-row set of Srinivasan et al. 2026 and the
repository author's own stealth and clean sets).

usage: blind23.py CHECKOUT DATA_DIR

CHECKOUT  a checkout of kyahikaru/hinglish-prompt-injection-detector (commit in BLIND.md); only these are read:
          data/srinivasan_dataset.xlsx (one sheet; columns Prompts, Label 0/1, Translation (English), Language
          Hindi/Hinglish), read with zipfile and xml.etree (an .xlsx is a zip of XML; nothing is imported or run);
          data/hinglish-stealth-250.csv, data/hinglish-stealth-110-heldout.csv (columns id, category, hinglish,
          expected BLOCK) and data/hinglish-clean-500.csv (expected ALLOW), read with csv.

Rows, all role "user" (a user's own prompt), no task:
  headline: every Srinivasan prompt, label as published; injections source `srinivasan-<language>` (lower case),
    benign source `srinivasan-clean`; group = the language.
  side file A (not in the headline): the English translation of each kept Srinivasan prompt, label as published,
    source `srinivasan-en-<language>` for injections and `srinivasan-en-clean` for benign.
  side file B (not in the headline): the stealth sets (label 1, source `stealth-<category>`) and the clean set
    (label 0, source `stealth-clean`), group = the file.
A Srinivasan prompt whose own text or English translation equals (normalised: NFKC, lower case, white space collapsed)
a row of DATA_DIR/*.jsonl (other than this round's files) or of test/fixtures/prompts/*.jsonl is dropped with its
translation; duplicates (normalised text) are dropped within each file. No cap. Writes
DATA_DIR/blind23-{injections,benign,side-en,side-stealth}.jsonl atomically; prints counts only.
"""
import csv, os, re, sys, zipfile
import xml.etree.ElementTree as ET
from seen_texts import Dedup, fail, normalised as key, seen_texts, write_jsonl

if len(sys.argv) != 3:
    sys.exit("usage: blind23.py CHECKOUT DATA_DIR")
src, out = sys.argv[1:]
SHEET_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def xlsx_rows(path):
    """The first sheet's rows as lists of cell strings (shared, inline and plain values), columns in order."""
    try:
        z = zipfile.ZipFile(path)
        shared = []
        if "xl/sharedStrings.xml" in z.namelist():
            for si in ET.fromstring(z.read("xl/sharedStrings.xml")).iter(SHEET_NS + "si"):
                shared.append("".join(t.text or "" for t in si.iter(SHEET_NS + "t")))
        sheet = ET.fromstring(z.read("xl/worksheets/sheet1.xml"))
    except (OSError, KeyError, zipfile.BadZipFile, ET.ParseError) as e:
        fail(path, f"cannot read as a spreadsheet ({e})")
    rows = []
    for r in sheet.iter(SHEET_NS + "row"):
        cells = {}
        for c in r.iter(SHEET_NS + "c"):
            col = re.match(r"[A-Z]+", c.get("r", "")).group(0)
            v, kind = c.find(SHEET_NS + "v"), c.get("t")
            if kind == "s" and v is not None:
                cells[col] = shared[int(v.text)]
            elif kind == "inlineStr":
                cells[col] = "".join(t.text or "" for t in c.iter(SHEET_NS + "t"))
            else:
                cells[col] = v.text if v is not None and v.text else ""
        rows.append([cells.get(col, "") for col in sorted(cells, key=lambda k: (len(k), k))])
    return rows


seen = seen_texts(out, lambda name: name.startswith("blind23-"), key)
files = {"injections": [], "benign": [], "side-en": [], "side-stealth": []}
dedup = {stem: Dedup(set(), key) for stem in files}
dropped_seen = 0

path = os.path.join(src, "data", "srinivasan_dataset.xlsx")
rows = xlsx_rows(path)
if not rows or rows[0][:4] != ["Prompts", "Label", "Translation", "Language"]:
    fail(path, "expected the header Prompts, Label, Translation, Language")
for n, row in enumerate(rows[1:], 2):
    text, label, english, language = (row + ["", "", "", ""])[:4]
    if label not in ("0", "1") or language not in ("Hindi", "Hinglish") or not text.strip():
        fail(f"{path}: row {n}", "needs a prompt, a label 0/1 and the language Hindi or Hinglish")
    if key(text) in seen or (english.strip() and key(english) in seen):
        dropped_seen += 1
        continue
    lang, y = language.lower(), int(label)
    stem = "injections" if y else "benign"
    if dedup[stem].fresh(text, None):
        source = f"srinivasan-{lang}" if y else "srinivasan-clean"
        files[stem].append({"text": text, "label": y, "source": source, "role": "user", "group": lang})
        if english.strip() and dedup["side-en"].fresh(english, None):
            source = f"srinivasan-en-{lang}" if y else "srinivasan-en-clean"
            files["side-en"].append({"text": english, "label": y, "source": source, "role": "user", "group": lang})

for name, y in (("hinglish-stealth-250.csv", 1), ("hinglish-stealth-110-heldout.csv", 1), ("hinglish-clean-500.csv", 0)):
    path = os.path.join(src, "data", name)
    try:
        with open(path, encoding="utf-8", newline="") as f:
            records = list(csv.DictReader(f))
    except (OSError, csv.Error, UnicodeDecodeError) as e:
        fail(path, f"cannot read as CSV ({e})")
    for n, r in enumerate(records, 2):
        text, category = r.get("hinglish") or "", r.get("category") or ""
        if not text.strip() or not category or r.get("expected") != ("BLOCK" if y else "ALLOW"):
            fail(f"{path}: row {n}", f"needs hinglish, category and expected {'BLOCK' if y else 'ALLOW'}")
        if key(text) in seen:
            dropped_seen += 1
            continue
        if dedup["side-stealth"].fresh(text, None):
            source = f"stealth-{category}" if y else "stealth-clean"
            files["side-stealth"].append(
                {"text": text, "label": y, "source": source, "role": "user", "group": name.removesuffix(".csv")}
            )

for stem, rows_out in files.items():
    write_jsonl(os.path.join(out, f"blind23-{stem}.jsonl"), rows_out)
    pos = sum(r["label"] for r in rows_out)
    print(f"blind23-{stem}.jsonl: {pos} injections, {len(rows_out) - pos} benign")
print(f"dropped as seen: {dropped_seen}")
