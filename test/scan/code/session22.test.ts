/**
 * Session 22 changes, each with vulnerable cases and safe look-alikes:
 * - a copy of a checked name is checked (`if x not in ALLOWED: return` then `y = x` or `y = str(x)`), and an anchored
 *   regex check of `str(x)` checks x;
 * - Django's `request.META`, `request.COOKIES` and `request.FILES` are request input;
 * - tuple unpacking (`a, _, _ = text.partition(...)`) and `list.append(...)` carry untrusted text;
 * - `base not in p.parents and p != base`, with p a resolved path, keeps p inside base;
 * - `"a" if cond(x) else "b"` is one of two constants, not untrusted text;
 * - a loop over untrusted text gives untrusted items; an attribute of an object of the file's class (or SimpleNamespace)
 *   built from input is input;
 * - a Django view's URL parameters (a module-level function of a Django file whose first parameter is `request` and
 *   that the file does not call itself) are request input.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { analyzePython, CODE_RULES, pythonParser } from "../../../src/scan/code/index.js";
import { growthRatio } from "../../helpers/cpu.js";

type Parser = Awaited<ReturnType<typeof pythonParser>>;
let parser: Parser;
beforeAll(async () => {
  parser = await pythonParser();
});

const lines = (...l: string[]) => `${l.join("\n")}\n`;
const found = (src: string, rule: string) =>
  analyzePython(parser, src)
    .hits.filter((h) => h.rule.id === rule)
    .map((h) => h.line);

describe("a copy of a checked name", () => {
  it("is checked: allow-list and anchored regex guards hold through `y = x` and `y = str(x)`", () => {
    const src = lines(
      "import os, re, subprocess",
      "from flask import request",
      "def a():",
      "    v = request.args.get('op', '')",
      "    if v not in ('ls', 'df'):",
      "        return 'no'",
      "    cmd = v",
      "    os.system('run ' + cmd)",
      "def b():",
      "    v = request.args.get('op', '')",
      "    if not re.fullmatch(r'^[a-z0-9_]+$', str(v)):",
      "        return 'no'",
      "    word = str(v)",
      "    subprocess.run('echo ' + word, shell=True)",
      "def c():",
      "    v = request.args.get('q', '')",
      "    if not re.fullmatch(r'^[0-9]+$', v):",
      "        return 'no'",
      "    n = v",
      "    eval(n)",
    );
    expect(found(src, CODE_RULES.shell.id)).toEqual([]);
    expect(found(src, CODE_RULES.evalExec.id)).toEqual([]);
  });

  it("look-alikes: a copy made before the check, an unanchored match, a copy reassigned from input", () => {
    const src = lines(
      "import os, re",
      "from flask import request",
      "def a():",
      "    v = request.args.get('op', '')",
      "    cmd = v",
      "    if v not in ('ls', 'df'):",
      "        return 'no'",
      "    os.system('run ' + cmd)",
      "def b():",
      "    v = request.args.get('op', '')",
      "    if not re.match(r'^[a-z]+', str(v)):",
      "        return 'no'",
      "    word = v",
      "    os.system('echo ' + word)",
      "def c():",
      "    v = request.args.get('op', '')",
      "    if v not in ('ls', 'df'):",
      "        return 'no'",
      "    cmd = v",
      "    cmd = request.args.get('other', '')",
      "    os.system('run ' + cmd)",
    );
    expect(found(src, CODE_RULES.shell.id)).toEqual([8, 14, 21]);
  });
});

describe("Django request fields and how untrusted text travels", () => {
  it("request.META, COOKIES and FILES reach a file path; partition() parts and appended lists stay untrusted", () => {
    const src = lines(
      "import os",
      "from django.http import HttpResponse",
      "def a(request):",
      "    name = request.META.get('HTTP_X_NAME', '')",
      "    return HttpResponse(open('/srv/' + name).read())",
      "def b(request):",
      "    name = request.COOKIES.get('f', '')",
      "    os.remove(os.path.join('/srv', name))",
      "def c(request):",
      "    name = request.FILES['doc'].name",
      "    open('/srv/' + name, 'w').write('x')",
      "def d(request):",
      "    head, _sep, _rest = request.GET.get('f', '').partition(';')",
      "    open(os.path.join('/srv', head))",
      "def e(request):",
      "    parts = []",
      "    for p in request.GET.get('f', '').split('/'):",
      "        parts.append(p.strip())",
      "    open('/srv/' + '/'.join(parts))",
    );
    expect(found(src, CODE_RULES.pathTraversal.id)).toEqual([5, 8, 11, 14, 19]);
  });

  it("look-alikes: the server's own values, basename of the name, constants appended, a partition of a constant", () => {
    const src = lines(
      "import os",
      "from django.http import HttpResponse",
      "def a(request):",
      "    name = request.META.get('HTTP_X_NAME', '')",
      "    return HttpResponse(open(os.path.join('/srv', os.path.basename(name))).read())",
      "def b(request):",
      "    parts = []",
      "    for p in ('a', 'b'):",
      "        parts.append(p)",
      "    open('/srv/' + '/'.join(parts))",
      "def c(request):",
      "    head, _sep, _rest = 'logs/app.txt'.partition('/')",
      "    open(os.path.join('/srv', head))",
      "def d(request):",
      "    mode = 'csv' if request.GET.get('fmt') == 'csv' else 'json'",
      "    open('/srv/export.' + mode)",
    );
    expect(found(src, CODE_RULES.pathTraversal.id)).toEqual([]);
  });
});

describe("Django view parameters", () => {
  it("a view's URL parameters are request input", () => {
    const src = lines(
      "import os",
      "from django.http import FileResponse",
      "def download(request, name):",
      "    return FileResponse(open(os.path.join('/srv/files', name), 'rb'))",
      "def remove(request, folder: str, name: str):",
      "    os.remove(os.path.join('/srv', folder, name))",
    );
    expect(found(src, CODE_RULES.pathTraversal.id)).toEqual([4, 6]);
  });

  it("look-alikes: a helper the file calls with constants, a method, a file without Django, a first parameter not named request", () => {
    const src = lines(
      "import os",
      "from django.http import HttpResponse",
      "def page(request, template):",
      "    return HttpResponse(open(os.path.join('/srv/pages', template)).read())",
      "def home(request):",
      "    return page(request, 'home.html')",
      "class Files:",
      "    def get(self, request, name):",
      "        return None",
      "def load(path, name):",
      "    return open(os.path.join(path, name)).read()",
    );
    expect(found(src, CODE_RULES.pathTraversal.id)).toEqual([]);
    const plain = lines("import os", "def show(request, name):", "    return open(os.path.join('/srv', name)).read()");
    expect(found(plain, CODE_RULES.pathTraversal.id)).toEqual([]);
  });
});

describe("request values wrapped in a small object", () => {
  it("an attribute of an object of this file's class (or SimpleNamespace) built from input is input", () => {
    const src = lines(
      "import os",
      "from types import SimpleNamespace",
      "from dataclasses import dataclass",
      "from flask import request",
      "class Box:",
      "    def __init__(self, value):",
      "        self.value = value",
      "@dataclass",
      "class Form:",
      "    name: str",
      "def a():",
      "    box = Box(request.args['f'])",
      "    open('/srv/' + box.value)",
      "def b():",
      "    open('/srv/' + Form(name=request.args['f']).name)",
      "def c():",
      "    ns = SimpleNamespace(path=request.args['f'])",
      "    os.remove(getattr(ns, 'path'))",
    );
    expect(found(src, CODE_RULES.pathTraversal.id)).toEqual([13, 15, 18]);
  });

  it("look-alikes: an object built from constants, an object of another module built from a checked id, an object rebuilt from constants", () => {
    const src = lines(
      "import os",
      "from flask import request",
      "from models import Record",
      "class Box:",
      "    def __init__(self, value):",
      "        self.value = value",
      "def a():",
      "    box = Box('report.txt')",
      "    open('/srv/' + box.value)",
      "def b():",
      "    rid = int(request.args['id'])",
      "    rec = Record(rid)",
      "    open('/srv/' + rec.filename)",
      "def c():",
      "    box = Box(request.args['f'])",
      "    box = Box('fixed.txt')",
      "    open('/srv/' + box.value)",
    );
    expect(found(src, CODE_RULES.pathTraversal.id)).toEqual([]);
  });
});

describe("pathlib containment and constant choices", () => {
  it("`base not in p.parents and p != base` keeps a resolved p inside base; without resolve() it does not", () => {
    const src = lines(
      "from pathlib import Path",
      "from flask import request",
      "BASE = Path('/srv/data').resolve()",
      "def a():",
      "    p = (BASE / request.args['f']).resolve()",
      "    if BASE not in p.parents and p != BASE:",
      "        return 'no'",
      "    return open(str(p)).read()",
      "def b():",
      "    p = BASE / request.args['f']",
      "    if BASE not in p.parents and p != BASE:",
      "        return 'no'",
      "    return open(str(p)).read()",
    );
    expect(found(src, CODE_RULES.pathTraversal.id)).toEqual([13]);
  });

  it("a template chosen between two literals by input is not template injection; the input itself is", () => {
    const src = lines(
      "from django.template import Template, Context",
      "def a(request):",
      "    v = request.POST.get('flag', '')",
      "    text = 'on' if v.lower() in ('1', 'yes') else 'off'",
      "    return Template(text).render(Context())",
      "def b(request):",
      "    v = request.POST.get('flag', '')",
      "    text = v if v else 'off'",
      "    return Template(text).render(Context())",
    );
    expect(found(src, CODE_RULES.templateInjection.id)).toEqual([9]);
  });
});

describe("cost", () => {
  it("thousands of guarded copies, unpackings and appends stay linear (4× the lines cost well under 16×)", () => {
    const make = (n: number) => {
      const out = ["import os, re", "from django.http import HttpResponse", "def view(request):", "    parts = []"];
      for (let i = 0; i < n; i++)
        out.push(
          `    v${i} = request.META.get('HTTP_X_${i}', '')`,
          `    if v${i} not in ('a', 'b'):`,
          "        return None",
          `    c${i} = str(v${i})`,
          `    h${i}, _s${i}, _r${i} = v${i}.partition(',')`,
          `    parts.append(h${i})`,
          `    os.system('echo ' + c${i})`,
        );
      out.push("    return open('/srv/' + ''.join(parts))");
      return `${out.join("\n")}\n`;
    };
    const small = make(150);
    const large = make(600);
    expect(growthRatio((src: string) => analyzePython(parser, src), small, large)).toBeLessThan(9);
  });
});
