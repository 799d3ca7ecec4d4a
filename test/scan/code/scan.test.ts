import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import AjvModule from "ajv-draft-04";
import { describe, expect, it } from "vitest";
import { generateKeyFiles } from "../../../src/attest/index.js";
import { CheckResult } from "../../../src/core/index.js";
import { runWorkerPool } from "../../../src/core/worker.js";
import { runPipeline } from "../../../src/pipeline/index.js";
import type { FileOutcome } from "../../../src/scan/code/file.js";
import { notebookToPython, scanCode } from "../../../src/scan/code/index.js";
import { runInProcess } from "../../helpers/cli.js";
import { tempDir } from "../../helpers/db.js";
import { TokenFactory } from "../secrets/tokens.js";

const repo = resolve(import.meta.dirname, "../../..");

/** A small but realistic ML project: training script, serving app, notebook, vendored venv that must be skipped. */
function mlProject(): string {
  const dir = tempDir();
  mkdirSync(join(dir, "src"));
  mkdirSync(join(dir, "notebooks"));
  mkdirSync(join(dir, ".venv", "lib"), { recursive: true });
  writeFileSync(
    join(dir, "src", "train.py"),
    `import os
import tarfile
import torch
import numpy as np
from transformers import AutoModelForCausalLM, AutoTokenizer


def fetch_data(url, out):
    os.system(f"curl -sL {url} -o /tmp/data.tgz")
    with tarfile.open("/tmp/data.tgz") as tar:
        tar.extractall(out)


def main(cfg):
    tok = AutoTokenizer.from_pretrained(cfg.model, revision="3f2b9c1d0e8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c")
    model = AutoModelForCausalLM.from_pretrained(cfg.model, trust_remote_code=True)
    feats = np.load(cfg.features)
    init = torch.load(cfg.init_checkpoint)
    model.eval()
    return tok, model, feats, init
`,
  );
  writeFileSync(
    join(dir, "src", "serve.py"),
    `from flask import Flask, request
import sqlite3
import pickle as pk

app = Flask(__name__)
db = sqlite3.connect("preds.db")


@app.post("/predict")
def predict():
    model = pk.loads(request.data)  # rampart: ignore[code.unsafe-deserialization] payload HMAC-checked by the gateway
    rows = db.execute(f"SELECT * FROM preds WHERE user = '{request.args['u']}'")
    return {"rows": list(rows)}


if __name__ == "__main__":
    app.run(debug=True)
`,
  );
  writeFileSync(join(dir, ".venv", "lib", "vendored.py"), "import pickle\npickle.loads(x)\n");
  const nb = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: [
      { cell_type: "markdown", source: ["# Exploration\n"], metadata: {} },
      { cell_type: "code", source: ["%matplotlib inline\n", "!pip install -q datasets\n", "import yaml\n", "import joblib\n"], outputs: [], metadata: {}, execution_count: 1 },
      { cell_type: "code", source: ["cfg = yaml.load(open('cfg.yaml'))\n", "clf = joblib.load('clf.joblib')\n", "clf.predict(X)"], outputs: [], metadata: {}, execution_count: 2 },
      { cell_type: "code", source: "%%bash\npython -c 'import pickle; pickle.loads(x)'\n", outputs: [], metadata: {} },
    ],
  };
  writeFileSync(join(dir, "notebooks", "explore.ipynb"), JSON.stringify(nb, null, 1));
  return dir;
}

