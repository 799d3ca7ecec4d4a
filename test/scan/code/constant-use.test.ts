/**
 * Session 18: an unsafe API given only the program's own constants is reported at `low` ("unsafe API, constant
 * input"), as Bandit and linters read it, while data made harmless (a number, a quoted word, an allow-listed word)
 * stays unreported and data from outside stays high. Also Werkzeug's debugger and pexpect command lines, each with
 * safe look-alikes.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analyzePython, CODE_RULES, pythonParser, scanCode } from "../../../src/scan/code/index.js";

type Parser = Awaited<ReturnType<typeof pythonParser>>;
let parser: Parser;
beforeAll(async () => {
  parser = await pythonParser();
});

const lines = (...l: string[]) => `${l.join("\n")}\n`;
const found = (src: string, rule: string) => analyzePython(parser, src, undefined, { constantUses: true }).hits.filter((h) => h.rule.id === rule);

const SHELL = CODE_RULES.shell.id;
const YAML = CODE_RULES.yamlLoad.id;
const DESER = CODE_RULES.deserialization.id;
const EVAL = CODE_RULES.evalExec.id;
const DEBUG = CODE_RULES.debug.id;

describe("unsafe API, constant input (low)", () => {
  const low: Array<[string, string, string]> = [
    ["os.system of a literal", SHELL, lines("import os", 'os.system("ls -l")')],
    ["a literal list with shell=True", SHELL, lines("import subprocess", "subprocess.run(['ls', '-l'], shell=True)")],
    ["a command held in a name", SHELL, lines("import os", "def f():", '    cmd = "echo hi"', "    os.system(cmd)")],
    ["yaml.load of a document held in a name", YAML, lines("import yaml", "def f():", '    data = "a: 1"', "    return yaml.load(data, Loader=yaml.Loader)")],
    ["yaml.load of a literal without a loader", YAML, lines("import yaml", 'yaml.load("a: 1")')],
    ["pickle.loads of literal bytes", DESER, lines("import pickle", 'pickle.loads(b"x")')],
    ["eval of a literal", EVAL, lines('eval("1 + 1")')],
  ];
  for (const [name, rule, src] of low)
    it(`${name}: reported at low`, () => {
      const hits = found(src, rule);
      expect(hits.length).toBe(1);
      expect(hits[0]!.severity).toBe("low");
      expect(hits[0]!.message).toContain("constant");
    });

  const none: Array<[string, string, string]> = [
    ["a number from data in the command", SHELL, lines("import os", "def f(n):", '    os.system("sleep %d" % n)')],
    ["a quoted word from data", SHELL, lines("import os, shlex", "def f(d):", '    os.system("ls " + shlex.quote(d))')],
    ["an allow-listed word", SHELL, lines("import os", "def f(cmd):", '    if cmd not in ("ls", "pwd"):', "        return", "    os.system(cmd)")],
    ["yaml.load with SafeLoader", YAML, lines("import yaml", 'yaml.load("a: 1", Loader=yaml.SafeLoader)')],
    ["yaml.safe_load", YAML, lines("import yaml", 'yaml.safe_load("a: 1")')],
    ["pickle.dumps", DESER, lines("import pickle", "pickle.dumps([1])")],
    ["ast.literal_eval", EVAL, lines("import ast", 'ast.literal_eval("[1]")')],
  ];
  for (const [name, rule, src] of none) it(`${name}: not reported`, () => expect(found(src, rule)).toEqual([]));

  it("are left out unless asked for", () => {
    expect(analyzePython(parser, lines("import os", 'os.system("ls -l")')).hits).toEqual([]);
  });

  it("data from outside stays high", () => {
    const hits = found(lines("import os, sys", "os.system('ls ' + sys.argv[1])"), SHELL);
    expect(hits.map((h) => h.severity)).toEqual(["high"]);
  });
});

describe("Werkzeug's debugger", () => {
  it("DebuggedApplication(evalex=True) and run_simple(use_debugger=True) are reported", () => {
    const src = lines(
      "from werkzeug.debug import DebuggedApplication",
      "from werkzeug.serving import run_simple",
      "def main(app):",
      "    app.wsgi_app = DebuggedApplication(app.wsgi_app, evalex=True)",
      '    run_simple("127.0.0.1", 5000, app, use_debugger=True)',
    );
    expect(found(src, DEBUG).map((h) => [h.line, h.severity])).toEqual([
      [4, "high"],
      [5, "high"],
    ]);
  });
  it("the look-alikes are not: evalex off, use_evalex=False, no debugger on loopback", () => {
    const src = lines(
      "import werkzeug",
      "from werkzeug.debug import DebuggedApplication",
      "def main(app):",
      "    DebuggedApplication(app)",
      "    DebuggedApplication(app, evalex=False)",
      '    werkzeug.serving.run_simple("127.0.0.1", 5000, app, use_debugger=True, use_evalex=False)',
      '    werkzeug.serving.run_simple("localhost", 5000, app, use_reloader=True)',
    );
    expect(found(src, DEBUG)).toEqual([]);
  });
  it("run_simple on every interface without the debugger is a bind finding (medium)", () => {
    const src = lines("from werkzeug.serving import run_simple", "def main(app):", '    run_simple("0.0.0.0", 5000, app)');
    expect(found(src, DEBUG).map((h) => h.severity)).toEqual(["medium"]);
  });
});

describe("pexpect command lines", () => {
  it("a command line from a request or built at runtime is reported", () => {
    const src = lines("import pexpect", "from flask import request", "def view():", '    host = request.args["h"]', '    pexpect.spawn("ssh " + host)');
    expect(found(src, SHELL).map((h) => [h.line, h.severity])).toEqual([[5, "high"]]);
    const job = lines("import pexpect", "def job(host):", '    pexpect.run(f"scp a {host}:b")');
    expect(found(job, SHELL).map((h) => [h.line, h.severity])).toEqual([[3, "medium"]]);
  });
  it("constants, numbers and argument lists are not", () => {
    const src = lines(
      "import pexpect",
      "def job(host, port):",
      '    pexpect.spawn("ssh example.com")',
      '    pexpect.spawn("nc example.com %d" % int(port))',
      '    pexpect.spawn("ssh", [host])',
    );
    expect(found(src, SHELL)).toEqual([]);
  });
});

describe("scan code prints constant uses only with constantUses", () => {
  const dir = mkdtempSync(join(tmpdir(), "rampart-constant-use-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  it("a constant os.system and a yaml.load of a literal: none by default, low and tagged when asked", async () => {
    writeFileSync(join(dir, "job.py"), lines("import os, yaml", 'os.system("make clean")', 'cfg = yaml.load("a: 1")', "os.system(cfg['a'])"));
    const off = await scanCode(dir, { workers: 1 });
    const on = await scanCode(dir, { workers: 1, constantUses: true });
    const rows = (r: typeof off) => r.findings.map((f) => [f.ruleId, f.location?.line, f.severity, f.tags?.includes("constant-input") === true]);
    expect(rows(off)).toEqual([[SHELL, 4, "high", false]]);
    expect(rows(on)).toEqual([
      [SHELL, 2, "low", true],
      [YAML, 3, "low", true],
      [SHELL, 4, "high", false],
    ]);
    expect(off.metrics?.findings).toBe(1);
  });

  // Session 19: the option travels to the worker threads and to the second pass of files re-analysed with
  // another module's summaries (an import the import lines did not show), not only to the first pass in this thread.
  it("on worker threads and in the cross-file second pass, as in one thread", async () => {
    const tree = mkdtempSync(join(tmpdir(), "rampart-constant-use-pool-"));
    try {
      writeFileSync(join(tree, "helpers.py"), lines("import os", "def run(cmd):", "    os.system(cmd)", "def tidy():", '    os.system("make clean")'));
      for (let i = 0; i < 4; i++)
        writeFileSync(
          join(tree, `job${i}.py`),
          // The import sits inside a function, so the import lines do not predict it: these files are analysed again.
          lines("import os, sys", "def main():", "    import helpers", "    helpers.run(sys.argv[1])", `    os.system("echo ${i}")`),
        );
      const rows = (r: Awaited<ReturnType<typeof scanCode>>) =>
        r.findings.map((f) => `${f.location?.file}:${f.location?.line}:${f.severity}:${f.tags?.includes("constant-input") === true}`).sort();
      const one = await scanCode(tree, { workers: 1, constantUses: true });
      const pool = await scanCode(tree, { workers: 2, constantUses: true });
      expect(rows(pool)).toEqual(rows(one));
      expect(rows(one).filter((r) => r.endsWith(":low:true"))).toHaveLength(5); // helpers.py's tidy() and each job's echo
      const off = await scanCode(tree, { workers: 1 });
      expect(rows(off).some((r) => r.endsWith(":true"))).toBe(false);
      expect(rows(off)).toEqual(rows(one).filter((r) => !r.endsWith(":true")));
    } finally {
      rmSync(tree, { recursive: true, force: true });
    }
  }, 300_000); // two worker threads each load the parser: slow on a shared machine, and only the findings are asserted
});
