/**
 * Session 17: checks that clear a sink (character allow-lists, the else of a failed check, a command built from
 * checked values and held in a name) and pickle Unpickler subclasses. Each safe case has vulnerable look-alikes:
 * a check on a part only (the first word), a check that does not leave, a deny-list, an unanchored pattern.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { analyzePython, CODE_RULES, pythonParser } from "../../../src/scan/code/index.js";

type Parser = Awaited<ReturnType<typeof pythonParser>>;
let parser: Parser;
beforeAll(async () => {
  parser = await pythonParser();
});

const ids = (src: string) => analyzePython(parser, src).hits.map((h) => h.rule.id);

const lines = (...l: string[]) => `${l.join("\n")}\n`;

const EVAL = CODE_RULES.evalExec.id;
const SHELL = CODE_RULES.shell.id;
const SQL = CODE_RULES.sql.id;
const DESER = CODE_RULES.deserialization.id;

/** Session 36: a file-local predicate `is_safe(text)` that walks `ast.parse(text)` with the given loop body. */
const astCheck = (loopBody: string[]) => [
  "import ast, os, sys",
  "def is_safe(text):",
  '    tree = ast.parse(text, mode="eval")',
  "    for n in ast.walk(tree):",
  ...loopBody,
  "    return True",
];
/** An allow-list of literals and one operator, leaving at the first node outside it. */
const ARITHMETIC = ["        if not isinstance(n, (ast.Expression, ast.Constant, ast.BinOp, ast.Add)):", "            return False"];
/** `main()` reads argv and returns when `is_safe` says no. */
const GUARDED = ["def main():", "    text = sys.argv[1]", "    if not is_safe(text):", "        return"];
const GUARDED_EVAL = [...GUARDED, "    print(eval(text))"];

