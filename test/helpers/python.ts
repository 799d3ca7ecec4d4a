/** What the Python rule tests share: source from lines, and the lines a rule reports. */
import { beforeAll } from "vitest";
import { analyzePython, type CodeHit, pythonParser } from "../../src/scan/code/index.js";

/** Python source from its lines (with the final newline). */
export const lines = (...l: string[]): string => `${l.join("\n")}\n`;

type Parser = Awaited<ReturnType<typeof pythonParser>>;

/** A function giving every finding in some source; the parser is made before the file's tests. */
function allHits(): (src: string) => CodeHit[] {
  let parser: Parser;
  beforeAll(async () => {
    parser = await pythonParser();
  });
  return (src) => analyzePython(parser, src).hits;
}

/** A function giving a rule's findings in some source. */
function ruleHits(): (src: string, rule: string) => CodeHit[] {
  const hits = allHits();
  return (src, rule) => hits(src).filter((h) => h.rule.id === rule);
}

/** A function giving `"rule:line"` of every finding in some source, in order: `"code.sql-injection:12"`. */
export function findingLines(): (src: string) => string[] {
  const hits = allHits();
  return (src) => hits(src).map((h) => `${h.rule.id}:${h.line}`);
}

/** A function giving the lines where a rule reports in some source. */
export function ruleLines(): (src: string, rule: string) => number[] {
  const hits = ruleHits();
  return (src, rule) => hits(src, rule).map((h) => h.line);
}

/** Like ruleLines, with each finding's severity: `"12:high"`. */
export function ruleSeverities(): (src: string, rule: string) => string[] {
  const hits = ruleHits();
  return (src, rule) => hits(src, rule).map((h) => `${h.line}:${h.severity}`);
}
