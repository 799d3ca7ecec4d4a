/**
 * Session 23 changes, each with vulnerable cases and safe look-alikes:
 * - an anchored regex guard whose classes or wildcards admit quotes or shell/YAML metacharacters (`^.+$`,
 *   `^[\w!/]+$`, `^[^;]+$`, `\S`) is no check, also as a compiled pattern's `fullmatch`;
 * - a value read back from a database (`cur.fetchone()[0]`, a row of `fetchall()`, `databases`' `fetch_one`, asyncpg's
 *   `fetchrow`/`fetchval`) reaches path and template sinks
 *   as stored input (second-order); a number made of it (`int(row[0])`) does not.
 * - a secret-named literal that reads as a field or label name (`"app_display_name"`, lower-case words ending in
 *   name/label/title/field/column/id/type/kind) is not a credential.
 */
import { describe, expect, it } from "vitest";
import { analyzePython, CODE_RULES, pythonParser } from "../../../src/scan/code/index.js";
import { guardAdmitsInjection } from "../../../src/scan/code/regex-guard.js";
import { growthRatio } from "../../helpers/cpu.js";
import { lines, ruleLines } from "../../helpers/python.js";

const found = ruleLines();

/** Three request values guarded by a pattern each (inline fullmatch, re.match, a compiled pattern), then run or loaded. */
const guarded = (inline: string, matched: string, compiled: string) =>
  lines(
    "import re, subprocess, yaml",
    "from flask import request",
    `SAFE = re.compile(r'${compiled}')`,
    "def a():",
    "    v = request.args.get('doc', '')",
    `    if not re.fullmatch(r'${inline}', v):`,
    "        return 'no'",
    "    return yaml.load(v, Loader=yaml.UnsafeLoader)",
    "def b():",
    "    v = request.args.get('host', '')",
    `    if not re.match(r'${matched}', v):`,
    "        return 'no'",
    "    subprocess.run('ping -c 1 ' + v, shell=True)",
    "def c():",
    "    v = request.args.get('doc', '')",
    "    if not SAFE.fullmatch(v):",
    "        return 'no'",
    "    return yaml.load(v, Loader=yaml.UnsafeLoader)",
  );

describe("a regex guard that admits injection characters", () => {
  it("classes and wildcards: which patterns restrict", () => {
    for (const p of ["^.+$", "^[\\w!/]+$", "^[^;]+$", "^\\S+$", "^[!-~]+$", "^[\\w;]+$", "^[a-z'\"]+$", "^[\\w$(){}]+$"]) expect(guardAdmitsInjection(p), p).toBe(true);
    for (const p of ["^[a-z0-9_]+$", "^[0-9]+$", "^[\\w.-]+$", "^[a-zA-Z0-9 _-]{1,32}$", "^\\d+\\.\\d+$", "^(?:ls|df)$", "^[A-Z]{2}\\-\\d{4}$"])
      expect(guardAdmitsInjection(p), p).toBe(false);
  });

  it("is no check: the guarded value still reaches the sink", () => {
    const src = guarded("[\\w!/ :]+", "^.+$", "^[\\w!/ ]+$");
    expect(found(src, "code.yaml-unsafe-load")).toEqual([8, 18]);
    expect(found(src, CODE_RULES.shell.id)).toEqual([13]);
  });

  it("look-alikes: guards whose classes admit only word characters still check", () => {
    const src = guarded("[a-z0-9_]+", "^[a-z0-9.-]+$", "^[\\w-]+$");
    expect(found(src, "code.yaml-unsafe-load")).toEqual([]);
    expect(found(src, CODE_RULES.shell.id)).toEqual([]);
  });
});

