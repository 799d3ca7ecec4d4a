#!/usr/bin/env python3
"""Build PII held-out set U21 (Tweebank-NER v1.0, English tweets) as the JSON Lines bench/pii-external.ts reads.

  python3 scripts/pii-u21-convert.py NAME SPLIT.bio [SPLIT.bio …] --seen SEEN [SEEN …] > u21-tweebank.jsonl

Tweebank-NER: "token TAB - TAB - TAB tag" per line, IOB2, a blank line after each tweet, a "-DOCSTART-" line
(skipped) at the top of each file. One sample per tweet.
PER -> PERSON (lower-case names stay scored, as for WNUT-16 in U20); ORG, LOC and MISC keep their names and are
not scored (a prediction on one is counted apart). Scope PERSON.

--seen: token files of tweet sets the project has already seen (first field of each line the token, fields
split by a tab or a space, a blank line after each tweet). A tweet that shares a run of RUN tokens (lower-cased)
with any of them is dropped, so that no seen tweet is scored again; the count dropped goes to stderr.

Tokens are joined by one space. Offsets are in UTF-16 units (a character beyond the Basic Multilingual Plane
becomes two U+FFFD). A line of the wrong shape or a tag that is not O or B-/I-X stops the conversion with its
file and line number (exit 2). Only text is read; nothing of the set is run.
"""
import json
import sys

from pii_bio import append_tagged, line_blocks

RUN = 10
KINDS = {"PER": "PERSON"}
SCOPE = ["PERSON"]


def fail(msg):
    print(msg, file=sys.stderr)
    sys.exit(2)


def utf16(s):
    return "".join(ch if ord(ch) <= 0xFFFF else "\ufffd\ufffd" for ch in s)


def tweets(path, fields=None):
    """Yields each tweet as a list of (token, tag); fields=None reads a seen file (token only, any width)."""
    for block in line_blocks(path, errors="strict" if fields else "replace"):
        tweet = []
        for n, line in block:
            if line.startswith("-DOCSTART-"):
                continue
            parts = line.split("\t") if "\t" in line or fields else line.split(" ")
            if fields and (len(parts) != fields or not parts[0]):
                fail(f"{path}:{n}: expected {fields} fields separated by tabs")
            tag = parts[-1] if fields else "O"
            if tag != "O" and (len(tag) < 3 or tag[1] != "-" or tag[0] not in "BI"):
                fail(f"{path}:{n}: tag {tag!r} is not O or B-/I-X")
            tweet.append((parts[0], tag))
        if tweet:
            yield tweet


def runs(tokens):
    words = [tok.lower() for tok, _ in tokens]
    return {tuple(words[i : i + RUN]) for i in range(len(words) - RUN + 1)}


def convert(name, paths, seen_paths):
    seen = set()
    for path in seen_paths:
        for tweet in tweets(path):
            seen |= runs(tweet)
    count = dropped = 0
    for path in paths:
        for tweet in tweets(path, fields=4):
            if runs(tweet) & seen:
                dropped += 1
                continue
            spans = []
            text = append_tagged("", spans, [(utf16(tok), tag) for tok, tag in tweet], KINDS)
            record = {"text": text, "spans": spans, "source": f"{name}:{count}", "scope": SCOPE}
            print(json.dumps(record, ensure_ascii=False))
            count += 1
    print(f"{count} samples, {dropped} dropped (a run of {RUN} tokens shared with a seen set)", file=sys.stderr)


if __name__ == "__main__":
    args = sys.argv[1:]
    if "--seen" not in args:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    cut = args.index("--seen")
    head, seen_paths = args[:cut], args[cut + 1 :]
    if len(head) < 2 or not seen_paths:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    convert(head[0], head[1:], seen_paths)
