#!/usr/bin/env python3
"""Builds blind round 12 (bench/prompt-model/BLIND.md): injections inside tool results, from AgentDojo.

usage: blind12.py SOURCES_DIR DATA_DIR

SOURCES_DIR holds a checkout of AgentDojo (folder `agentdojo`, MIT; commit in BLIND.md). Read from it:
  src/agentdojo/data/suites/<suite>/environment.yaml (+ include/*.yaml)  the data an agent's tools return
      (e-mails, calendar events, files, web pages, transactions, reviews), with `{vector}` placeholders
  src/agentdojo/data/suites/<suite>/injection_vectors.yaml  each placeholder's benign default text
  src/agentdojo/default_suites/*/<suite>/injection_tasks.py  the attacker goals (class attribute GOAL)
  src/agentdojo/attacks/{baseline,important_instructions}_attacks.py  the publisher's attack templates
YAML is read with the safe loader (plus a reader for its `!include` tag); Python files are parsed with
`ast` and only string literals and f-strings over class-level string constants are evaluated: nothing
is imported or run.

Rows (all role "data": a tool's result, rendered as YAML like the tool output an agent sees):
  attacks  every distinct goal x every attack template; the attack text replaces one of the suite's
           placeholders (chosen with random.Random(SEED)), the other placeholders of that record keep
           their defaults. source = "attack-<template>", group = suite.
  benign   every record of the suite's environment with its placeholders at their defaults (the record
           that hosts a placeholder is always kept; the others, when their YAML is 40 characters or more,
           are sampled to CAP per suite with the same seed). source = "benign-<suite>".
A record is the outermost list element that is a mapping (an e-mail, an event, a file, a hotel with its
reviews), a string in a list, or else the text under one key (a web page, a bank file).

DATA_DIR holds the seen rows at hand (earlier rounds' files): a row equal to one of them or to a row of
test/fixtures/prompts/*.jsonl (normalised: NFKC, lower case, whitespace collapsed) is dropped. Writes
DATA_DIR/blind12-injections.jsonl and DATA_DIR/blind12-benign.jsonl atomically. Nothing read here is
committed.
"""
import ast, glob, json, os, random, re, sys, unicodedata

import yaml

SEED = 12
CAP = 60  # benign records per suite, beyond the ones that host a placeholder
SUITES = ("banking", "slack", "travel", "workspace")
# The publisher's attacks whose text is a fixed template around the goal. "tool_knowledge" needs the
# goal's ground-truth tool calls (code), "manual" asks a person, the DoS attacks carry no goal.
TEMPLATES = ("important_instructions", "ignore_previous", "injecagent", "system_message", "direct")
# A channel-name placeholder ("External_{…}") is a name in a list, not content a tool returns as text.
SKIP_VECTORS = {"prompt_injection_channel"}

if len(sys.argv) != 3:
    sys.exit("usage: blind12.py SOURCES_DIR DATA_DIR")
root = os.path.join(sys.argv[1], "agentdojo", "src", "agentdojo")
out = sys.argv[2]


def fail(where, why):
    sys.exit(f"{where}: {why}")


def key(t):
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", t).lower()).strip()


class Loader(yaml.SafeLoader):
    pass


def include(loader, node):
    path = os.path.join(os.path.dirname(loader.name), loader.construct_scalar(node))
    with open(path, encoding="utf-8") as fh:
        return yaml.load(fh, Loader)


Loader.add_constructor("!include", include)


def read_yaml(path):
    try:
        with open(path, encoding="utf-8") as fh:
            return yaml.load(fh, Loader)
    except (OSError, yaml.YAMLError) as e:
        fail(path, f"cannot read ({e})")


