import { writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { parquetWriteFile } from "hyparquet-writer";
import { describe, expect, it } from "vitest";
import { isRampartError } from "../../src/core/index.js";
import { scanPii } from "../../src/data/pii/index.js";
import { readRecords } from "../../src/data/readers/index.js";
import { tempDir } from "../helpers/db.js";

const dir = tempDir();

async function collect(path: string) {
  const out = [];
  for await (const r of readRecords(path)) out.push(r);
  return out;
}

describe("streaming readers", () => {
  it("read CSV (quotes, BOM, CRLF), JSON Lines and Parquet with 1-based rows", async () => {
    const csv = join(dir, "a.csv");
    writeFileSync(csv, '\ufeffname,note\r\n"Smith, J","say ""hi""\nthere"\r\nLee,x\r\n');
    expect(await collect(csv)).toEqual([
      { row: 1, line: 3, values: { name: "Smith, J", note: 'say "hi"\nthere' } },
      { row: 2, line: 4, values: { name: "Lee", note: "x" } },
    ]);
    const jsonl = join(dir, "a.jsonl");
    writeFileSync(jsonl, '{"a":1}\n\n{"a":2}\r\n');
    expect((await collect(jsonl)).map((r) => [r.row, r.line, r.values.a])).toEqual([
      [1, 1, 1],
      [2, 3, 2],
    ]);
    const pq = join(dir, "a.parquet");
    parquetWriteFile({ filename: pq, columnData: [{ name: "n", data: Array.from({ length: 20_000 }, (_, i) => BigInt(i)), type: "INT64" }] });
    const rows = await collect(pq);
    expect(rows).toHaveLength(20_000);
    expect(rows[19_999]).toEqual({ row: 20_000, values: { n: 19_999 } });
  });

  it("name the file and line of malformed input", async () => {
    const bad = join(dir, "bad.csv");
    writeFileSync(bad, "a,b\n1,2\n3\n");
    await expect(collect(bad)).rejects.toThrow(/bad\.csv:3: /);
    const dup = join(dir, "dup.csv");
    writeFileSync(dup, "a,a\n1,2\n");
    await expect(collect(dup)).rejects.toThrow(/dup\.csv:1: duplicate column name "a"/);
    const notpq = join(dir, "x.parquet");
    writeFileSync(notpq, "PAR1 not really");
    await expect(collect(notpq)).rejects.toThrow(/x\.parquet: not a readable Parquet file/);
    await expect(scanPii(join(dir, "a.jsonl"), { textField: "body" })).rejects.toThrow(/no record has the field "body"/);
  });

  it("quotes a parser's excerpt of bad bytes on one line", async () => {
    // Fuzz counterexamples: csv-parse and JSON.parse quote the offending input raw.
    const csv = join(dir, "cr.csv");
    writeFileSync(csv, 'name,emai\r\n"Ann","ann@example.com"\nBob,bob@x.de\n');
    await expect(collect(csv)).rejects.toThrow(/cr\.csv:2: got "\\n" at line 2/);
    const jsonl = join(dir, "cr.jsonl");
    writeFileSync(jsonl, "name\remail\n");
    const e = await collect(jsonl).then(
      () => new Error("read without an error"),
      (x: unknown) => x as Error,
    );
    expect(e.message).toMatch(/cr\.jsonl:1: not valid JSON \(.*name\\remail/);
    expect(e.message).not.toMatch(/[\r\n]/);
  });
  it("random and mutated bytes never escape as anything but a one-line RampartError", async () => {
    const seedCsv = 'name,email\n"Ann","ann@example.com"\nBob,bob@x.de\n';
    const seedJsonl = '{"a":"x@y.com","b":[1,2,{"c":null}]}\n{"a":1}\n';
    const mutate = (s: string) =>
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }).map((edits) => {
        const b = Buffer.from(s);
        for (const [at, v] of edits) b[at % b.length] = v;
        return b;
      });
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a)),
          mutate(seedCsv),
          mutate(seedJsonl),
        ),
        fc.constantFrom("csv", "jsonl", "parquet"),
        async (bytes, ext) => {
          const f = join(dir, `fuzz${n++}.${ext}`);
          writeFileSync(f, bytes);
          try {
            await collect(f);
            await scanPii(f);
          } catch (e) {
            expect(isRampartError(e), String(e)).toBe(true);
            expect((e as Error).message).not.toMatch(/[\r\n]/);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
