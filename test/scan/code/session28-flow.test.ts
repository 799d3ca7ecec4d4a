/**
 * Session 28: a constant assigned by a statement of a loop's own body, or in `finally:`, overwrites the name (no
 * join with what the pass put there before it); untrusted text given to a SQLAlchemy query's clause methods is SQL
 * injection. Look-alikes: an exit of the loop above the overwrite, a conditional or non-constant overwrite, a name
 * tainted before the loop; columns, comparisons, bound parameters, constants, Django managers and pandas.
 */
import { describe, expect, it } from "vitest";
import { findingLines, lines } from "../../helpers/python.js";

const found = findingLines();

/** A Flask route that picks a request name in a loop, then (maybe) overwrites it with `overwrite` lines, then queries with it. */
const loopRoute = (...overwrite: string[]) =>
  lines(
    "import sqlite3",
    "from flask import Flask, request",
    "app = Flask(__name__)",
    '@app.route("/a")',
    "def a():",
    '    param = ""',
    "    for name in request.args:",
    "        for value in request.args.getlist(name):",
    '            if value == "x":',
    "                param = name",
    "                break",
    ...overwrite,
    "    sql = \"SELECT * FROM T WHERE U='{}'\".format(param)",
    "    sqlite3.connect('d').cursor().execute(sql)",
  );

describe("a constant assigned in a loop's own body overwrites that pass's data (session 28)", () => {
  it("cleans the name when every pass ends on the constant", () => {
    expect(found(loopRoute('        tmp = ""', "        param = tmp"))).toEqual([]);
    expect(found(loopRoute('        param = "fixed"'))).toEqual([]);
    expect(found(loopRoute("        param = None", "        if param is None:", "            break"))).toEqual([]);
  });

  it("keeps the data when a pass can leave the loop before the constant, or it is not a constant", () => {
    const base = loopRoute();
    expect(found(base)).toEqual(["code.sql-injection:13"]);
    // a break or continue of the outer loop above the overwrite
    expect(found(loopRoute("        if param:", "            break", '        param = ""'))).toEqual(["code.sql-injection:16"]);
    expect(found(loopRoute("        if param:", "            continue", '        param = ""'))).toEqual(["code.sql-injection:16"]);
    // the overwrite is itself conditional
    expect(found(loopRoute("        if len(name) > 3:", '            param = ""'))).toEqual(["code.sql-injection:15"]);
    // an object's attribute may hand the pass's data back (a class field set from it)
    expect(found(loopRoute("        Holder.default = param", "        param = Holder().value"))).toEqual(["code.sql-injection:15"]);
  });

  it("keeps what the name held before the loop: the loop may not run", () => {
    const src = lines(
      "import os",
      "from flask import request",
      "def f():",
      '    cmd = request.args["c"]',
      "    for x in range(int(request.args['n'])):",
      '        cmd = "ls"',
      "    os.system(cmd)",
    );
    expect(found(src)).toEqual(["code.shell-injection:7"]);
    const whileLoop = lines(
      "import os",
      "from flask import request",
      "def f():",
      '    cmd = request.args["c"]',
      "    while request.args.get('more'):",
      '        cmd = "ls"',
      "    os.system(cmd)",
    );
    expect(found(whileLoop)).toEqual(["code.shell-injection:7"]);
  });
});

describe("a finally block always runs (session 28)", () => {
  const withFinally = (last: string) =>
    lines(
      "import sqlite3",
      "from flask import request",
      "def clean(param):",
      "    bar = param",
      "    try:",
      "        raise ValueError(bar)",
      "    except ValueError:",
      "        bar = param",
      "    finally:",
      last,
      "    return bar",
      "def view():",
      "    bar = clean(request.args.get('x'))",
      "    sqlite3.connect('d').cursor().execute(\"SELECT '%s'\" % bar)",
    );

  it("a constant assigned in `finally:` replaces what the try or except put in the name", () => {
    expect(found(withFinally('        bar = ""'))).toEqual([]);
  });

  it("an `except:` or a conditional inside `finally:` still joins both paths", () => {
    expect(found(withFinally("        print('done')"))).toEqual(["code.sql-injection:14"]);
    expect(found(withFinally('        if bar.startswith("a"):\n            bar = ""'))).toEqual(["code.sql-injection:15"]);
  });
});

describe("untrusted text in a SQLAlchemy query's clause methods (session 28: code.sql-injection)", () => {
  const route = (...body: string[]) =>
    lines(
      "from flask import Flask, request",
      "from sqlalchemy import select, desc, text",
      "from app import db, User",
      "app = Flask(__name__)",
      '@app.route("/users/<name>")',
      "def users(name):",
      '    sort = request.args.get("sort")',
      ...body,
    );

  it("reports request text pasted into filter, having, order_by, group_by and where", () => {
    expect(found(route("    return User.query.filter(f\"name = '{name}'\").all()"))).toEqual(["code.sql-injection:8"]);
    expect(found(route("    return db.session.query(User).order_by(sort).all()"))).toEqual(["code.sql-injection:8"]);
    expect(found(route("    q = db.session.query(User).filter_by(active=True)", '    return q.having("count(*) > %s" % sort)'))).toEqual(["code.sql-injection:9"]);
    expect(found(route('    return query.group_by("{0}".format(sort))'))).toEqual(["code.sql-injection:8"]);
    expect(found(route('    return db.session.query(User).distinct("name={}".format(sort)).all()'))).toEqual(["code.sql-injection:8"]);
    expect(found(route('    return db.session.execute(select(User).where("name = \'" + name + "\'"))'))).toEqual(["code.sql-injection:8"]);
  });

  it("does not report columns, comparisons, bound parameters, constants or other objects' filter methods", () => {
    // a comparison binds its value as a parameter; a column object is not text
    expect(found(route("    return User.query.filter(User.name == name).order_by(User.id).all()"))).toEqual([]);
    expect(found(route("    return db.session.query(User).order_by(desc(getattr(User, sort))).all()"))).toEqual([]);
    // text() with a bound parameter, and a written-out clause
    expect(found(route('    return User.query.filter(text("name = :n")).params(n=name).all()'))).toEqual([]);
    expect(found(route('    return User.query.order_by("created_at").all()'))).toEqual([]);
    // Django's manager takes field names; pandas' filter picks columns; the builtin filter is no query
    expect(found(route("    return User.objects.order_by(sort)"))).toEqual([]);
    expect(found(route("    return df.filter(like=sort)", "def f(rows):", "    return filter(None, rows)"))).toEqual([]);
    expect(found(route("    return frame.where(sort)"))).toEqual([]);
  });
});
