import { readFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { describe, expect, it } from "vitest";
import { STAGES, StageRecorder } from "../../src/gateway/stages.js";
import { tempDir } from "../helpers/db.js";

describe("per-stage request times (benchmark aid)", () => {
  it("splits each request into the time between its stamps, skips stages a request did not pass, and names the slowest requests' largest stage", () => {
    const dir = tempDir();
    const rec = new StageRecorder(dir);
    const now = performance.now();
    // 200 requests: 1 ms parse, 2 ms infer (validate skipped), 6.5 ms fsync wait, then reply now (~2 ms); 2 of them wait 56.5 ms for the fsync.
    for (let i = 0; i < 200; i++) {
      const row = rec.start();
      const t0 = now - (i < 2 ? 62 : 12);
      row[0] = t0;
      row[1 + STAGES.indexOf("parse")] = t0 + 1;
      row[1 + STAGES.indexOf("auth")] = t0 + 1.5;
      row[1 + STAGES.indexOf("limit")] = t0 + 1.5;
      row[1 + STAGES.indexOf("infer")] = t0 + 3.5;
      row[1 + STAGES.indexOf("audit-enqueue")] = t0 + 3.5;
      row[1 + STAGES.indexOf("fsync-wait")] = t0 + (i < 2 ? 60 : 10);
      rec.finish(row);
    }
    const r = rec.report() as {
      requests: number;
      stages: Record<string, { count: number; p50: number }>;
      total: { p50: number };
      slowest1pct: { requests: number; largestStage: Record<string, number> };
    };
    expect(r.requests).toBe(200);
    expect(r.stages.parse).toMatchObject({ count: 200, p50: 1 });
    expect(r.stages.auth!.p50).toBe(0.5);
    expect(r.stages.validate!.count).toBe(0);
    expect(r.stages.infer!.p50).toBe(2);
    expect(r.stages["fsync-wait"]!.p50).toBe(6.5);
    // The reply stage runs to "now": the stages add up to the whole request.
    expect(r.total.p50).toBeGreaterThanOrEqual(12);
    expect(r.slowest1pct.requests).toBe(2);
    expect(r.slowest1pct.largestStage).toEqual({ "fsync-wait": 2 });
    rec.reset();
    expect((rec.report() as { requests: number }).requests).toBe(0);
    // The exit file is the same report.
    process.emit("exit", 0);
    expect(JSON.parse(readFileSync(join(dir, `stages-${process.pid}.json`), "utf8")).requests).toBe(0);
  });
});
