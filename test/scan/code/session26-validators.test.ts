/**
 * Session 26: validator helpers of several statements. A file-local function that checks its argument with early
 * exits (`if not <check>: return False` … `return True`) guards like the check itself; a URL validator returning a
 * verdict tuple (`ok, reason = check_target(u)` … `if not ok:`) guards the SSRF and redirect sinks. Each safe case
 * has vulnerable look-alikes: a true return before the check, a failed check that returns a true value or does not
 * leave, a reassigned parameter, an unanchored pattern, a verdict never tested, a helper that checks something else.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { analyzePython, CODE_RULES, pythonParser } from "../../../src/scan/code/index.js";
import { growthRatio } from "../../helpers/cpu.js";
import { lines, ruleLines } from "../../helpers/python.js";

const found = ruleLines();
let parser: Awaited<ReturnType<typeof pythonParser>>;
beforeAll(async () => {
  parser = await pythonParser();
});

const { shell, pathTraversal, ssrf, openRedirect } = CODE_RULES;

/** No finding of `rule` in `body(4 * n)`, and that source costs well under 16x `body(n)`'s (cheapest CPU of three). */
function staysLinear(body: (n: number) => string, rule: string, n: number): void {
  const large = body(4 * n);
  expect(found(large, rule)).toEqual([]);
  expect(growthRatio((src: string) => analyzePython(parser, src), body(n), large)).toBeLessThan(9);
}

/** A shell sink behind `if not valid_host(host): raise` with the helper's body given. */
const ping = (...helper: string[]) =>
  lines(
    "import re, subprocess",
    "from urllib.parse import unquote",
    'ALLOWED = {"a.example", "b.example"}',
    "def valid_host(h):",
    ...helper.map((l) => `    ${l}`),
    "def ping(host):",
    "    if not valid_host(host):",
    "        raise ValueError(host)",
    '    subprocess.call("ping -c 1 " + host, shell=True)',
  );

/** A Flask download whose file name passes `validate_filename` (the helper's body given) before send_file. */
const download = (...helper: string[]) =>
  lines(
    "import os, re",
    "from flask import Flask, request, send_file, abort",
    "app = Flask(__name__)",
    'UPLOADS = "/srv/uploads"',
    'EXTENSIONS = {".txt", ".pdf"}',
    "def validate_filename(filename):",
    ...helper.map((l) => `    ${l}`),
    "@app.route('/download')",
    "def get():",
    "    filename = request.args.get('file', '')",
    "    if not validate_filename(filename):",
    "        abort(400)",
    "    return send_file(os.path.join(UPLOADS, filename))",
  );

describe("session 26: validators of several statements", () => {
  it("reads early exits and a final true return as the check", () => {
    const safe = [
      ping("if not h:", "    return False", 'if not re.fullmatch(r"[a-z0-9.-]+", h):', "    return False", "return True"),
      ping("if h not in ALLOWED:", "    raise ValueError(h)", "return True"),
      ping('"""Known hosts only."""', "if not h:", "    return None", "return h in ALLOWED"),
      ping("if len(h) > 255:", "    return False", 'return re.fullmatch(r"[a-z0-9.-]+", h) is not None'),
    ];
    for (const src of safe) expect(found(src, shell.id), src).toEqual([]);
    // the positive form: the sink inside `if valid_host(host):`
    const inside = lines(
      "import re, subprocess",
      "def valid_host(h):",
      "    if not h:",
      "        return False",
      '    if not re.fullmatch(r"\\w+", h):',
      "        return False",
      "    return True",
      "def ping(host):",
      "    if valid_host(host):",
      '        subprocess.call("ping " + host, shell=True)',
    );
    expect(found(inside, shell.id)).toEqual([]);
  });

  it("does not read helpers that can return true without the check", () => {
    const vulnerable = [
      // a true return before the check
      ping('if h.startswith("local"):', "    return True", 'if not re.fullmatch(r"[a-z0-9.-]+", h):', "    return False", "return True"),
      // the failed check returns a true value
      ping('if not re.fullmatch(r"[a-z0-9.-]+", h):', '    return "bad host"', "return True"),
      // the failed check does not leave
      ping('if not re.fullmatch(r"[a-z0-9.-]+", h):', '    print("bad host")', "return True"),
      // the check is on another value than the caller's (the parameter is reassigned)
      ping("h = unquote(h)", 'if not re.fullmatch(r"[a-z0-9.-]+", h):', "    return False", "return True"),
      // an unanchored search checks nothing
      ping("if not h:", "    return False", 'if not re.search(r"[a-z]+", h):', "    return False", "return True"),
      // a handler that answers true when the check itself fails
      ping("try:", '    if not re.fullmatch(r"[a-z0-9.-]+", h):', "        return False", "except TypeError:", "    return True", "return True"),
      // only the length is checked
      ping("if len(h) > 255:", "    return False", "return True"),
    ];
    for (const src of vulnerable) expect(found(src, shell.id), src).toHaveLength(1);
  });

  it("guards a file name checked by a validator before send_file", () => {
    const safe = download(
      "if not filename:",
      "    return False",
      "if not re.match(r'^[a-zA-Z0-9_\\-]+\\.[a-zA-Z0-9]+$', filename):",
      "    return False",
      "_, ext = os.path.splitext(filename)",
      "return ext.lower() in EXTENSIONS",
    );
    expect(found(safe, pathTraversal.id)).toEqual([]);
    // the same helper checking only the extension lets `../../etc/passwd.txt` through
    const extOnly = download("if not filename:", "    return False", "_, ext = os.path.splitext(filename)", "return ext.lower() in EXTENSIONS");
    expect(found(extOnly, pathTraversal.id)).toHaveLength(1);
    // an empty name passes as valid before the pattern is tried
    const early = download("if not filename:", "    return True", "if not re.match(r'^[a-zA-Z0-9_\\-]+\\.[a-z]+$', filename):", "    return False", "return True");
    expect(found(early, pathTraversal.id)).toHaveLength(1);
  });
});