const CASES: Array<{ name: string; rule: string; vulnerable: string[]; safe: string[] }> = [
  {
    name: "a character allow-list before eval",
    rule: EVAL,
    safe: [
      lines(
        "def calc(expression):",
        '    allowed = "0123456789+-*/() "',
        "    if not all(ch in allowed for ch in expression):",
        '        result = "Invalid expression."',
        "    else:",
        "        result = eval(expression)",
        "    return result",
      ),
      lines(
        "def calc(expression):",
        "    allowed = set('0123456789+-*/() ')",
        "    if all(ch in allowed for ch in expression):",
        "        return eval(expression)",
        "    return None",
      ),
      lines("def calc(expr):", '    allowed = set("0123456789+-*/() ")', "    if set(expr) - allowed:", '        return "bad"', "    else:", "        return eval(expr)"),
      lines("def calc(expr):", '    allowed = set("0123456789+-*/() ")', "    if set(expr) - allowed:", '        raise ValueError("bad")', "    return eval(expr)"),
      lines("def calc(expr):", '    if set(expr) <= set("0123456789+-*/. "):', "        return eval(expr)"),
      lines(
        "def calc(expr):",
        '    if not set(expr) <= set("0123456789+-*/. "):',
        "        return None",
        "    elif len(expr) > 100:",
        "        return None",
        "    else:",
        "        return eval(expr)",
      ),
    ],
    vulnerable: [
      // the check only logs: eval runs on every path
      lines(
        "def calc(expression):",
        '    allowed = "0123456789+-*/() "',
        "    if not all(ch in allowed for ch in expression):",
        '        print("odd")',
        "    return eval(expression)",
      ),
      lines("def calc(expr):", '    allowed = set("0123456789+-*/() ")', "    if set(expr) - allowed:", '        print("odd")', "    return eval(expr)"),
      // the sink is on the failing side
      lines("def calc(expr):", '    allowed = set("0123456789")', "    if set(expr) - allowed:", "        return eval(expr)", "    return int(expr)"),
      lines("def calc(expr):", '    allowed = "0123456789+-*/() "', "    if all(ch in allowed for ch in expr):", "        return 0", "    else:", "        return eval(expr)"),
      // the allow-list checks another name
      lines(
        "def calc(expr, other):",
        '    allowed = "0123456789"',
        "    if not all(ch in allowed for ch in other):",
        "        return None",
        "    else:",
        "        return eval(expr)",
      ),
      // a set difference with a list read from the caller is not an allow-list written in the file
      lines("def calc(expr, allowed):", "    if set(expr) - set(allowed):", "        return None", "    else:", "        return eval(expr)"),
    ],
  },
  {
    name: "a command built from a checked value, held in a name",
    rule: SHELL,
    safe: [
      lines(
        "import re, subprocess, sys",
        "def main():",
        "    username = sys.argv[1]",
        '    if not re.match("^[a-zA-Z0-9_-]{1,32}$", username):',
        '        print("Invalid username")',
        "        sys.exit(1)",
        '    command = "getent passwd {}".format(username)',
        "    subprocess.Popen(command, stdout=subprocess.PIPE, shell=True)",
      ),
      lines("import os", "def ping(host):", "    if not host.isalnum():", "        raise ValueError(host)", '    cmd = f"ping -c 1 {host}"', "    os.system(cmd)"),
      lines("import os", 'ALLOWED = ("ls", "pwd")', "def run(cmd):", "    if cmd in ALLOWED:", "        os.system(cmd)"),
      lines("import os", 'ALLOWED = {"ls", "pwd"}', "def run(cmd):", "    if cmd not in ALLOWED:", "        return None", "    else:", "        return os.popen(cmd).read()"),
    ],
    vulnerable: [
      // only the first word is checked: `ls; rm -rf ~` passes
      lines(
        "import os",
        'ALLOWED = ["ls", "cat"]',
        "def run(command):",
        "    if command.split()[0] not in ALLOWED:",
        "        raise ValueError(command)",
        "    return os.popen(command).read()",
      ),
      lines(
        "import subprocess",
        'ALLOWED = ["ls", "cat"]',
        "def run(command):",
        "    first = command.split()[0]",
        "    if first not in ALLOWED:",
        '        return "denied"',
        "    return subprocess.check_output(command, shell=True)",
      ),
      lines(
        "import subprocess",
        'ALLOWED = ["ls", "cat"]',
        "def run(command):",
        "    parts = command.split()",
        "    if parts[0] in ALLOWED:",
        "        subprocess.run(command, shell=True)",
      ),
      // an unanchored pattern lets anything through after the first match
      lines("import re, os", "def ping(host):", '    if not re.match("[a-z]+", host):', "        return", '    cmd = "ping " + host', "    os.system(cmd)"),
      // a deny-list
      lines("import os", "def run(cmd):", '    if ";" in cmd:', "        return", "    os.system(cmd)"),
      // the checked command is extended with another value afterwards
      lines(
        "import os",
        "def ping(host, opts):",
        "    if not host.isalnum():",
        "        raise ValueError(host)",
        '    cmd = "ping " + host',
        '    cmd = cmd + " " + opts',
        "    os.system(cmd)",
      ),
      // the else of a passing check is the unchecked side
      lines("import os", 'ALLOWED = ("ls", "pwd")', "def run(cmd):", "    if cmd in ALLOWED:", "        pass", "    else:", "        os.system(cmd)"),
    ],
  },
  {
    name: "a query built from a checked value, held in a name",
    rule: SQL,
    safe: [
      lines(
        "import sqlite3",
        "def get(uid):",
        "    if not uid.isdigit():",
        "        raise ValueError(uid)",
        '    q = "SELECT * FROM users WHERE id = " + uid',
        '    return sqlite3.connect("db").execute(q).fetchall()',
      ),
    ],
    vulnerable: [
      lines(
        "import sqlite3",
        "def get(uid):",
        "    if not uid.isdigit():",
        '        print("odd")',
        '    q = "SELECT * FROM users WHERE id = " + uid',
        '    return sqlite3.connect("db").execute(q).fetchall()',
      ),
      // a query executed through a local helper that runs its parameter (followed across the call)
      lines(
        "import sqlite3",
        "def run(query):",
        '    cur = sqlite3.connect("db").cursor()',
        "    cur.execute(query)",
        "    return cur.fetchall()",
        "def get_user(name):",
        "    return run(\"SELECT * FROM users WHERE name = '%s'\" % name)",
      ),
    ],
  },
  {
    name: "pickle Unpickler subclasses",
    rule: DESER,
    safe: [
      lines(
        "import io, pickle",
        'SAFE = {("builtins", "range"), ("collections", "OrderedDict")}',
        "class RestrictedUnpickler(pickle.Unpickler):",
        "    def find_class(self, module, name):",
        "        if (module, name) in SAFE:",
        "            return super().find_class(module, name)",
        '        raise pickle.UnpicklingError("global %s.%s is forbidden" % (module, name))',
        "def loads(data):",
        "    return RestrictedUnpickler(io.BytesIO(data)).load()",
      ),
      lines(
        "import builtins, io, pickle",
        'safe_builtins = {"range", "complex", "set", "frozenset"}',
        "class RestrictedUnpickler(pickle.Unpickler):",
        "    def find_class(self, module, name):",
        '        if module == "builtins" and name in safe_builtins:',
        "            return getattr(builtins, name)",
        '        raise pickle.UnpicklingError("forbidden")',
        "def restricted_loads(s):",
        "    u = RestrictedUnpickler(io.BytesIO(s))",
        "    return u.load()",
      ),
      // loads no global at all
      lines(
        "import pickle",
        "class NoGlobals(pickle.Unpickler):",
        "    def find_class(self, module, name):",
        '        raise pickle.UnpicklingError("no globals")',
        "def load(f):",
        "    return NoGlobals(f).load()",
      ),
    ],
    vulnerable: [
      lines("import io, pickle", "class MyUnpickler(pickle.Unpickler):", "    pass", "def loads(data):", "    u = MyUnpickler(io.BytesIO(data))", "    return u.load()"),
      // find_class only logs and delegates
      lines(
        "import io, pickle",
        "class LoggingUnpickler(pickle.Unpickler):",
        "    def find_class(self, module, name):",
        '        print("loading", module, name)',
        "        return super().find_class(module, name)",
        "def loads(data):",
        "    return LoggingUnpickler(io.BytesIO(data)).load()",
      ),
      // the raise is only for errors of the import: every global still loads
      lines(
        "import io, pickle",
        "class Quiet(pickle.Unpickler):",
        "    def find_class(self, module, name):",
        "        try:",
        "            return super().find_class(module, name)",
        "        except AttributeError:",
        "            raise pickle.UnpicklingError(name)",
        "def loads(data):",
        "    return Quiet(io.BytesIO(data)).load()",
      ),
      lines("from pickle import Unpickler", "class U(Unpickler):", "    pass", "obj = U(open('m.pkl', 'rb')).load()"),
    ],
  },
  {
    // after the session-17 held-out run (tuned on it): loader classes built on PyYAML's loaders
    name: "PyYAML loader subclasses",
    rule: CODE_RULES.yamlLoad.id,
    vulnerable: [
      lines("from yaml import UnsafeLoader", "class MyLoader(UnsafeLoader):", "    def __init__(self, *args, **kwargs):", "        super().__init__(*args, **kwargs)"),
      lines("import yaml as yam", "from abc import ABC", "class MyLoader(ABC, yam.UnsafeLoader):", "    pass"),
      lines("import yaml", "class L(yaml.FullLoader):", "    pass", "def f(s):", "    return yaml.load(s, Loader=L)"),
      // a mix keeps the unsafe constructors
      lines("import yaml", "class L(yaml.SafeLoader, yaml.UnsafeConstructor):", "    pass"),
    ],
    safe: [
      lines("import yaml", "class L(yaml.SafeLoader):", "    pass", 'L.add_constructor("!x", lambda loader, node: 1)', "def f(s):", "    return yaml.load(s, Loader=L)"),
      lines("import yaml", "class L(yaml.CSafeLoader):", "    pass"),
      // another package's Loader
      lines("import whatever as yaml", "class L(yaml.Loader):", "    pass"),
    ],
  },
  {
    // session 25: a predicate of the file that only returns a check of its parameters guards like the check itself
    name: "a file-local predicate that returns a check",
    rule: SHELL,
    safe: [
      lines(
        "import re, subprocess",
        "def is_valid_host(h):",
        '    """Host names only."""',
        '    return re.fullmatch(r"[a-z0-9.-]+", h) is not None',
        "def ping(host):",
        "    if not is_valid_host(host):",
        "        raise ValueError(host)",
        '    subprocess.call("ping -c 1 " + host, shell=True)',
      ),
      lines(
        "import subprocess",
        'HOSTS = {"a.example", "b.example"}',
        "def allowed(name, h):",
        "    return h in HOSTS",
        "def ping(host):",
        '    if not allowed("ping", h=host):',
        "        return",
        '    subprocess.call("ping -c 1 " + host, shell=True)',
      ),
      lines(
        "import re, subprocess",
        "def ok(h):",
        '    return bool(re.fullmatch(r"\\w+", h))',
        "def ping(host):",
        "    if ok(host):",
        '        subprocess.call("ping " + host, shell=True)',
      ),
    ],
    vulnerable: [
      // the predicate checks something else than the value (its length)
      lines(
        "import subprocess",
        "def short(h):",
        "    return len(h) < 100",
        "def ping(host):",
        "    if not short(host):",
        "        return",
        '    subprocess.call("ping -c 1 " + host, shell=True)',
      ),
      // it does more than return a check: not read
      lines(
        "import re, subprocess",
        "def is_valid_host(h):",
        "    h = h.strip()",
        '    return re.fullmatch(r"[a-z0-9.-]+", h) is not None',
        "def ping(host):",
        "    if not is_valid_host(host):",
        "        return",
        '    subprocess.call("ping -c 1 " + host, shell=True)',
      ),
      // the checked parameter is not the one given the value
      lines(
        "import re, subprocess",
        "def valid(h, other):",
        '    return re.fullmatch(r"[a-z]+", h) is not None',
        "def ping(host):",
        '    if not valid("x", host):',
        "        return",
        '    subprocess.call("ping -c 1 " + host, shell=True)',
      ),
      // an unanchored search checks nothing
      lines(
        "import re, subprocess",
        "def ok(h):",
        '    return re.search(r"[a-z]+", h) is not None',
        "def ping(host):",
        "    if ok(host):",
        '        subprocess.call("ping " + host, shell=True)',
      ),
    ],
  },
  {
    name: "session 36: a guard whose block leaves before its last statement (what follows the exit never runs)",
    rule: SHELL,
    safe: [
      lines(
        "import re, subprocess",
        "from flask import abort",
        "def ping(host):",
        '    if not re.fullmatch(r"[a-z0-9.-]+", host):',
        "        abort(400)",
        "        print('bad host', host)",
        '    subprocess.call("ping -c 1 " + host, shell=True)',
      ),
    ],
    vulnerable: [
      // the check only logs
      lines(
        "import re, subprocess",
        "def ping(host):",
        '    if not re.fullmatch(r"[a-z0-9.-]+", host):',
        "        print('bad host', host)",
        '    subprocess.call("ping -c 1 " + host, shell=True)',
      ),
      // the exit is inside a branch of the block: the block may fall through
      lines(
        "import re, subprocess",
        "from flask import abort",
        "def ping(host, strict):",
        '    if not re.fullmatch(r"[a-z0-9.-]+", host):',
        "        if strict:",
        "            abort(400)",
        "        print('bad host', host)",
        '    subprocess.call("ping -c 1 " + host, shell=True)',
      ),
    ],
  },
  {
    name: "session 36: eval of text a file-local ast allow-list predicate accepted",
    rule: EVAL,
    safe: [
      lines(
        "import ast",
        "from flask import Flask, request, abort",
        "app = Flask(__name__)",
        "def check_input(expr: str) -> bool:",
        "    try:",
        '        tree = ast.parse(expr, mode="eval")',
        "    except Exception:",
        "        return False",
        "    for node in ast.walk(tree):",
        "        if isinstance(node, ast.Expression):",
        "            continue",
        "        if isinstance(node, ast.Constant):",
        "            if not isinstance(node.value, (int, float)):",
        "                return False",
        "            continue",
        "        if isinstance(node, (ast.BinOp, ast.UnaryOp, ast.Add, ast.Sub, ast.Mult, ast.Div, ast.USub)):",
        "            continue",
        "        return False",
        "    return True",
        '@app.route("/eval", methods=["POST"])',
        "def calc():",
        '    expr = request.get_json()["expr"]',
        "    if not check_input(expr):",
        '        abort(400, description="only arithmetic")',
        '        print(f"rejected {expr}")',
        "    return str(eval(expr))",
      ),
      lines(
        "import ast, sys",
        "ALLOWED = (ast.Expression, ast.BinOp, ast.Constant, ast.Add, ast.Mult, ast.Load, ast.Name)",
        "def is_safe(text):",
        '    tree = ast.parse(text, mode="eval")',
        "    for n in ast.walk(tree):",
        "        if not isinstance(n, ALLOWED):",
        "            return False",
        "    return True",
        "def main():",
        "    text = sys.argv[1]",
        "    if not is_safe(text):",
        '        raise SystemExit("bad")',
        "    print(eval(text, {'__builtins__': {}}, {'x': 2}))",
      ),
    ],
    vulnerable: [
      // the allow-list lets calls and attribute access through: `().__class__.__base__.__subclasses__()`
      lines(
        ...astCheck(["        if not isinstance(n, (ast.Expression, ast.Call, ast.Attribute, ast.Name, ast.Load, ast.Constant)):", "            return False"]),
        ...GUARDED_EVAL,
      ),
      // True before the walk has seen every node
      lines(...astCheck(["        if isinstance(n, ast.Constant):", "            return True", "        return False"]), ...GUARDED_EVAL),
      // a catch-all node class in the allow-list
      lines(...astCheck(["        if isinstance(n, ast.expr):", "            continue", "        return False"]), ...GUARDED_EVAL),
      // the guard only logs
      lines(...astCheck(ARITHMETIC), "def main():", "    text = sys.argv[1]", "    if not is_safe(text):", '        print("suspicious")', "    print(eval(text))"),
      // the checked name is given a new value before eval
      lines(...astCheck(ARITHMETIC), ...GUARDED, "    text = sys.argv[2]", "    print(eval(text))"),
    ],
  },
  {
    name: "session 36: the ast allow-list guard clears eval only, not a shell command built from the same text",
    rule: SHELL,
    safe: [],
    vulnerable: [lines(...astCheck(ARITHMETIC), ...GUARDED, '    os.system("echo " + text)')],
  },
];

