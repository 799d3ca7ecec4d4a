/**
 * `npm run bench -- hostile`: every parser of untrusted input on hostile shapes at size n and 4n, each
 * case in a fresh process with a time limit. Prints CPU ms per size, the 4n/n ratio (about 4 when
 * linear, 16 when quadratic), peak RSS above the resident size before the input was built, and the
 * outcome. A ratio above 6, a time-out, a crash (anything but a RampartError reaching the user) or a
 * peak at 4n more than the memory cap above its own input is a finding.
 *   HOSTILE_ONLY=text      run only cases whose parser or shape contains the text
 *   HOSTILE_TIMEOUT_S      per-case limit (default 60)
 *   HOSTILE_MEMORY_CAP_MIB memory a parser may add beyond its input at 4n (default 256)
 */
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { CASES } from "./hostile-cases.js";
import { table } from "./util.js";

const here = dirname(fileURLToPath(import.meta.url));

interface SizeResult {
  size: number;
  cpuMs: number;
  rssMiB: number;
  inputMiB: number;
  outcome: string;
}

export default async function hostile(): Promise<void> {
  const only = process.env.HOSTILE_ONLY?.toLowerCase();
  const limitS = Number(process.env.HOSTILE_TIMEOUT_S ?? 60);
  const capMiB = Number(process.env.HOSTILE_MEMORY_CAP_MIB ?? 256);
  const rows: Array<Array<string | number>> = [];
  let faults = 0;
  for (const [i, c] of CASES.entries()) {
    if (only && !`${c.parser} ${c.shape}`.toLowerCase().includes(only)) continue;
    const p = spawnSync(process.execPath, ["--expose-gc", "--import", "tsx", join(here, "hostile-child.ts"), String(i)], {
      encoding: "utf8",
      timeout: limitS * 1000,
      maxBuffer: 1 << 24,
    });
    const results = p.stdout
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as SizeResult);
    const [a, b] = results;
    let verdict: string;
    if (p.error || p.signal) verdict = `HANG (> ${limitS} s)`;
    else if (p.status !== 0 || !a || !b) verdict = `CRASH (exit ${p.status}: ${p.stderr.trim().split("\n").slice(-1)[0]?.slice(0, 80)})`;
    else {
      const ratio = b.cpuMs / Math.max(a.cpuMs, 1);
      const slow = ratio > 6 && b.cpuMs > 200;
      const crash = [a, b].find((r) => r.outcome.startsWith("crash"));
      // Memory is judged at 4n only: the input is the caller's, anything past it is the parser's.
      const heavy = b.rssMiB - b.inputMiB > capMiB;
      verdict = crash ? `CRASH: ${crash.outcome}` : slow ? "SUPERLINEAR" : heavy ? "MEMORY" : "ok";
    }
    if (verdict !== "ok") faults++;
    const ratio = a && b ? (b.cpuMs / Math.max(a.cpuMs, 1)).toFixed(1) : "–";
    rows.push([
      c.parser,
      c.shape,
      c.n,
      a ? a.cpuMs.toFixed(0) : "–",
      b ? b.cpuMs.toFixed(0) : "–",
      ratio,
      a ? a.rssMiB.toFixed(0) : "–",
      b ? b.rssMiB.toFixed(0) : "–",
      b ? b.inputMiB.toFixed(1) : "–",
      (b ?? a)?.outcome.slice(0, 70) ?? "–",
      verdict,
    ]);
    console.error(`${c.parser} / ${c.shape}: ${verdict}`);
  }
  table(["parser", "shape", "n", "CPU ms (n)", "CPU ms (4n)", "ratio", "peak +MiB (n)", "peak +MiB (4n)", "input MiB (4n)", "outcome (4n)", "verdict"], rows);
  console.log(
    `\n${faults} finding(s) (CPU ratio > 6, time-out, crash, or peak at 4n > input + ${capMiB} MiB); command: npm run bench -- hostile${only ? ` (HOSTILE_ONLY=${only})` : ""}`,
  );
}