/** A Flask route fetching a URL after `verdict, reason = check_target(url)`; `check` is the condition, `helper` the validator's body. */
const fetcher = (helper: string[], ...route: string[]) =>
  lines(
    "import requests",
    "from urllib.parse import urlparse",
    "from flask import Flask, request, jsonify",
    "app = Flask(__name__)",
    'ALLOWED_HOSTS = {"api.example.com"}',
    "def check_target(url):",
    ...helper.map((l) => `    ${l}`),
    "@app.route('/fetch')",
    "def fetch():",
    "    url = request.args.get('url', '')",
    ...route.map((l) => `    ${l}`),
    "    return requests.get(url, timeout=5).text",
  );

const HOST_CHECK = [
  "parsed = urlparse(url)",
  "if parsed.scheme not in ('http', 'https'):",
  '    return False, "scheme"',
  "if parsed.hostname not in ALLOWED_HOSTS:",
  '    return False, "host"',
  'return True, "ok"',
];

describe("session 26: a URL validator's verdict held in a name", () => {
  it("a tested verdict of a validator that checks the host guards the fetch", () => {
    const safe = [
      fetcher(HOST_CHECK, "ok, reason = check_target(url)", "if not ok:", "    return jsonify({'error': reason}), 400"),
      fetcher(HOST_CHECK, "(ok, reason) = check_target(url)", "if not (ok):", "    return 'no', 400"),
      // a verdict from a check named as one (no body to read)
      fetcher(["return True"], "allowed = is_safe_url(url)", "if not allowed:", "    return 'no', 400"),
    ];
    for (const src of safe) expect(found(src, ssrf.id), src).toEqual([]);
  });

  it("a verdict never tested, or a helper that checks something else, does not", () => {
    const vulnerable = [
      // the verdict is computed and only logged
      fetcher(HOST_CHECK, "ok, reason = check_target(url)", "print(ok, reason)"),
      // the validator only checks the length
      fetcher(["if len(url) > 2000:", '    return False, "long"', 'return True, ""'], "ok, reason = check_target(url)", "if not ok:", "    return 'no', 400"),
      // the helper returns the parsed URL, not a verdict
      fetcher(["parsed = urlparse(url)", "if parsed.hostname:", "    return parsed", "return None"], "ok = check_target(url)", "if not ok:", "    return 'no', 400"),
      // the condition tests another name than the verdict
      fetcher(HOST_CHECK, "ok, reason = check_target(url)", "if not reason:", "    return 'no', 400"),
    ];
    for (const src of vulnerable) expect(found(src, ssrf.id), src).toHaveLength(1);
  });

  it("a Django redirect behind `ok = is_safe_url(...)` / `if ok:` is not reported, and one outside it is", () => {
    const src = (cond: string) =>
      lines(
        "from django.http import HttpResponseRedirect",
        "from django.utils.http import is_safe_url",
        "def view(request):",
        "    nxt = request.GET.get('next')",
        "    ok = is_safe_url(url=nxt, allowed_hosts=request.get_host())",
        `    if ${cond}:`,
        "        return HttpResponseRedirect(nxt)",
        "    return HttpResponseRedirect('/')",
      );
    expect(found(src("ok"), openRedirect.id)).toEqual([]);
    expect(found(src("nxt"), openRedirect.id)).toEqual([7]);
  });

  it("stays linear in the number of verdicts and validators", () => {
    const body = (n: number) => {
      const out = ["import requests", "from urllib.parse import urlparse", "from flask import request", 'ALLOWED_HOSTS = {"a"}'];
      for (let i = 0; i < n; i++) out.push(`def check_${i}(u):`, "    if urlparse(u).hostname not in ALLOWED_HOSTS:", "        return False, 'host'", "    return True, ''");
      out.push("def route():", "    url = request.args['u']");
      for (let i = 0; i < n; i++) out.push(`    ok${i}, why${i} = check_${i}(url)`, `    if not ok${i}:`, "        return 'no'", "    requests.get(url)");
      return lines(...out);
    };
    staysLinear(body, ssrf.id, 100);
  });
});

