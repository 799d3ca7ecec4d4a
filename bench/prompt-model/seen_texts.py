"""The texts of the seen sets, shared by the blind-round builders: every row of DATA_DIR/*.jsonl (other than the
builder's own files) and of test/fixtures/prompts/*.jsonl, each normalised by the builder's `key`. A line that is
not a JSON object with a text field ends the build with a one-line error."""
import glob, json, os, re, sys, unicodedata


def fail(where, why):
    """Ends the build with a one-line error naming the input at fault."""
    sys.exit(f"{where}: {why}")


def json_list(path, what):
    """A JSON file holding a list (of `what`), or a one-line error naming the file."""
    try:
        with open(path, encoding="utf-8") as f:
            items = json.load(f)
    except (OSError, ValueError) as e:
        fail(path, f"cannot read as JSON ({e})")
    if not isinstance(items, list):
        fail(path, f"expected a list of {what}")
    return items


def normalised(t):
    """The builders' comparison key: NFKC, lower case, white space collapsed."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", t).lower()).strip()


def seen_texts(out, is_own, key):
    seen = set()
    for path in sorted(glob.glob(os.path.join(out, "*.jsonl"))) + sorted(glob.glob("test/fixtures/prompts/*.jsonl")):
        if is_own(os.path.basename(path)):
            continue
        with open(path, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                if line.strip():
                    try:
                        seen.add(key(json.loads(line)["text"]))
                    except (ValueError, KeyError, TypeError):
                        sys.exit(f"{path}:{n}: not a JSON object with a text field")
    return seen


class Dedup:
    """Keeps the first row of each (normalised text, task) and drops a row whose text is a seen one, counting those."""

    def __init__(self, seen, key):
        self.seen, self.key, self.taken, self.dropped = seen, key, set(), 0

    def fresh(self, text, task):
        k = (self.key(text), task)
        if not k[0] or k in self.taken:
            return False
        self.taken.add(k)
        if k[0] in self.seen:
            self.dropped += 1
            return False
        return True


def write_jsonl(path, rows):
    """Writes rows one JSON object a line, atomically (a temporary file, then a rename)."""
    with open(path + ".tmp", "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    os.replace(path + ".tmp", path)


def jsonl_objects(path):
    """(where, object) for every non-blank line of a JSON Lines file, `where` naming file and line; a file that cannot
    be read or a line that is not a JSON object ends the build with a one-line error."""
    try:
        with open(path, encoding="utf-8") as f:
            lines = f.read().split("\n")
    except (OSError, UnicodeDecodeError) as e:
        fail(path, f"cannot read as UTF-8 text ({e})")
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{path}:{n}"
        try:
            obj = json.loads(line)
        except ValueError as e:
            fail(where, f"not JSON ({e})")
        if not isinstance(obj, dict):
            fail(where, "not a JSON object")
        yield where, obj


def write_round(out, prefix, outputs, dedups):
    """Writes DATA_DIR/<prefix>-<part>.jsonl for each part's rows and prints only counts (rows, sources, roles,
    rows dropped as seen)."""
    for part, rows in outputs.items():
        name = f"{prefix}-{part}.jsonl"
        write_jsonl(os.path.join(out, name), rows)
        roles = {r: sum(1 for x in rows if x["role"] == r) for r in ("user", "data")}
        print(f"{name}: {len(rows)} rows, {len({r['source'] for r in rows})} sources, roles {roles} (dropped as seen: {dedups[part].dropped})")