describe("values read back from a database (second-order input)", () => {
  it("reach path and template sinks: a stored file name or template text", () => {
    const src = lines(
      "import sqlite3",
      "from django.http import FileResponse, HttpResponse",
      "from django.template import Template, Context",
      "def download(request, doc_id):",
      "    cur = sqlite3.connect('app.db').cursor()",
      "    cur.execute('SELECT path FROM docs WHERE id = ?', (doc_id,))",
      "    row = cur.fetchone()",
      "    stored = row[0]",
      "    return FileResponse(open('/srv/files/' + stored, 'rb'))",
      "def page(request):",
      "    cur = sqlite3.connect('app.db').cursor()",
      "    cur.execute('SELECT body FROM pages')",
      "    for (body,) in cur.fetchall():",
      "        return HttpResponse(Template(body).render(Context({})))",
      "def greet(request):",
      "    cur = sqlite3.connect('app.db').cursor()",
      "    row = cur.execute('SELECT greeting FROM site').fetchone()",
      "    if row:",
      "        text = row[0]",
      "    else:",
      "        text = ''",
      "    return HttpResponse(Template(text).render(Context({})))",
      "def note(conn):",
      "    (name,) = conn.execute('SELECT name FROM notes').fetchone()",
      "    with open(name) as f:",
      "        return f.read()",
    );
    expect(found(src, CODE_RULES.pathTraversal.id)).toEqual([9, 25]);
    expect(found(src, CODE_RULES.templateInjection.id)).toEqual([14, 22]);
  });

  it("through the async drivers' reads too: `databases`' fetch_one, asyncpg's fetchrow and fetchval", () => {
    const src = lines(
      "from fastapi import FastAPI",
      "from fastapi.responses import FileResponse",
      "from jinja2 import Template",
      "app = FastAPI()",
      "@app.get('/doc/{doc_id}')",
      "async def doc(doc_id: int):",
      "    row = await database.fetch_one('SELECT path FROM docs WHERE id = :id', {'id': doc_id})",
      "    return FileResponse(row['path'])",
      "@app.get('/page')",
      "async def page():",
      "    body = await conn.fetchval('SELECT body FROM pages LIMIT 1')",
      "    return Template(body).render()",
      "@app.get('/count')",
      "async def count():",
      "    n = int(await conn.fetchval('SELECT count(*) FROM docs'))",
      "    rec = await conn.fetchrow('SELECT title FROM docs LIMIT 1')",
      "    return Template('{{ t }} of %d' % n).render(t=rec['title'])",
    );
    expect(found(src, CODE_RULES.pathTraversal.id)).toEqual([8]);
    expect(found(src, CODE_RULES.templateInjection.id)).toEqual([12]);
  });

  it("look-alikes: a fixed path, a row used as data, a parameter of the same name, an id from the row, a row overwritten", () => {
    const src = lines(
      "import os, sqlite3",
      "from django.http import HttpResponse",
      "from django.template import Template, Context",
      "def report(request):",
      "    cur = sqlite3.connect('app.db').cursor()",
      "    cur.execute('SELECT title FROM docs')",
      "    row = cur.fetchone()",
      "    with open('/srv/report.txt', 'w') as f:",
      "        f.write(row[0])",
      "    return HttpResponse(Template('<h1>{{ t }}</h1>').render(Context({'t': row[0]})))",
      "def show(row):",
      "    return open(row).read()",
      "def count(request):",
      "    cur = sqlite3.connect('app.db').cursor()",
      "    n = int(cur.execute('SELECT count(*) FROM docs').fetchone()[0])",
      "    return open(os.path.join('/srv/pages', 'page%d.html' % n)).read()",
      "def fixed(request):",
      "    row = sqlite3.connect('app.db').cursor().execute('SELECT body FROM pages').fetchone()",
      "    body = row[0]",
      "    body = '<p>{{ x }}</p>'",
      "    return HttpResponse(Template(body).render(Context({'x': 1})))",
    );
    expect(found(src, CODE_RULES.pathTraversal.id)).toEqual([]);
    expect(found(src, CODE_RULES.templateInjection.id)).toEqual([]);
  });
});

describe("cost", () => {
  it("thousands of fetched rows and uses stay linear (4× the lines cost well under 16×)", async () => {
    const parser = await pythonParser();
    const body = (n: number) => {
      const out = ["import sqlite3", "from flask import Flask", "app = Flask(__name__)", "@app.route('/x')", "def x():", "    cur = sqlite3.connect('a').cursor()"];
      for (let i = 0; i < n; i++) out.push(`    r${i} = cur.fetchone()`, `    p${i} = '/srv/' + r${i}[0] + str(p${Math.max(0, i - 1)} if ${i} else '')`);
      out.push(`    return open(p${n - 1}).read()`);
      return `${out.join("\n")}\n`;
    };
    const small = body(400);
    const large = body(1600);
    expect(found(large, CODE_RULES.pathTraversal.id)).toEqual([3207]);
    expect(growthRatio((src: string) => analyzePython(parser, src), small, large)).toBeLessThan(9);
  });
});

describe("a field or label name as a secret-named literal", () => {
  it("is not a credential: lower-case words ending in a naming word", () => {
    const src = lines(
      "import keyring",
      "from app import db",
      "def a():",
      "    secret_value = 'app_display_name'",
      "    store_cred = keyring.get_password('app', 'service-account')",
      "    db.connect(host='localhost', user=str(secret_value), password=store_cred)",
      "PASSWORD_FIELD_ID = 'password_field_id'",
      "api_token = 'account_owner_title'",
    );
    expect(found(src, CODE_RULES.credential.id)).toEqual([]);
  });

  it("look-alikes: weak secrets written in words, with digits, or compared stay credentials", () => {
    const src = lines(
      "secret_value = 'config_secret_test_abc123'",
      "app_secret = 'this_is_a_secret'",
      "db_password = 'super_secret_password'",
      "def check(password):",
      "    return password == 'admin_user_name'",
    );
    expect(found(src, CODE_RULES.credential.id)).toEqual([1, 2, 3, 5]);
  });
});
