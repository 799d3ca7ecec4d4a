/**
 * Session 29: checks, cleaners and sources one function away from the sink (from the TaintMonkey set's errors). The
 * request object handed to a helper that gives back one of its fields is request input; Werkzeug's and Flask's
 * `safe_join` keep a path under its folder; a condition calling a predicate of the file that tests a URL's host is a
 * URL check; a redirect or fetch inside a helper is checked when every call of the helper is; a page-building helper's
 * parameter is judged by what its callers hand it; a command a helper builds from checked arguments is checked;
 * `http.client` connections to a host from the request are SSRF; input turned away when an HTML cleaner would change
 * it has nothing left to escape.
 * Look-alikes: fields that are no input, other objects, a local `safe_join`, predicates that test something else, a
 * helper called unchecked or with the raw value, a helper that adds other data.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { analyzePython, pythonParser } from "../../../src/scan/code/index.js";
import { growthRatio } from "../../helpers/cpu.js";
import { findingLines, lines } from "../../helpers/python.js";

const found = findingLines();
let parser: Awaited<ReturnType<typeof pythonParser>>;
beforeAll(async () => {
  parser = await pythonParser();
});

/** A Flask view that opens the path a helper gives back from the object `arg`; the helper returns `returned`. */
const helperSource = (returned: string, arg = "request") =>
  lines(
    "from flask import request, Flask",
    "app = Flask(__name__)",
    "def get_page(this_request):",
    `    return ${returned}`,
    '@app.get("/view")',
    "def view():",
    `    page = get_page(${arg})`,
    '    with open(page, "r") as f:',
    "        return f.read()",
  );

describe("the request object handed to a helper that returns one of its fields (session 29)", () => {
  it("reads the field as request input", () => {
    expect(found(helperSource('this_request.args.get("page")'))).toEqual(["code.path-traversal:8"]);
    expect(found(helperSource('this_request.form.get("query")'))).toEqual(["code.path-traversal:8"]);
    expect(found(helperSource('this_request.get_json()["page"]'))).toEqual(["code.path-traversal:8"]);
  });

  it("does not read other attributes, other objects or another module's request as input", () => {
    expect(found(helperSource("this_request.method"))).toEqual([]);
    expect(found(helperSource("this_request.endpoint"))).toEqual([]);
    expect(found(helperSource('this_request.args.get("page")', "settings"))).toEqual([]);
    const notFlask = helperSource('this_request.args.get("page")').replace("from flask import request, Flask", "from flask import Flask\nfrom mylib import request");
    expect(found(notFlask)).toEqual([]);
  });
});

describe("Werkzeug's and Flask's safe_join keep a path under its folder (session 29)", () => {
  const view = (...join: string[]) =>
    lines(...join, "from flask import request", "def view():", '    p = safe_join("/srv/pages", request.args["page"])', '    with open(p, "r") as f:', "        return f.read()");

  it("takes the joined path as clean", () => {
    expect(found(view("from werkzeug.security import safe_join"))).toEqual([]);
    expect(found(view("from werkzeug.utils import safe_join"))).toEqual([]);
    expect(found(view("from flask import safe_join"))).toEqual([]);
  });

  it("does not take a join of the file's own or os.path's as clean", () => {
    expect(found(view("def safe_join(a, b):", '    return a + "/" + b'))).toEqual(["code.path-traversal:6"]);
    expect(found(view("from os.path import join as safe_join"))).toEqual(["code.path-traversal:5"]);
  });
});

/** A route that fetches the `url` argument after `if <cond>:`, with a predicate `is_ok` of the file returning `test`. */
const predicateSource = (test: string, cond = "is_ok(url)") =>
  lines(
    "import requests",
    "from urllib.parse import urlparse",
    "from flask import Flask, request",
    "app = Flask(__name__)",
    'ALLOWED_HOSTS = {"api.example.com"}',
    "def is_ok(u):",
    "    parsed = urlparse(u)",
    `    return ${test}`,
    '@app.route("/fetch")',
    "def fetch():",
    '    url = request.args.get("url")',
    `    if ${cond}:`,
    "        return requests.get(url).text",
    '    return "no", 400',
  );

