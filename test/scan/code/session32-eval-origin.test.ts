/**
 * Session 32: `code.eval-exec` asks where the text comes from. Not reported (the program's own data): a dict
 * literal's constant entry read at a constant key, a read of a constant table at any key (`VALID[cmd]`, the
 * allow-list map), a helper of the file whose every return is such a read, a field overwritten by a literal just
 * above. Still reported: input, a parameter of unknown origin, a value the analyser cannot follow. New reports:
 * eval/exec handed to a thread, executor or `map` with the text beside it, and a constant code string whose own
 * code has a finding.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { analyzePython, pythonParser } from "../../../src/scan/code/index.js";
import { growthRatio } from "../../helpers/cpu.js";
import { lines, ruleSeverities } from "../../helpers/python.js";

const found = ruleSeverities();
const evalAt = (src: string) => found(src, "code.eval-exec");

/** A Flask view taking the URL's `command`, with `body` lines after it and `after` lines below the view. */
const view = (body: string[], after: string[] = []) =>
  lines("from flask import Flask, request", "app = Flask(__name__)", '@app.route("/r")', "def r():", "    command = request.view_args.get('command')", ...body, ...after);

describe("dict and table reads (session 32)", () => {
  it("clears a constant entry read at a constant key, keeps the input's entry", () => {
    const d = "    d = {'tainted': command, 'untainted': 'untainted value'}";
    expect(evalAt(view([d, "    eval(d.get('untainted'))"]))).toEqual([]);
    expect(evalAt(view([d, "    eval(d['untainted'])"]))).toEqual([]);
    expect(evalAt(view([d, "    eval(d.get('tainted'))"]))).toEqual(["7:high"]);
  });

  it("clears a read of a constant table at any key, local or module-level", () => {
    expect(evalAt(view(["    valid = {'list': 'ls', 'stats': 'stat'}", "    eval(valid[command])"]))).toEqual([]);
    expect(evalAt(view(["    valid = {'list': 'ls', 'stats': 'stat'}", "    eval(valid.get(command, 'ls'))"]))).toEqual([]);
    expect(evalAt(lines("VALID = {'a': '1+1', 'b': 2}", "def run(x):", "    return eval(VALID[x])"))).toEqual([]);
  });

  it("keeps tables that hold input, change, are bound twice or default to the input", () => {
    expect(evalAt(view(["    valid = {'list': command}", "    eval(valid[command])"]))).toEqual(["7:high"]);
    expect(evalAt(view(["    valid = {'list': 'ls'}", "    valid['x'] = command", "    eval(valid['list'] if command else valid[command])"]))).toEqual(["8:high"]);
    expect(evalAt(view(["    valid = {'list': 'ls'}", "    valid.update(other)", "    eval(valid[command])"]))).toEqual(["8:high"]);
    expect(evalAt(view(["    valid = {'list': 'ls'}", "    if command: valid = load()", "    eval(valid[command])"]))).toEqual(["8:high"]);
    expect(evalAt(view(["    valid = {'list': 'ls'}", "    eval(valid.get(command, command))"]))).toEqual(["7:high"]);
    // a parameter of the same name is the caller's value, not the module's table
    expect(evalAt(lines("VALID = {'a': '1'}", "def run(VALID, x):", "    return eval(VALID[x])"))).toEqual(["3:high"]);
  });

  it("clears a helper whose every return reads a constant table, even defined below the call", () => {
    const sanitize = ["def sanitize(c):", "    valid = {'list': 'ls', 'stats': 'stat'}", "    return valid[c]"];
    expect(evalAt(view(["    eval(sanitize(command))"], sanitize))).toEqual([]);
    expect(evalAt(view(["    for i in range(3):", "        eval(sanitize(command))"], sanitize))).toEqual([]);
  });

  it("keeps helpers that can give the input back", () => {
    expect(evalAt(view(["    eval(clean(command))"], ["def clean(c):", "    valid = {'list': 'ls'}", "    if c in valid:", "        return valid[c]", "    return c"]))).toEqual([
      "6:high",
    ]);
    expect(evalAt(view(["    eval(clean(command))"], ["def clean(c):", "    valid = {'list': c}", "    return valid[c]"]))).toEqual(["6:high"]);
    expect(evalAt(view(["    eval(next(clean(command)))"], ["def clean(c):", "    valid = {'list': 'ls'}", "    yield valid[c]"]))).toEqual(["6:high"]);
    // a helper of unknown body (imported) and a parameter of unknown origin stay reported
    expect(evalAt(view(["    eval(helpers.clean(command))"]))).toEqual(["6:high"]);
    expect(evalAt(lines("def run(expr):", "    return eval(expr)"))).toEqual(["2:high"]);
  });
});

describe("a container a helper fills with constants (session 32)", () => {
  const build = (put: string, made = "{}") => [
    "def clean(items):",
    `    out = ${made}`,
    "    valid = {'list': 'ls', 'stats': 'stat'}",
    "    for k in items:",
    `        ${put}`,
    "    return out",
  ];

  it("clears any item read from it", () => {
    expect(evalAt(view(["    d = clean({'a': command})", "    eval(d.get('a'))"], build("out[k] = valid[items.get(k)]")))).toEqual([]);
    expect(evalAt(view(["    q = clean([command])", "    eval(q.popleft())"], build("out.append(valid.get(k))", "deque()")))).toEqual([]);
  });

  it("keeps a container filled with the input, one handed in, or written into by the caller", () => {
    expect(evalAt(view(["    d = clean({'a': command})", "    eval(d.get('a'))"], build("out[k] = items.get(k)")))).toEqual(["7:high"]);
    expect(evalAt(view(["    q = clean([command])", "    eval(q.pop())"], build("out.append(k)", "[]")))).toEqual(["7:high"]);
    expect(evalAt(view(["    d = clean({'a': command})", "    eval(d.get('a'))"], build("out[k] = valid[k]", "items")))).toEqual(["7:high"]);
    expect(evalAt(view(["    d = clean({'a': command})", "    d['a'] = command", "    eval(d.get('a'))"], build("out[k] = valid[k]")))).toEqual(["8:high"]);
  });
});

