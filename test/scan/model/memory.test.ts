import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runPickle, scanBuffer } from "../../../src/scan/model/index.js";
import { tempDir } from "../../helpers/db.js";

// Model files are untrusted: their scan must hold bounded memory. Peak RSS is measured in a fresh child
// process (memory-child.ts), so nothing else of the test run counts.
function child(shape: string, mib: number): { peakMiB: number; inputMiB: number; ids: string[] } {
  const file = join(tempDir(), "m.pt");
  const run = (...args: string[]) => execFileSync(process.execPath, ["--import", "tsx", "test/scan/model/memory-child.ts", ...args], { encoding: "utf8" });
  run("build", shape, String(mib), file);
  return JSON.parse(run("scan", file, "m.pt").trim().split("\n").pop()!);
}

describe("memory on hostile model files", () => {
  it("a zip member of 32 MiB of NONE opcodes stays under 256 MiB (it peaked at ~1 GiB) and says the budget was reached", () => {
    const r = child("zip-none-flood", 32);
    expect(r.peakMiB).toBeLessThan(256);
    expect(r.ids).toContain("model.pickle.budget:medium");
  }, 120_000);

  it("a member declaring 100 bytes that inflates to 64 MiB keeps only the declared bytes (it inflated all: 131 MiB)", () => {
    const r = child("zip-lying-size", 64);
    expect(r.peakMiB).toBeLessThan(48);
  }, 120_000);
});

// The budget in bounded mode, in process with a small budget (1 MiB).
const p2 = (...parts: Array<string | Buffer>) =>
  Buffer.concat([Buffer.from([0x80, 0x02]), ...parts.map((p) => (typeof p === "string" ? Buffer.from(p, "latin1") : p)), Buffer.from(".")]);
const limits = { maxPickleMemoryBytes: 1 << 20 };

describe("the pickle machine's memory budget", () => {
  it("counts what is held, not opcodes: 200,000 NONE on the stack cross a 1 MiB budget, 200,000 pushed and popped do not", () => {
    expect(runPickle(p2(Buffer.alloc(200_000, 0x4e)), 0, { maxMemoryBytes: 1 << 20 }).budget).toBeDefined();
    expect(runPickle(p2("N0".repeat(200_000), "N"), 0, { maxMemoryBytes: 1 << 20 }).budget).toBeUndefined();
    // A few long strings weigh more than many small ints.
    const long = Buffer.concat(Array.from({ length: 8 }, () => Buffer.concat([Buffer.from([0x58, 0, 0, 2, 0]), Buffer.alloc(0x20000, 0x61)])));
    expect(runPickle(p2(long), 0, { maxMemoryBytes: 1 << 20 }).budget).toBeDefined();
  });

  it("still finds a payload named by literals after the padding that used up the budget", async () => {
    const r = await scanBuffer(p2(Buffer.alloc(200_000, 0x4e), "cos\nsystem\n(S'id'\ntR"), "m.pkl", { limits });
    const ids = r.findings.map((f) => `${f.ruleId}:${f.severity}`);
    expect(ids).toContain("model.pickle.dangerous-global:critical");
    expect(ids).toContain("model.pickle.budget:medium");
  });

  it("keeps memoised names across the crossing (a protocol-4 class fetched again later)", async () => {
    const name = "\x8c\x0bcollections\x94\x8c\x0bOrderedDict\x94\x93\x94";
    const r = runPickle(p2(name, ")R0", Buffer.alloc(200_000, 0x4e), "h\x02)R"), 0, { maxMemoryBytes: 1 << 20 });
    expect(r.budget).toMatchObject({ unnamed: 0 });
    expect(r.calls.map((c) => c.callee)).toEqual(["collections.OrderedDict", "collections.OrderedDict"]);
  });

  it("is high when a callable after the crossing cannot be named (a payload could hide there)", async () => {
    // The callable is pushed before the padding (memoised dicts, each popped) and called after it: the
    // crossing dropped it from the stack.
    const r = await scanBuffer(p2("cbuiltins\nexec\n", "}\x940".repeat(20_000), "(S'x'\ntR"), "m.pkl", { limits });
    const budget = r.findings.find((f) => f.ruleId === "model.pickle.budget");
    expect(budget?.severity).toBe("high");
    expect(r.findings.map((f) => f.ruleId)).toContain("model.pickle.dangerous-global");
  });

  it("does not call a legitimate pickle broken when a crossing falls inside a MARK frame", () => {
    const items = Array.from({ length: 30_000 }, (_, i) => `X${String.fromCharCode(4, 0, 0, 0)}k${String(i).padStart(3, "0").slice(-3)}K${String.fromCharCode(i % 256)}`).join("");
    const r = runPickle(p2("}(", items, "u"), 0, { maxMemoryBytes: 1 << 20 });
    expect(r.error).toBeUndefined();
    expect(r.budget).toBeDefined();
  });
});

