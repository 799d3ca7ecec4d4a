/**
 * Session 30: a check made on a value derived from a path holds for the path itself. `s = safe_join(BASE, p)` then
 * `if s is None: return` keeps `p` inside (Werkzeug's safe_join gives None for a part that is absolute or climbs
 * out); `r = Path(p).resolve()` (or `os.path.realpath(p)`) then `if not r.is_relative_to(BASE): return` keeps `p`
 * inside too, since `p` opens the very file `r` names. And a function of the file named `fetch` is not asyncpg's.
 * Look-alikes: the test reversed or not leaving, a local `safe_join`, a resolved join of another folder, another
 * name opened, the raw name given to a shell (a path check is no shell check), a connection's `fetch` of request text.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { pythonParser } from "../../../src/scan/code/index.js";
import { findingLines, lines } from "../../helpers/python.js";

const found = findingLines();
beforeAll(async () => {
  await pythonParser();
});

/** A Flask view that derives `derived` from the request path `p`, tests it with `test`, then runs `use`. */
const view = (imports: string[], derived: string, test: string, use = '    with open(p, "r") as f:\n        return f.read()', leave = "        return 'outside', 403") =>
  lines(
    ...imports,
    "from flask import Flask, request",
    "app = Flask(__name__)",
    'BASE = "/srv/pages"',
    '@app.get("/view")',
    "def view():",
    '    p = request.args.get("page")',
    `    d = ${derived}`,
    `    if ${test}:`,
    leave,
    use,
  );

const wz = ["from werkzeug.security import safe_join"];
const pl = ["from pathlib import Path"];
const notLeaving = "        print('outside')";
const opened = undefined; // the default use: open(p)

// [what, imports, derived value, condition, branch body or undefined for `return`, expected findings]
const pathCases: Array<[string, string[], string, string, string | undefined, string[]]> = [
  ["safe_join, `is None`", wz, "safe_join(BASE, p)", "d is None", undefined, []],
  ["safe_join, `not d`", wz, "safe_join(BASE, p)", "not d", undefined, []],
  ["werkzeug.utils' safe_join, `== None`", ["from werkzeug.utils import safe_join"], "safe_join(BASE, p)", "d == None", undefined, []],
  ["Path(p).absolute().resolve()", pl, "Path(p).absolute().resolve()", "not d.is_relative_to(BASE)", undefined, []],
  ["Path(p).resolve()", pl, "Path(p).resolve()", "not d.is_relative_to(BASE)", undefined, []],
  ["os.path.realpath(p) startswith", ["import os"], "os.path.realpath(p)", "not d.startswith(BASE + os.sep)", undefined, []],
  ["look-alike: the test reversed", wz, "safe_join(BASE, p)", "d is not None", undefined, ["code.path-traversal:11"]],
  ["look-alike: safe_join's branch goes on", wz, "safe_join(BASE, p)", "d is None", notLeaving, ["code.path-traversal:11"]],
  ["look-alike: the file's own safe_join", ["def safe_join(a, b):", '    return a + "/" + b'], "safe_join(BASE, p)", "d is None", undefined, ["code.path-traversal:12"]],
  // the check is on BASE/p, but p itself is opened from the working folder
  ["look-alike: a resolved join", pl, "Path(BASE + '/' + p).resolve()", "not d.is_relative_to(BASE)", undefined, ["code.path-traversal:11"]],
  ["look-alike: the resolved branch goes on", pl, "Path(p).resolve()", "not d.is_relative_to(BASE)", notLeaving, ["code.path-traversal:11"]],
];

describe("a path check on a value derived from the path holds for the raw path (session 30)", () => {
  it.each(pathCases)("%s", (_what, imports, derived, test, leave, expected) => {
    expect(found(view(imports, derived, test, opened, leave))).toEqual(expected);
  });

  it("does not carry over to another name, nor to a shell (a path check is no shell check)", () => {
    const other = view(pl, "Path(q).resolve()", "not d.is_relative_to(BASE)").replace("    d = Path(q)", '    q = request.args.get("other")\n    d = Path(q)');
    expect(found(other)).toEqual(["code.path-traversal:12"]);
    const shell = view(["import os", ...wz], "safe_join(BASE, p)", "d is None", '    return os.popen("cat " + p).read()');
    expect(found(shell)).toEqual(["code.shell-injection:12"]);
  });
});

const fetchHeader = [
  "import requests",
  "import asyncpg",
  "from flask import Flask, request",
  "app = Flask(__name__)",
  "def fetch(url):",
  "    return requests.get(url).text",
  '@app.get("/")',
];
const sqlOnly = (source: string) => found(source).filter((f) => f.startsWith("code.sql"));