describe("session 26: validator helpers stay linear", () => {
  it("many validators, each called many times", () => {
    const body = (n: number) => {
      const out = ["import re, subprocess"];
      for (let i = 0; i < n; i++)
        out.push(`def valid_${i}(h):`, "    if not h:", "        return False", '    if not re.fullmatch(r"\\w+", h):', "        return False", "    return True");
      out.push("def run(host):");
      for (let i = 0; i < n; i++)
        out.push(`    if not valid_${i % 10}(host):`, "        return", `    if valid_${i}(host):`, '        subprocess.call("ping " + host, shell=True)');
      return lines(...out);
    };
    staysLinear(body, shell.id, 100);
  });
});

/** A search whose WHERE clause joins a list of conditions; `adds` are the lines that fill the list when `name` is given. */
const search = (...adds: string[]) =>
  lines(
    "import sqlite3",
    "from flask import request",
    "def search():",
    '    name = request.args.get("name")',
    "    conditions = []",
    "    params = []",
    "    if name:",
    ...adds.map((l) => `        ${l}`),
    '    base = "SELECT id, name FROM products"',
    "    if conditions:",
    '        where_clause = " WHERE " + " AND ".join(conditions)',
    "        query = base + where_clause",
    "    else:",
    "        query = base",
    '    query += " ORDER BY id LIMIT 100"',
    '    cur = sqlite3.connect("shop.db").cursor()',
    "    cur.execute(query, params)",
    "    return cur.fetchall()",
  );

describe("session 26: SQL conditions joined from a list of literals", () => {
  const { sql } = CODE_RULES;
  it("a list filled only with literal fragments joins into constant text", () => {
    expect(found(search('conditions.append("name LIKE ?")', 'params.append(f"%{name}%")'), sql.id)).toEqual([]);
    expect(found(search('conditions.extend(["name = ?", "active = 1"])', "params.append(name)"), sql.id)).toEqual([]);
  });

  it("a fragment built from input or a change the analyser does not read keeps the query built", () => {
    const vulnerable = [
      search("conditions.append(f\"name = '{name}'\")"),
      // a change the analyser does not read as an append
      search("conditions.insert(0, f\"name = '{name}'\")"),
      // the list handed to another function, which could add anything
      search('conditions.append("name LIKE ?")', "conditions = log_and_return(conditions + [name])"),
    ];
    for (const src of vulnerable) expect(found(src, sql.id), src).toHaveLength(1);
  });

  it("many lists joined in one function stay linear", () => {
    const body = (n: number) => {
      const out = ["import sqlite3", "def report(cur):"];
      for (let i = 0; i < n; i++)
        out.push(`    c${i} = []`, `    c${i}.append("a${i} = ?")`, `    q${i} = "SELECT x FROM t WHERE " + " AND ".join(c${i})`, `    cur.execute(q${i}, [${i}])`);
      return lines(...out);
    };
    staysLinear(body, sql.id, 400);
  });
});

/** `host = clean_host(request.args["h"])` then a shell sink, with the cleaner's body given. */
const cleaned = (...helper: string[]) =>
  lines(
    "import re, subprocess",
    "from flask import request",
    "def clean_host(h):",
    ...helper.map((l) => `    ${l}`),
    "def ping():",
    '    host = clean_host(request.args["h"])',
    '    subprocess.call("ping -c 1 " + host, shell=True)',
  );

describe("session 26: `x = clean(x)` with a helper that returns its argument only once checked", () => {
  it("the result of a checking cleaner is checked", () => {
    const safe = [
      cleaned('if not re.fullmatch(r"[a-z0-9.-]+", h):', "    raise ValueError(h)", "return h"),
      cleaned("if not h:", "    return None", "if not h.isalnum():", "    abort(400)", "return h"),
    ];
    for (const src of safe) expect(found(src, shell.id), src).toEqual([]);
  });

  it("a cleaner that returns something else, or the argument unchecked on some path, does not clean", () => {
    const vulnerable = [
      // it returns a transformed value, not the checked one
      cleaned('if not re.fullmatch(r"[a-z0-9.-]+", h):', "    raise ValueError(h)", 'return h + " -c 5"'),
      // the argument comes back before the check on one path
      cleaned('if h.startswith("10."):', "    return h", 'if not re.fullmatch(r"[a-z0-9.-]+", h):', "    raise ValueError(h)", "return h"),
      // the failed check only logs
      cleaned('if not re.fullmatch(r"[a-z0-9.-]+", h):', '    print("bad")', "return h"),
      // a deny-list of one character is no check
      cleaned('if ";" in h:', "    raise ValueError(h)", "return h"),
    ];
    for (const src of vulnerable) expect(found(src, shell.id), src).toHaveLength(1);
  });

  it("many cleaners, each called many times, stay linear", () => {
    const body = (n: number) => {
      const out = ["import re, subprocess", "from flask import request"];
      for (let i = 0; i < n; i++) out.push(`def clean_${i}(h):`, '    if not re.fullmatch(r"\\w+", h):', "        raise ValueError(h)", "    return h");
      out.push("def run():");
      for (let i = 0; i < n; i++) out.push(`    h${i} = clean_${i % 50}(request.args["h"])`, `    subprocess.call("ping " + h${i}, shell=True)`);
      return lines(...out);
    };
    staysLinear(body, shell.id, 300);
  });
});
