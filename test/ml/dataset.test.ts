import { writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isRampartError } from "../../src/core/index.js";
import { loadCsvDataset } from "../../src/ml/index.js";
import { tempDir } from "../helpers/db.js";

describe("CSV dataset loader", () => {
  const dir = tempDir("rampart-csv-");

  it("reads features and maps labels to sorted class indices", async () => {
    const f = join(dir, "ok.csv");
    writeFileSync(f, "\ufeffx,y,cls\n1,2,yes\n3,4.5,no\n-1,0,yes\n");
    const ds = await loadCsvDataset(f, { label: "cls" });
    expect(ds.features).toEqual(["x", "y"]);
    expect(ds.classes).toEqual(["no", "yes"]);
    expect(Array.from(ds.y)).toEqual([1, 0, 1]);
    expect(Array.from(ds.X.data)).toEqual([1, 2, 3, 4.5, -1, 0]);
  });

  it("rejects a single-class label, a missing file and ragged rows with a RampartError", async () => {
    const one = join(dir, "one.csv");
    writeFileSync(one, "x,c\n1,a\n2,a\n");
    await expect(loadCsvDataset(one, { label: "c" })).rejects.toThrow(/single value/);
    await expect(loadCsvDataset(join(dir, "missing.csv"), { label: "c" })).rejects.toThrow(/no such file/);
    const ragged = join(dir, "ragged.csv");
    writeFileSync(ragged, "x,c\n1,a,3\n");
    await expect(loadCsvDataset(ragged, { label: "c" })).rejects.toSatisfy((e) => isRampartError(e, "invalid-input"));
  });

  it("never throws anything but a RampartError on arbitrary bytes (fuzz)", async () => {
    let k = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 300 }),
          fc.string({ maxLength: 200 }).map((s) => Buffer.from(`a,b,label\n${s}`)),
        ),
        async (bytes) => {
          const f = join(dir, `fuzz${k++}.csv`);
          writeFileSync(f, bytes);
          try {
            await loadCsvDataset(f, { label: "label" });
          } catch (e) {
            expect(isRampartError(e), String(e)).toBe(true);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
