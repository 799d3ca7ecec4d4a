/**
 * Session 21 rules, each with vulnerable cases and safe look-alikes:
 * - exec/eval of the text of a Python file the program names itself (`exec(open("pkg/version.py").read())` in a
 *   setup script) is the project's own source, as an import is: not reported by default, a constant use (low) with
 *   `--constant-uses`; a file chosen at run time, or a non-Python file, stays reported;
 * - Pillow's `ImageMath.eval` / `ImageMath.unsafe_eval` run their expression as Python (CVE-2023-50447);
 * - a literal password given to a password-hashing function (bcrypt, passlib, Werkzeug, Django) is the account's
 *   password kept in the source;
 * - a letter or digit repeated four times or more (`"aaaaaaa"`) is a weak secret, not a mask;
 * - detect-secrets' and gitleaks' markers (`# pragma: allowlist secret`, `# gitleaks:allow`) silence the credential
 *   rules on their line, as they do in `scan secrets`.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { analyzePython, CODE_RULES, pythonParser } from "../../../src/scan/code/index.js";
import { growthRatio } from "../../helpers/cpu.js";

type Parser = Awaited<ReturnType<typeof pythonParser>>;
let parser: Parser;
beforeAll(async () => {
  parser = await pythonParser();
});

const lines = (...l: string[]) => `${l.join("\n")}\n`;
const found = (src: string, rule: string, constantUses = false) =>
  analyzePython(parser, src, undefined, { constantUses })
    .hits.filter((h) => h.rule.id === rule)
    .map((h) => `${h.line}:${h.severity}`);

describe("exec of the project's own Python file", () => {
  it("is not reported when the path ends in a literal .py name", () => {
    const src = lines(
      "import os",
      "from pathlib import Path",
      "here = os.path.abspath(os.path.dirname(__file__))",
      'exec(open("vapory_git/version.py").read())',
      'exec(Path("calliope/_version.py").read_text())',
      'exec((Path(__file__).parent / "_version.py").read_text())',
      'exec(open(os.path.join(here, "comvex", "version.py")).read())',
      'VERSION_FILE = os.path.join(here, "pkg", "version.py")',
      "def get_version():",
      "    ns = {}",
      "    with open(VERSION_FILE) as f:",
      "        exec(f.read(), ns)",
      '    return ns["__version__"]',
      'with open(os.path.join(here, "pip-tool", "__version__.py"), "r", "utf-8") as f:',
      "    exec(f.read(), {})",
    );
    expect(found(src, CODE_RULES.evalExec.id)).toEqual([]);
    // with --constant-uses it is one, at low
    expect(found(src, CODE_RULES.evalExec.id, true)).toEqual(["4:low", "5:low", "6:low", "7:low", "12:low", "15:low"]);
  });

  it("look-alikes: a file chosen at run time, a folder from outside, text that is not a Python file, a download", () => {
    const src = lines(
      "import os, sys, urllib.request",
      "with open(sys.argv[1]) as f:",
      "    exec(f.read())",
      'exec(open(input("file? ")).read())',
      'exec(open("notes.txt").read())',
      'exec(open(os.path.join(sys.argv[1], "x.py")).read())',
      'exec(urllib.request.urlopen("http://example.com/x.py").read())',
      "def run(path):",
      "    exec(open(path).read())",
      'NAME = "a.py"',
      'NAME = input("which? ")',
      "exec(open(NAME).read())",
    );
    expect(found(src, CODE_RULES.evalExec.id)).toEqual(["3:high", "4:high", "5:high", "6:high", "7:high", "9:high", "12:high"]);
  });
});

describe("Pillow's ImageMath evaluators", () => {
  it("report an expression that is not a constant string", () => {
    const src = lines(
      "from PIL import ImageMath",
      "import PIL.ImageMath as IM",
      "def view(request):",
      '    function_str = request.POST.get("function")',
      "    a = ImageMath.eval(function_str, a=1)",
      "    b = IM.unsafe_eval(function_str, a=1)",
      "    c = ImageMath.eval(expression=function_str, a=1)",
    );
    expect(found(src, CODE_RULES.evalExec.id)).toEqual(["5:high", "6:high", "7:high"]);
  });

  it("look-alikes: a constant expression, lambda_eval, another module's eval", () => {
    const src = lines(
      "from PIL import ImageMath",
      "import numexpr",
      "def view(request, img):",
      "    a = ImageMath.eval(\"convert(a + b, 'L')\", a=img, b=img)",
      '    b = ImageMath.lambda_eval(lambda args: args["a"] + args["b"], a=img, b=img)',
      '    c = numexpr.evaluate(request.GET["e"])',
      "    d = model.eval()",
    );
    expect(found(src, CODE_RULES.evalExec.id)).toEqual([]);
  });
});

describe("a literal password given to a password-hashing function", () => {
  it("is a hard-coded credential", () => {
    const src = lines(
      "import bcrypt",
      "from bcrypt import hashpw, gensalt",
      "from passlib.hash import pbkdf2_sha256",
      "from werkzeug.security import generate_password_hash",
      "from django.contrib.auth.hashers import make_password",
      "def seed():",
      "    a = hashpw(b'admin', gensalt())",
      "    b = pbkdf2_sha256.encrypt('123456')",
      '    c = generate_password_hash("Sup3rS3cret!")',
      '    d = bcrypt.hashpw("letmein".encode(), bcrypt.gensalt())',
      '    e = make_password("Passw0rd")',
      "    f = pbkdf2_sha256.hash(secret='s3cr3t99')",
    );
    expect(found(src, CODE_RULES.credential.id)).toEqual(["7:medium", "8:medium", "9:medium", "10:medium", "11:medium", "12:medium"]);
  });

  it("look-alikes: data from a form, no password, an empty or stand-in value, checking a password, other hashes", () => {
    const src = lines(
      "import hashlib",
      "from bcrypt import hashpw, gensalt",
      "from passlib.hash import pbkdf2_sha256",
      "from werkzeug.security import generate_password_hash, check_password_hash",
      "from django.contrib.auth.hashers import make_password",
      "def register(form, stored):",
      '    a = hashpw(form["password"].encode(), gensalt())',
      '    b = generate_password_hash(form.get("password"))',
      "    c = make_password(None)",
      '    d = pbkdf2_sha256.hash("")',
      '    e = check_password_hash(stored, form["password"])',
      '    f = hashlib.sha256(b"some data").hexdigest()',
      '    g = generate_password_hash("changeme")',
      '    h = mylib.hash("not a password call")',
    );
    expect(found(src, CODE_RULES.credential.id)).toEqual([]);
  });
});

describe("repeated characters", () => {
  it("a letter or digit repeated four times or more is a weak secret", () => {
    const src = lines("app.config['SECRET_KEY'] = 'aaaaaaa'", "SECRET_KEY = 'zzzzzzzz'", "password = '1111'");
    expect(found(src, CODE_RULES.credential.id)).toEqual(["1:medium", "2:medium", "3:medium"]);
  });

  it("look-alikes: masks and short values", () => {
    const src = lines("password = '****'", "password = 'xxxxxxxx'", "SECRET_KEY = '########'", "password = 'aaa'", "token = '--------'", "password = 'a'");
    expect(found(src, CODE_RULES.credential.id)).toEqual([]);
  });
});

describe("detect-secrets' and gitleaks' markers", () => {
  it("silence the credential rules on their line only", () => {
    const src = lines(
      "SECRET_KEY = 'test_key_1234567'  # pragma: allowlist secret",
      "DB_PASSWORD = 'hunter2hunter2'  # gitleaks:allow",
      "DB_PASSWORD2 = 'hunter2hunter2'",
      "# pragma: allowlist secret",
      "DB_PASSWORD3 = 'hunter2hunter2'",
    );
    expect(found(src, CODE_RULES.credential.id)).toEqual(["3:high", "5:high"]);
  });

  it("do not silence other rules", () => {
    const src = lines("import os", "def f(cmd):", "    os.system(cmd)  # pragma: allowlist secret");
    expect(found(src, CODE_RULES.shell.id)).toEqual(["3:high"]);
  });
});

describe("cost", () => {
  it("thousands of own-file execs, hashed literals and markers stay linear (4× the lines cost well under 16×)", () => {
    const make = (n: number) => {
      const out = ["import os", "from bcrypt import hashpw, gensalt", "V = os.path.join(os.path.dirname(__file__), 'version.py')"];
      for (let i = 0; i < n; i++)
        out.push(
          `P${i} = os.path.join('pkg', 'v${i}.py')`,
          `exec(open(P${i}).read())`,
          "with open(V) as f:",
          "    exec(f.read(), {})",
          `h${i} = hashpw(b'pw${i}xyz', gensalt())  # pragma: allowlist secret`,
        );
      return `${out.join("\n")}\n`;
    };
    const small = make(300);
    const large = make(1200);
    expect(growthRatio((src: string) => analyzePython(parser, src), small, large)).toBeLessThan(9);
  });
});
