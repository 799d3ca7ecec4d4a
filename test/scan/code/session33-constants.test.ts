/**
 * Session 33: more values a helper's callers hand it are shown to be the program's own (clearByCallers), and a
 * helper that converts its parameter (`os.system(str(o))`) is judged by its callers too. Each safe form has a
 * look-alike that still carries the input, or a value the analyser cannot follow, and stays reported.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { analyzePython, pythonParser, scanCode } from "../../../src/scan/code/index.js";
import { growthRatio } from "../../helpers/cpu.js";
import { writeTree as tree } from "../../helpers/db.js";
import { lines, ruleLines } from "../../helpers/python.js";

const at = ruleLines();
const shell = (src: string) => at(src, "code.shell-injection");
const sink = ["import os", "def run(o):", "    os.system(o)"];
const strSink = ["import os", "def run(o):", "    os.system(str(o))"];

/** The shell findings of a scanned tree of files, as `file:line`. */
const shellIn = async (files: Record<string, string>) =>
  (await scanCode(tree(files), { workers: 1 })).findings.filter((f) => f.ruleId === "code.shell-injection").map((f) => `${f.location?.file}:${f.location?.line}`);

/**
 * `view.py` imports util's `same` with the import line given and hands it a value: cleared when `same` gives back its
 * argument and is handed a constant; reported when it is handed the input or builds on its argument. Gives `view`.
 */
async function identityAcross(importLine: string): Promise<(arg: string) => string> {
  const view = (arg: string) => lines("import os", importLine, "def run(o):", "    os.system(o)", "def main(x):", `    r = same(${arg})`, "    run(r)");
  expect(await shellIn({ "util.py": lines("def same(a):", "    return a"), "view.py": view("'ls'") })).toEqual([]);
  expect(await shellIn({ "util.py": lines("def same(a):", "    return a"), "view.py": view("x") })).toContain("view.py:4");
  expect(await shellIn({ "util.py": lines("def same(a):", "    return a + input()"), "view.py": view("'ls'") })).toContain("view.py:4");
  return view;
}

describe("values folded from the text (session 33)", () => {
  it("clears numbers, folded operators, f-strings, format and join of constants; keeps any part that is input", () => {
    expect(shell(lines(...strSink, "def main(x):", "    run(1)", "    run(9 // 2)", "    run(-3)"))).toEqual([]);
    expect(shell(lines(...sink, "def main(x):", "    run('a' + '_')", "    run(f\"{'ls'} -l\")", "    run('%s -l' % 'ls')"))).toEqual([]);
    expect(shell(lines(...sink, "def main(x):", "    run('{} -l'.format('ls'))", "    run(' '.join(['ls', '-l']))"))).toEqual([]);
    expect(shell(lines(...sink, "def main(x):", "    run('a' + x)"))).toContain(3);
    expect(shell(lines(...sink, "def main(x):", "    run(f'{x} -l')"))).toContain(3);
    expect(shell(lines(...sink, "def main(x):", "    run('{} -l'.format(x))"))).toContain(3);
    expect(shell(lines(...sink, "def main(x):", "    run(' '.join(['ls', x]))"))).toContain(3);
    expect(shell(lines(...strSink, "def main(x):", "    run(x + 1)"))).toContain(3);
  });

  it("takes `a and CONST` (a falsy a has nothing to inject) but not `a or CONST` nor a comparison of the input", () => {
    expect(shell(lines(...sink, "def main(x):", "    r = x and 'ls'", "    run(r)"))).toEqual([]);
    expect(shell(lines(...sink, "def main(x):", "    r = x or 'ls'", "    run(r)"))).toContain(3);
    expect(shell(lines(...strSink, "def main(x):", "    r = x in ['a', 'b']", "    run(r)"))).toContain(3);
    expect(shell(lines(...strSink, "def main(x):", "    r = 'a' in ['a', 'b']", "    run(r)"))).toEqual([]);
  });

  it("judges a converting helper (`str(o)`, `''.join(o)`, `o.strip()`) by its callers, not one that adds to it", () => {
    expect(shell(lines(...strSink, "def main(x):", "    run(456)"))).toEqual([]);
    expect(shell(lines(...strSink, "def main(x):", "    run(x)"))).toContain(3);
    expect(shell(lines("import os", "def run(o):", "    os.system(o.strip())", "def main(x):", "    run(' ls ')"))).toEqual([]);
    expect(shell(lines("import os", "def run(o):", "    os.system(''.join(o))", "def main(x):", "    run(['l', 's'])"))).toEqual([]);
    expect(shell(lines("import os", "def run(o):", "    os.system(''.join(o))", "def main(x):", "    run(['l', x])"))).toContain(3);
    expect(shell(lines("import os", "def run(o):", "    os.system('ls ' + o)", "def main(x):", "    run('-l')"))).toContain(3);
  });

  it("forgets a number an augmented assignment changed with the input", () => {
    expect(shell(lines(...strSink, "def main(x):", "    n = 9", "    n &= x", "    run(n)"))).toContain(3);
    expect(shell(lines(...strSink, "def main(x):", "    n = 9", "    n += 1", "    run(n)"))).toEqual([]);
  });
});

