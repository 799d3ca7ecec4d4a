/**
 * Session 23 changes, each with vulnerable cases and safe look-alikes:
 * - an anchored regex guard whose classes or wildcards admit quotes or shell/YAML metacharacters (`^.+$`,
 *   `^[\w!/]+$`, `^[^;]+$`, `\S`) is no check, also as a compiled pattern's `fullmatch`;
 */
import { beforeAll, describe, expect, it } from "vitest";
import { analyzePython, CODE_RULES, pythonParser } from "../../../src/scan/code/index.js";
import { guardAdmitsInjection } from "../../../src/scan/code/regex-guard.js";

type Parser = Awaited<ReturnType<typeof pythonParser>>;
let parser: Parser;
beforeAll(async () => {
  parser = await pythonParser();
});

const lines = (...l: string[]) => `${l.join("\n")}\n`;
const found = (src: string, rule: string) =>
  analyzePython(parser, src)
    .hits.filter((h) => h.rule.id === rule)
    .map((h) => h.line);

describe("a regex guard that admits injection characters", () => {
  it("classes and wildcards: which patterns restrict", () => {
    for (const p of ["^.+$", "^[\\w!/]+$", "^[^;]+$", "^\\S+$", "^[!-~]+$", "^[\\w;]+$", "^[a-z'\"]+$", "^[\\w$(){}]+$"]) expect(guardAdmitsInjection(p), p).toBe(true);
    for (const p of ["^[a-z0-9_]+$", "^[0-9]+$", "^[\\w.-]+$", "^[a-zA-Z0-9 _-]{1,32}$", "^\\d+\\.\\d+$", "^(?:ls|df)$", "^[A-Z]{2}\\-\\d{4}$"])
      expect(guardAdmitsInjection(p), p).toBe(false);
  });

  it("is no check: the guarded value still reaches the sink", () => {
    const src = lines(
      "import re, subprocess, yaml",
      "from flask import request",
      "SAFE = re.compile(r'^[\\w!/ ]+$')",
      "def a():",
      "    v = request.args.get('doc', '')",
      "    if not re.fullmatch(r'[\\w!/ :]+', v):",
      "        return 'no'",
      "    return yaml.load(v, Loader=yaml.UnsafeLoader)",
      "def b():",
      "    v = request.args.get('host', '')",
      "    if not re.match(r'^.+$', v):",
      "        return 'no'",
      "    subprocess.run('ping -c 1 ' + v, shell=True)",
      "def c():",
      "    v = request.args.get('doc', '')",
      "    if not SAFE.fullmatch(v):",
      "        return 'no'",
      "    return yaml.load(v, Loader=yaml.UnsafeLoader)",
    );
    expect(found(src, "code.yaml-unsafe-load")).toEqual([8, 18]);
    expect(found(src, CODE_RULES.shell.id)).toEqual([13]);
  });

  it("look-alikes: guards whose classes admit only word characters still check", () => {
    const src = lines(
      "import re, subprocess, yaml",
      "from flask import request",
      "SAFE = re.compile(r'^[\\w-]+$')",
      "def a():",
      "    v = request.args.get('doc', '')",
      "    if not re.fullmatch(r'[a-z0-9_]+', v):",
      "        return 'no'",
      "    return yaml.load(v, Loader=yaml.UnsafeLoader)",
      "def b():",
      "    v = request.args.get('host', '')",
      "    if not re.match(r'^[a-z0-9.-]+$', v):",
      "        return 'no'",
      "    subprocess.run('ping -c 1 ' + v, shell=True)",
      "def c():",
      "    v = request.args.get('doc', '')",
      "    if not SAFE.fullmatch(v):",
      "        return 'no'",
      "    return yaml.load(v, Loader=yaml.UnsafeLoader)",
    );
    expect(found(src, "code.yaml-unsafe-load")).toEqual([]);
    expect(found(src, CODE_RULES.shell.id)).toEqual([]);
  });
});
