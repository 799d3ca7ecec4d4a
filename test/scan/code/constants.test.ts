import { beforeAll, describe, expect, it } from "vitest";
import { analyzePython, pythonParser } from "../../../src/scan/code/index.js";

type Parser = Awaited<ReturnType<typeof pythonParser>>;
let parser: Parser;
beforeAll(async () => {
  parser = await pythonParser();
});

/** "rule:line" of every finding, in order. */
const found = (src: string) => analyzePython(parser, src).hits.map((h) => `${h.rule.id}:${h.line}`);
const lines = (...l: string[]) => `${l.join("\n")}\n`;

describe("constant containers stay constant (session 15: a flow fact)", () => {
  it("a tuple or list of literals held in a name, given to a shell or picked from by an index, is the program's own data", () => {
    expect(found(lines("import os", 'ARGS = ("use", "a", "b")', "os.popen2(ARGS)"))).toEqual([]);
    expect(found(lines("import subprocess", 'CMD = ["ls", "-l"]', "subprocess.call(CMD, shell=True)"))).toEqual([]);
    const pick = lines(
      "import os",
      'CMDS = ("uptime", "df -h")',
      "def run(i):",
      "    os.system(CMDS[int(i)])",
      "def run2(req):",
      "    c = CMDS[req.args['i']]",
      "    os.system(c)",
    );
    expect(found(pick)).toEqual([]);
  });

  it("a container changed in place, bound twice, or read before its assignment is not constant", () => {
    expect(found(lines("import os", 'CMD = ["ls"]', "CMD.append(user)", 'os.system(" ".join(CMD))'))).toEqual(["code.shell-injection:4"]);
    expect(found(lines("import os", 'CMD = ["ls"]', "CMD[0] = user", "os.system(CMD[0])"))).toEqual(["code.shell-injection:4"]);
    expect(found(lines("import os", 'ARGS = ("ls",)', "ARGS = (user,)", "os.popen2(ARGS)"))).toEqual(["code.shell-injection:4"]);
    expect(found(lines("import os", "def f():", "    os.system(CMDS[0])", 'CMDS = ("ls",)'))).toEqual(["code.shell-injection:3"]);
    // a container with a value that is not a literal
    expect(found(lines("import os", 'ARGS = ("ls", user)', "os.popen2(ARGS)"))).toEqual(["code.shell-injection:3"]);
  });

  it("an element of a constant container joined with data is still built at runtime", () => {
    expect(found(lines("import os", 'CMDS = ("ls -l %s", "df -h %s")', "def f(i, host):", "    os.system(CMDS[0] + host)", "    os.system(CMDS[int(i)] % host)"))).toEqual([
      "code.shell-injection:4",
      "code.shell-injection:5",
    ]);
  });
});

describe("a quoted word inside a constant template is safe (session 15)", () => {
  const HEAD = ["import os, shlex, paramiko", 'TEMPLATES = ("ping -c 1 %s", "traceroute {}")', "def f(i, host):", "    tpl = TEMPLATES[int(i)]"];
  it("%, .format and f-strings of a constant template with shlex.quote'd values are not reported", () => {
    expect(found(lines(...HEAD, "    os.system(tpl % shlex.quote(host))"))).toEqual([]);
    expect(found(lines(...HEAD, "    os.system(tpl.format(shlex.quote(host)))"))).toEqual([]);
    expect(found(lines(...HEAD, '    os.system(f"{tpl} {shlex.quote(host)}")'))).toEqual([]);
    expect(found(lines(...HEAD, "    c = paramiko.SSHClient()", "    c.exec_command(tpl % shlex.quote(host))"))).toEqual([]);
  });
  it("the same templates with the value not quoted are reported", () => {
    expect(found(lines(...HEAD, "    os.system(tpl % host)"))).toEqual(["code.shell-injection:5"]);
    expect(found(lines(...HEAD, "    os.system(tpl.format(host))"))).toEqual(["code.shell-injection:5"]);
    expect(found(lines(...HEAD, '    os.system(f"{tpl} {host}")'))).toEqual(["code.shell-injection:5"]);
    expect(found(lines(...HEAD, "    c = paramiko.SSHClient()", "    c.exec_command(tpl % host)")).length).toBeGreaterThan(0);
  });
  it("eval of an f-string over an allow-listed word is not reported; over an unchecked one it is", () => {
    const checked = lines("OPS = ('add', 'sub')", "def calc(op):", "    if op not in OPS:", "        raise ValueError(op)", '    return eval(f"do_{op}()")');
    expect(found(checked)).toEqual([]);
    expect(found(lines("def calc(op):", '    return eval(f"do_{op}()")'))).toEqual(["code.eval-exec:2"]);
    const picked = lines("from flask import request", "def view():", '    allowed = ["add", "remove"]', '    op = allowed[request.args.get("op")]', '    eval(f"product_{op}()")');
    expect(found(picked)).toEqual([]);
    // built at the call from the program's own constants only: still low, as a literal is
    expect(found(lines('code = "f({})"', 'eval(code.format("1"))'))).toEqual(["code.eval-exec:2"]);
  });
});

