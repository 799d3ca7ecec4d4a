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

describe("safe_join's None checked before the raw path is opened (session 30)", () => {
  const wz = ["from werkzeug.security import safe_join"];

  it("keeps the raw path inside its folder below the check", () => {
    expect(found(view(wz, "safe_join(BASE, p)", "d is None"))).toEqual([]);
    expect(found(view(wz, "safe_join(BASE, p)", "not d"))).toEqual([]);
    expect(found(view(["from werkzeug.utils import safe_join"], "safe_join(BASE, p)", "d == None"))).toEqual([]);
  });

  it("does not when the test is reversed, does not leave, or the join is the file's own", () => {
    expect(found(view(wz, "safe_join(BASE, p)", "d is not None"))).toEqual(["code.path-traversal:11"]);
    expect(found(view(wz, "safe_join(BASE, p)", "d is None", undefined, "        print('outside')"))).toEqual(["code.path-traversal:11"]);
    expect(found(view(["def safe_join(a, b):", '    return a + "/" + b'], "safe_join(BASE, p)", "d is None"))).toEqual(["code.path-traversal:12"]);
  });

  it("is a path check only: the raw name given to a shell is still reported", () => {
    const shell = view(["import os", ...wz], "safe_join(BASE, p)", "d is None", '    return os.popen("cat " + p).read()');
    expect(found(shell)).toEqual(["code.shell-injection:12"]);
  });
});

describe("a resolved path kept inside before the raw path is opened (session 30)", () => {
  const pl = ["from pathlib import Path"];

  it("keeps the raw path inside its folder below the check", () => {
    expect(found(view(pl, "Path(p).absolute().resolve()", "not d.is_relative_to(BASE)"))).toEqual([]);
    expect(found(view(pl, "Path(p).resolve()", "not d.is_relative_to(BASE)"))).toEqual([]);
    expect(found(view(["import os"], "os.path.realpath(p)", "not d.startswith(BASE + os.sep)"))).toEqual([]);
  });

  it("does not for a resolved join, another name, or a test that does not leave", () => {
    // the check is on BASE/p, but p itself is opened from the working folder
    expect(found(view(pl, "Path(BASE + '/' + p).resolve()", "not d.is_relative_to(BASE)"))).toEqual(["code.path-traversal:11"]);
    const other = view(pl, "Path(q).resolve()", "not d.is_relative_to(BASE)").replace("    d = Path(q)", '    q = request.args.get("other")\n    d = Path(q)');
    expect(found(other)).toEqual(["code.path-traversal:12"]);
    expect(found(view(pl, "Path(p).resolve()", "not d.is_relative_to(BASE)", undefined, "        print('outside')"))).toEqual(["code.path-traversal:11"]);
  });
});

describe("a function of the file named fetch is no database call (session 30)", () => {
  const app = (...body: string[]) =>
    lines(
      "import requests",
      "import asyncpg",
      "from flask import Flask, request",
      "app = Flask(__name__)",
      "def fetch(url):",
      "    return requests.get(url).text",
      '@app.get("/")',
      ...body,
    );

  it("reads the file's own fetch(request input) as the fetch it is, not as SQL", () => {
    const found1 = found(app("def index():", '    return fetch(request.args["u"])'));
    expect(found1.filter((f) => f.startsWith("code.sql"))).toEqual([]);
  });

  it("still reads an asyncpg connection's fetch of request text as SQL", () => {
    const viaConn = app(
      "async def index():",
      '    conn = await asyncpg.connect("postgresql://localhost/app")',
      '    return await conn.fetch("SELECT * FROM t WHERE n = \'" + request.args["n"] + "\'")',
    );
    expect(found(viaConn).filter((f) => f.startsWith("code.sql"))).toEqual(["code.sql-injection:10"]);
  });
});