describe("a field overwritten by a literal (session 32)", () => {
  it("clears the field read right after the literal is written", () => {
    expect(evalAt(view(["    o = Holder()", "    o.cmd = command", "    o.cmd = 'ls'", "    eval(o.cmd)"]))).toEqual([]);
    expect(evalAt(view(["    o = Holder()", "    o.cmd = command", "    o.cmd = 'ls'", "    print(1)", "    eval(o.cmd)"]))).toEqual([]);
  });

  it("keeps it when the object is touched between, the literal is in a branch, or another field was written", () => {
    expect(evalAt(view(["    o = Holder()", "    o.cmd = command", "    o.cmd = 'ls'", "    o.load(command)", "    eval(o.cmd)"]))).toEqual(["10:high"]);
    expect(evalAt(view(["    o = Holder()", "    o.cmd = command", "    o.cmd = 'ls'", "    p = o", "    eval(o.cmd)"]))).toEqual(["10:high"]);
    expect(evalAt(view(["    o = Holder()", "    o.cmd = command", "    if command:", "        o.cmd = 'ls'", "    eval(o.cmd)"]))).toEqual(["10:high"]);
    expect(evalAt(view(["    o = Holder()", "    o.cmd = command", "    o.other = 'ls'", "    eval(o.cmd)"]))).toEqual(["9:high"]);
  });
});

describe("eval/exec handed on with its text (session 32)", () => {
  it("reports a thread, executor or map given the evaluator and input", () => {
    expect(evalAt(view(["    from threading import Thread", "    Thread(target=eval, args=[command]).run()"]))).toEqual(["7:high"]);
    expect(evalAt(view(["    pool.submit(exec, command)"]))).toEqual(["6:high"]);
    expect(evalAt(view(["    loop.run_in_executor(None, eval, command)"]))).toEqual(["6:high"]);
    expect(evalAt(view(["    list(map(eval, command.split(',')))"]))).toEqual(["6:high"]);
    expect(evalAt(view(["    from threading import Timer", "    Timer(1.0, exec, args=(command,)).start()"]))).toEqual(["7:high"]);
  });

  it("leaves constant texts, other callables and a local def named eval", () => {
    expect(evalAt(view(["    from threading import Thread", "    Thread(target=eval, args=['ls']).run()"]))).toEqual([]);
    expect(evalAt(view(["    list(map(eval, ['1+1', '2']))"]))).toEqual([]);
    expect(evalAt(view(["    from threading import Thread", "    Thread(target=print, args=[command]).run()"]))).toEqual([]);
    expect(evalAt(view(["    pool.submit(self.eval, command)"]))).toEqual([]);
    expect(evalAt(view(["    def eval(x):", "        return x", "    pool.submit(eval, command)"]))).toEqual([]);
  });
});

describe("a constant code string whose code has a finding (session 32)", () => {
  it("reports exec of written-out code that evaluates the request or runs a built command", () => {
    const code = ["    flow = '''", "    c = request.args.get('c')", "    eval(c)", "    '''"];
    expect(evalAt(view([...code, "    exec(flow)"]))).toEqual(["10:high"]);
    expect(evalAt(view(["    exec('import os\\nos.system(\"ls \" + x)')"]))).toEqual(["6:high"]);
  });

  it("leaves constant code without findings, with only low ones, or with findings that are no injection", () => {
    expect(evalAt(view(["    eval(\"os.chmod('%s', 0o777)\" % 'test.txt')"]))).toEqual([]);
    expect(evalAt(view(["    exec('x = 1\\nprint(x)')"]))).toEqual([]);
    expect(evalAt(view(["    exec(\"import os\\nos.system('ls')\")"]))).toEqual([]);
    // not followed a second level down: the string's own exec of a constant
    expect(evalAt(view(["    exec(\"exec('print(1)')\")"]))).toEqual([]);
  });
});

describe("cost (session 32)", () => {
  let parser: Awaited<ReturnType<typeof pythonParser>>;
  beforeAll(async () => {
    parser = await pythonParser();
  });

  it("thousands of table reads, helpers, fields, handed evaluators and code strings in one handler stay linear (4× the lines cost well under 16×)", () => {
    const body = (n: number) => {
      const out = [
        "from flask import request",
        "from threading import Thread",
        "def sanitize(c):",
        "    valid = {'a': '1'}",
        "    return valid[c]",
        "def r():",
        "    command = request.args['c']",
      ];
      for (let i = 0; i < n; i++)
        out.push(
          `    t${i} = {'k': '${i}'}`,
          `    eval(t${i}[command])`,
          `    eval(sanitize(command)) if ${i} else None`,
          `    o.f${i} = '1'`,
          `    eval(o.f${i})`,
          "    Thread(target=eval, args=['1']).run()",
          `    exec('x = ${i}')`,
        );
      return lines(...out);
    };
    const large = body(800);
    expect(evalAt(large)).toEqual([]);
    expect(growthRatio((src: string) => analyzePython(parser, src), body(200), large)).toBeLessThan(9);
  }, 120_000);
});
