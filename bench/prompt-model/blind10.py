#!/usr/bin/env python3
"""Builds blind round 10 (bench/prompt-model/BLIND.md) from public labelled data written by others.

usage: blind10.py SOURCES_DIR DATA_DIR

SOURCES_DIR holds checkouts (folder named after the repository; commits in BLIND.md):
  spikee      (WithSecureLabs, Apache-2.0)  spikee/data/workspace/datasets/seeds-cybersec-2025-04/:
              base_documents.jsonl, jailbreaks.jsonl, instructions.jsonl (JSON Lines, read as data)
  llm-pieval  (amazon-science, CC BY-NC 4.0)  blackbox_prompts/*.txt: agent prompts whose retrieved
              passage ("APIResults: …") carries a planted fake user turn ("Human: …")
  moltshield  (gtech, MIT)  tests/benchmarks/framework/datasets.ts: hand-written indirect-injection cases
              (a user's request + the content it is about) and benign prompts; the TypeScript literal is
              read with regular expressions, never imported or run

DATA_DIR holds whatever seen rows are at hand (prepare.py's, blind7/8/9.py's output): a round-10 row equal
to one of them or to a row of test/fixtures/prompts/*.jsonl (normalised: NFKC, lower case, whitespace
collapsed) is dropped. Writes DATA_DIR/blind10-*.jsonl; each row carries the role it is scored in ("data":
text an application retrieved; "user": the prompt as sent). Nothing read here is committed.
"""
import glob, hashlib, json, os, re, sys, unicodedata

src, out = sys.argv[1], sys.argv[2]
CAP = 150  # per part: no single family decides the figure
SALT = "r10"

# What a user types above a document they paste. The same four lines front the injected e-mails and the
# clean passages, so that the request alone cannot tell the two apart.
REQUESTS = [
    "Summarize this document:",
    "Translate the following text into French:",
    "Review this text and list its main points:",
    "What is this passage about?",
]


def key(t):
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", t).lower()).strip()


def h(t, salt=SALT):
    return hashlib.sha256((salt + t).encode()).hexdigest()


def request_for(doc):
    return REQUESTS[int(h(doc, "r10-request")[:8], 16) % len(REQUESTS)]


def row(text, label, source, role="user", lang=None):
    r = {"text": text.strip()[:8000], "label": label, "source": source, "group": source, "role": role}
    if lang:
        r["lang"] = lang
    return r


seen = set()
for f in glob.glob(os.path.join(out, "*.jsonl")) + glob.glob(os.path.join(os.path.dirname(__file__), "..", "..", "test", "fixtures", "prompts", "*.jsonl")):
    if os.path.basename(f).startswith("blind10-"):
        continue
    for l in open(f, encoding="utf-8"):
        if l.strip():
            seen.add(key(json.loads(l)["text"]))


def part(rows, cap=CAP):
    """Distinct rows not seen before, then the first `cap` by sha256("r10" + text)."""
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
    total = len(kept)
    kept.sort(key=lambda r: h(r["text"]))
    kept = kept[:cap]
    print(f"  {kept[0]['source'] if kept else '?'}: {len(kept)} kept of {total} distinct unseen ({dropped} dropped as seen)")
    return kept


def jsonl(path):
    return [json.loads(l) for l in open(path, encoding="utf-8") if l.strip()]


# --- spikee: an e-mail with an injection appended (spikee's default position "end" and delimiter "\n…\n"),
# pasted by the user under a request; and the same jailbreak+instruction sent on its own (spikee's
# "direct" document). Languages are matched as spikee's --match-languages does: English with English.
seeds = os.path.join(src, "spikee", "spikee", "data", "workspace", "datasets", "seeds-cybersec-2025-04")
docs = {d["id"]: d["document"] for d in jsonl(os.path.join(seeds, "base_documents.jsonl"))}
email = docs["email-01"]
by_lang = {}
for j in jsonl(os.path.join(seeds, "jailbreaks.jsonl")):
    for i in jsonl(os.path.join(seeds, "instructions.jsonl")):
        if j.get("lang") != i.get("lang"):
            continue
        payload = j["text"].replace("<INSTRUCTION>", i["instruction"])
        by_lang.setdefault(j.get("lang") or "en", []).append(payload)
