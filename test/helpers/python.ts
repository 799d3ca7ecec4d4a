/** What the Python rule tests share: source from lines, and the lines a rule reports. */
import { beforeAll } from "vitest";
import { analyzePython, pythonParser } from "../../src/scan/code/index.js";

/** Python source from its lines (with the final newline). */
export const lines = (...l: string[]): string => `${l.join("\n")}\n`;

type Parser = Awaited<ReturnType<typeof pythonParser>>;

/** A function giving the lines where a rule reports in some source; the parser is made before the file's tests. */
export function ruleLines(): (src: string, rule: string) => number[] {
  let parser: Parser;
  beforeAll(async () => {
    parser = await pythonParser();
  });
  return (src, rule) =>
    analyzePython(parser, src)
      .hits.filter((h) => h.rule.id === rule)
      .map((h) => h.line);
}
