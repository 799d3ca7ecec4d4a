#!/usr/bin/env python3
"""Draws a fresh labelled PII set with presidio-research's own sentence generator.

    PYTHONPATH=<faker checkout>:<presidio-research checkout> python3 scripts/presidio-synth-generate.py SEED N OUT.json [LOCALE]

Needs Python Faker (a recent one: the generator uses DynamicProvider), pandas, numpy, tqdm, requests,
python-dotenv and yaml (Debian: python3-pandas python3-numpy python3-tqdm python3-requests
python3-dotenv python3-yaml). spaCy and presidio-analyzer/anonymizer are imported by the package for
conversions and pseudonymisation that generation does not use, so they are replaced by empty modules.
The output is the JSON array bench/pii-external.ts reads (full_text + spans).
"""
import json
import sys
import types


class _Empty(types.ModuleType):
    def __getattr__(self, name):
        return type(name, (), {})


for name in ["spacy", "spacy.tokens", "spacy.training", "presidio_analyzer", "presidio_anonymizer", "presidio_anonymizer.entities"]:
    sys.modules[name] = _Empty(name)
sys.modules["spacy.training"].iob_to_biluo = lambda tags: tags

from presidio_evaluator.data_generator import PresidioSentenceFaker  # noqa: E402

if len(sys.argv) not in (4, 5):
    sys.exit("usage: presidio-synth-generate.py SEED N OUT.json [LOCALE (default en_US)]")
seed, n, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
locale = sys.argv[4] if len(sys.argv) == 5 else "en_US"
faker = PresidioSentenceFaker(locale, lower_case_ratio=0.05, random_seed=seed)
samples = faker.generate_new_fake_sentences(n)
with open(out, "w", encoding="utf-8") as fh:
    json.dump(
        [
            {
                "full_text": s.full_text,
                "spans": [{"entity_type": sp.entity_type, "entity_value": sp.entity_value, "start_position": sp.start_position, "end_position": sp.end_position} for sp in s.spans],
            }
            for s in samples
        ],
        fh,
        ensure_ascii=False,
    )
print(f"{len(samples)} samples (seed {seed}, {locale}) -> {out}", file=sys.stderr)
