/**
 * Session 34: a helper's callers hand it an item of (or the whole of) a local container whose every value is written
 * out in the text (clearByCallers through writtenOutContainer).
 * Each safe form has a look-alike that still carries the input, or a value the analyser cannot follow,
 * and stays reported.
 */
import { describe, expect, it } from "vitest";
import { lines, ruleLines } from "../../helpers/python.js";

const at = ruleLines();
const shell = (src: string) => at(src, "code.shell-injection");
const strSink = ["import os", "import array", "def run(o):", "    os.system(str(o))", "def main(x):"];
/** The helper's sink (line 4) is reported for these lines of `main(x)`. */
const reported = (...body: string[]) => expect(shell(lines(...strSink, ...body.map((b) => `    ${b}`)))).toContain(4);
const cleared = (...body: string[]) => expect(shell(lines(...strSink, ...body.map((b) => `    ${b}`)))).toEqual([]);

describe("containers filled only with written-out values (session 34)", () => {
  it("clears an item read at any key, values() and get() when every value written is a constant", () => {
    cleared("m = {}", "m[x] = 'v1'", "m['k'] = 'v2'", "run(m.get(x))");
    cleared("m = {}", "m[x] = 'v1'", "run(list(m.values()))");
    cleared("m = {'a': 'b'}", "run(m[x])");
    cleared("m = {}", "run(m.get('k', 'fallback'))");
    // the input as a value, as get's default, or under the key the caller reads
    reported("m = {}", "m['k'] = x", "run(m.get('j'))");
    reported("m = {}", "run(m.get('k', x))");
    reported("m = {'a': x}", "run(m[x])");
    reported("m = {}", "m[x] = 'v'", "run(list(m.keys()))");
  });

  it("clears the whole container built by append, add, dict() and array.array of constants", () => {
    cleared("s = []", "s.append('a')", "run(s)");
    cleared("s = set()", "s.add('_')", "run(s)");
    cleared("m = dict()", "m['k'] = 'v'", "run(m)");
    cleared("a = array.array('u', 'b')", "a.append('a')", "run(a)");
    cleared("b = bytearray('aaa', 'utf-8')", "run(b)");
    // input appended, a key that is input, input in the constructor
    reported("s = []", "s.append(x)", "run(s)");
    reported("m = {}", "m[x] = 'v'", "run(m)");
    reported("a = array.array('u', x)", "run(a)");
    reported("s = [x, 'b']", "s[1] = '_'", "run(s)");
  });

  it("keeps the report when the container is aliased, handed on, rebound or changed otherwise", () => {
    reported("s = ['a']", "t = s", "t.append(x)", "run(s[0])");
    reported("s = ['a']", "s.extend(x)", "run(s[0])");
    reported("s = ['a']", "fill(s, x)", "run(s[0])");
    reported("s = ['a']", "s += [x]", "run(s[0])");
    reported("s = ['a']", "s = [x]", "run(s[0])");
    reported("m = {}", "m.update(x)", "run(m.get('k'))");
    // an item that is itself a container, filled through the read; an item bound by a loop over the input
    reported("m = [[]]", "m[0].append(x)", "run(m[0])");
    reported("m = {}", "m.setdefault('k', []).append(x)", "run(m['k'])");
    reported("s = ['a']", "for s[0] in x:", "    pass", "run(s[0])");
    // a shadowed builtin is not the container constructor
    expect(shell(lines("import os", "def list(*a):", "    return [input()]", "def run(o):", "    os.system(str(o))", "def main(x):", "    s = list()", "    run(s)"))).toContain(5);
  });
});