sp_doc, sp_direct, sp_lowres = [], [], []
for lang, payloads in sorted(by_lang.items()):
    for p in payloads:
        pasted = f"{request_for(p)}\n\n{email}\n{p}\n"
        if lang == "en":
            sp_doc.append(row(pasted, 1, "spikee-email-injections"))
            sp_direct.append(row(p, 1, "spikee-direct-injections"))
        else:
            sp_lowres.append(row(pasted, 1, "spikee-email-injections-lowres", lang=lang))
            sp_lowres.append(row(p, 1, "spikee-direct-injections-lowres", lang=lang))

# --- LLM-PIEval: the retrieved passage with its planted "Human: …" turn (data), and the same passage
# with that turn cut out (benign, data; and pasted by a user under a request, benign, user).
PLANTED = re.compile(r"\s*\bHuman: .*?(?: \.(?=\s|$)|$)", re.S)
pi_inj, pi_clean = [], []
for f in sorted(glob.glob(os.path.join(src, "llm-pieval", "blackbox_prompts", "*.txt"))):
    lines = [l for l in open(f, encoding="utf-8").read().split("\n") if l.startswith("APIResults: ") and "Human: " in l]
    if len(lines) != 1:
        continue
    passage = lines[0][len("APIResults: ") :].strip()
    if passage.count("Human: ") != 1:
        continue
    clean = PLANTED.sub("", passage, count=1).strip()
    if "Human:" in clean or len(clean) > len(passage) - 12:
        continue
    pi_inj.append(row(passage, 1, "pieval-planted-turns", role="data"))
    pi_clean.append(clean)
pi_clean_data = [row(c, 0, "pieval-passages-clean", role="data") for c in pi_clean]
pi_clean_user = [row(f"{request_for(c)}\n\n{c}", 0, "pasted-passages-clean") for c in pi_clean]
pi_clean_user += [row(f"{r}\n\n{email}", 0, "pasted-passages-clean") for r in REQUESTS]

# --- moltshield: the publisher's own format for a request and its content (formatAsPrompt).
ts = open(os.path.join(src, "moltshield", "tests", "benchmarks", "framework", "datasets.ts"), encoding="utf-8").read()
STR = r'("(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\')'  # a double- or single-quoted literal
CASE = re.compile(r"category:\s*" + STR + r",\s*userRequest:\s*" + STR + r",\s*maliciousContent:\s*" + STR, re.S)
PROMPT = re.compile(r"category:\s*" + STR + r",\s*prompt:\s*" + STR)


def unq(s):
    body = s[1:-1]
    if s[0] == "'":  # a single-quoted literal: its \' becomes ', its " stays as is
        body = body.replace("\\'", "'").replace('"', '\\"')
    return json.loads('"' + body + '"')


ms_inj, ms_benign = [], []
for cat, req, content in CASE.findall(ts):
    cat = unq(cat)
    text = f"User request: {unq(req)}\n\nContent to process:\n{unq(content)}"
    (ms_benign if cat == "benign" else ms_inj).append(row(text, 0 if cat == "benign" else 1, "moltshield-indirect" if cat != "benign" else "moltshield-benign"))
ms_benign += [row(unq(p), 0, "moltshield-benign") for _, p in PROMPT.findall(ts)]

print("blind10-injections.jsonl")
inj = part(sp_doc) + part(sp_direct) + part(pi_inj) + part(ms_inj)
print("blind10-benign.jsonl")
ben = part(pi_clean_data) + part(pi_clean_user) + part(ms_benign)
print("blind10-side-lowres.jsonl")
side = part([r for r in sp_lowres if "email" in r["source"]]) + part([r for r in sp_lowres if "direct" in r["source"]])
for name, rows in (("blind10-injections.jsonl", inj), ("blind10-benign.jsonl", ben), ("blind10-side-lowres.jsonl", side)):
    tmp = os.path.join(out, name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    os.replace(tmp, os.path.join(out, name))
    print(f"{name}: {sum(r['label'] for r in rows)} injections / {sum(1 - r['label'] for r in rows)} benign")