describe("a condition calling a predicate of the file that tests the URL's host (session 29)", () => {
  it("is a URL check, as the test written in the condition is", () => {
    expect(found(predicateSource('parsed.scheme == "https" and parsed.netloc in ALLOWED_HOSTS'))).toEqual([]);
    expect(found(predicateSource("parsed.hostname in ALLOWED_HOSTS"))).toEqual([]);
    expect(found(predicateSource("furl(u).host in ALLOWED_HOSTS"))).toEqual([]);
    // rejecting first, the same predicate negated
    const reject = predicateSource("parsed.netloc in ALLOWED_HOSTS", "not is_ok(url)").replace(
      '        return requests.get(url).text\n    return "no", 400',
      '        return "no", 400\n    return requests.get(url).text',
    );
    expect(found(reject)).toEqual([]);
  });

  it("is no check when the predicate tests something else or gives back no verdict", () => {
    expect(found(predicateSource("len(u) < 200"))).toEqual(["code.ssrf:13"]);
    expect(found(predicateSource('parsed.scheme in ("http", "https")'))).toEqual(["code.ssrf:13"]);
    expect(found(predicateSource("parsed.netloc"))).toEqual(["code.ssrf:13"]);
    // a predicate of another name than the one called
    expect(found(predicateSource("parsed.netloc in ALLOWED_HOSTS", "len(url) < 200"))).toEqual(["code.ssrf:13"]);
  });
});

/** A Flask app's imports and its URL predicate `allowed(u)`, which tests the host against an allow-list. */
const REDIRECT_PRELUDE = [
  "from urllib.parse import urlparse",
  "from flask import Flask, request, redirect",
  "app = Flask(__name__)",
  'ALLOWED = {"www.example.com"}',
  "def allowed(u):",
  "    return urlparse(u).netloc in ALLOWED",
];

/** A redirect inside a helper `go(url)`, called by the given route bodies (each a list of lines). */
const helperRedirect = (...routes: string[][]) =>
  lines(
    ...REDIRECT_PRELUDE,
    "def go(url):",
    "    return redirect(url)",
    ...routes.flatMap((body, i) => [`@app.route("/r${i}")`, `def r${i}():`, '    target = request.args.get("next")', ...body]),
  );

describe("a redirect or fetch inside a helper whose every call is checked (session 29)", () => {
  const checked = ["    if allowed(target):", "        return go(target)", '    return "no", 400'];
  const unchecked = ["    return go(target)"];

  it("is checked when every caller checks the URL first", () => {
    expect(found(helperRedirect(checked))).toEqual([]);
    expect(found(helperRedirect(checked, checked))).toEqual([]);
  });

  it("is reported when one caller does not check, or the helper reads the request itself", () => {
    expect(found(helperRedirect(unchecked))).toEqual(["code.open-redirect:8"]);
    expect(found(helperRedirect(checked, unchecked))).toEqual(["code.open-redirect:8"]);
    const ownInput = helperRedirect(checked).replace("    return redirect(url)", '    return redirect(request.args["next"])');
    expect(found(ownInput)).toEqual(["code.open-redirect:8"]);
  });
});

/** A page-building helper `say_hi(name)` a route returns, called with `arg` (the route's `name` from the request). */
const pageHelper = (arg: string, ...extra: string[]) =>
  lines(
    "from markupsafe import escape",
    "from lxml.html.clean import Cleaner",
    "from flask import Flask, request",
    "app = Flask(__name__)",
    "def say_hi(name):",
    '    return f"<h1>Hi {name}!</h1>"',
    '@app.get("/hi")',
    "def hi():",
    '    name = request.args.get("name", "user")',
    ...extra,
    `    return say_hi(${arg})`,
  );