describe("scanCode over a project", () => {
  it("finds the problems, maps notebook findings to cell and line, honours suppressions and skips .venv", async () => {
    const dir = mlProject();
    const result = CheckResult.parse(await scanCode(dir, { name: "ml-project" }));
    const got = result.findings.map((f) => [f.location?.file, f.location?.line, f.ruleId, f.location?.pointer ?? null]);
    expect(got).toEqual([
      ["notebooks/explore.ipynb", 1, "code.yaml-unsafe-load", "/cells/2/source"],
      ["notebooks/explore.ipynb", 2, "code.unsafe-deserialization", "/cells/2/source"],
      ["src/serve.py", 12, "code.sql-injection", null],
      ["src/serve.py", 17, "code.debug-server", null],
      ["src/train.py", 9, "code.shell-injection", null],
      ["src/train.py", 11, "code.archive-extraction", null],
      ["src/train.py", 16, "code.unpinned-download", null],
      ["src/train.py", 16, "code.trust-remote-code", null],
      ["src/train.py", 18, "code.torch-load-unsafe", null],
    ]);
    expect(result.findings[0]!.message).toMatch(/cell 3, line 1/);
    expect(result.metrics).toMatchObject({ pythonFiles: 2, notebooks: 1, suppressed: 1, parseErrors: 0 });
    expect(result.findings.every((f) => f.tags?.some((t) => t.startsWith("cwe:")) && f.remediation)).toBe(true);
  });

  it("worker threads give the same findings in the same order as one thread", async () => {
    const dir = mlProject();
    const one = await scanCode(dir, { workers: 1 });
    const two = await scanCode(dir, { workers: 2 });
    expect(two.findings).toEqual(one.findings);
    expect(two.metrics).toEqual(one.metrics);
  });

  it("session 34: files handed out while the plan is made get its summaries, and the digest taken beside the workers is the same", async () => {
    // More files than threads × files in front of each: the pool starts before the plan, reads the summaries after it.
    const dir = tempDir();
    for (const pkg of ["a", "b"]) {
      mkdirSync(join(dir, pkg));
      writeFileSync(join(dir, pkg, "helpers.py"), "from flask import request\n\n\ndef user_value(name):\n    return request.args.get(name)\n");
      writeFileSync(join(dir, pkg, "clean.py"), "def user_value(name):\n    return 'fixed'\n");
      for (let i = 0; i < 9; i++) {
        // positive: the helper's result reaches a shell; look-alike: the same call through a helper giving a constant
        const helper = i % 3 === 0 ? "clean" : "helpers";
        writeFileSync(join(dir, pkg, `mod${i}.py`), `import os\nfrom .${helper} import user_value\n\n\ndef run():\n    os.system("ls " + user_value("dir"))\n`);
      }
    }
    const one = await scanCode(dir, { workers: 1 });
    const two = await scanCode(dir, { workers: 2 });
    // Untrusted (high) through `helpers`; built from constants (low) through `clean`, whose summary says so.
    const untrusted = (r: typeof one) => r.findings.filter((f) => f.ruleId === "code.shell-injection" && f.severity === "high").map((f) => f.location?.file);
    const fromConstants = (r: typeof one) => r.findings.filter((f) => f.ruleId === "code.shell-injection" && f.severity === "low").map((f) => f.location?.file);
    expect(untrusted(two)).toEqual([
      "a/mod1.py",
      "a/mod2.py",
      "a/mod4.py",
      "a/mod5.py",
      "a/mod7.py",
      "a/mod8.py",
      "b/mod1.py",
      "b/mod2.py",
      "b/mod4.py",
      "b/mod5.py",
      "b/mod7.py",
      "b/mod8.py",
    ]);
    expect(fromConstants(two)).toEqual(["a/mod0.py", "a/mod3.py", "a/mod6.py", "b/mod0.py", "b/mod3.py", "b/mod6.py"]);
    expect(two.findings).toEqual(one.findings);
    expect(two.subjects).toEqual(one.subjects);
    expect(two.metrics).toEqual(one.metrics);
  });

  it("session 34: the worker pool answers each file once with several in front of a worker, and fails with a failed plan's error", async () => {
    const dir = tempDir();
    const files = Array.from({ length: 7 }, (_, i) => {
      const rel = `m${i}.py`;
      const text = i % 2 === 0 ? "import pickle\nobj = pickle.load(open('m.pkl', 'rb'))\n" : "import json\nobj = json.load(open('m.json'))\n";
      writeFileSync(join(dir, rel), text);
      return { rel, size: Buffer.byteLength(text) };
    });
    const base = new URL("../../../src/scan/code/scan.ts", import.meta.url).href;
    let next = 0;
    const job = () => (next < files.length ? { id: next, path: join(dir, files[next]!.rel), rel: files[next]!.rel, size: files[next++]!.size, maxBytes: 1 << 20 } : undefined);
    const answered: Array<[number, string[]]> = [];
    let ready!: () => void;
    const planned = new Promise<void>((ok) => {
      ready = ok;
    });
    const pool = runWorkerPool<{ ready?: boolean; id?: number; outcome?: FileOutcome; error?: string }>(
      base,
      "./worker",
      2,
      job,
      (m) => {
        answered.push([m.id!, m.outcome!.findings.map((f) => f.ruleId)]);
      },
      { depth: 3, after: planned },
    );
    ready();
    await pool;
    expect(answered.map(([id]) => id).sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
    for (const [id, rules] of answered) expect(rules).toEqual(id % 2 === 0 ? ["code.unsafe-deserialization"] : []);
    next = 0;
    const failed = runWorkerPool(base, "./worker", 2, job, () => undefined, { depth: 2, after: Promise.reject(new Error("plan failed: m3.py")) });
    await expect(failed).rejects.toThrow("plan failed: m3.py");
    expect(next).toBe(0); // no file was handed out
  });

  it("notebook conversion keeps line positions and blanks IPython syntax", () => {
    const nb = notebookToPython(
      JSON.stringify({
        cells: [
          { cell_type: "code", source: ["!ls\n", "x = !pwd\n", "df?\n", "y = 1"] },
          { cell_type: "markdown", source: "z" },
          { cell_type: "code", source: "a = 2\n" },
        ],
      }),
    );
    expect(nb.source.split("\n")).toEqual(["", "", "", "y = 1", "a = 2", ""]);
    expect(nb.lines.slice(0, 5)).toEqual([
      [0, 1],
      [0, 2],
      [0, 3],
      [0, 4],
      [2, 1],
    ]);
  });

  it("reports a malformed notebook instead of skipping it silently", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "bad.ipynb"), "{ not json");
    const result = await scanCode(dir);
    expect(result.findings).toMatchObject([{ ruleId: "code.parse-error", severity: "info", location: { file: "bad.ipynb" } }]);
  });

  it("reports a file nested too deeply to analyse and goes on with the others (it ended the whole scan)", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "deep.py"), `import os\nx = ${Array.from({ length: 8000 }, (_, i) => `v${i}`).join(" + ")}\nos.system(x)\n`);
    writeFileSync(join(dir, "load.py"), "import pickle\nobj = pickle.load(open('m.pkl', 'rb'))\n");
    const result = await scanCode(dir, { workers: 1 });
    expect(result.findings.map((f) => [f.location?.file, f.ruleId])).toEqual(
      expect.arrayContaining([
        ["deep.py", "code.parse-error"],
        ["load.py", "code.unsafe-deserialization"],
      ]),
    );
    expect(result.findings.find((f) => f.location?.file === "deep.py")?.message).toMatch(/nests too deeply/);
  });
});

