import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isRampartError } from "../../src/core/index.js";
import { encodeTileIndex, formatAddCheckpoint, parseAddCheckpoint, parseTilePath, tileShape } from "../../src/ledger/index.js";
import { decodeEntry, parseCheckpointText, parseVkey, verifyBundle } from "../../src/ledger/verify.js";

const SAMPLES = JSON.parse(readFileSync("../shared/vectors/ledger/tlog-formats/samples.json", "utf8"));

describe("tlog-witness and tlog-tiles formats", () => {
  it("parses the C2SP add-checkpoint request and formats it back byte for byte", () => {
    const req = parseAddCheckpoint(SAMPLES.witnessAddCheckpointRequest);
    expect(req.oldSize).toBe(20852014);
    expect(req.proof).toHaveLength(4);
    expect(req.note.startsWith("example.com/behind-the-sofa\n20852163\n")).toBe(true);
    expect(formatAddCheckpoint(req)).toBe(SAMPLES.witnessAddCheckpointRequest);
    expect(() => parseAddCheckpoint(`old 1\n${"AAAA\n"}\n${req.note}`)).toThrow(/proof line 1/);
    expect(() => parseAddCheckpoint(`old 01\n\n${req.note}`)).toThrow(/old <size>/);
  });
  it("encodes tile paths and shapes as the spec's examples", () => {
    for (const [n, p] of Object.entries(SAMPLES.tileExamples.paths as Record<string, string>)) {
      expect(encodeTileIndex(Number(n))).toBe(p);
      expect(parseTilePath(`0/${p}`)).toEqual({ level: 0, index: Number(n), width: 256 });
    }
    const s = SAMPLES.tileExamples.treeSize70000;
    expect(tileShape(70000, 0)).toEqual({ full: s.level0FullTiles, partial: s.level0PartialWidth });
    expect(tileShape(70000, 1)).toEqual({ full: s.level1FullTiles, partial: s.level1PartialWidth });
    expect(tileShape(70000, 2)).toEqual({ full: 0, partial: s.level2PartialWidth });
    expect(parseTilePath("entries/x001/234.p/17")).toEqual({ level: "entries", index: 1234, width: 17 });
    for (const bad of ["0/1234", "0/x000/001", "0/001.p/0", "0/001.p/256", "64/000", "0/../etc"]) expect(() => parseTilePath(bad)).toThrow(/not a tlog-tiles path/);
  });
});

describe("untrusted-input parsers: random and mutated input never escapes as anything but RampartError", () => {
  const onlyRampartErrors = (fn: () => unknown) => {
    try {
      fn();
    } catch (e) {
      if (!isRampartError(e)) throw e;
    }
  };
  const mutate = (base: string) =>
    fc.tuple(fc.nat(base.length), fc.nat(8), fc.string({ maxLength: 6 })).map(([at, cut, ins]) => base.slice(0, at) + ins + base.slice(Math.min(base.length, at + cut)));
  it("add-checkpoint bodies", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 300 }), mutate(SAMPLES.witnessAddCheckpointRequest)), (s) => onlyRampartErrors(() => parseAddCheckpoint(s))),
      { numRuns: 1000 },
    );
  });
  it("checkpoint texts and verifier keys", () => {
    const text = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 200 }), mutate(text)), (s) => onlyRampartErrors(() => parseCheckpointText(s))),
      { numRuns: 1000 },
    );
    fc.assert(
      fc.property(mutate("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"), (s) => onlyRampartErrors(() => parseVkey(s))),
      { numRuns: 1000 },
    );
  });
  it("tile paths and ledger entries", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (s) => {
        onlyRampartErrors(() => parseTilePath(s));
        expect(() => decodeEntry(s)).not.toThrow();
      }),
      { numRuns: 1000 },
    );
  });
  it("evidence bundles of random shape", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (v) => onlyRampartErrors(() => verifyBundle(v))),
      { numRuns: 500 },
    );
  });
});
