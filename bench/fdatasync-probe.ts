/**
 * fdatasync latency for small writes: appending to a growing file against overwriting blocks of a
 * file that was zero-filled and synced beforehand (the journal's pre-allocated segments). Appending
 * changes the inode's size, so each fdatasync also commits filesystem metadata; overwriting does not.
 * Run: npx tsx bench/fdatasync-probe.ts [dir] [writes]
 */
import { closeSync, fdatasyncSync, fsyncSync, openSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const dir = process.argv[2] ?? tmpdir();
const n = Number(process.argv[3] ?? 2000);
const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))]!.toFixed(3);
const rows: string[] = [];
for (const size of [1024, 4096]) {
  for (const mode of ["append", "overwrite pre-zeroed"]) {
    const path = join(dir, `fdatasync-probe-${process.pid}`);
    const fd = openSync(path, "w+");
    if (mode !== "append") {
      const zeros = Buffer.alloc(1 << 20);
      for (let off = 0; off < size * n + (1 << 20); off += zeros.length) writeSync(fd, zeros, 0, zeros.length, off);
      fsyncSync(fd);
    }
    const buf = Buffer.alloc(size, 97);
    const times: number[] = [];
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      writeSync(fd, buf, 0, size, i * size);
      fdatasyncSync(fd);
      times.push(performance.now() - t0);
    }
    closeSync(fd);
    rmSync(path);
    times.sort((a, b) => a - b);
    rows.push(`| ${mode} | ${size} | ${pct(times, 50)} | ${pct(times, 99)} | ${times.at(-1)!.toFixed(3)} |`);
  }
}
console.log(`fdatasync after each write, ${n} writes, in ${dir}\n`);
console.log("| mode | bytes | p50 ms | p99 ms | max ms |\n| --- | --- | --- | --- | --- |");
console.log(rows.join("\n"));
