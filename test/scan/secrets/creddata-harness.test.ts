import { describe, expect, it } from "vitest";
import { chosenRepos, fileUnits, type MetaRow, metaRows, repoId } from "../../../bench/eval-secrets-creddata.js";

// Session 33: how the CredData harness reads a meta file, names a repository and turns reviewed rows into units (the
// rules declared before its first run; these tests were added after it, rules unchanged).

const HEADER = "Id,FileID,Domain,RepoName,FilePath,LineStart,LineEnd,GroundTruth,ValueStart,ValueEnd,CryptographyKey,PredefinedPattern,Category";
const row = (over: Partial<MetaRow>): MetaRow => ({ fileId: "0a1b2c3d", repo: "r", line: 1, endLine: 1, label: "F", category: "Password", ...over });
/** `t` positive and `f` negative rows of one repository. */
const rows = (t: number, f: number) => [...Array(t).fill(row({ label: "T" })), ...Array(f).fill(row({ label: "F" }))];

describe("metaRows", () => {
  it("reads CredData's columns: file id, repository, line span, verdict, first category", () => {
    const text = `${HEADER}\n7,1d02852d,GitHub,00408ef6,data/00408ef6/_/1d02852d.c,475,477,T,10,20,,,Password:Secret\n`;
    expect(metaRows(text, "meta/00408ef6.csv")).toEqual([{ fileId: "1d02852d", repo: "00408ef6", line: 475, endLine: 477, label: "T", category: "Password" }]);
  });
  it("stops on bad input with a one-line error naming the file, the line and the field", () => {
    expect(() => metaRows("Id,FileID\n", "meta/x.csv")).toThrow(/^meta\/x\.csv:1: header/);
    expect(() => metaRows(`${HEADER}\n1,1d02852d,GitHub,r,p,475,475,maybe,,,,,Password\n`, "meta/x.csv")).toThrow(/^meta\/x\.csv:2: GroundTruth "maybe"/);
    expect(() => metaRows(`${HEADER}\n1,1d02852d,GitHub,r,p,9,3,T,,,,,Password\n`, "meta/x.csv")).toThrow(/^meta\/x\.csv:2: LineEnd "3"/);
    expect(() => metaRows(`${HEADER}\n1,zz,GitHub,r,p,9,9,T,,,,,Password\n`, "meta/x.csv")).toThrow(/^meta\/x\.csv:2: FileID "zz"/);
  });
});

describe("repoId", () => {
  it("is the CRC-32 of the snapshot key's bytes, as CredData's downloader names meta files", () => {
    // CRC-32 of the bytes 0x00 0x01 0x02 0x03 is 0x8bb98613 (the standard IEEE polynomial).
    expect(repoId("00010203")).toBe("8bb98613");
    expect(repoId("")).toBe("00000000");
  });
});

describe("fileUnits", () => {
  it("a T span is positive; an F span negative unless it overlaps a T or X span; repeated spans are one unit", () => {
    const { units, overlapping } = fileUnits([
      row({ line: 3, endLine: 3, label: "T" }),
      row({ line: 3, endLine: 3, label: "T" }),
      row({ line: 3, endLine: 3, label: "F" }),
      row({ line: 5, endLine: 9, label: "X" }),
      row({ line: 7, endLine: 7, label: "F" }),
      row({ line: 12, endLine: 12, label: "F" }),
      row({ line: 12, endLine: 12, label: "F" }),
    ]);
    expect(units.map((u) => [u.line, u.endLine, u.positive])).toEqual([
      [3, 3, true],
      [12, 12, false],
    ]);
    expect(overlapping).toBe(1);
  });
});

describe("chosenRepos", () => {
  it("takes repositories in meta order with 10–400 T and F rows and one T at least", () => {
    const by = new Map<string, MetaRow[]>([
      ["bb", rows(1, 9)],
      ["aa", rows(0, 50)],
      ["cc", rows(2, 400)],
      ["ab", rows(5, 5)],
    ]);
    expect(chosenRepos(by)).toEqual(["ab", "bb"]);
  });
  it("with a skip (session 37's slice), passes over that many qualifying repositories only, then takes by the same rule", () => {
    const by = new Map<string, MetaRow[]>(["a1", "a2", "a3", "a4"].map((id, i) => [id, i === 1 ? rows(0, 20) : rows(1, 20)]));
    expect(chosenRepos(by, 1)).toEqual(["a3", "a4"]);
    expect(chosenRepos(by, 3)).toEqual([]);
  });
});