describe("defaults, nested helpers and calls that cannot run (session 33)", () => {
  it("clears a nested helper whose every call leaves the parameter at its constant default", () => {
    const nested = ["def main(x):", "    def go(arg='ls'):", "        run(arg)"];
    expect(shell(lines(...sink, ...nested, "    go()"))).toEqual([]);
    expect(shell(lines(...sink, ...nested, "    go()", "    go(x)"))).toContain(3);
    expect(shell(lines(...sink, "def main(x):", "    def go(arg=x):", "        run(arg)", "    go()"))).toContain(3);
    // a nested helper handed on as a value is not judged by its calls
    expect(shell(lines(...sink, ...nested, "    go()", "    return go"))).toContain(3);
  });

  it("does not count a call in a branch that cannot run", () => {
    expect(shell(lines(...sink, "def main(x):", "    if False:", "        run(x)", "    else:", "        run('ls')"))).toEqual([]);
    expect(shell(lines(...sink, "def main(x, c):", "    if c:", "        run(x)", "    else:", "        run('ls')"))).toContain(3);
  });
});

describe("containers, helpers' results and fields (session 33)", () => {
  it("clears a written-out item of a literal container bound once and only read; keeps the input's item or a changed container", () => {
    expect(shell(lines(...sink, "def main(x):", "    s = [x, 'ls', 'df']", "    run(s[1])", "    run(s[0 + 2])"))).toEqual([]);
    expect(shell(lines(...sink, "def main(x):", "    d = {'a': x, 'b': {'c': 'ls'}}", "    run(d['b']['c'])"))).toEqual([]);
    expect(shell(lines(...sink, "def main(x):", "    s = [x, 'ls']", "    run(s[0])"))).toContain(3);
    expect(shell(lines(...sink, "def main(x):", "    s = [x, 'ls']", "    s[1] = x", "    run(s[1])"))).toContain(3);
    expect(shell(lines(...sink, "def main(x):", "    s = [x, 'ls']", "    t = s", "    t[1] = x", "    run(s[1])"))).toContain(3);
    expect(shell(lines(...sink, "def main(x):", "    s = [x, 'ls']", "    s.reverse()", "    run(s[1])"))).toContain(3);
  });

  it("clears a literal container filled with constants and handed whole, keeps one the input went into", () => {
    expect(shell(lines(...strSink, "def main(x):", "    m = {}", "    m['k'] = '_'", "    run(m)"))).toEqual([]);
    expect(shell(lines(...strSink, "def main(x):", "    m = {}", "    m['k'] = x", "    run(m)"))).toContain(3);
    expect(shell(lines(...strSink, "def main(x):", "    m = ['a']", "    m.append(x)", "    run(m)"))).toContain(3);
  });

  it("clears the result of a helper that gives back its parameter when handed a constant, not the input", () => {
    const ident = ["def main(x):", "    def same(a):", "        return a"];
    expect(shell(lines(...sink, ...ident, "    b = same('ls')", "    run(b)"))).toEqual([]);
    expect(shell(lines(...sink, ...ident, "    b = same(x)", "    run(b)"))).toContain(3);
    expect(shell(lines(...sink, "def main(x):", "    def same(a):", "        a = x", "        return a", "    b = same('ls')", "    run(b)"))).toContain(3);
  });

  it("clears a field every write of which, in __init__, is a constant or a constructor argument given a constant", () => {
    const cls = ["class A:", "    def __init__(self, d):", "        self.data = d", "        self.safe = '_'"];
    expect(shell(lines(...sink, ...cls, "def main(x):", "    o = A(x)", "    run(o.safe)"))).toEqual([]);
    expect(shell(lines(...sink, ...cls, "def main(x):", "    o = A('ls')", "    run(o.data)"))).toEqual([]);
    expect(shell(lines(...sink, ...cls, "def main(x):", "    o = A(x)", "    run(o.data)"))).toContain(3);
    // written elsewhere, the object handed on, a subclass or setattr: the field may hold anything
    expect(shell(lines(...sink, ...cls, "def main(x):", "    o = A(x)", "    o.safe = x", "    run(o.safe)"))).toContain(3);
    expect(shell(lines(...sink, ...cls, "def fill(p, x):", "    p.safe = x", "def main(x):", "    o = A(x)", "    fill(o, x)", "    run(o.safe)"))).toContain(3);
    expect(shell(lines(...sink, "class B:", "    pass", ...cls.map((l, i) => (i === 0 ? "class A(B):" : l)), "def main(x):", "    o = A(x)", "    run(o.safe)"))).toContain(3);
    expect(shell(lines(...sink, ...cls, "def main(x):", "    o = A(x)", "    setattr(o, 'safe', x)", "    run(o.safe)"))).toContain(3);
  });

  it("clears the result of another file's function that gives back its argument, handed a constant", async () => {
    const view = await identityAcross("from util import same");
    // rebinds its parameter first: not the argument itself
    expect(await shellIn({ "util.py": lines("import sys", "def same(a):", "    a = sys.argv[1]", "    return a"), "view.py": view("'ls'") })).toContain("view.py:4");
  });

  it("reads `from m import *` as importing m: its summaries are used, and a helper it holds is not judged by its own file's calls alone", async () => {
    await identityAcross("from util import *");
    // util's helper is cleared by util's own constant call, until another file star-imports util and may call it with anything
    const sink = lines("import os", "def run(o):", "    os.system(o)", "def fixed():", "    run('ls')");
    expect(await shellIn({ "util.py": sink, "view.py": lines("print('no import')") })).toEqual([]);
    expect(await shellIn({ "util.py": sink, "lib.py": lines("from util import *", "def go(x):", "    run(x)") })).toContain("util.py:3");
  });
});

