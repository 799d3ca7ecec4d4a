/**
 * Session 27: calls of methods of the file's own classes on an instance (`Store().read(x)`, `s.read(x)` after
 * `s = Store()`) use the method's summary as a plain function's is used: the arguments fill the parameters after
 * the receiver, a sink inside the method is reported at the call, and the result is untrusted only when the method
 * gives back untrusted input or an argument. Summaries also follow a parameter through a container's elements
 * (`items = [x]` … `return items[0]`). Look-alikes: a constant argument, a method that ignores or converts its
 * argument, a class imported from another module, a base class from elsewhere, an object reassigned. In the caller,
 * a loop or comprehension over a list holding untrusted input, an alias of it and an element read inside an
 * expression are followed; a list of constants, a constant element and a container's size are not.
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

const { shell, argumentInjection, pathTraversal, sql } = CODE_RULES;

/** A Flask file with `klass` (lines, at column 0) above one route whose body is `route` (lines, indented), or below it. */
const app = (klass: string[], route: string[], imports: string[] = [], klassLast = false) =>
  lines(
    "import os, sqlite3, subprocess",
    "from flask import Flask, request",
    ...imports,
    "app = Flask(__name__)",
    'BASE = "/srv/files"',
    ...(klassLast ? [] : klass),
    "@app.route('/r')",
    "def route():",
    ...route.map((l) => `    ${l}`),
    ...(klassLast ? klass : []),
  );

/** A class whose method opens a file under BASE by the name it is given (line 9 holds the open). */
const store = ["class Store:", "    def read(self, name):", "        with open(os.path.join(BASE, name)) as f:", "            return f.read()"];

