/**
 * Where a request's time goes, stage by stage, for finding what makes the gateway's latency tail
 * (a benchmark aid, off unless RAMPART_STAGE_TIMES names a directory). Each request carries a few
 * high-resolution stamps (performance.now, the monotonic clock process.hrtime reads); when its answer
 * has been handed to the socket, the time between consecutive stamps is added to that stage's samples.
 * At exit the process writes `stages-PID.json` there: per stage the count and p50 / p90 / p99 / p99.9 /
 * max in ms, the same for the whole request, the garbage-collection pauses and event-loop delay of
 * this thread, and for the slowest 1 % of requests which stage was their largest part and how many
 * overlapped a GC pause. SIGUSR2 forgets what was recorded (a warm-up). Off, `stageTimes` is undefined
 * and the gateway reads no clock for it.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { monitorEventLoopDelay, PerformanceObserver, performance } from "node:perf_hooks";

/** The stages in request order; a stage's time runs from the previous stamp to its own. */
export const STAGES = ["parse", "auth", "limit", "validate", "infer", "audit-enqueue", "fsync-wait", "reply"] as const;
export type Stage = (typeof STAGES)[number];
const INDEX = new Map<Stage, number>(STAGES.map((s, i) => [s, i]));
/** Most requests kept (8 stages × 8 bytes each: 32 MB at the cap). */
const CAP = 500_000;

export interface StageSummary {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
}

function summary(values: Float64Array): StageSummary {
  const s = values.slice().sort();
  const at = (q: number) => (s.length === 0 ? Number.NaN : s[Math.min(s.length - 1, Math.floor(q * s.length))]!);
  const r = (x: number) => Math.round(x * 1000) / 1000;
  return { count: s.length, p50: r(at(0.5)), p90: r(at(0.9)), p99: r(at(0.99)), p999: r(at(0.999)), max: r(at(1)) };
}

export class StageRecorder {
  /** Per request: the start, then one stamp per stage (NaN when the request skipped it). */
  private readonly rows: Float64Array[] = [];
  private readonly gc: Array<[number, number]> = [];
  private readonly loop = monitorEventLoopDelay({ resolution: 1 });

  constructor(private readonly dir: string) {
    this.loop.enable();
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (this.gc.length < CAP) this.gc.push([e.startTime, e.duration]);
    }).observe({ entryTypes: ["gc"] });
    process.once("exit", () => this.write());
    // A benchmark's warm-up is not measured: SIGUSR2 forgets what was recorded so far.
    process.on("SIGUSR2", () => this.reset());
  }

  reset(): void {
    this.rows.length = 0;
    this.gc.length = 0;
    this.loop.reset();
  }

  /** A request's stamps, started now. */
  start(): Float64Array {
    const row = new Float64Array(STAGES.length + 1).fill(Number.NaN);
    row[0] = performance.now();
    return row;
  }

  mark(row: Float64Array | undefined, stage: Stage): void {
    if (row) row[INDEX.get(stage)! + 1] = performance.now();
  }

  /** The answer has left: the request's stamps join the samples. */
  finish(row: Float64Array | undefined): void {
    if (!row) return;
    this.mark(row, "reply");
    if (this.rows.length < CAP) this.rows.push(row);
  }

  /** The summary (also what the exit file holds). */
  report(): Record<string, unknown> {
    const per = STAGES.map(() => [] as number[]);
    const totals: number[] = [];
    for (const row of this.rows) {
      let prev = row[0]!;
      for (let i = 0; i < STAGES.length; i++) {
        const t = row[i + 1]!;
        if (Number.isNaN(t)) continue;
        per[i]!.push(t - prev);
        prev = t;
      }
      totals.push(prev - row[0]!);
    }
    const stages: Record<string, StageSummary> = {};
    STAGES.forEach((s, i) => {
      stages[s] = summary(Float64Array.from(per[i]!));
    });
    // The slowest 1 %: which stage was the largest part of each, and whether a GC pause fell inside it.
    // Unrounded: the summary's p99 is rounded to 1 µs and may sit just above the request it came from.
    const sorted = Float64Array.from(totals).sort();
    const cut = sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.floor(0.99 * sorted.length))]!;
    const largest: Record<string, number> = {};
    let slow = 0;
    let withGc = 0;
    for (const row of this.rows) {
      let prev = row[0]!;
      let best = "";
      let bestMs = -1;
      for (let i = 0; i < STAGES.length; i++) {
        const t = row[i + 1]!;
        if (Number.isNaN(t)) continue;
        if (t - prev > bestMs) {
          bestMs = t - prev;
          best = STAGES[i]!;
        }
        prev = t;
      }
      if (prev - row[0]! < cut) continue;
      slow++;
      largest[best] = (largest[best] ?? 0) + 1;
      if (this.gc.some(([at, d]) => at < prev && at + d > row[0]!)) withGc++;
    }
    const pauses = Float64Array.from(this.gc.map(([, d]) => d));
    return {
      requests: this.rows.length,
      stages,
      total: summary(Float64Array.from(totals)),
      slowest1pct: { requests: slow, largestStage: largest, overlappingGc: withGc },
      gc: { ...summary(pauses), totalMs: Math.round(pauses.reduce((a, b) => a + b, 0)) },
      eventLoopDelayMs: { p50: this.loop.percentile(50) / 1e6, p99: this.loop.percentile(99) / 1e6, max: this.loop.max / 1e6 },
    };
  }

  private write(): void {
    try {
      writeFileSync(join(this.dir, `stages-${process.pid}.json`), `${JSON.stringify(this.report(), null, 1)}\n`);
    } catch {
      // a benchmark aid: never fail an exit over it
    }
  }
}

const dir = process.env.RAMPART_STAGE_TIMES;
/** The recorder when RAMPART_STAGE_TIMES names a directory (benchmarks only), else undefined. */
export const stageTimes: StageRecorder | undefined = dir ? new StageRecorder(dir) : undefined;