describe("session 17: checks that clear a sink, and Unpickler subclasses", () => {
  for (const c of CASES) {
    it(`${c.name}: the vulnerable look-alikes are reported`, () => {
      for (const src of c.vulnerable) expect(ids(src), src).toContain(c.rule);
    });
    it(`${c.name}: the checked code is not`, () => {
      for (const src of c.safe) expect(ids(src), src).not.toContain(c.rule);
    });
  }

  it("stays linear on thousands of guards and deep nesting", () => {
    const time = (src: string) => {
      const t = process.cpuUsage();
      analyzePython(parser, src);
      const d = process.cpuUsage(t);
      return d.user + d.system;
    };
    const guards = (n: number) =>
      lines(
        "def f(x):",
        '    allowed = set("0123456789")',
        ...Array.from({ length: n }, (_, i) => `    if set(x${i}) - allowed:\n        pass\n    else:\n        y${i} = eval(x${i})`),
      );
    const nested = (n: number) =>
      lines("def f(x):", ...Array.from({ length: n }, (_, i) => `${"    ".repeat(i + 1)}if not all(c in "0123" for c in x):`), `${"    ".repeat(n + 1)}pass`);
    time(guards(200)); // warm up
    const small = time(guards(500));
    const big = time(guards(2000));
    expect(big / Math.max(small, 1)).toBeLessThan(12); // 4x the input: near 4x, far from 16x
    expect(ids(nested(80))).toEqual([]);
  });
});
