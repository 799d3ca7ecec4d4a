/**
 * Session 31: a function or method of this file whose every return gives the same constant (as the walk of its own
 * body knows it: constant branches, switches on a written-out string, containers read at constant keys) gives that
 * constant to its callers, whatever they hand it. Look-alikes: a return that gives the parameter back on the path
 * the constants pick, two different returns, a return of the parameter, a generator, a function defined twice, a
 * method of an object the file does not build.
 */
import { describe, expect, it } from "vitest";
import { findingLines, lines } from "../../helpers/python.js";

const found = findingLines();

/** A view handing request text to `call`, the result going into a SQL query; `helper` lines follow the view. */
const route = (call: string, ...helper: string[]) =>
  lines(
    "from flask import request",
    "def view(db):",
    '    param = request.args.get("p", "")',
    `    bar = ${call}`,
    "    db.execute(\"SELECT * FROM T WHERE U='%s'\" % bar)",
    ...helper,
  );

/** A local class whose `do_something` switches on a written-out string, as the OWASP tests do. */
const switchClass = (index: number) => [
  "class Test:",
  "    def do_something(self, request, param):",
  '        guess = "ABC"',
  `        switch_target = guess[${index}]`,
  "        if switch_target == 'A':",
  "            bar = param",
  "        elif switch_target == 'B':",
  '            bar = "bobs_your_uncle"',
  "        else:",
  '            bar = "bobs_your_uncle"',
  "        return bar",
];

describe("a local function or method that gives back one constant (session 31)", () => {
  it("gives callers that constant, whatever they hand it", () => {
    expect(found(route("helper(param)", "def helper(p):", '    x = "safe"', "    return x"))).toEqual([]);
    expect(found(route("Test().do_something(request, param)", ...switchClass(1)))).toEqual([]);
    expect(found(route("Test().do_something(request, param)", ...switchClass(2)))).toEqual([]);
    // a constant condition picks the constant side of a conditional expression
    expect(
      found(route("Test().do_something(param)", "class Test:", "    def do_something(self, param):", "        num = 106", '        return "x" if (7 * 18) + num > 200 else param')),
    ).toEqual([]);
    // an instance held in a name, and a defined-above helper, alike
    expect(
      found(route("t.run(param)", "class T:", "    def run(self, p):", '        return "fixed"').replace("    bar = t.run(param)", "    t = T()\n    bar = t.run(param)")),
    ).toEqual([]);
  });

  it("keeps the data when a return can give the parameter back", () => {
    expect(found(route("Test().do_something(request, param)", ...switchClass(0)))).toEqual(["code.sql-injection:5"]);
    expect(found(route("helper(param)", "def helper(p):", "    if p:", "        return p", '    return "safe"'))).toEqual(["code.sql-injection:5"]);
    expect(found(route("helper(param)", "def helper(p):", "    x = p", "    return x"))).toEqual(["code.sql-injection:5"]);
    expect(
      found(route("Test().do_something(param)", "class Test:", "    def do_something(self, param):", "        num = 106", '        return "x" if (7 * 42) - num > 200 else param')),
    ).toEqual(["code.sql-injection:5"]);
  });

  it("is not taken for two different constants, a generator, a name defined twice or an object of another class", () => {
    // two constants: the query is built from either, not one written-out text (reported as before)
    expect(found(route("helper(param)", "def helper(p):", "    if p:", '        return "a"', '    return "b"'))).toEqual(["code.sql-injection:5"]);
    expect(found(route("next(helper(param))", "def helper(p):", '    yield "a"', "    return"))).toEqual(["code.sql-injection:5"]);
    expect(found(route("helper(param)", "def helper(p):", '    return "a"', "def helper(p):", "    return p"))).toEqual(["code.sql-injection:5"]);
    expect(found(route("other.run(param)", "class T:", "    def run(self, p):", '        return "fixed"'))).toEqual(["code.sql-injection:5"]);
  });
});

/** A view whose request text reaches `os.system` through `body` lines (indented for the function). */
const view = (...body: string[]) => lines("import os", "from flask import request", "def view():", '    cmd = request.args.get("c", "")', ...body);

describe("code that never runs (session 31)", () => {
  it("skips a loop body that never runs and the statements after a return, raise, break or continue", () => {
    expect(found(view("    while False:", "        os.system(cmd)"))).toEqual([]);
    expect(found(view("    for i in []:", "        os.system(cmd)"))).toEqual([]);
    expect(found(view('    for ch in "":', "        os.system(cmd)"))).toEqual([]);
    expect(found(view("    n = 0", "    while n > 1:", "        os.system(cmd)"))).toEqual([]);
    expect(found(view("    return 1", "    os.system(cmd)"))).toEqual([]);
    expect(found(view("    for x in range(3):", "        continue", "        os.system(cmd)"))).toEqual([]);
    // raised before the input is read: the handler sees the constant
    expect(
      found(
        lines(
          "import os",
          "from flask import request",
          "def view():",
          '    cmd = ""',
          "    try:",
          "        raise RuntimeError()",
          '        cmd = request.args["c"]',
          "    except RuntimeError:",
          "        os.system(cmd)",
        ),
      ),
    ).toEqual([]);
  });

  it("keeps loops that may run, a loop's else, and code after a return in another block", () => {
    expect(found(view("    while True:", "        os.system(cmd)", "        break"))).toEqual(["code.shell-injection:6"]);
    expect(found(view("    for part in [cmd]:", "        os.system(part)"))).toEqual(["code.shell-injection:6"]);
    expect(found(view("    n = 3", "    while n > 1:", "        os.system(cmd)", "        n -= 1"))).toEqual(["code.shell-injection:7"]);
    expect(found(view("    for i in []:", "        pass", "    else:", "        os.system(cmd)"))).toEqual(["code.shell-injection:8"]);
    expect(found(view("    if not cmd:", "        return 1", "    os.system(cmd)"))).toEqual(["code.shell-injection:7"]);
    expect(found(view("    try:", "        raise RuntimeError()", "    except RuntimeError:", "        os.system(cmd)"))).toEqual(["code.shell-injection:8"]);
  });
});
