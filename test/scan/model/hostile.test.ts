import { describe, expect, it } from "vitest";
import { scanBuffer } from "../../../src/scan/model/index.js";
import { cpuMsAsync } from "../../helpers/cpu.js";

// Model files are untrusted: the cost of a scan must grow linearly with the file. CPU time of this
// process (not wall time, so the test holds on a loaded machine); linear is about 4x for 4x, quadratic 16x.

const HDF5_MAGIC = Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]);
const h5 = (body: string) => Buffer.concat([HDF5_MAGIC, Buffer.from(body)]);
const lambda = JSON.stringify({ class_name: "Lambda", config: { name: "l", function: ["4wEAAAAA", null, null] } });

describe("Keras HDF5 with many JSON objects that never close", () => {
  const unclosed = (n: number) => h5(`model_config${'{"class_name": "a", '.repeat(n)}`);

  it("is scanned in linear time (each unclosed object was scanned to the end: 10,000 took over a minute)", async () => {
    await scanBuffer(unclosed(500), "m.h5"); // warm-up
    const short = await cpuMsAsync(() => scanBuffer(unclosed(4_000), "m.h5"));
    const long = await cpuMsAsync(() => scanBuffer(unclosed(16_000), "m.h5"));
    expect(long).toBeLessThan(Math.max(6 * short, 250));
  }, 60_000);

  it("says when it stopped checking, so the file is not passed as clean", async () => {
    const r = await scanBuffer(h5(`model_config${'{"class_name": "a", '.repeat(20_000)}${lambda}`), "m.h5");
    expect(r.findings.map((f) => f.ruleId)).toContain("model.limit");
  });

  it("still finds a Lambda layer after some unclosed objects", async () => {
    const r = await scanBuffer(h5(`model_config${'{"class_name": "a", '.repeat(200)}\u0000${lambda}`), "m.h5");
    expect(r.findings.map((f) => f.ruleId)).toContain("model.keras.lambda");
    expect(r.findings.map((f) => f.ruleId)).not.toContain("model.limit");
  });
});

describe("a GLOBAL whose module name has millions of segments", () => {
  it("does not fail the file's analysis, so a payload after it is still found (a regex overflowed: scan-error only)", async () => {
    const body = `c${"a.".repeat(4 << 20)}a\nb\n0cos\nsystem\n(S'id'\ntR.`;
    const r = await scanBuffer(Buffer.concat([Buffer.from([0x80, 0x02]), Buffer.from(body)]), "m.pkl");
    const ids = r.findings.map((f) => `${f.ruleId}:${f.severity}`);
    expect(ids).toContain("model.pickle.dangerous-global:critical");
    expect(ids).not.toContain("model.scan-error:medium");
  }, 60_000);
});
