import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { predictImports } from "../../../src/scan/code/crossfile.js";
import { scanCode } from "../../../src/scan/code/index.js";
import { writeTree as tree } from "../../helpers/db.js";

const HELPERS = `from flask import request

def arg(name):
    return request.args.get(name)

def clean(value):
    return value.strip()

def as_int(value):
    return int(value)
`;

/** rule@file:line of every finding of the taint-gated rules (those that need to know where a value comes from). */
async function tainted(dir: string, workers = 1): Promise<string[]> {
  const r = await scanCode(dir, { workers });
  return r.findings
    .filter((f) => /path-traversal|sql-injection|shell-injection|template-injection/.test(f.ruleId))
    .map((f) => `${f.ruleId}@${f.location?.file}:${f.location?.line}`)
    .sort();
}

describe("summaries across the files of one scan (session 10)", () => {
  const views = `import sqlite3
import subprocess
from flask import Flask
from helpers import arg, clean, as_int
import helpers

app = Flask(__name__)
db = sqlite3.connect("x.db")

@app.route("/a")
def a():
    subprocess.run(arg("cmd"))
    return open(arg("file")).read()

@app.route("/b")
def b():
    q = clean(helpers.arg("q"))
    return db.execute(q).fetchall()

@app.route("/c")
def c():
    return open(str(as_int(arg("n")))).read()

@app.route("/d")
def d():
    return db.execute(clean("SELECT 1")).fetchall()
`;

  it("a helper in a sibling file that returns request input, or gives back its parameter, carries the taint to the caller's sinks", async () => {
    const dir = tree({ "app/helpers.py": HELPERS, "app/views.py": views });
    expect(await tainted(dir)).toEqual(["code.path-traversal@app/views.py:13", "code.shell-injection@app/views.py:12", "code.sql-injection@app/views.py:18"]);
    // The same on worker threads.
    expect(await tainted(dir, 2)).toEqual(await tainted(dir));
  });

  it("the second round runs on the worker threads with the same result", async () => {
    const files: Record<string, string> = { "app/helpers.py": HELPERS };
    for (let i = 0; i < 6; i++) files[`app/views${i}.py`] = views;
    const dir = tree(files);
    const threaded = await tainted(dir, 3);
    expect(threaded).toEqual(await tainted(dir, 1));
    expect(threaded).toHaveLength(18);
  });

  it("without the helper's file in the scan nothing is assumed (the file alone: no finding)", async () => {
    const dir = tree({ "app/views.py": views });
    expect(await tainted(dir)).toEqual([]);
  });

  it("follows relative imports, modules imported by name and a package's own folder", async () => {
    const dir = tree({
      "pkg/__init__.py": "",
      "pkg/util.py": "def passthru(x):\n    return x\n\ndef fixed(x):\n    return 'SELECT 1'\n",
      "pkg/run.py": `from flask import request
from .util import passthru, fixed
from . import util

def main(conn):
    conn.execute(passthru(request.form["q"]))
    conn.execute(util.passthru(request.form["q2"]))
    conn.execute(passthru("SELECT 1"))
    conn.execute(fixed(request.form["q3"]))
    q4 = request.form["q4"]
    conn.execute(passthru(q4))
`,
      "pkg/sub/deep.py": `from flask import request
from ..util import passthru

def go(conn):
    conn.execute(passthru(request.form["q"]))
`,
    });
    // `fixed` gives back a constant whatever it is given: its result is not untrusted (line 9).
    expect(await tainted(dir)).toEqual([
      "code.sql-injection@pkg/run.py:11",
      "code.sql-injection@pkg/run.py:6",
      "code.sql-injection@pkg/run.py:7",
      "code.sql-injection@pkg/sub/deep.py:5",
    ]);
  });

  it("a local definition of the same name wins over an imported one, and a sanitising helper cleans", async () => {
    const dir = tree({
      "helpers.py": HELPERS,
      "app.py": `from flask import Flask, request
from helpers import clean
import helpers
app = Flask(__name__)

def clean(v):
    return int(v)

@app.route("/x")
def x():
    return open(clean(request.args["f"])).read()

@app.route("/y")
def y():
    return open(helpers.as_int(request.args["f"])).read()

@app.route("/z")
def z():
    return open(helpers.clean(request.args["f"])).read()
`,
    });
    expect(await tainted(dir)).toEqual(["code.path-traversal@app.py:19"]);
    // Without the helpers' file, an unknown call given request input is untrusted (the default): both flagged.
    const alone = tree({ "app.py": readFileSync(join(dir, "app.py"), "utf8") });
    expect(await tainted(alone)).toEqual(["code.path-traversal@app.py:15", "code.path-traversal@app.py:19"]);
  });

  it("summaries describe what the helper does for any caller, not what one call in its own file passes it", async () => {
    const dir = tree({
      "util.py": "import sys\n\ndef same(x):\n    return x\n\ndef const():\n    return 'SELECT 1'\n\nsame(sys.argv[1])\n",
      "main.py": "import sqlite3\nfrom util import same, const\nc = sqlite3.connect('d')\nc.execute(same('SELECT 2'))\nc.execute(const())\n",
    });
    expect(await tainted(dir)).toEqual([]);
  });

  it("notebooks use the summaries of the modules beside them", async () => {
    const nb = {
      cells: [
        { cell_type: "code", metadata: {}, source: ["from helpers import arg\n", "import sqlite3\n", "sqlite3.connect('d').execute(arg('q'))\n"], outputs: [], execution_count: 1 },
      ],
      metadata: {},
      nbformat: 4,
      nbformat_minor: 5,
    };
    const dir = tree({ "helpers.py": HELPERS, "explore.ipynb": JSON.stringify(nb) });
    expect(await tainted(dir)).toEqual(["code.sql-injection@explore.ipynb:3"]);
  });

  it("imports the lines do not show, or lines that are not imports, are settled from the parse tree (session 12)", async () => {
    // `as_int` sanitises: with its summary the opened path is clean; without it, an unknown call given request input is not.
    const head = "import os\nfrom flask import request\n";
    const files: Record<string, string> = { "app/helpers.py": HELPERS };
    // A backslash continuation hides the name from the import lines; an alias made by assignment is no import line at all.
    files["app/hidden.py"] = `${head}from helpers import \\\n    as_int\n\ndef a():\n    return open(as_int(request.args["n"])).read()\n`;
    files["app/assigned.py"] = `${head}import helpers\nto_int = helpers.as_int\n\ndef a():\n    return open(to_int(request.args["n"])).read()\n`;
    // An import line inside a docstring is not an import: the file is analysed as if it were alone.
    files["app/doc.py"] = `"""Use it like this:\nfrom helpers import as_int\n"""\n${head}\ndef a():\n    return open(as_int(request.args["n"])).read()\n`;
    const dir = tree(files);
    const one = await tainted(dir, 1);
    expect(one).toEqual(["code.path-traversal@app/doc.py:8"]);
    expect(await tainted(dir, 3)).toEqual(one);
    // Alone (no helper in the scan) the hidden import's file is flagged: the summary is what cleans it.
    expect(await tainted(tree({ "app/hidden.py": files["app/hidden.py"]! }))).toEqual(["code.path-traversal@app/hidden.py:7"]);
  });

  it("reads imports from import lines as the analysis spells them", () => {
    const text = [
      "import os, numpy as np",
      "import a.b.c",
      "import pkg.mod as pm",
      "from helpers import arg, clean as c  # trailing",
      "from .util import passthru",
      "from . import util",
      "from ..deep.er import (",
      "    one,",
      "    two as t,",
      ")",
      "from star import *",
      "    from inner import f",
      "x = 'import nothing'",
    ].join("\n");
    expect(predictImports(text).sort()).toEqual(
      ["..deep.er.one", "..deep.er.two", ".util", ".util.passthru", "a", "helpers.arg", "helpers.clean", "inner.f", "numpy", "os", "pkg.mod", "star"].sort(), // `from star import *`: the whole module (session 33)
    );
    expect(predictImports("print(1)\n")).toEqual([]);
  });
});

