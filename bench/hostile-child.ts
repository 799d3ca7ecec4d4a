/**
 * One hostile case in a fresh process (bench/hostile.bench.ts spawns it, so a hang or a crash is
 * contained and timed from outside). Runs a warm-up at n/16, then n and 4n, and prints one JSON line per
 * size: CPU milliseconds of this process, peak RSS above the resident size just before the input was
 * built (so the input itself is included; `inputMiB` says how much of it is input), and the outcome.
 */
import { statSync } from "node:fs";
import { CASES, outcomeOf } from "./hostile-cases.js";

const index = Number(process.argv[2]);
const c = CASES[index];
if (!c) {
  console.error(`no case ${process.argv[2]}`);
  process.exit(2);
}

/** Bytes of a built input: buffers, strings, `{data}` records, or a path to a scratch file. */
function inputBytes(input: unknown): number {
  if (typeof input === "string") {
    try {
      const st = statSync(input);
      if (st.isFile()) return st.size;
    } catch {}
    return Buffer.byteLength(input);
  }
  if (input instanceof Uint8Array) return input.byteLength;
  if (input && typeof input === "object") {
    let total = 0;
    for (const v of Object.values(input)) if (typeof v === "string" || v instanceof Uint8Array) total += inputBytes(v);
    return total;
  }
  return 0;
}

const MiB = 1 << 20;
const sizes = process.argv[3] === "once" ? [c.n] : [Math.max(1, Math.floor(c.n / 16)), c.n, 4 * c.n];
for (const [k, size] of sizes.entries()) {
  // maxRSS only grows, so a size's peak can only be seen above the peak so far: release what the
  // previous size left, then measure from the resident size now.
  (globalThis as { gc?: () => void }).gc?.();
  const base = process.memoryUsage().rss;
  const input = c.build(size);
  const t0 = process.cpuUsage();
  let outcome: string;
  try {
    outcome = `ok ${await c.run(input)}`;
  } catch (e) {
    outcome = outcomeOf(e);
  }
  const d = process.cpuUsage(t0);
  const peak = process.resourceUsage().maxRSS * 1024;
  const line = { size, cpuMs: (d.user + d.system) / 1000, rssMiB: Math.max(0, peak - base) / MiB, inputMiB: inputBytes(input) / MiB, outcome };
  if (k > 0 || sizes.length === 1) console.log(JSON.stringify(line));
}
