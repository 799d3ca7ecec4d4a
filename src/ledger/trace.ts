/**
 * Timing traces of the audit path, for finding where the gateway's latency tail comes from: when
 * RAMPART_AUDIT_TRACE names a directory, each thread of the audit path (serving thread, journal
 * thread, ledger thread) records events as `kind  start-epoch-ms  duration-ms  count` lines in its own
 * file there (`<thread>-<pid>-<tid>.tsv`), buffered and written once a second and at exit. Off (the
 * default), `tracing` is false and callers skip the clock reads.
 *
 * Times are epoch milliseconds (performance.timeOrigin + now()), so files of different threads and of
 * the load generator line up.
 */
import { appendFileSync, readlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PerformanceObserver, performance } from "node:perf_hooks";

const dir = process.env.RAMPART_AUDIT_TRACE;
export const tracing = dir !== undefined && dir !== "";

let lines: string[] = [];
let file: string | undefined;
let timer: NodeJS.Timeout | undefined;

/** Epoch milliseconds with sub-millisecond resolution. */
export const nowMs = (): number => performance.timeOrigin + performance.now();

function tid(): string {
  try {
    return readlinkSync("/proc/thread-self").split("/").pop()!;
  } catch {
    return "0";
  }
}

function flush(): void {
  if (lines.length === 0 || !file) return;
  const text = lines.join("");
  lines = [];
  try {
    appendFileSync(file, text);
  } catch {
    // tracing is a diagnostic: never break the audit path over it
  }
}

/** Names this thread's trace file (call once per thread, before `trace`). */
export function traceThread(name: string): void {
  // Once per thread (a second journal in the same process shares the file).
  if (!tracing || file) return;
  file = join(dir!, `${name}-${process.pid}-${tid()}.tsv`);
  timer ??= setInterval(flush, 1000);
  timer.unref();
  process.once("exit", flush);
  // This thread's garbage-collection pauses (each isolate has its own heap and collector).
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) trace("gc", performance.timeOrigin + e.startTime, e.duration);
  }).observe({ entryTypes: ["gc"] });
  // Event-loop stalls: a 2 ms timer that fires more than 1 ms late records how late.
  let due = performance.now() + 2;
  const tick = () => {
    const at = performance.now();
    if (at - due > 1) trace("stall", performance.timeOrigin + due, at - due);
    due = at + 2;
    setTimeout(tick, 2).unref();
  };
  setTimeout(tick, 2).unref();
}

/**
 * Names this OS thread (Linux: what `top -H`, `ps -L` and /proc/PID/task/TID/comm show; at most 15
 * bytes), so the CPU of the journal's and the ledger's threads can be told apart from libuv's pool.
 * Best effort: elsewhere, or when not permitted, the thread keeps its name.
 */
export function nameThread(name: string): void {
  try {
    writeFileSync("/proc/thread-self/comm", name.slice(0, 15));
  } catch {
    // not Linux: nothing to name
  }
}

/** Records one event: what, when it started (epoch ms), how long it took (ms), how many items. */
export function trace(kind: string, startMs: number, durationMs: number, count = 1): void {
  if (!tracing || !file) return;
  lines.push(`${kind}\t${startMs.toFixed(3)}\t${durationMs.toFixed(3)}\t${count}\n`);
}

/** Writes what is buffered now (before a thread ends). */
export const flushTrace = flush;
