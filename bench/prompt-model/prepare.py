#!/usr/bin/env python3
"""Builds the prompt-classifier corpora from public labelled data written by others.

usage: prepare.py SOURCES_DIR OUT_DIR

SOURCES_DIR holds clones of these GitHub repositories (docs/gateway.md names the commits):
  tensor-trust-data  (HumanCompatibleAI, BSD-2)  human-written hijacking and extraction attacks
  BIPIA              (microsoft, MIT)            indirect-injection code attacks; benign e-mails and questions
  self-instruct      (yizhongw, Apache-2.0)      benign task prompts (T0 templates, seed and user tasks)
  InjecGuard         (SaFoLab-WISC, MIT)         NotInject hard negatives, WildGuard benign, PINT/BIPIA mix
  GPTFuzz            (sherdencooper, MIT)        in-the-wild jailbreak templates
  PurpleLlama        (meta-llama, CybersecurityBenchmarks: MIT)  CyberSecEval prompt-injection cases and
                     MITRE false-refusal prompts (benign requests that sound like attacks)
  korean-guardrail-dataset (skan0779)  holds a copy of the Qualifire prompt-injection benchmark
                     (jailbreak vs benign, CC BY-NC 4.0): evaluation only

Training draws on the first three (plus the project's own fixtures, added by train.ts) and, for the
final model, on the first-round evaluation sets (GPTFuzz, InjecGuard); the final test sets
(PurpleLlama, Qualifire) are never read when training.
Nothing here is committed: the data stay with their owners.
"""
import csv, json, os, random, sys

src, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
rng = random.Random(20261125)


def jl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(l) for l in f if l.strip()]


def write(name, rows):
    seen, kept = set(), []
    for r in rows:
        t = r["text"].strip()
        if len(t) < 8 or t in seen:
            continue
        seen.add(t)
        kept.append({"text": t[:8000], "label": r["label"], "source": r["source"]})
    with open(os.path.join(out, name), "w", encoding="utf-8") as f:
        for r in kept:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    pos = sum(r["label"] for r in kept)
    print(f"{name}: {pos} injections / {len(kept) - pos} benign")


# --- training sources -------------------------------------------------------------------------
tt = os.path.join(src, "tensor-trust-data", "benchmarks")
attacks = [r["attack"] for r in jl(os.path.join(tt, "hijacking-robustness", "v1", "hijacking_robustness_dataset.jsonl"))]
attacks += [r["attack"] for r in jl(os.path.join(tt, "extraction-robustness", "v1", "extraction_robustness_dataset.jsonl"))]
train = [{"text": a, "label": 1, "source": "tensor-trust"} for a in attacks]

bipia = os.path.join(src, "BIPIA", "benchmark")
for group in json.load(open(os.path.join(bipia, "code_attack_train.json"), encoding="utf-8")).values():
    train += [{"text": a, "label": 1, "source": "bipia-code-attack"} for a in group]
for r in jl(os.path.join(bipia, "email", "train.jsonl")):
    train.append({"text": r["context"], "label": 0, "source": "bipia-email"})
    train.append({"text": r["question"], "label": 0, "source": "bipia-question"})

si = os.path.join(src, "self-instruct")
t0 = os.path.join(si, "data", "finetuning", "t0_train_50k", "data_per_template")
for name in sorted(os.listdir(t0)):
    rows = jl(os.path.join(t0, name))
    for r in rng.sample(rows, min(8, len(rows))):
        train.append({"text": r["prompt"], "label": 0, "source": "t0"})
for r in jl(os.path.join(si, "data", "seed_tasks.jsonl")):
    inst = r["instances"][0] if r.get("instances") else {}
    train.append({"text": (r["instruction"] + "\n" + inst.get("input", "")).strip(), "label": 0, "source": "self-instruct-seed"})
for r in jl(os.path.join(si, "human_eval", "user_oriented_instructions.jsonl")):
    inst = r["instances"][0] if r.get("instances") else {}
    train.append({"text": (r["instruction"] + "\n" + inst.get("input", "")).strip(), "label": 0, "source": "user-oriented"})