/** Runs the real CLI entry (commander, output, exit codes) in-process: spawning costs seconds per call. */
async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const r = await runInProcess(...args);
  return { code: r.code, stdout: r.out, stderr: r.err };
}

describe("rampart scan code / scan secrets (CLI)", () => {
  it("emits valid SARIF, exits 1 on findings and 2 on a missing path", async () => {
    const dir = mlProject();
    const out = join(dir, "code.sarif");
    const r = await cli(["scan", "code", dir, "--format", "sarif", "-o", out]);
    expect(r.code, r.stderr).toBe(1);
    const sarif = JSON.parse(readFileSync(out, "utf8"));
    const schema = JSON.parse(readFileSync(join(repo, "node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json"), "utf8"));
    const ajv = new AjvModule.default({ strict: false, validateFormats: false, unicodeRegExp: false });
    const valid = ajv.validate(schema, sarif);
    expect(valid, JSON.stringify(ajv.errors?.slice(0, 3))).toBe(true);
    const rules = sarif.runs[0].tool.driver.rules as Array<{ id: string; help: { text: string }; properties: { tags: string[] } }>;
    expect(rules.find((x) => x.id === "code.torch-load-unsafe")?.properties.tags).toContain("cwe:502");
    expect(rules.every((x) => x.help.text.length > 0)).toBe(true);
    const missing = await cli(["scan", "code", join(dir, "nope")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim().split("\n")).toHaveLength(1);
    expect(missing.stderr).toMatch(/nope: no such file or directory/);
  });

  it("scan secrets: writes a baseline, then the same tree passes with it", async () => {
    const t = new TokenFactory(99);
    const dir = tempDir();
    const token = t.checksummed("ghp_");
    writeFileSync(join(dir, "deploy.sh"), `export GITHUB_TOKEN=${token}\n`);
    const first = await cli(["scan", "secrets", dir, "--format", "json"]);
    expect(first.code).toBe(1);
    expect(first.stdout).not.toContain(token);
    expect(JSON.parse(first.stdout).findings[0]).toMatchObject({ ruleId: "secrets.github-pat", evidence: { checksumValid: true } });
    const baseline = join(dir, "baseline.json");
    expect((await cli(["scan", "secrets", dir, "--write-baseline", baseline, "--format", "json"])).code).toBe(0);
    const again = await cli(["scan", "secrets", dir, "--baseline", baseline, "--format", "json"]);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).metrics.baselineSuppressed).toBe(1);
  });
});

describe("pipeline stages", () => {
  it("scan-code and scan-secrets run from rampart.yaml, and their results are signed and stored", async () => {
    const dir = mlProject();
    const t = new TokenFactory(5);
    writeFileSync(join(dir, "src", "settings.py"), `HF_TOKEN = "hf_${t.letters(34)}"\n`);
    writeFileSync(
      join(dir, "rampart.yaml"),
      `version: 1
project: ml
artifacts:
  code:
    path: src
    kind: code
stages:
  - stage: scan-code
  - stage: scan-secrets
    with:
      targets: [src]
`,
    );
    await generateKeyFiles(join(dir, ".rampart", "keys", "signing"));
    const report = await runPipeline(dir);
    expect(report.stages.map((s) => [s.stage, s.status, s.attestations.length])).toEqual([
      ["scan-code", "failed", 1],
      ["scan-secrets", "failed", 1],
    ]);
    expect(report.stages[1]!.results[0]!.findings.map((f) => f.ruleId)).toEqual(["secrets.huggingface-token"]);
    expect(report.stages[0]!.results[0]!.subjects[0]!.name).toBe("src");
  });
});
