#!/usr/bin/env python3
"""Build PII held-out set U22 (CrossNER test files, English Wikipedia prose of five domains) as the JSON Lines
bench/pii-external.ts reads.

  python3 scripts/pii-u22-convert.py NAME DOMAIN-test.txt [DOMAIN-test.txt …] --seen SEEN.jsonl [SEEN.jsonl …] > u22-crossner.jsonl

CrossNER: "token TAB tag" per line, IOB2, a blank line after each sentence. One sample per sentence.
The person classes person, politician, writer, musicalartist, scientist and researcher -> PERSON; every other
class keeps its name and is not scored (a prediction on one is counted apart). Scope PERSON.

--seen: JSON Lines of sets the project has already scored ({"text": …} per line). A sentence that shares a run
of RUN whitespace tokens (lower-cased) with any seen text is dropped; the count dropped goes to stderr.

Tokens are joined by one space; offsets in UTF-16 units (a character beyond the Basic Multilingual Plane
becomes two U+FFFD). A line of the wrong shape or a tag that is not O or B-/I-X stops the conversion with its
file and line number (exit 2). Only text is read; nothing of the set is run.
"""
import json
import sys

from pii_bio import append_tagged, check_tag, fail, line_blocks, token_runs, utf16

RUN = 10
PERSON_CLASSES = ("person", "politician", "writer", "musicalartist", "scientist", "researcher")
KINDS = {c: "PERSON" for c in PERSON_CLASSES}
SCOPE = ["PERSON"]


def sentences(path):
    for block in line_blocks(path):
        sentence = []
        for n, line in block:
            parts = line.split("\t")
            if len(parts) != 2 or not parts[0]:
                fail(f"{path}:{n}: expected a token and a tag separated by a tab")
            check_tag(path, n, parts[1])
            sentence.append((parts[0], parts[1]))
        if sentence:
            yield sentence


def seen_runs(seen_paths):
    """The word runs of every text of the seen JSON Lines files."""
    seen = set()
    for path in seen_paths:
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    seen |= token_runs(json.loads(line)["text"].split(), RUN)
    return seen


def convert(name, paths, seen_paths):
    seen = seen_runs(seen_paths)
    kept = []
    dropped = 0
    for path in paths:
        for sentence in sentences(path):
            if token_runs([tok for tok, _ in sentence], RUN) & seen:
                dropped += 1
            else:
                kept.append(sentence)
    for count, sentence in enumerate(kept):
        spans = []
        text = append_tagged("", spans, [(utf16(tok), tag) for tok, tag in sentence], KINDS)
        print(json.dumps({"text": text, "spans": spans, "source": f"{name}:{count}", "scope": SCOPE}, ensure_ascii=False))
    print(f"{len(kept)} samples, {dropped} dropped (a run of {RUN} tokens shared with a seen set)", file=sys.stderr)


if __name__ == "__main__":
    args = sys.argv[1:]
    if "--seen" not in args or args.index("--seen") < 2:
        fail("usage: pii-u22-convert.py NAME DOMAIN-test.txt [...] --seen SEEN.jsonl [...]")
    at = args.index("--seen")
    convert(args[0], args[1:at], args[at + 1 :])