describe("flags and listen addresses across an import (session 13)", () => {
  const at = async (dir: string) =>
    (await scanCode(dir, { workers: 1 })).findings
      .filter((f) => /debug-server|tls-verify|trust-remote|torch-load|shell-injection/.test(f.ruleId))
      .map((f) => `${f.ruleId}@${f.location?.file}:${f.location?.line}`)
      .sort();
  it("a module-level flag or address of another scanned module reaches the call that uses it", async () => {
    const dir = tree({
      "settings.py": 'VERIFY_TLS = False\nTRUST = True\nHOST = "0.0.0.0"\nSHELL = True\n',
      "client.py": "import requests\nfrom settings import VERIFY_TLS\nrequests.get(u, verify=VERIFY_TLS)\n",
      "model.py":
        "import settings\nfrom transformers import AutoModel\nm = AutoModel.from_pretrained('org/m', revision='0123456789abcdef0123456789abcdef01234567', trust_remote_code=settings.TRUST)\n",
      "serve.py": "import socket\nfrom settings import HOST\ns = socket.socket()\ns.bind((HOST, 80))\n",
      "run.py": "import subprocess, sys\nfrom settings import SHELL\nsubprocess.run(sys.argv[1], shell=SHELL)\n",
    });
    expect(await at(dir)).toEqual([
      "code.debug-server@serve.py:4",
      "code.debug-server@settings.py:3",
      "code.shell-injection@run.py:3",
      "code.tls-verify-disabled@client.py:3",
      "code.trust-remote-code@model.py:3",
    ]);
  });
  it("look-alikes: a name assigned twice in its module, a safe value, a local def or assignment of the same name", async () => {
    const dir = tree({
      "settings.py": 'VERIFY_TLS = False\nif PROD:\n    VERIFY_TLS = True\nHOST = "127.0.0.1"\nOK = True\n',
      "client.py": "import requests\nfrom settings import VERIFY_TLS, OK\nrequests.get(u, verify=VERIFY_TLS)\nrequests.get(u, verify=OK)\n",
      "serve.py": "import socket\nfrom settings import HOST\ns = socket.socket()\ns.bind((HOST, 80))\n",
      "local.py": "import requests\nfrom settings import OK\nOK = False\nrequests.get(u, verify=OK)\n",
    });
    expect(await at(dir)).toEqual(["code.tls-verify-disabled@local.py:4"]);
  });
});