describe("a page-building helper's parameter is judged by what its callers hand it (session 29)", () => {
  it("is clean when every call hands it an escaped or cleaned value", () => {
    expect(found(pageHelper("escape(name)"))).toEqual([]);
    expect(found(pageHelper("name", "    name = escape(name)"))).toEqual([]);
    expect(found(pageHelper("name=escape(name)"))).toEqual([]);
    expect(found(pageHelper("cleaned", "    cleaned = Cleaner(scripts=True).clean_html(name)"))).toEqual([]);
  });

  it("is dirty when a call hands it the raw value", () => {
    expect(found(pageHelper("name"))).toEqual(["code.xss:6"]);
    expect(found(pageHelper("name.strip()"))).toEqual(["code.xss:6"]);
    // a second caller hands it the raw value
    const twice = `${pageHelper("escape(name)")}@app.get("/raw")\ndef raw():\n    return say_hi(request.args["name"])\n`;
    expect(found(twice)).toEqual(["code.xss:6"]);
    // by keyword, the raw value
    expect(found(pageHelper("name=name"))).toEqual(["code.xss:6"]);
  });
});

/** A Flask route returning `name` in a page after the `guard` lines (with a predicate `suspicious(v)` of the file). */
const rejectSource = (...guard: string[]) =>
  lines(
    "import html",
    "import bleach",
    "from flask import Flask, request, abort",
    "app = Flask(__name__)",
    "def suspicious(v):",
    "    if v != html.escape(v):",
    "        return True",
    "    return False",
    '@app.get("/hi")',
    "def hi():",
    '    name = request.args.get("name", "")',
    ...guard,
    '    return f"<h1>Hi {name}!</h1>"',
  );

describe("input turned away when an HTML cleaner would change it (session 29)", () => {
  it("leaves nothing to escape", () => {
    expect(found(rejectSource("    if name != html.escape(name):", '        return "bad", 400'))).toEqual([]);
    expect(found(rejectSource("    cleaned = bleach.clean(name)", "    if name != cleaned:", '        return "bad", 400'))).toEqual([]);
    expect(found(rejectSource("    if suspicious(name):", "        abort(403)"))).toEqual([]);
  });

  it("is no guard when the branch goes on, the test is another, or the comparison is the other way round", () => {
    expect(found(rejectSource("    if name != html.escape(name):", '        print("odd")'))).toEqual(["code.xss:14"]);
    expect(found(rejectSource("    if name != name.strip():", '        return "bad", 400'))).toEqual(["code.xss:14"]);
    expect(found(rejectSource("    if name == html.escape(name):", '        return "plain", 200'))).toEqual(["code.xss:14"]);
    expect(found(rejectSource("    if not suspicious(name):", '        return "fine", 200'))).toEqual(["code.xss:14"]);
  });
});

/** A route that runs `os.popen(<call>)` after a full-match check of `f`, with a command helper `cmd(f)` returning `built`. */
const commandHelper = (built: string, call = "cmd(f)", check = 'if not re.fullmatch(r"[A-Za-z0-9_.-]+", f):') =>
  lines(
    "import os, re",
    "from flask import Flask, request",
    "app = Flask(__name__)",
    "def cmd(f, extra=''):",
    `    return ${built}`,
    '@app.get("/cat")',
    "def cat():",
    '    f = request.args.get("file")',
    `    ${check}`,
    '        return "bad", 400',
    `    return os.popen(${call}).read()`,
  );

