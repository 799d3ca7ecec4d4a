import { writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isRampartError } from "../../src/core/index.js";
import { MAX_RECORD_BYTES, readRows } from "../../src/fairness/index.js";
import { tempDir } from "../helpers/db.js";

const dir = tempDir("rampart-rows-");
let n = 0;
async function collect(content: string | Buffer, ext: string, columns: string[]) {
  const file = join(dir, `f${n++}.${ext}`);
  writeFileSync(file, content);
  const out = [];
  for await (const r of readRows(file, columns)) out.push(r);
  return out;
}

describe("readRows", () => {
  it("CSV: quoted fields, BOM, CRLF, empty cells as null, only the asked columns, line numbers", async () => {
    const rows = await collect('\uFEFFa,b,c\r\n1,"x, ""y""",\r\n"multi\nline",2,3\r\n', "csv", ["c", "b"]);
    expect(rows).toEqual([
      { row: 1, line: 2, values: [null, 'x, "y"'] },
      { row: 2, line: 3, values: ["3", "2"] },
    ]);
  });

  it("TSV by extension", async () => {
    expect((await collect("a\tb\n1\t2\n", "tsv", ["b"]))[0]!.values).toEqual(["2"]);
  });

  it("JSON Lines: numbers and booleans as text, null and absent keys as null, blank lines skipped", async () => {
    const rows = await collect('{"a":1,"b":true}\n\n{"a":null}\r\n{"a":"x","b":false}', "jsonl", ["a", "b"]);
    expect(rows).toEqual([
      { row: 1, line: 1, values: ["1", "true"] },
      { row: 2, line: 3, values: [null, null] },
      { row: 3, line: 4, values: ["x", "false"] },
    ]);
  });

  it("errors name the file and line", async () => {
    const fail = async (content: string, ext: string, re: RegExp) => {
      const e = await collect(content, ext, ["a"]).then(
        () => undefined,
        (x: unknown) => x,
      );
      expect(isRampartError(e), String(e)).toBe(true);
      expect((e as Error).message).toMatch(re);
    };
    await fail('{"a":1}\n{"a":\n', "jsonl", /f\d+\.jsonl:2: not valid JSON/);
    await fail("[1,2]\n", "jsonl", /:1: expected a JSON object per line/);
    await fail('{"a":{"x":1}}\n', "jsonl", /:1: field "a" is an object/);
    await fail("", "csv", /empty file/);
    await fail('a\n"open\n', "csv", /f\d+\.csv:\d+: /);
  });

  it("refuses a record longer than the limit instead of buffering it", async () => {
    const long = `a\n${"x".repeat(MAX_RECORD_BYTES + 10)}\n`;
    const e = await collect(long, "csv", ["a"]).catch((x: unknown) => x);
    expect(isRampartError(e, "limit")).toBe(true);
    const e2 = await collect(`{"a":"${"x".repeat(MAX_RECORD_BYTES + 10)}"}\n`, "jsonl", ["a"]).catch((x: unknown) => x);
    expect(isRampartError(e2, "limit")).toBe(true);
  });

  it("fuzz: random and mutated bytes end in rows or a RampartError, never another exception", async () => {
    const seed = 'sex,y,pred\nF,1,0\n"M",0,"1"\n';
    const jseed = '{"sex":"F","y":1}\n{"sex":"M","y":0}\n';
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
          fc.tuple(fc.nat(seed.length), fc.string({ maxLength: 5 })).map(([i, s]) => Buffer.from(seed.slice(0, i) + s + seed.slice(i + 1))),
          fc.tuple(fc.nat(jseed.length), fc.string({ maxLength: 5 })).map(([i, s]) => Buffer.from(jseed.slice(0, i) + s + jseed.slice(i + 1))),
        ),
        fc.constantFrom("csv", "jsonl"),
        async (bytes, ext) => {
          try {
            const rows = await collect(bytes, ext, ext === "csv" ? ["sex", "y"] : ["sex"]);
            for (const r of rows) expect(r.values.every((v) => v === null || typeof v === "string")).toBe(true);
          } catch (e) {
            expect(isRampartError(e), String(e)).toBe(true);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