describe("cost (session 33)", () => {
  let parser: Awaited<ReturnType<typeof pythonParser>>;
  beforeAll(async () => {
    parser = await pythonParser();
  });

  it("thousands of helper calls with folded values, container items, fields, identity results and defaults stay linear (4× the lines cost well under 16×)", () => {
    const body = (n: number) => {
      const out = [
        "import os",
        "def run(o):",
        "    os.system(str(o))",
        "class A:",
        "    def __init__(self, d):",
        "        self.d = d",
        "def same(a):",
        "    return a",
        "def main(x):",
      ];
      out.push("    def go(arg='ls'):", "        run(arg)");
      for (let i = 0; i < n; i++)
        out.push(
          `    run(${i} + 1)`,
          `    s${i} = [x, 'v${i}']`,
          `    run(s${i}[1])`,
          `    o${i} = A('c${i}')`,
          `    run(o${i}.d)`,
          `    r${i} = same('k${i}')`,
          `    run(r${i})`,
          "    go()",
          `    run(f"{'a'} {${i}}")`,
        );
      return lines(...out);
    };
    const large = body(800);
    expect(shell(large)).toEqual([]);
    expect(growthRatio((src: string) => analyzePython(parser, src), body(200), large)).toBeLessThan(9);
  }, 120_000);
});
