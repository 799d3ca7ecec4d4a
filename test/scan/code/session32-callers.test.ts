/**
 * Session 32, part 2: a module-level helper whose parameter is an injection sink's data is judged by the calls the
 * file makes to it. Not reported: every call (outside the `__main__` block) hands that parameter the program's own
 * data. Still reported: a call with input or an unknown value, a helper never called, called only from the
 * `__main__` block, passed as a value, called with `*args`, decorated, a method, one that rebinds the parameter, or
 * one whose module another file of the tree imports (the calls there are not all seen).
 */
import { describe, expect, it } from "vitest";
import { scanCode } from "../../../src/scan/code/index.js";
import { writeTree as tree } from "../../helpers/db.js";
import { lines, ruleLines } from "../../helpers/python.js";

const at = ruleLines();
const shell = (src: string) => at(src, "code.shell-injection");
const sink = ["import os", "def run(o):", "    os.system(o)"];

describe("a helper's sink judged by its callers (session 32, part 2)", () => {
  it("clears a helper every call hands a constant, keeps one a call hands a parameter or input", () => {
    expect(shell(lines(...sink, "def main(x):", "    run('ls')", "    run(o='df')"))).toEqual([]);
    expect(shell(lines(...sink, "def main(x):", "    run('ls')", "    run(x)"))).toEqual([3]);
    expect(shell(lines(...sink, "import sys", "def main():", "    run(sys.argv[1])"))).toContain(3);
  });

  it("clears a name bound to a constant above the call, keeps one the input may still hold", () => {
    expect(shell(lines(...sink, "def main(x):", "    c = x", "    c = 'ls'", "    run(c)"))).toEqual([]);
    expect(shell(lines(...sink, "def main(x):", "    c = 'ls'", "    if x: c = x", "    run(c)"))).toEqual([3]);
    // a swap, a container's item, an object's field: another name may have changed them
    expect(shell(lines(...sink, "def main(x):", "    a, b = x, 'ls'", "    a, b = b, a", "    run(b)"))).toEqual([3]);
    expect(shell(lines(...sink, "def main(x):", "    d = {'k': 'ls'}", "    e = d", "    e['k'] = x", "    run(d['k'])"))).toEqual([3]);
  });

  it("follows a chain of helpers fed constants, keeps the chain fed a parameter", () => {
    expect(shell(lines(...sink, "def mid(y):", "    run(y)", "def main():", "    mid('ls')"))).toEqual([]);
    expect(shell(lines(...sink, "def mid(y):", "    run(y)", "def main(x):", "    mid(x)"))).toEqual([3]);
  });

  it("keeps a helper called nowhere, only from the __main__ block, or recursively", () => {
    expect(shell(lines(...sink))).toEqual([3]);
    expect(shell(lines(...sink, "if __name__ == '__main__':", "    run('ls')"))).toEqual([3]);
    expect(shell(lines(...sink, "def main():", "    run('ls')", "if __name__ == '__main__':", "    main()"))).toEqual([]);
    expect(shell(lines("import os", "def run(o, n):", "    os.system(o)", "    if n: run(o, n - 1)", "run('ls', 2)"))).toEqual([3]);
  });

  it("keeps a helper passed as a value, aliased, called with *args, decorated, a method or rebinding its parameter", () => {
    expect(shell(lines(...sink, "run('ls')", "import threading", "threading.Thread(target=run, args=(x,))"))).toEqual([3]);
    expect(shell(lines(...sink, "run('ls')", "go = run", "go(x)"))).toEqual([3]);
    expect(shell(lines(...sink, "run('ls')", "run(*sys.argv[1:])"))).toEqual([3]);
    expect(shell(lines("import os", "@app.route('/r')", "def run(o):", "    os.system(o)", "run('ls')"))).toEqual([4]);
    expect(shell(lines("import os", "class C:", "    def run(self, o):", "        os.system(o)", "    def go(self):", "        self.run('ls')"))).toEqual([4]);
    expect(shell(lines("import os", "def run(o):", "    o = o + input()", "    os.system(o)", "run('ls')"))).toEqual([4]);
  });

  it("judges the eval/exec sink the same way", () => {
    const ev = ["def calc(e):", "    return eval(e)"];
    expect(at(lines(...ev, "calc('1+1')"), "code.eval-exec")).toEqual([]);
    expect(at(lines(...ev, "calc(input())"), "code.eval-exec")).toEqual([2, 3]);
  });

  it("reports a helper another file of the tree calls with input at that call", async () => {
    const dir = tree({
      "util.py": lines(...sink, "def fixed():", "    run('ls')"),
      "view.py": lines("from flask import request", "from util import run", "def v():", "    run(request.args['c'])"),
    });
    const found = (await scanCode(dir, { workers: 1 })).findings.filter((f) => f.ruleId === "code.shell-injection").map((f) => `${f.location?.file}:${f.location?.line}`);
    expect(found).toContain("view.py:4");
    // another file imports the module: its calls are not all seen here, so the helper's sink is reported after all
    const unknown = tree({ "util.py": lines(...sink, "def fixed():", "    run('ls')"), "lib.py": lines("import util", "def go(x):", "    util.run(x)") });
    expect((await scanCode(unknown, { workers: 1 })).findings.filter((f) => f.ruleId === "code.shell-injection").map((f) => `${f.location?.file}:${f.location?.line}`)).toEqual([
      "util.py:3",
    ]);
    const alone = tree({ "util.py": lines(...sink, "def fixed():", "    run('ls')"), "view.py": lines("print('no import')") });
    expect((await scanCode(alone, { workers: 1 })).findings.filter((f) => f.ruleId === "code.shell-injection")).toEqual([]);
  });
});
