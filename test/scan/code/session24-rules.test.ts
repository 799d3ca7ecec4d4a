/**
 * Session 24 rules, each with vulnerable cases and safe look-alikes:
 * - code.decompression-bomb (CWE-409): an archive or compressed stream from input unpacked with no size bound;
 * - code.error-details-exposed (CWE-209/215): a web handler's response carrying a traceback, locals()/vars()/
 *   __dict__ or a caught exception's text;
 * - code.argument-injection (CWE-88): a request value given to a fixed program where it can be read as an option.
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
const severities = (src: string, rule: string) =>
  analyzePython(parser, src)
    .hits.filter((h) => h.rule.id === rule)
    .map((h) => h.severity);
const BOMB = CODE_RULES.decompressionBomb.id;
const EXPOSED = CODE_RULES.errorExposure.id;
const ARGS = CODE_RULES.argumentInjection.id;

describe("decompression bombs", () => {
  it("input or a caller's archive unpacked whole", () => {
    const src = lines(
      "import zipfile, tarfile, gzip, shutil, zlib, sys",
      "from flask import Flask, request",
      "app = Flask(__name__)",
      "@app.post('/upload')",
      "def upload():",
      "    with zipfile.ZipFile(request.files['archive']) as zf:",
      "        zf.extractall('/srv/data')",
      "    return 'ok'",
      "def unpack(path, dest):",
      "    shutil.unpack_archive(path, dest)",
      "def untar(path):",
      "    with tarfile.open(path) as t:",
      "        t.extractall('x', filter='data')", // the filter stops traversal, not size
      "@app.post('/z')",
      "def z():",
      "    return zlib.decompress(request.data)",
      "def main():",
      "    z = zipfile.ZipFile(sys.argv[1])",
      "    z.extractall()",
      "def member(path, name):",
      "    zf = zipfile.ZipFile(path)",
      "    with zf.open(name) as fh:",
      "        return fh.read()",
    );
    expect(found(src, BOMB)).toEqual([7, 10, 13, 16, 19, 23]);
  });

  it("look-alikes: size sums that stop, bounded reads, constant paths, computed names", () => {
    const src = lines(
      "import zipfile, tarfile, gzip, zlib",
      "from flask import Flask, request",
      "app = Flask(__name__)",
      "@app.post('/upload')",
      "def upload():",
      "    total = 0",
      "    with zipfile.ZipFile(request.files['archive']) as zf:",
      "        for m in zf.infolist():",
      "            total += m.file_size",
      "            if total > 10_000_000:",
      "                return 'too big', 400",
      "        zf.extractall('/srv/data')",
      "def untar(path):",
      "    with tarfile.open(path) as t:",
      "        if any(m.size > 2**30 for m in t.getmembers()):",
      "            raise ValueError('member too large')",
      "        t.extractall('x', filter='data')",
      "def head(path):",
      "    with gzip.open(path) as g:",
      "        return g.read(1 << 20)",
      "def own():",
      "    with zipfile.ZipFile('assets/bundle.zip') as z:",
      "        z.extractall('out')",
      "@app.post('/z')",
      "def z():",
      "    return zlib.decompressobj().decompress(request.data, 1 << 20)",
      "def _private(p):",
      "    zipfile.ZipFile(p).extractall('cache')",
      "t = tarfile.open(ARCHIVE)",
      "t.extractall('data', filter='data')",
      "def nothing(path):",
      "    tarfile.open(path).extractall('x', members=[])",
      "def small(t):",
      "    return [m for m in t.getmembers() if m.isfile() and m.size < 2**20]",
      "def picked(path):",
      "    t = tarfile.open(path)",
      "    t.extractall('x', members=small(t), filter='data')",
    );
    expect(found(src, BOMB)).toEqual([]);
  });

  it("a whole read of a caller's file is low; from a request it is medium", () => {
    const src = lines(
      "import gzip",
      "from flask import request",
      "def load(path):",
      "    return gzip.open(path).read()",
      "def up():",
      "    return gzip.GzipFile(fileobj=request.files['f']).read()",
    );
    expect(found(src, BOMB)).toEqual([4, 6]);
    expect(severities(src, BOMB)).toEqual(["low", "medium"]);
  });
});

describe("error details in a web response", () => {
  it("tracebacks, locals(), __dict__ and exception text returned or sent", () => {
    const src = lines(
      "import traceback, sys",
      "from flask import Flask, jsonify, render_template",
      "from http.server import BaseHTTPRequestHandler",
      "app = Flask(__name__)",
      "@app.route('/a')",
      "def a():",
      "    try:",
      "        run()",
      "    except Exception as e:",
      "        return jsonify(error=str(e)), 500",
      "@app.route('/b')",
      "def b():",
      "    try:",
      "        run()",
      "    except Exception:",
      "        tb = traceback.format_exc()",
      "        return f'<pre>{tb}</pre>', 500",
      "@app.route('/c')",
      "def c():",
      "    return jsonify(locals())",
      "@app.route('/d')",
      "def d():",
      "    return render_template('debug.html', state=vars(app))",
      "class H(BaseHTTPRequestHandler):",
      "    def do_GET(self):",
      "        try:",
      "            run()",
      "        except Exception as err:",
      "            self.send_error(500, repr(err))",
      "        self.wfile.write(repr(self.__dict__).encode())",
    );
    expect(found(src, EXPOSED)).toEqual([10, 17, 20, 23, 29, 30]);
  });

  it("look-alikes: logged details, fixed messages, code that answers no request, the error's kind", () => {
    const src = lines(
      "import traceback, logging",
      "from flask import Flask, jsonify",
      "app = Flask(__name__)",
      "log = logging.getLogger(__name__)",
      "@app.route('/a')",
      "def a():",
      "    try:",
      "        run()",
      "    except Exception as e:",
      "        log.exception('failed: %s', e)",
      "        log.error(traceback.format_exc())",
      "        return jsonify(error='internal error', kind=type(e).__name__), 500",
      "def report():",
      "    try:",
      "        run()",
      "    except Exception as e:",
      "        return str(e)",
      "def dump(obj):",
      "    return obj.__dict__",
      "@app.route('/b')",
      "def b():",
      "    items = [e for e in load()]",
      "    return jsonify(items=items)",
      "@app.route('/c')",
      "def c():",
      "    try:",
      "        run()",
      "    except Exception as e:",
      "        return error_page(e)", // what a helper makes of the error is not known here
    );
    expect(found(src, EXPOSED)).toEqual([]);
  });

  it("severity: a traceback is medium, an exception's text or locals() splatted into a template low", () => {
    const src = lines(
      "import traceback",
      "from flask import Flask, render_template",
      "app = Flask(__name__)",
      "@app.route('/a')",
      "def a(name):",
      "    return render_template('a.html', **locals())",
      "@app.route('/b')",
      "def b():",
      "    try:",
      "        run()",
      "    except Exception as e:",
      "        return traceback.format_exc() + str(e)",
      "@app.route('/c')",
      "def c():",
      "    try:",
      "        run()",
      "    except ValueError as e:",
      "        return f'bad value: {e}', 400",
    );
    expect(found(src, EXPOSED)).toEqual([6, 12, 18]);
    expect(severities(src, EXPOSED)).toEqual(["low", "medium", "low"]);
    // a template given locals() as its context, through a name or in a response assigned first: low, reported once
    const django = lines(
      "from django.shortcuts import render",
      "def page(request, slug):",
      "    context = locals()",
      "    return render(request, 'page.html', context)",
      "def other(request):",
      "    response = render(request, 'other.html', locals())",
      "    return response",
    );
    expect(found(django, EXPOSED)).toEqual([4, 6]);
    expect(severities(django, EXPOSED)).toEqual(["low", "low"]);
  });
});

describe("argument injection", () => {
  it("a request value split into argv or placed before `--`", () => {
    const src = lines(
      "import subprocess, shlex",
      "from flask import Flask, request",
      "app = Flask(__name__)",
      "@app.route('/f')",
      "def f():",
      "    name = request.args.get('name', '')",
      "    subprocess.run(shlex.split('find /srv -name ' + name), capture_output=True)",
      "    subprocess.run(shlex.split(f'grep {name} /srv/log'))",
      "    subprocess.run(['git', 'clone', request.args['url'], '/tmp/x'])",
      "    args = ['curl']",
      "    args.append(name)",
      "    subprocess.check_output(args)",
    );
    expect(found(src, ARGS)).toEqual([7, 8, 9, 12]);
    // the program is constant: not reported as a program chosen by the sender
    expect(found(src, CODE_RULES.shell.id)).toEqual([]);
  });

  it("look-alikes: `--` first, a startswith('-') check, constant argv, a command-line tool", () => {
    const src = lines(
      "import subprocess, shlex, sys",
      "from flask import Flask, request",
      "app = Flask(__name__)",
      "@app.route('/g')",
      "def g():",
      "    name = request.args.get('name', '')",
      "    subprocess.run(['git', 'log', '--', name])",
      "    subprocess.run(shlex.split(f'git log -- {name}'))",
      "    subprocess.run(['ls', '-l', '/srv'])",
      "    subprocess.run(['convert', str(int(request.args['w'])), 'in.png'])",
      "@app.route('/h')",
      "def h():",
      "    url = request.args.get('url', '')",
      "    if url.startswith('-'):",
      "        return 'no', 400",
      "    subprocess.run(['git', 'clone', url])",
    );
    expect(found(src, ARGS)).toEqual([]);
    // a command-line tool passing its own user's argument: that user's choice
    expect(found(lines("import subprocess, sys", "subprocess.run(['git', 'clone', sys.argv[1]])"), ARGS)).toEqual([]);
  });
});

describe("cost", () => {
  it("thousands of reads, handlers and argv calls stay linear (4× the lines cost well under 16×)", () => {
    const body = (n: number) => {
      const out = ["import gzip, zipfile, subprocess, traceback", "from flask import Flask, request", "app = Flask(__name__)", "@app.route('/x')", "def x(path):"];
      out.push("    z = zipfile.ZipFile(path)", "    g = gzip.open(path)");
      for (let i = 0; i < n; i++) out.push(`    d${i} = open(path).read() + g.read(${i + 1})`, `    t${i} = str(d${i})`, `    subprocess.run(['ls', '--', request.args['d${i}']])`);
      out.push("    try:", "        z.extractall('out')", "    except Exception:", "        return traceback.format_exc()");
      return `${out.join("\n")}\n`;
    };
    const large = body(1600);
    expect(found(large, BOMB)).toEqual([4809]);
    expect(found(large, EXPOSED)).toEqual([4811]);
    expect(found(large, ARGS)).toEqual([]);
    expect(growthRatio((src: string) => analyzePython(parser, src), body(400), large)).toBeLessThan(9);
  });
});
