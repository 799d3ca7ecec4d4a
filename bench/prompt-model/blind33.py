#!/usr/bin/env python3
"""Builds blind round 33 (bench/prompt-model/BLIND.md, "Round 33"): the detection payloads of an e-mail reading MCP
server's prompt-injection tests — attacks written as the text of an e-mail the agent reads (plain orders, role play,
character tricks, encodings, invisible characters, structural splits, semantic framings) and e-mails whose HTML,
comments, signature, quoted reply or forwarded part carry the order — from thekie/read-no-evil-mcp (Apache-2.0
licence, 2026).

usage: blind33.py CHECKOUT DATA_DIR

CHECKOUT  a checkout of that repository (commit in BLIND.md), or of its
          `tests/integration/prompt_injection/payloads` folder. Only the YAML files there are read (parsed as data with
          `yaml.safe_load`; nothing of the repository is imported or run): a mapping with `category` and a list
          `payloads`, each with `id`, `payload` (the text), `technique` and, for some, `email_context` (`subject`,
          `body_plain`, `body_html`).

Rows, no task, role "data" (every text reaches the agent as the content of an e-mail it was asked to read):
  text = the payload; for a payload with an e-mail context, the e-mail as the reader gets it — the subject, the plain
  body and the HTML body, in that order, separated by blank lines (a missing part is left out);
  label = 0 for the publisher's technique `negative` (its benign look-alikes), 1 for every other payload (the field
  `expected` records the publisher's own detector's result, not a label, and is not read);
  source `rne-<category>` (benign `rne-legit-<category>`), group = the file's name.
  `blind33-injections.jsonl` holds the attacks, `blind33-benign.jsonl` the look-alikes.
A text equal to a seen row (seen_texts.py: every row of DATA_DIR/*.jsonl but this round's, and of
test/fixtures/prompts/*.jsonl, compared NFKC, lower case, white space collapsed) is left out, and so is a repeat within
an output file. Nothing is capped or sampled. Output, written atomically: DATA_DIR/blind33-*.jsonl; only counts are
printed.
"""
import glob, os, sys
from seen_texts import Dedup, fail, normalised as key, seen_texts, write_round

try:
    import yaml
except ImportError:
    sys.exit("blind33.py: needs PyYAML (yaml.safe_load) to read the payload files")

if len(sys.argv) != 3:
    sys.exit("usage: blind33.py CHECKOUT DATA_DIR")
src, out = sys.argv[1:]
sub = os.path.join(src, "tests", "integration", "prompt_injection", "payloads")
root = sub if os.path.isdir(sub) else src
paths = sorted(glob.glob(os.path.join(root, "*.yaml")))
if not paths:
    fail(root, "no YAML payload files")


def payloads_of(path):
    """(text, label, category) for every payload of one file, or a one-line error naming file, entry and field."""
    try:
        with open(path, encoding="utf-8") as f:
            doc = yaml.safe_load(f)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as e:
        fail(path, f"cannot read as YAML ({str(e).splitlines()[0]})")
    if not isinstance(doc, dict) or not isinstance(doc.get("payloads"), list):
        fail(path, "field payloads: needs a list")
    category = doc.get("category")
    if not isinstance(category, str) or not category.strip():
        fail(path, "field category: needs a name")
    found = []
    for n, p in enumerate(doc["payloads"], 1):
        where = f"{path}: payload {n}"
        if not isinstance(p, dict):
            fail(where, "not a mapping")
        text = p.get("payload")
        if not isinstance(text, str) or not text.strip():
            fail(where, "field payload: needs a text")
        ctx = p.get("email_context")
        if ctx is not None:
            if not isinstance(ctx, dict):
                fail(where, "field email_context: needs a mapping")
            parts = []
            for field in ("subject", "body_plain", "body_html"):
                v = ctx.get(field)
                if v is not None and not isinstance(v, str):
                    fail(where, f"field email_context.{field}: needs a text")
                if v and v.strip():
                    parts.append(v)
            if parts:
                text = "\n\n".join(parts)
        found.append((text, 0 if p.get("technique") == "negative" else 1, category))
    return found


seen = seen_texts(out, lambda name: name.startswith("blind33-"), key)
outputs = {"injections": [], "benign": []}
dedups = {part: Dedup(seen, key) for part in outputs}
for path in paths:
    name = os.path.splitext(os.path.basename(path))[0]
    for text, label, category in payloads_of(path):
        part = "injections" if label else "benign"
        source = f"rne-{category}" if label else f"rne-legit-{category}"
        if dedups[part].fresh(text, None):
            outputs[part].append({"text": text, "label": label, "source": source, "role": "data", "group": name})

write_round(out, "blind33", outputs, dedups)