describe("SQLAlchemy expression objects are not SQL text (session 15)", () => {
  const HEAD = ["from flask import request", "from sqlalchemy import select, text", "def view(conn, users):", '    name = request.args["name"]'];
  it("select/where/filter/values chains and text() with bound parameters built from input are not reported", () => {
    expect(found(lines(...HEAD, "    conn.execute(users.select().where(users.c.name == name))"))).toEqual([]);
    expect(found(lines(...HEAD, "    stmt = select(users).where(users.c.name == name)", "    conn.execute(stmt)"))).toEqual([]);
    expect(found(lines(...HEAD, '    conn.execute(text("SELECT * FROM u WHERE n = :n"), {"n": name})'))).toEqual([]);
    expect(found(lines(...HEAD, '    q = text("SELECT * FROM u WHERE n = :n").bindparams(n=name)', "    conn.execute(q)"))).toEqual([]);
    expect(found(lines(...HEAD, "    conn.execute(users.insert().values(name=name))"))).toEqual([]);
  });
  it("SQL text from input, text() of a formatted string, and a name reassigned to input stay findings", () => {
    expect(found(lines(...HEAD, "    conn.execute(text(f\"SELECT * FROM u WHERE n = '{name}'\"))"))).toEqual(["code.sql-injection:5"]);
    expect(found(lines(...HEAD, "    conn.execute(name)"))).toEqual(["code.sql-injection:5"]);
    expect(found(lines(...HEAD, "    stmt = select(users)", "    stmt = name", "    conn.execute(stmt)"))).toEqual(["code.sql-injection:7"]);
    expect(found(lines(...HEAD, "    conn.execute(users.select().where(text(name)))"))).toEqual(["code.sql-injection:5"]);
  });
});

describe("keys that sign or encrypt are credentials whatever they hold (session 15)", () => {
  it("a settings dict, a keyword argument or an assignment of a signing/encryption/HMAC key", () => {
    expect(found(lines('SIMPLE_JWT = {"SIGNING_KEY": "secret", "ALGORITHM": "HS256"}'))).toEqual(["code.hardcoded-credential:1"]);
    expect(found(lines('make_app(signing_key="hunter2")'))).toEqual(["code.hardcoded-credential:1"]);
    expect(found(lines('HMAC_KEY = "abc123"', 'cfg = {"encryption_key": "letmein"}'))).toEqual(["code.hardcoded-credential:1", "code.hardcoded-credential:2"]);
  });
  it("placeholders, environment look-ups, names of keys and short API keys are not", () => {
    expect(found(lines('SIMPLE_JWT = {"SIGNING_KEY": os.environ["JWT_KEY"], "ALGORITHM": "HS256"}'))).toEqual([]);
    expect(found(lines('SIMPLE_JWT = {"SIGNING_KEY": "<your-signing-key>"}', 'HMAC_KEY = ""', 'ENCRYPTION_KEY = "ENCRYPTION_KEY"'))).toEqual([]);
    expect(found(lines('SESSION_KEY = "_auth_user_id"', 'cache = {"api_key": "short"}', 'PRIVATE_KEY = "keys/private.pem"'))).toEqual([]);
  });
});

describe("constant containers: scope (session 15)", () => {
  it("a module-level container read in a function counts only under an upper-case name that no parameter shadows", () => {
    expect(found(lines("import os", 'CMD = ("ls",)', "def f():", "    os.popen2(CMD)"))).toEqual([]);
    expect(found(lines("import os", 'cmd = ("ls",)', "def f():", "    os.popen2(cmd)"))).toEqual(["code.shell-injection:4"]);
    expect(found(lines("import os", 'CMD = ("ls",)', "def f(CMD):", "    os.popen2(CMD)"))).toEqual(["code.shell-injection:4"]);
  });
});
