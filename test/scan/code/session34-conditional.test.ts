/**
 * Session 34: a conditional expression whose condition is input but whose two sides are written-out values of one
 * kind is a constant, as the same choice written as an `if` statement already was. A side that is input keeps the
 * report.
 */
import { describe, expect, it } from "vitest";
import { lines, ruleLines } from "../../helpers/python.js";

const at = ruleLines();
const shell = (src: string) => at(src, "code.shell-injection");

describe("a conditional expression that picks one of two constants (session 34)", () => {
  it("is a constant as the same choice written as an if statement is; a side that is input is not", () => {
    const src = (expr: string) => lines("import os", "def main():", "    x = input()", `    bar = ${expr}`, "    os.popen('ls ' + bar)");
    expect(shell(src("'-l' if x.startswith('z') else '-a'"))).toEqual([]);
    expect(shell(src("'-l' if x else '-a'"))).toEqual([]);
    expect(shell(src("x if len(x) > 3 else '-a'"))).toContain(5);
    expect(shell(src("'-l' if len(x) > 3 else x"))).toContain(5);
  });
});