# Sets evaluated in the first round (docs/gateway.md) were folded into training for the final model:
# they are no longer unseen, and the final test is a set read only after this model was frozen.
ig = os.path.join(src, "InjecGuard", "datasets")
gf = os.path.join(src, "GPTFuzz", "datasets")
questions = [r["text"] for r in csv.DictReader(open(os.path.join(gf, "questions", "question_list.csv"), encoding="utf-8"))]
templates = [r["text"] for r in csv.DictReader(open(os.path.join(gf, "prompts", "GPTFuzzer.csv"), encoding="utf-8"))]
seen_round1 = [{"text": t.replace("[INSERT PROMPT HERE]", questions[i % len(questions)]), "label": 1, "source": "gptfuzz-template"} for i, t in enumerate(templates)]
for part in ("one", "two", "three"):
    seen_round1 += [{"text": r["prompt"], "label": 0, "source": f"notinject-{part}"} for r in json.load(open(os.path.join(ig, f"NotInject_{part}.json"), encoding="utf-8"))]
seen_round1 += [{"text": r["prompt"], "label": 0, "source": "wildguard-benign"} for r in json.load(open(os.path.join(ig, "wildguard.json"), encoding="utf-8"))]
seen_round1 += [{"text": r["prompt"], "label": int(r["label"]), "source": r["source"]} for r in json.load(open(os.path.join(ig, "valid.json"), encoding="utf-8"))]
train += seen_round1

rng.shuffle(train)
cut = len(train) // 5  # a fifth held out for choosing the decision threshold
write("dev.jsonl", train[:cut])
write("train.jsonl", train[cut:])

# --- evaluation sources (never read by train.ts) ----------------------------------------------
ig = os.path.join(src, "InjecGuard", "datasets")
notinject = []
for part in ("one", "two", "three"):
    notinject += [{"text": r["prompt"], "label": 0, "source": f"notinject-{part}"} for r in json.load(open(os.path.join(ig, f"NotInject_{part}.json"), encoding="utf-8"))]
write("eval-notinject.jsonl", notinject)
write("eval-wildguard.jsonl", [{"text": r["prompt"], "label": 0, "source": "wildguard-benign"} for r in json.load(open(os.path.join(ig, "wildguard.json"), encoding="utf-8"))])
write("eval-injecguard-valid.jsonl", [{"text": r["prompt"], "label": int(r["label"]), "source": r["source"]} for r in json.load(open(os.path.join(ig, "valid.json"), encoding="utf-8"))])

gf = os.path.join(src, "GPTFuzz", "datasets")
questions = [r["text"] for r in csv.DictReader(open(os.path.join(gf, "questions", "question_list.csv"), encoding="utf-8"))]
templates = [r["text"] for r in csv.DictReader(open(os.path.join(gf, "prompts", "GPTFuzzer.csv"), encoding="utf-8"))]
write("eval-gptfuzz.jsonl", [{"text": t.replace("[INSERT PROMPT HERE]", questions[i % len(questions)]), "label": 1, "source": "gptfuzz-template"} for i, t in enumerate(templates)])

code_test = [a for group in json.load(open(os.path.join(bipia, "code_attack_test.json"), encoding="utf-8")).values() for a in group]
emails = jl(os.path.join(bipia, "email", "test.jsonl"))
write("eval-bipia-test.jsonl", [{"text": a, "label": 1, "source": "bipia-code-attack"} for a in code_test] + [{"text": r["context"], "label": 0, "source": "bipia-email"} for r in emails])

# --- final tests (each read once, after a model was frozen) ---------------------------------------
qf = os.path.join(src, "korean-guardrail-dataset", "data", "raw", "qualifire", "prompt-injections-benchmark", "test.csv")
if os.path.exists(qf):
    write("final2-qualifire.jsonl", [{"text": r["text"], "label": 1 if r["label"] == "jailbreak" else 0, "source": "qualifire"} for r in csv.DictReader(open(qf, encoding="utf-8"))])

pl = os.path.join(src, "PurpleLlama", "CybersecurityBenchmarks", "datasets")
if os.path.isdir(pl):
    cases = json.load(open(os.path.join(pl, "prompt_injection", "prompt_injection.json"), encoding="utf-8"))
    write("final-cyberseceval.jsonl", [{"text": r["user_input"], "label": 1, "source": f"cyberseceval-{r['injection_variant']}"} for r in cases])
    multi = json.load(open(os.path.join(pl, "prompt_injection", "prompt_injection_multilingual_machine_translated.json"), encoding="utf-8"))
    write("final-cyberseceval-multilingual.jsonl", [{"text": r["user_input"], "label": 1, "source": f"cyberseceval-{r.get('speaking_language', '')}"} for r in multi])
    frr = json.load(open(os.path.join(pl, "mitre_frr", "mitre_frr.json"), encoding="utf-8"))
    write("final-mitre-frr.jsonl", [{"text": r["mutated_prompt"], "label": 0, "source": "mitre-frr"} for r in frr])