describe("a flat folder of scripts (session 16)", () => {
  // Scripts beside each other, no package and no __init__.py: `import tools` / `from tools import f` name the sibling.
  const TOOLS = `import subprocess

def launch(command):
    subprocess.call(command, shell=True)

def fixed_command(ignored):
    banner = "echo ready"
    return banner

def decorate(text):
    line = "> " + text
    return line
`;
  const at = async (dir: string, workers = 1) =>
    (await scanCode(dir, { workers })).findings
      .filter((f) => /shell-injection/.test(f.ruleId))
      .map((f) => `${f.ruleId}@${f.location?.file}:${f.location?.line}`)
      .sort();
  const vulnerable = {
    "tools.py": TOOLS,
    "by_module.py": "import tools\nfrom flask import request\n\ndef view():\n    tools.launch('grep ' + request.args['q'])\n",
    "by_name.py": "from tools import launch\nfrom flask import request\n\ndef view():\n    launch('ls ' + request.form['dir'])\n",
    "through_helper.py": "import subprocess\nfrom tools import decorate\nfrom flask import request\n\ndef view():\n    subprocess.call(decorate(request.args['q']), shell=True)\n",
  };
  it("a wrapper without a return statement and a helper that returns a local built from its parameter are followed", async () => {
    const expected = [
      "code.shell-injection@by_module.py:5",
      "code.shell-injection@by_name.py:5",
      "code.shell-injection@through_helper.py:6",
      "code.shell-injection@tools.py:4", // the wrapper's own sink: its parameter is of unknown origin
    ];
    expect(await at(tree(vulnerable))).toEqual(expected);
    expect(await at(tree(vulnerable), 2)).toEqual(expected);
  });
  it("look-alikes: a constant handed to the wrapper, a helper that returns a constant whatever it is given", async () => {
    const dir = tree({
      "tools.py": TOOLS,
      "constant_arg.py": "import tools\n\ndef main():\n    tools.launch('ls -l')\n",
      "constant_result.py":
        "import subprocess\nimport tools\nfrom flask import request\n\ndef view():\n    command = tools.fixed_command('echo ' + request.args['q'])\n    subprocess.call(command, shell=True)\n",
    });
    expect(await at(dir)).toEqual(["code.shell-injection@tools.py:4"]);
  });
  it("without the sibling in the scan the call is unknown and not reported", async () => {
    const dir = tree({ "by_module.py": vulnerable["by_module.py"] });
    expect(await at(dir)).toEqual([]);
  });
});