describe("a command a helper builds from checked arguments (session 29)", () => {
  it("is not reported, as the same command built inline is not", () => {
    expect(found(commandHelper('"cat {}".format(f)'))).toEqual([]);
    expect(found(commandHelper('f"cat {f}"'))).toEqual([]);
    expect(found(commandHelper('"cat " + f + extra', 'cmd(f, "-n")'))).toEqual([]);
  });

  it("is reported when the helper adds other data or the argument was not checked", () => {
    expect(found(commandHelper('"cat {} {}".format(f, os.environ["OPTS"])'))).toEqual(["code.shell-injection:11"]);
    expect(found(commandHelper('"cat " + f.strip()'))).toEqual(["code.shell-injection:11"]);
    expect(found(commandHelper('"cat {}".format(f)', 'cmd(f, request.args["x"])'))).toEqual(["code.shell-injection:11"]);
    expect(found(commandHelper('"cat {}".format(f)', "cmd(f)", "if not f:"))).toEqual(["code.shell-injection:11"]);
  });
});

/** A route opening an http.client connection to `host` (lines after the request's `url` is read). */
const connectionSource = (...body: string[]) =>
  lines(
    "import http.client",
    "from urllib.parse import urlparse",
    "from flask import Flask, request",
    "app = Flask(__name__)",
    '@app.route("/proxy")',
    "def proxy():",
    '    url = request.args.get("url")',
    ...body,
    '    conn.request("GET", "/")',
    "    return conn.getresponse().read()",
  );

describe("http.client connections to a host from the request (session 29)", () => {
  it("are server-side request forgery", () => {
    expect(found(connectionSource("    conn = http.client.HTTPConnection(url)"))).toEqual(["code.ssrf:8"]);
    expect(found(connectionSource("    parsed = urlparse(url)", "    conn = http.client.HTTPSConnection(parsed.netloc, parsed.port)"))).toEqual(["code.ssrf:9"]);
    expect(found(connectionSource("    conn = http.client.HTTPConnection(host=urlparse(url).hostname)"))).toEqual(["code.ssrf:8"]);
  });

  it("are not when the host is written out, checked, or the request value is only the path", () => {
    expect(found(connectionSource('    conn = http.client.HTTPSConnection("api.example.com")'))).toEqual([]);
    expect(found(connectionSource('    conn = http.client.HTTPSConnection("api.example.com")', '    conn.putrequest("GET", urlparse(url).path)'))).toEqual([]);
    expect(
      found(connectionSource('    if urlparse(url).netloc != "api.example.com":', '        return "no", 400', "    conn = http.client.HTTPConnection(urlparse(url).netloc)")),
    ).toEqual([]);
    // another module's HTTPConnection class
    expect(found(connectionSource("    conn = HTTPConnection(url)").replace("import http.client", "from mylib import HTTPConnection"))).toEqual([]);
  });
});

describe("helpers and their callers stay linear (session 29)", () => {
  /** `n` redirect helpers, each called by its own route after the file's predicate: nothing to report. */
  const many = (n: number) =>
    lines(
      ...REDIRECT_PRELUDE,
      ...Array.from({ length: n }, (_, i) => [
        `def go${i}(url):`,
        "    return redirect(url)",
        `@app.route("/r${i}")`,
        `def r${i}():`,
        '    target = request.args.get("next")',
        "    if allowed(target):",
        `        return go${i}(target)`,
        '    return "no", 400',
      ]).flat(),
    );

  /** `n` routes, each turning its request value away when escaping would change it, then putting it in the page. */
  const guarded = (n: number) =>
    lines(
      "import html",
      "from flask import Flask, request",
      "app = Flask(__name__)",
      ...Array.from({ length: n }, (_, i) => [
        `@app.get("/p${i}")`,
        `def p${i}():`,
        `    v = request.args.get("v${i}", "")`,
        "    if v != html.escape(v):",
        '        return "bad", 400',
        '    return f"<li>{v}</li>"',
      ]).flat(),
    );

  it("4x the guarded values cost well under 16x", () => {
    expect(found(guarded(400))).toEqual([]);
    expect(growthRatio((src: string) => analyzePython(parser, src), guarded(100), guarded(400))).toBeLessThan(9);
  });

  it("4x the helpers cost well under 16x", () => {
    expect(found(many(400))).toEqual([]);
    expect(growthRatio((src: string) => analyzePython(parser, src), many(100), many(400))).toBeLessThan(9);
  });
});
