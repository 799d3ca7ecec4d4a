import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { scanBuffer, scanModelPaths } from "../../../src/scan/model/index.js";
import { tempDir } from "../../helpers/db.js";

/** A valid pickle that costs the machine `n` opcode pairs (NONE, POP) before a harmless result. */
function slowPickle(n: number): Buffer {
  const body = Buffer.alloc(n * 2);
  for (let i = 0; i < body.length; i += 2) {
    body[i] = 0x4e; // NONE
    body[i + 1] = 0x30; // POP
  }
  return Buffer.concat([Buffer.from([0x80, 2]), body, Buffer.from("N.", "latin1")]);
}

describe("per-file wall-clock timeout", () => {
  it("gives a pathological file a finding naming it and goes on with the next file", async () => {
    const dir = tempDir("rampart-timeout-");
    // 50 M opcodes: a quiet machine runs about 125 M a second, so this stays well past the 200 ms budget.
    writeFileSync(join(dir, "a-slow.pkl"), slowPickle(25_000_000));
    writeFileSync(join(dir, "b-evil.pkl"), Buffer.from("cos\nsystem\n(S'id'\ntR.", "latin1"));
    const t0 = performance.now();
    const result = await scanModelPaths([dir], { digest: false, limits: { timeoutMs: 200 } });
    const timeout = result.findings.filter((f) => f.ruleId === "model.timeout");
    expect(timeout).toHaveLength(1);
    expect(timeout[0]).toMatchObject({ severity: "medium", location: { file: "a-slow.pkl" } });
    expect(timeout[0]!.message).toContain("a-slow.pkl");
    // The stopped pickle is not called malformed: it is valid, only slow.
    expect(result.findings.filter((f) => f.location?.file === "a-slow.pkl").map((f) => f.ruleId)).toEqual(["model.timeout"]);
    expect(result.findings.find((f) => f.location?.file === "b-evil.pkl")).toMatchObject({ ruleId: "model.pickle.dangerous-global" });
    expect(performance.now() - t0).toBeLessThan(10_000);
  });

  it("does not fire within the budget", async () => {
    const r = await scanBuffer(slowPickle(1000), "fast.pkl", { limits: { timeoutMs: 10_000 } });
    expect(r.findings).toEqual([]);
  });

  it("reports what a pickle ran before the clock stopped it", async () => {
    const head = Buffer.from("\x80\x02cos\nsystem\n(X\x02\x00\x00\x00idtR0", "latin1");
    // 25 M opcodes take well over a 20 ms budget (a quiet machine ran them in under 200 ms); the head runs first.
    const slow = slowPickle(12_500_000);
    const r = await scanBuffer(Buffer.concat([head, slow.subarray(2)]), "late.pkl", { limits: { timeoutMs: 20 } });
    expect(r.findings.map((f) => f.ruleId).sort()).toEqual(["model.pickle.dangerous-global", "model.timeout"]);
  });
});