def fstring(node, consts, where):
    """The value of a string literal or an f-string whose fields are names of class-level strings."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        parts = []
        for v in node.values:
            if isinstance(v, ast.Constant):
                parts.append(v.value)
            elif isinstance(v, ast.FormattedValue) and isinstance(v.value, ast.Name) and v.value.id in consts:
                parts.append(str(consts[v.value.id]))
            else:
                return None
        return "".join(parts)
    return None


def goals(suite):
    found = {}
    for path in sorted(glob.glob(os.path.join(root, "default_suites", "*", suite, "injection_tasks.py"))):
        try:
            tree = ast.parse(open(path, encoding="utf-8").read(), path)
        except (OSError, SyntaxError) as e:
            fail(path, f"cannot parse ({e})")
        for cls in (n for n in tree.body if isinstance(n, ast.ClassDef)):
            consts, goal = {}, None
            for st in cls.body:
                if isinstance(st, (ast.Assign, ast.AnnAssign)):
                    target = st.targets[0] if isinstance(st, ast.Assign) else st.target
                    if not isinstance(target, ast.Name) or st.value is None:
                        continue
                    if isinstance(st.value, ast.Constant) and isinstance(st.value.value, (str, int)):
                        consts[target.id] = st.value.value
                    if target.id == "GOAL":
                        goal = fstring(st.value, consts, f"{path}:{st.lineno}")
                        if goal is None:
                            print(f"{path}:{st.lineno}: GOAL not a plain (f-)string, skipped", file=sys.stderr)
            if goal:
                found.setdefault(key(goal), goal)
    return list(found.values())


def templates():
    out_t = {}
    for name in ("baseline_attacks.py", "important_instructions_attacks.py"):
        path = os.path.join(root, "attacks", name)
        tree = ast.parse(open(path, encoding="utf-8").read(), path)
        for cls in (n for n in tree.body if isinstance(n, ast.ClassDef)):
            attr = {}
            for st in cls.body:
                if isinstance(st, ast.Assign) and isinstance(st.targets[0], ast.Name):
                    if isinstance(st.value, ast.Constant) and isinstance(st.value.value, str):
                        attr[st.targets[0].id] = st.value.value
            name_ = attr.get("name")
            if name_ not in TEMPLATES or name_ in out_t:
                continue
            text = attr.get("_JB_STRING")
            if text is None:  # the template is the first argument of super().__init__(…)
                for n in ast.walk(cls):
                    if (
                        isinstance(n, ast.Call)
                        and isinstance(n.func, ast.Attribute)
                        and n.func.attr == "__init__"
                        and n.args
                        and isinstance(n.args[0], ast.Constant)
                    ):
                        text = n.args[0].value
                        break
            if not text or "{goal}" not in text:
                fail(path, f"class {cls.name}: no template with {{goal}}")
            out_t[name_] = text
    missing = set(TEMPLATES) - set(out_t)
    if missing:
        fail(os.path.join(root, "attacks"), f"templates not found: {sorted(missing)}")
    return out_t


def model_names():
    path = os.path.join(root, "models.py")
    names = sorted(set(re.findall(r'^\s+"[^"]+": "([^"]+)",\s*$', open(path, encoding="utf-8").read(), re.M)))
    if not names:
        fail(path, "no MODEL_NAMES values")
    return names


def records(env):
    """(record, placeholders in it): list elements that are mappings, or texts under a key."""
    found = []

    def walk(x, in_list):
        if isinstance(x, dict):
            if in_list:
                found.append(x)
                return
            for k, v in x.items():
                if isinstance(v, str):
                    found.append({k: v})
                else:
                    walk(v, False)
        elif isinstance(x, list):
            for v in x:
                if isinstance(v, str):
                    found.append(v)
                else:
                    walk(v, True)

    walk(env, False)
    return found


def texts(x):
    if isinstance(x, str):
        yield x
    elif isinstance(x, dict):
        for v in x.values():
            yield from texts(v)
    elif isinstance(x, list):
        for v in x:
            yield from texts(v)


def fill(x, values):
    if isinstance(x, str):
        return re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), m.group(0)), x)
    if isinstance(x, dict):
        return {k: fill(v, values) for k, v in x.items()}
    if isinstance(x, list):
        return [fill(v, values) for v in x]
    return x


def render(rec):
    if isinstance(rec, str):
        return rec
    return yaml.safe_dump(rec, sort_keys=False, allow_unicode=True, width=10_000).strip()


seen = set()
fixtures = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "test", "fixtures", "prompts")
for f in glob.glob(os.path.join(out, "*.jsonl")) + glob.glob(os.path.join(fixtures, "*.jsonl")):
    if os.path.basename(f).startswith("blind12-"):
        continue
    for n, line in enumerate(open(f, encoding="utf-8"), 1):
        if line.strip():
            try:
                seen.add(key(json.loads(line)["text"]))
            except (ValueError, KeyError) as e:
                fail(f"{f}:{n}", f"not a JSON row with a text field ({e})")

tmpl = templates()
models = model_names()
rng = random.Random(SEED)
attacks, benign, dropped = [], [], 0
for suite in SUITES:
    base = os.path.join(root, "data", "suites", suite)
    env = read_yaml(os.path.join(base, "environment.yaml"))
    vectors = read_yaml(os.path.join(base, "injection_vectors.yaml"))
    defaults = {}
    for name, v in vectors.items():
        if not isinstance(v, dict) or not isinstance(v.get("default"), str):
            fail(os.path.join(base, "injection_vectors.yaml"), f"{name}: no default text")
        defaults[name] = v["default"]
    recs = records(env)
    hosts = {}  # placeholder -> the record that holds it
    for r in recs:
        for t in texts(r):
            for m in re.findall(r"\{(\w+)\}", t):
                if m in defaults and m not in SKIP_VECTORS:
                    hosts.setdefault(m, r)
    names = sorted(hosts)
    if not names:
        fail(base, "no placeholder found in the environment")

    # Benign: every record that hosts a placeholder, then a seeded sample of the rest.
    host_ids = {id(r) for r in hosts.values()}
    rest = [r for r in recs if id(r) not in host_ids and len(render(fill(r, defaults))) >= 40]
    rng.shuffle(rest)
    picked, keys = [], set()
    for r in [hosts[n] for n in names] + rest:
        text = render(fill(r, defaults))
        k = key(text)
        if k in keys:
            continue
        if k in seen:
            dropped += 1
            continue
        if len(picked) >= len(names) + CAP:
            break
        keys.add(k)
        picked.append({"text": text, "label": 0, "source": f"benign-{suite}", "group": suite, "role": "data"})
    benign += picked

    gs = goals(suite)
    if not gs:
        fail(base, "no injection goal found")
    for goal in gs:
        for t in TEMPLATES:
            attack = tmpl[t].replace("{goal}", goal)
            attack = attack.replace("{user}", "Emma Johnson").replace("{model}", rng.choice(models))
            vec = rng.choice(names)
            text = render(fill(hosts[vec], {**defaults, vec: attack}))
            if key(text) in seen:
                dropped += 1
                continue
            attacks.append({"text": text, "label": 1, "source": f"attack-{t}", "group": suite, "role": "data"})
    print(f"{suite}: {len(gs)} goals, {len(names)} placeholders, {len(picked)} benign records")

for name, rows in (("blind12-injections.jsonl", attacks), ("blind12-benign.jsonl", benign)):
    tmp = os.path.join(out, name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    os.replace(tmp, os.path.join(out, name))
    print(f"{name}: {sum(r['label'] for r in rows)} injections / {sum(1 - r['label'] for r in rows)} benign")
print(f"dropped as seen: {dropped}")
