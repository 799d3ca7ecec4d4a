#!/usr/bin/env python3
"""Builds blind round 7 (bench/prompt-model/BLIND.md) from public labelled data written by others.

usage: blind7.py SOURCES_DIR DATA_DIR

SOURCES_DIR holds checkouts (folder named after the repository; commits in BLIND.md):
  satml-llmail-injection (yunwei37)  data/jailbreak_human_set2/jailbreak_prompts_2023_12_25.csv (a copy of
                                      verazuo/jailbreak_llms' in-the-wild jailbreaks) and
                                      examples/satml/zero-shot-baseline/records/*.json (LLMail-Inject attack
                                      e-mails)
  llm-security           (greshake)  scenarios/puzzle/puzzles/* (indirect-injection payloads for web pages)
  CL4R1T4S               (elder-plinius)  products' system prompts (operators', benign)
  system-prompts-and-models-of-ai-tools (x1xhlol)  products' and agents' system prompts (benign)
  InstructionWild        (XueFuzhao)  user instructions from Twitter and Cookup.AI, and their Chinese version
  AlignBench             (THUDM)     Chinese user questions (benign)

DATA_DIR is prepare.py's output: every row there (train, dev, seen*, blind6*, side6*) is seen, and a
round-7 row equal to one of them (normalised: NFKC, lower case, whitespace collapsed) is dropped, as is a
row equal to one in test/fixtures/prompts/*.jsonl. Writes DATA_DIR/blind7-*.jsonl. Nothing read here is
committed.
"""
import csv, glob, hashlib, json, os, re, sys, unicodedata

src, out = sys.argv[1], sys.argv[2]
csv.field_size_limit(1 << 26)
CAP = 150  # per part: no single family decides the figure


def key(t):
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", t).lower()).strip()


def row(text, label, source):
    return {"text": text.strip()[:8000], "label": label, "source": source, "group": source}


def jl(path):
    out = []
    for line in open(path, encoding="utf-8"):
        if line.strip():
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError:
                # InstructionWild has backslashes JSON does not allow ("\_"): read them as literal.
                out.append(json.loads(re.sub(r'\\(["\\/bfnrtu])|\\', lambda m: m.group(0) if m.group(1) else "\\\\", line)))
    return out


# Names of files that are attack or defence-test material rather than an operator's prompt (prepare.py's
# R4_NOT_BENIGN), and collectors' transcripts of the extraction request that leaked a prompt (R6_TRANSCRIPT).
NOT_BENIGN = re.compile(r"jail\s*break|\bdan\b|unfilter|uncensor|unrestrict|no (?:rules|limits|restrictions|filters?)|evil|dark|devil|unethical|amoral|nsfw|hack|inject|leak|reveal|extract|bypass|red.?team|secret|password|ctf", re.I)
TRANSCRIPT = re.compile(r"repeat (?:the|all (?:of )?the) (?:words|text|instructions) above|output (?:your |the )?initiali[sz]ation above|ignore (?:the )?previous directions|print (?:your|the) (?:system prompt|instructions) (?:above|verbatim)|\bq\(user\)", re.I)

seen = set()
for f in glob.glob(os.path.join(out, "*.jsonl")) + glob.glob(os.path.join(os.path.dirname(__file__), "..", "..", "test", "fixtures", "prompts", "*.jsonl")):
    if os.path.basename(f).startswith("blind7-"):
        continue
    seen.update(key(r["text"]) for r in jl(f))


def part(rows, cap=CAP):
    """Distinct rows not seen before, then a seeded sample of at most `cap` by sha256("r7" + text)."""
    kept, keys, dropped = [], set(), 0
    for r in rows:
        k = key(r["text"])
        if len(r["text"]) < 8 or k in keys:
            continue
        keys.add(k)
        if k in seen:
            dropped += 1
            continue
        kept.append(r)
    kept.sort(key=lambda r: hashlib.sha256(("r7" + r["text"]).encode()).hexdigest())
    return kept[:cap], dropped, len(kept)


def files_under(root, exts):
    for f in sorted(glob.glob(os.path.join(root, "**", "*"), recursive=True)):
        rel = os.path.relpath(f, root)
        base = os.path.basename(f)
        if not os.path.isfile(f) or rel.startswith(".") or base.upper().startswith(("README", "LICENSE", "CONTRIBUTING")):
            continue
        ext = os.path.splitext(base)[1].lower()
        if ext in exts:
            yield rel, f


def operators(name, root, exts):
    rows, left = [], 0
    for rel, f in files_under(root, exts):
        if NOT_BENIGN.search(rel):
            left += 1
            continue
        text = open(f, encoding="utf-8", errors="replace").read()
        if TRANSCRIPT.search(text):
            left += 1
            continue
        rows.append(row(text, 0, name))
    print(f"{name}: {left} files left out by name or as extraction transcripts")
    return rows


ll = os.path.join(src, "satml-llmail-injection")
itw = [row(r["prompt"], 1, "jailbreak-llms-inthewild") for r in csv.DictReader(open(os.path.join(ll, "data", "jailbreak_human_set2", "jailbreak_prompts_2023_12_25.csv"), encoding="utf-8")) if r.get("jailbreak", "").strip().lower() == "true" and r.get("prompt")]
mail = []
for f in sorted(glob.glob(os.path.join(ll, "examples", "satml", "zero-shot-baseline", "records", "*.json"))):
    p = json.load(open(f, encoding="utf-8"))["prompt"]
    mail.append(row(f"Subject: {p['subject']}\n\n{p['body']}", 1, "llmail-attack-emails"))
web = [row(open(f, encoding="utf-8").read(), 1, "greshake-indirect-payloads") for f in sorted(glob.glob(os.path.join(src, "llm-security", "scenarios", "puzzle", "puzzles", "*")))]

cl = operators("cl4r1t4s-product-prompts", os.path.join(src, "CL4R1T4S"), {".md", ".txt", ".mkd", ""})
x1 = operators("x1xhlol-agent-prompts", os.path.join(src, "system-prompts-and-models-of-ai-tools"), {".md", ".txt"})
iw = os.path.join(src, "InstructionWild")
iw_en = [row(r["instruction"], 0, "instructionwild-en") for f in ("user_1.jsonl", "user_2.jsonl") for r in jl(os.path.join(iw, "data_v2", f))]
iw_zh = [row(r["instruction"], 0, "instructionwild-zh") for r in jl(os.path.join(iw, "data", "seed_prompts_ch.jsonl"))]
ab = [row(r["question"], 0, "alignbench-zh") for r in jl(os.path.join(src, "AlignBench", "data", "data_v1.1_release.jsonl"))]

parts = {
    "blind7-injections.jsonl": [itw, mail, web],
    "blind7-operator-prompts.jsonl": [cl, x1],
    "blind7-benign-plain.jsonl": [iw_en, iw_zh, ab],
}
for name, groups in parts.items():
    rows = []
    for g in groups:
        kept, dropped, distinct = part(g)
        print(f"  {g[0]['source'] if g else '?'}: {len(kept)} kept of {distinct} distinct unseen ({dropped} dropped as seen)")
        rows += kept
    with open(os.path.join(out, name), "w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    pos = sum(r["label"] for r in rows)
    print(f"{name}: {pos} injections / {len(rows) - pos} benign")
