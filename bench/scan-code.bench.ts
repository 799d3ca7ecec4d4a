import { mkdirSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import type * as CodeApi from "../src/scan/code/index.js";
import type * as SecretsApi from "../src/scan/secrets/index.js";
import { TokenFactory } from "../test/scan/secrets/tokens.js";
import { peakRssMiB, scratchDir, table } from "./util.js";

// RAMPART_BENCH_DIST=1 measures the compiled build (what `rampart` runs; run `npm run build` first):
// from TypeScript sources every worker thread also compiles the sources with tsx.
const fromDist = process.env.RAMPART_BENCH_DIST === "1";
const { scanCode } = (await import(fromDist ? "../dist/scan/code/index.js" : "../src/scan/code/index.js")) as typeof CodeApi;
const { detectSecrets, scanSecrets } = (await import(fromDist ? "../dist/scan/secrets/index.js" : "../src/scan/secrets/index.js")) as typeof SecretsApi;

/**
 * Wall and CPU time (all threads of this process) of the best of `repeat` runs. On a shared machine
 * wall time mostly measures the neighbours; CPU time is the work the scanner did.
 */
async function measure(fn: () => Promise<unknown>, repeat: number): Promise<{ wall: number; cpu: number }> {
  let best = { wall: Number.POSITIVE_INFINITY, cpu: Number.POSITIVE_INFINITY };
  for (let i = 0; i < repeat; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await fn();
    const wall = performance.now() - t0;
    const c = process.cpuUsage(c0);
    if (wall < best.wall) best = { wall, cpu: (c.user + c.system) / 1000 };
  }
  return best;
}

/** One generated ML module (~60 lines) with a realistic mix of safe code and a few findings. */
function pythonModule(i: number): string {
  return `"""Training utilities, module ${i}."""
import os
import json
import pickle
import subprocess
import numpy as np
import torch
from torch import nn
from transformers import AutoModel, AutoTokenizer


class Block${i}(nn.Module):
    def __init__(self, dim: int = 128, dropout: float = 0.1):
        super().__init__()
        self.proj = nn.Linear(dim, dim)
        self.norm = nn.LayerNorm(dim)
        self.drop = nn.Dropout(dropout)

    def forward(self, x):
        h = self.proj(self.norm(x))
        return x + self.drop(torch.relu(h))


def load_config(path):
    with open(path) as fh:
        cfg = json.load(fh)
    cfg.setdefault("lr", 3e-4)
    cfg.setdefault("epochs", ${i % 10})
    return cfg


def load_features(path):
    arr = np.load(path)
    return torch.from_numpy(arr).float()


def checkpoint(model, step, out_dir):
    os.makedirs(out_dir, exist_ok=True)
    torch.save(model.state_dict(), os.path.join(out_dir, f"step-{step}.pt"))


def restore(path):
    return torch.load(path${i % 3 === 0 ? "" : ", weights_only=True"})


def git_rev():
    return subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()


def train(cfg, data, labels):
    model = Block${i}(cfg.get("dim", 128))
    opt = torch.optim.AdamW(model.parameters(), lr=cfg["lr"])
    for epoch in range(cfg["epochs"]):
        opt.zero_grad()
        loss = nn.functional.mse_loss(model(data), labels)
        loss.backward()
        opt.step()
    model.eval()
    return model
${i % 5 === 0 ? "\n\ndef cache_load(blob):\n    return pickle.loads(blob)\n" : ""}`;
}

/** Text files of a repository for the secrets scan: code, configs, CSV data and logs, a few tokens. */
function textFile(i: number, t: TokenFactory): string {
  const kind = i % 4;
  if (kind === 0) return pythonModule(i).repeat(8);
  if (kind === 1)
    return `${JSON.stringify({ model: "org/m", lr: 0.001, layers: Array.from({ length: 200 }, (_, k) => ({ name: `layer${k}`, dim: 128 + k, token_budget: k * 7 })) }, null, 2)}\n`.repeat(
      6,
    );
  if (kind === 2)
    return `id,feature_a,feature_b,label,comment\n${Array.from({ length: 1500 }, (_, k) => `${k},${(k * 0.37).toFixed(3)},${(k * 1.91).toFixed(3)},${k % 2},"row ${k} ok"`).join("\n")}\n`;
  const secret = i % 40 === 3 ? `\nexport GITHUB_TOKEN=${t.checksummed("ghp_")}\n` : "";
  return `${Array.from({ length: 900 }, (_, k) => `2026-11-25T10:${String(k % 60).padStart(2, "0")}:00Z INFO step=${k} loss=${(1 / (k + 1)).toFixed(5)} tokens/s=${1000 + k} auth=ok`).join("\n")}${secret}\n`;
}

/** A helper every module of a package imports, whose result is untrusted: the cross-file round's worst case. */
const HELPER = `from flask import request\n\n\ndef user_value(name):\n    return request.args.get(name)\n`;

async function codeScaling(): Promise<void> {
  const rows: Array<Array<string | number>> = [];
  // RAMPART_BENCH_CROSSFILE=1: every module also imports its package's helper and passes its result to a shell.
  const crossFile = process.env.RAMPART_BENCH_CROSSFILE === "1";
  // RAMPART_BENCH_CODE_LINES=100000 measures one size only (a loaded machine takes minutes per size).
  const sizes = (process.env.RAMPART_BENCH_CODE_LINES ?? "10000,50000,100000,200000").split(",").map(Number);
  for (const lines of sizes) {
    const { dir, cleanup } = scratchDir("scan-code");
    try {
      let written = 0;
      let i = 0;
      while (written < lines) {
        const pkg = join(dir, `pkg${i % 20}`);
        const tail = crossFile ? `\n\nfrom .helpers import user_value\n\n\ndef run_${i}():\n    os.system("ls " + user_value("dir"))\n` : "";
        const src = pythonModule(i) + tail;
        mkdirSync(pkg, { recursive: true });
        if (crossFile && i < 20) writeFileSync(join(pkg, "helpers.py"), HELPER);
        writeFileSync(join(pkg, `mod${i}.py`), src);
        written += src.split("\n").length - 1;
        i++;
      }
      let findings = 0;
      const load = loadavg()[0]!;
      const m = await measure(async () => {
        const r = await scanCode(dir);
        findings = r.findings.length;
      }, 2);
      rows.push([written, i, m.wall, (written / m.wall) * 1000, m.cpu, (written / m.cpu) * 1000, findings, peakRssMiB(), load.toFixed(1)]);
    } finally {
      cleanup();
    }
  }
  console.log("\n### scan code: Python lines per second (generated ML modules, best of 2, includes the tree digest)\n");
  table(["lines", "files", "wall ms", "lines/s (wall)", "CPU ms", "lines per CPU-s", "findings", "peak RSS MiB", "load avg"], rows);
}

async function secretsScaling(): Promise<void> {
  const rows: Array<Array<string | number>> = [];
  const sizes = (process.env.RAMPART_BENCH_SECRETS_MB ?? "50,200,500").split(",").map(Number);
  for (const mb of sizes) {
    const { dir, cleanup } = scratchDir("scan-secrets");
    try {
      const t = new TokenFactory(1);
      let bytes = 0;
      let i = 0;
      let planted = 0;
      while (bytes < mb * 1e6) {
        const text = textFile(i, t);
        if (i % 40 === 3) planted++;
        mkdirSync(join(dir, `d${i % 50}`), { recursive: true });
        writeFileSync(join(dir, `d${i % 50}`, `f${i}.${["py", "json", "csv", "log"][i % 4]}`), text);
        bytes += Buffer.byteLength(text);
        i++;
      }
      let found = 0;
      const load = loadavg()[0]!;
      const m = await measure(async () => {
        const r = await scanSecrets(dir);
        found = r.findings.filter((f) => f.ruleId === "secrets.github-pat").length;
      }, 1);
      rows.push([(bytes / 1e6).toFixed(0), i, m.wall, bytes / 1e6 / (m.wall / 1000), m.cpu, bytes / 1e6 / (m.cpu / 1000), `${found}/${planted}`, peakRssMiB(), load.toFixed(1)]);
    } finally {
      cleanup();
    }
  }
  console.log("\n### scan secrets: throughput (generated tree of code, JSON, CSV and logs; includes the tree digest)\n");
  table(["MB", "files", "wall ms", "MB/s (wall)", "CPU ms", "MB per CPU-s", "planted tokens found", "peak RSS MiB", "load avg"], rows);
}

/** The secrets detector alone, on text already in memory (no file system): the engine's own rate. */
async function detectorOnly(): Promise<void> {
  const t = new TokenFactory(2);
  const rows: Array<Array<string | number>> = [];
  for (const [kind, i] of [
    ["python", 0],
    ["json", 1],
    ["csv", 2],
    ["logs", 3],
  ] as const) {
    let text = "";
    for (let k = 0; text.length < 16e6; k++) text += textFile(i + 4 * k, t);
    const m = await measure(async () => detectSecrets(text), 6);
    rows.push([kind, (text.length / 1e6).toFixed(1), m.wall, text.length / 1e6 / (m.wall / 1000), loadavg()[0]!.toFixed(1)]);
  }
  console.log("\n### secrets detector only (in memory, best of 6: the first runs are JIT warm-up)\n");
  table(["content", "MB", "wall ms", "MB/s", "load avg"], rows);
}

/**
 * Code analysis lines/second and secrets MB/second at growing sizes.
 * RAMPART_BENCH_ONLY=code|secrets|detector runs one part; RAMPART_BENCH_SECRETS_MB=50,200,500 and
 * RAMPART_BENCH_CODE_LINES=10000,50000,100000,200000 set the tree sizes; RAMPART_BENCH_CROSSFILE=1 makes every module import a helper;
 * RAMPART_BENCH_DIST=1 measures the compiled build.
 */
export default async function bench(): Promise<void> {
  const only = process.env.RAMPART_BENCH_ONLY;
  if (!only || only === "code") await codeScaling();
  if (!only || only === "detector") await detectorOnly();
  if (!only || only === "secrets") await secretsScaling();
}