describe("a function of the file named fetch is no database call (session 30)", () => {
  it("reads the file's own fetch(request input) as the fetch it is, not as SQL", () => {
    expect(sqlOnly(lines(...fetchHeader, "def index():", '    return fetch(request.args["u"])'))).toEqual([]);
  });

  it("still reads an asyncpg connection's fetch of request text as SQL", () => {
    const query = '    return await conn.fetch("SELECT * FROM t WHERE n = \'" + request.args["n"] + "\'")';
    expect(sqlOnly(lines(...fetchHeader, "async def index():", '    conn = await asyncpg.connect("postgresql://localhost/app")', query))).toEqual(["code.sql-injection:10"]);
  });
});

/** A Flask view that full-matches `raw` with `check`, percent-decodes it with `decode`, and runs it in a shell. */
const decodedSource = (check: string, decode = "unquote(unquote(raw))", leave = '        return "bad", 400') =>
  lines(
    "import os",
    "import re",
    "from urllib.parse import unquote, unquote_plus",
    "from flask import Flask, request",
    "app = Flask(__name__)",
    'NAME = re.compile(r"[A-Za-z0-9_.-]+")',
    "def plain(s):",
    '    return re.fullmatch(r"^[A-Za-z0-9_.-]+$", s)',
    '@app.get("/cat")',
    "def cat():",
    '    raw = request.args.get("file", "")',
    `    if not ${check}:`,
    leave,
    `    decoded = ${decode}`,
    '    return os.popen("cat " + decoded).read()',
  );

describe("a full-matched value percent-decoded after the check (session 30)", () => {
  it("stays checked when the class admits neither % nor +", () => {
    expect(found(decodedSource('re.fullmatch(r"[A-Za-z0-9_.-]+", raw)'))).toEqual([]);
    expect(found(decodedSource("NAME.fullmatch(raw)", "unquote_plus(raw)"))).toEqual([]);
    expect(found(decodedSource("plain(raw)"))).toEqual([]);
  });

  it("does not when the class admits % or +, the check does not leave, or another value is decoded", () => {
    expect(found(decodedSource('re.fullmatch(r"[A-Za-z0-9_.%-]+", raw)'))).toEqual(["code.shell-injection:15"]);
    expect(found(decodedSource('re.fullmatch(r"[A-Za-z0-9_.+-]+", raw)', "unquote_plus(raw)"))).toEqual(["code.shell-injection:15"]);
    expect(found(decodedSource('re.fullmatch(r"[A-Za-z0-9_.-]+", raw)', undefined, "        print('bad')"))).toEqual(["code.shell-injection:15"]);
    expect(found(decodedSource('re.fullmatch(r"[A-Za-z0-9_.-]+", raw)', 'unquote(request.args.get("other", ""))'))).toEqual(["code.shell-injection:15"]);
  });
});

describe("PySpark's spark.sql() and BigQuery's Client().query() run SQL text; CREATE MODEL is SQL (session 37)", () => {
  const header = [
    "from flask import request",
    "from google.cloud import bigquery",
    "from pyspark.sql import SparkSession",
    "import sqlite3",
    "spark = SparkSession.builder.getOrCreate()",
    "client = bigquery.Client()",
    "conn = sqlite3.connect('db.sqlite')",
    "name = request.args.get('name')",
  ];
  it("reports request input in the query text", () => {
    const src = lines(
      ...header,
      "df = spark.sql(f\"SELECT * FROM users WHERE name = '{name}'\")",
      "job = client.query(f\"CREATE MODEL {name} OPTIONS(model_type='linear_reg') AS SELECT * FROM t\")",
      "q = 'CREATE OR REPLACE MODEL ' + name + ' AS SELECT 1'",
      "client.query(q)",
      "conn.execute(f'CREATE MODEL {name} FROM training_data TARGET y')",
    );
    expect(sqlOnly(src)).toEqual(["code.sql-injection:9", "code.sql-injection:10", "code.sql-injection:12", "code.sql-injection:13"]);
  });
  it("look-alikes: constant text, bound parameters, another library's sql() or query()", () => {
    const src = lines(
      ...header,
      "table = 'users'",
      "spark.sql(f'SELECT * FROM {table}')",
      "client.query('SELECT * FROM t WHERE name = @name', job_config=bigquery.QueryJobConfig(query_parameters=[bigquery.ScalarQueryParameter('name', 'STRING', name)]))",
      "conn.execute('CREATE MODEL m FROM training_data TARGET y')",
      "import requests",
      "requests.get('https://x/api', params={'query': name})",
      "class Store:",
      "    def sql(self, text):",
      "        return text",
      "Store().sql(name)",
      "index = {'q': name}",
      "index.get('q').query(name)",
    );
    expect(sqlOnly(src)).toEqual([]);
  });
});