describe("session 27: methods of the file's classes", () => {
  it("reports a sink inside a method called on an instance held in a name, and at the call", () => {
    const src = app(store, ["s = Store()", "return s.read(request.args.get('f', ''))"]);
    expect(found(src, pathTraversal.id)).toEqual([7]);
  });

  it("follows a method called on a new instance and an inherited method, not a base from another module first", () => {
    const runner = ["class Runner:", "    def run(self, command):", "        return subprocess.check_output(command, shell=True)"];
    const local = app([...runner, "class Job(Runner):", "    pass"], ["return Job().run(request.args.get('c', ''))"]);
    expect(found(local, shell.id)).toEqual([7, 12]);
    // Remote may define run itself: the call is not followed (the sink inside is still reported on its own).
    const remote = app([...runner, "class Job(Remote, Runner):", "    pass"], ["return Job().run(request.args.get('c', ''))"], ["from remote import Remote"]);
    expect(found(remote, shell.id)).toEqual([8]);
  });

  it("maps a static method's parameters from the first argument", () => {
    const klass = ["class Shell:", "    @staticmethod", "    def run(command):", "        return subprocess.check_output(command, shell=True)"];
    expect(found(app(klass, ["return Shell().run(request.args.get('c', ''))"]), shell.id)).toEqual([8, 11]);
  });

  it("keeps a method's sink quiet when the call gives it a constant", () => {
    const src = app(store, ["request.args.get('f', '')", "return Store().read('index.txt')"]);
    expect(found(src, pathTraversal.id)).toEqual([]);
  });

  it("takes a method's result as untrusted only when it gives back its argument", () => {
    const reports = (ret: string) => ["class Reports:", "    def file_for(self, user):", `        return ${ret}`];
    const route = ["name = Reports().file_for(request.args.get('u', ''))", "with open(os.path.join(BASE, name)) as f:", "    return f.read()"];
    expect(found(app(reports('"report.txt"'), route), pathTraversal.id)).toEqual([]);
    expect(found(app(reports('user + ".txt"'), route), pathTraversal.id)).toEqual([11]);
    // The same class imported from another module: its method is unknown, the argument's taint is kept.
    const imported = app(["class Other:", "    pass"], route, ["from reports import Reports"]);
    expect(found(imported, pathTraversal.id)).toEqual([11]);
  });

  it("takes a method's int() of its argument as a number, and its stripped text as text", () => {
    const jobs = (ret: string) => ["class Jobs:", "    def pid(self, value):", `        return ${ret}`];
    const route = ["j = Jobs()", "pid = j.pid(request.args.get('p', ''))", 'subprocess.call(["kill", "-9", str(pid)])'];
    expect(found(app(jobs("int(value)"), route), argumentInjection.id)).toEqual([]);
    expect(found(app(jobs("value.strip()"), route), argumentInjection.id)).toEqual([12]);
  });

  it("does not follow a name reassigned to something that is not the class", () => {
    const reports = ["class Reports:", "    def file_for(self, user):", '        return "report.txt"'];
    const route = ["r = Reports()", "r = make_reports()", "name = r.file_for(request.args.get('u', ''))", "with open(os.path.join(BASE, name)) as f:", "    return f.read()"];
    expect(found(app(reports, route), pathTraversal.id)).toEqual([13]);
  });

  it("follows a parameter through a container's elements in a summary, not through its size", () => {
    const helper = (...body: string[]) => ["def pick(request, param):", ...body.map((l) => `    ${l}`)];
    const route = ["bar = pick(request, request.args.get('b', ''))", 'cur = sqlite3.connect("db").cursor()', 'cur.execute(f"{{call {bar}}}")'];
    const listed = helper("values = ['safe', param, 'moresafe']", "values.pop(0)", "return values[0]");
    const mapped = helper("m = {'a': 'x', 'b': param}", "bar = m.get('b')", "return bar");
    const appended = helper("items = []", "items.append(param)", "more = []", "more.extend(items)", "return more[-1]");
    const filtered = helper("kept = [p for p in [param, 'x'] if 'prefix' in p]", "return kept[0]");
    // The helper below the route, as in a module read top to bottom: only its summary can tell what it returns.
    for (const body of [listed, mapped, appended, filtered]) expect(found(app(body, route, [], true), sql.id)).toEqual([9]);
    // A container's size, and a constant beside a container filled with the parameter: no text of it comes back.
    const counted = helper("items = [param]", "return len(items)");
    const unused = helper("items = [param]", "items.append('x')", "return 'proc_a'");
    for (const body of [counted, unused]) expect(found(app(body, route, [], true), sql.id)).toEqual([]);
  });

  it("stays linear in the number of classes, methods and calls", () => {
    const body = (n: number) => {
      const out = ["import subprocess", "from flask import request"];
      for (let i = 0; i < n; i++) out.push(`class C${i}(C${Math.max(i - 1, 0)}):`, `    def m${i}(self, x):`, `        items = [x]`, `        return items[0]`);
      out.push("def route():", "    v = request.args['v']");
      for (let i = 0; i < n; i++) out.push(`    o${i} = C${i}()`, `    v = o${i}.m${i}(v) if v else C${i}().m0(v)`);
      out.push("    subprocess.call(['ls', str(len(v))])");
      return lines(...out);
    };
    const large = body(400);
    expect(found(large, argumentInjection.id)).toEqual([]);
    expect(growthRatio((src: string) => analyzePython(parser, src), body(100), large)).toBeLessThan(9);
  });

  describe("loops and comprehensions over a list holding untrusted input", () => {
    /** A route reading `param` from the request, then `steps`, then opening `bar` under BASE (the open on the last line). */
    const opened = (...steps: string[]) => app([], ["param = request.args.get('f', '')", ...steps, "with open(os.path.join(BASE, bar)) as f:", "    return f.read()"]);
    const openLine = (src: string) => src.trimEnd().split("\n").length - 1;

    it("follows a loop and a filtering comprehension over the list, not over a list of constants", () => {
      for (const steps of [
        ["for bar in [param, 'a']:", "    pass"],
        ["items = ['a', param]", "for bar in items:", "    pass"],
        ["items = [param, 'a', 'b']", "kept = [x for x in items if 'prefix' in x]", "bar = kept[0]"],
        ["items = [param, 'a']", "other = items", "bar = other[0]"],
      ]) {
        const src = opened(...steps);
        expect(found(src, pathTraversal.id)).toEqual([openLine(src)]);
      }
      for (const steps of [
        ["for bar in ['a', 'b']:", "    pass"],
        ["items = ['a', 'b']", "kept = [x for x in items if 'prefix' in x]", "bar = kept[0]"],
        ["items = [param, 'a']", "other = items", "bar = other[1]"],
        ["items = [param, 'a']", "sizes = [len(x) for x in items]", "bar = str(sizes[0])"],
      ])
        expect(found(opened(...steps), pathTraversal.id)).toEqual([]);
    });

    it("maps an unfiltered comprehension element by element, unless its body reads input itself", () => {
      const mapped = (index: number) => opened("items = [param, 'a', 'b']", "named = ['u_' + x for x in items]", `bar = named[${index}]`);
      expect(found(mapped(0), pathTraversal.id)).toEqual([openLine(mapped(0))]);
      expect(found(mapped(1), pathTraversal.id)).toEqual([]);
      const reads = opened("keys = ['a', 'b']", "values = [request.args.get(k, '') for k in keys]", "bar = values[1]");
      expect(found(reads, pathTraversal.id)).toEqual([openLine(reads)]);
    });

    it("reads an element inside a larger expression as an assignment of it reads it", () => {
      const inline = (steps: string[], path: string) =>
        app([], ["param = request.args.get('f', '')", ...steps, `with open(os.path.join(BASE, ${path})) as f:`, "    return f.read()"]);
      const vulnerable = [inline(["items = [param, 'a']"], "items[0]"), inline(["names = {'a': param, 'b': 'x'}"], "names['a']")];
      for (const src of vulnerable) expect(found(src, pathTraversal.id)).toEqual([openLine(src)]);
      for (const src of [inline(["items = [param, 'a']"], "items[1]"), inline(["names = {'a': param, 'b': 'x'}"], "names['b']")]) expect(found(src, pathTraversal.id)).toEqual([]);
    });

    it("stays linear in the number of lists and comprehensions", () => {
      const body = (n: number) => {
        const out = ["import os", "from flask import request", "def route():", "    param = request.args['p']", "    items0 = ['a', param]"];
        for (let i = 1; i <= n; i++) out.push(`    items${i} = ['u' + x for x in items${i - 1}]`, `    other${i} = items${i}`, `    for v${i} in other${i}:`, `        pass`);
        // element 0 is still 'a' after every mapping: a chain that lost the positions would report the open
        out.push(`    bar = items${n}[0]`, "    return open(os.path.join('/srv', bar)).read()");
        return lines(...out);
      };
      const large = body(800);
      expect(found(large, pathTraversal.id)).toEqual([]);
      expect(growthRatio((src: string) => analyzePython(parser, src), body(200), large)).toBeLessThan(9);
    });
  });
});
