import { writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import type * as CodeApi from "../src/scan/code/index.js";
import { scratchDir, table } from "./util.js";

// RAMPART_BENCH_DIST=1 measures the compiled build (run `npm run build` first), as scan-code does.
const fromDist = process.env.RAMPART_BENCH_DIST === "1";
const { scanCode } = (await import(fromDist ? "../dist/scan/code/index.js" : "../src/scan/code/index.js")) as typeof CodeApi;

/**
 * Script `i` of a flat folder (no package, no __init__.py): it imports two siblings, calls a wrapper of theirs with
 * request input, passes input through a helper that returns a local, and gives a shell a helper's constant.
 */
function script(i: number, n: number): string {
  const a = (i + 1) % n;
  const b = (i + 7) % n;
  return `import subprocess
import m${a}
from m${b} import launch${b}, fixed${b}, wrap${b}
from flask import request


def launch${i}(cmd):
    subprocess.call(cmd, shell=True)


def fixed${i}(x):
    c = "ls"
    return c


def wrap${i}(x):
    y = "> " + x
    return y


def view${i}():
    m${a}.launch${a}("grep " + request.args["q"])
    launch${b}(wrap${b}(request.args["r"]))
    subprocess.call(fixed${b}(request.args["s"]), shell=True)
`;
}

/**
 * `npm run bench -- flat-scripts`: a flat folder of n sibling scripts that import each other (session 16's
 * cross-file summaries for script folders). CPU time covers every thread of the process (the workers too); the
 * cost per file should not grow with n (RAMPART_BENCH_FLAT_FILES, default 500,2000).
 */
export default async function flatScripts(): Promise<void> {
  const sizes = (process.env.RAMPART_BENCH_FLAT_FILES ?? "500,2000").split(",").map(Number);
  const rows: Array<Array<string | number>> = [];
  for (const n of sizes) {
    const { dir, cleanup } = scratchDir("flat-scripts");
    try {
      for (let i = 0; i < n; i++) writeFileSync(join(dir, `m${i}.py`), script(i, n));
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const r = await scanCode(dir, { workers: 2 });
      const wall = performance.now() - t0;
      const c = process.cpuUsage(c0);
      const cpu = (c.user + c.system) / 1000;
      rows.push([n, Math.round(wall), Math.round(cpu), Number((cpu / n).toFixed(2)), r.findings.length, Number(loadavg()[0]!.toFixed(1))]);
    } finally {
      cleanup();
    }
  }
  table(["files", "wall ms", "CPU ms", "CPU ms per file", "findings", "load avg"], rows);
}
