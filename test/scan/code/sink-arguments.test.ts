/**
 * Session 19: what a sink is given decides. A shell sink called with no command runs nothing (session 20: subprocess
 * with shell=True and no command is reported at low, not dropped); paramiko's
 * exec_command is reported once (by the shell rule, not again by its name); SQLAlchemy's text() and Django's
 * RawSQL take SQL by contract, so a fragment built from data is SQL even without a statement keyword. Each with
 * look-alikes that must keep their findings.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { analyzePython, CODE_RULES, pythonParser } from "../../../src/scan/code/index.js";

type Parser = Awaited<ReturnType<typeof pythonParser>>;
let parser: Parser;
beforeAll(async () => {
  parser = await pythonParser();
});

const lines = (...l: string[]) => `${l.join("\n")}\n`;
const found = (src: string, rule: string) =>
  analyzePython(parser, src)
    .hits.filter((h) => h.rule.id === rule)
    .map((h) => `${h.line}:${h.severity}`);
const SHELL = CODE_RULES.shell.id;
const SQL = CODE_RULES.sql.id;

describe("a shell sink given no command", () => {
  it("runs nothing: not reported", () => {
    const src = lines(
      "import os, subprocess, asyncio",
      "import paramiko",
      "os.system()",
      "os.popen(None)",
      "subprocess.run(shell=is_shell())",
      "client = paramiko.SSHClient()",
      "client.exec_command()",
      "client.exec_command(None)",
    );
    expect(found(src, SHELL)).toEqual([]);
  });

  it("subprocess given shell=True and no command: low (session 20; linters flag the call, nothing runs as written)", () => {
    const src = lines("import subprocess", "subprocess.call(shell=True)", "subprocess.Popen(shell=1)", "subprocess.run(None, shell=True)", "subprocess.run(shell=False)");
    expect(found(src, SHELL)).toEqual(["2:low", "3:low", "4:low"]);
  });

  it("look-alikes with a command, or a splat that may hold one, are still reported", () => {
    const src = lines(
      "import os, subprocess, sys",
      "import paramiko",
      "os.system(sys.argv[1])",
      "subprocess.call(*sys.argv[1:], shell=True)",
      "subprocess.run(sys.argv[1], shell=is_shell())",
      "client = paramiko.SSHClient()",
      "client.exec_command('ls ' + sys.argv[1])",
      "from functools import partial",
      "sh = partial(subprocess.run, shell=True)",
    );
    // the partial leaves the command to its callers: judged where the wrapper binds shell=True
    expect(found(src, SHELL)).toEqual(["3:high", "4:high", "5:medium", "7:high", "9:high"]);
  });
});

describe("paramiko exec_command", () => {
  it("is reported once, by the shell rule", () => {
    const src = lines("from paramiko import SSHClient", "def f(xx):", "    SSHClient().exec_command('rm -rf / {}'.format(xx))");
    expect(found(src, SHELL)).toEqual(["3:high"]);
  });

  it("an exec_command of unknown origin is still judged by its name (medium)", () => {
    const src = lines("def f(client, xx):", "    client.exec_command('rm -rf / {}'.format(xx))");
    expect(found(src, SHELL)).toEqual(["2:medium"]);
  });
});

describe("SQL by contract: text(), TextClause(), RawSQL()", () => {
  it("a fragment built from data is reported", () => {
    const src = lines(
      "from sqlalchemy import text",
      "from django.db.models.expressions import RawSQL",
      "def f(session, part, col):",
      '    session.query(User).filter(text("id = " + part))',
      '    return RawSQL("%s > 1" % col, ())',
    );
    expect(found(src, SQL)).toEqual(["4:high", "5:high"]);
  });

  it("constant fragments, bound parameters and other functions named text are not", () => {
    const src = lines(
      "from sqlalchemy import text",
      "def f(session, part, widget):",
      '    session.query(User).filter(text("id = :id")).params(id=part)',
      '    session.query(User).filter(text("id = " + str(int(part))))',
      '    widget.text("id = " + part)',
      '    label = text_of("id = " + part)',
    );
    expect(found(src, SQL)).toEqual([]);
  });
});