// A tokenizer vocabulary as CPython's pickle writes it (protocol 4): EMPTY_DICT, then MARK, n × (string,
// MEMOIZE, int), SETITEMS per 1,000 entries. Every key is memoised, as the unpickler does.
function vocabulary(n: number, extra: Buffer = Buffer.alloc(0)): Buffer {
  const out = Buffer.alloc(8 + n * 32 + extra.length);
  let p = 0;
  out.set([0x80, 0x04, 0x7d, 0x94], p);
  p += 4;
  for (let i = 0; i < n; i += 1000) {
    out[p++] = 0x28;
    for (let j = i; j < Math.min(n, i + 1000); j++) {
      const k = `tok${j}_${(j * 7919) % 100003}`;
      out[p++] = 0x8c;
      out[p++] = k.length;
      p += out.write(k, p, "latin1");
      out[p++] = 0x94;
      out[p++] = 0x4a;
      p = out.writeInt32LE(j, p);
    }
    out[p++] = 0x75;
  }
  p += extra.copy(out, p);
  out[p++] = 0x2e;
  return out.subarray(0, p);
}

describe("the budget default on benign dict-heavy pickles (session 16)", () => {
  it("a 1.2 M-entry vocabulary (26 MiB) stays under the default budget (session 15 crossed it)", () => {
    const r = runPickle(vocabulary(1_200_000));
    expect(r.error).toBeUndefined();
    expect(r.budget).toBeUndefined();
  }, 60_000);

  it("memoised short strings are still the names a later STACK_GLOBAL fetches (utf8 and latin1)", async () => {
    // Memo keys 1 and 2 hold "posix" (SHORT_BINUNICODE) and "system" (SHORT_BINSTRING, latin1), written
    // before the vocabulary; after 300,000 entries they are fetched with BINGET and imported.
    const names = Buffer.from([0x8c, 5, ...Buffer.from("posix"), 0x94, 0x30, 0x55, 6, ...Buffer.from("system"), 0x94, 0x30]);
    const head = Buffer.concat([Buffer.from([0x80, 0x04]), names]);
    const body = vocabulary(300_000).subarray(2, -1); // without PROTO and STOP
    const call = Buffer.from([0x30, 0x68, 0, 0x68, 1, 0x93, 0x8c, 2, ...Buffer.from("id"), 0x85, 0x52, 0x2e]);
    const r = await scanBuffer(Buffer.concat([head, body, call]), "m.pkl");
    const found = r.findings.map((f) => `${f.ruleId}:${f.severity}`);
    expect(found).toContain("model.pickle.dangerous-global:critical");
    expect(found.some((f) => f.startsWith("model.pickle.budget"))).toBe(false);
    expect(r.findings.find((f) => f.ruleId === "model.pickle.dangerous-global")?.entity).toBe("posix.system");
  }, 60_000);

  it("millions of memoised strings still cross a budget: compact entries are counted too", () => {
    expect(runPickle(vocabulary(100_000), 0, { maxMemoryBytes: 1 << 20 }).budget).toBeDefined();
  });
});
