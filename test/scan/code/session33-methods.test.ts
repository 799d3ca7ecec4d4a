/**
 * Session 33, part 2: a helper whose callers hand it what a method of the file gives back — `C.m("_")` for a
 * `@staticmethod`/`@classmethod`, `o.m(…)` on an instance `o = C(…)` — is judged like one handed a function's result
 * (clearByCallers): cleared when every return of the method is a written-out value, a parameter handed one, or a
 * field of self that the file only ever sets to string literals. Each safe form has a look-alike that stays reported.
 */
import { describe, expect, it } from "vitest";
import { lines, ruleLines } from "../../helpers/python.js";

const at = ruleLines();
const shell = (src: string) => at(src, "code.shell-injection");
const sink = ["import os", "def run(o):", "    os.system(o)"];

describe("what a method of the file gives back (session 33, part 2)", () => {
  it("clears a static or class method called by its class name that returns a constant or a parameter handed one", () => {
    const cls = ["class P:", "    @staticmethod", "    def same(d):", "        return d", "    @classmethod", "    def fixed(cls, d):", "        return 'ls'"];
    expect(shell(lines(...sink, ...cls, "def main(x):", "    r = P.same('ls')", "    run(r)"))).toEqual([]);
    expect(shell(lines(...sink, ...cls, "def main(x):", "    run(P.fixed(x))"))).toEqual([]);
    expect(shell(lines(...sink, ...cls, "def main(x):", "    r = P.same(x)", "    run(r)"))).toContain(3);
    // a class method that gives back its data parameter: cls is not an argument of the call
    const echo = ["class Q:", "    @classmethod", "    def echo(cls, d):", "        return d"];
    expect(shell(lines(...sink, ...echo, "def main(x):", "    run(Q.echo('ls'))"))).toEqual([]);
    expect(shell(lines(...sink, ...echo, "def main(x):", "    run(Q.echo(x))"))).toContain(3);
  });

  it("clears an instance method, own or inherited, giving back a parameter or a field only ever set to literals", () => {
    const classes = [
      "class B:",
      "    def __init__(self, d):",
      "        self.data = '_'",
      "    def get(self):",
      "        return self.data",
      "class C(B):",
      "    def echo(self, d):",
      "        return d",
    ];
    expect(shell(lines(...sink, ...classes, "def main(x):", "    o = C(x)", "    run(o.get())", "    run(o.echo('ls'))"))).toEqual([]);
    expect(shell(lines(...sink, ...classes, "def main(x):", "    o = C(x)", "    run(o.echo(x))"))).toContain(3);
    // the field is set to the input somewhere in the file: no longer known constant
    const tainted = classes.map((l) => (l === "        self.data = '_'" ? "        self.data = d" : l));
    expect(shell(lines(...sink, ...tainted, "def main(x):", "    o = C(x)", "    run(o.get())"))).toContain(3);
    // a class attribute of the same name that the input fills: read when the instance's own is not set yet
    const classAttr = ["class K:", "    data = input()", "    def get(self):", "        return self.data", "class L:", "    def __init__(self):", "        self.data = '_'"];
    expect(shell(lines(...sink, ...classAttr, "def main(x):", "    o = K()", "    run(o.get())"))).toContain(3);
  });

  it("keeps the report when the method may be another: replaced on the class, the object rebound or handed on, a decorator, self", () => {
    const cls = ["class P:", "    def echo(self, d):", "        return d"];
    expect(shell(lines(...sink, ...cls, "def main(x):", "    o = P()", "    run(o.echo('ls'))"))).toEqual([]);
    const same = ["class S:", "    @staticmethod", "    def same(d):", "        return d"];
    expect(shell(lines(...sink, ...same, "def main(x):", "    run(S.same('ls'))"))).toEqual([]);
    expect(shell(lines(...sink, ...same, "S.same = lambda d: input()", "def main(x):", "    run(S.same('ls'))"))).toContain(3);
    expect(shell(lines(...sink, ...cls, "def main(x):", "    o = P()", "    o = x", "    run(o.echo('ls'))"))).toContain(3);
    expect(shell(lines(...sink, ...cls, "def main(x):", "    o = P()", "    patch(o)", "    run(o.echo('ls'))"))).toContain(3);
    const wrapped = ["class P:", "    @wrap", "    def echo(self, d):", "        return d"];
    expect(shell(lines(...sink, ...wrapped, "def main(x):", "    o = P()", "    run(o.echo('ls'))"))).toContain(3);
    // the class's name rebound: a parameter, or another value at module level
    expect(shell(lines(...sink, ...same, "def main(S, x):", "    run(S.same('ls'))"))).toContain(3);
    expect(shell(lines(...sink, ...same, "S = load()", "def main(x):", "    run(S.same('ls'))"))).toContain(3);
    // inside a method, self may be a subclass's instance that overrides echo
    expect(shell(lines(...sink, ...cls, "    def go(self):", "        run(self.echo('ls'))", "class D(P):", "    def echo(self, d):", "        return input()"))).toContain(3);
    // a base from another module may define __getattr__ or the method itself
    expect(
      shell(lines(...sink, "from lib import Base", "class P(Base):", "    def other(self):", "        return 'ls'", "def main(x):", "    o = P()", "    run(o.echo('ls'))")),
    ).toContain(3);
  });
});
