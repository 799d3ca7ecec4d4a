/**
 * C2SP tlog-tiles: a static, cacheable view of the log. A level-L tile holds up to 256 hashes of
 * Merkle level 8·L; since the store keeps every complete subtree, a tile is a range read.
 */
import { RampartError } from "../core/errors.js";

export const TILE_WIDTH = 256;
export const TILE_HEIGHT = 8;

/** 1234067 → "x001/x234/067": 3-digit groups, all but the last prefixed with x. */
export function encodeTileIndex(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`bad tile index ${n}`);
  const groups: string[] = [];
  do {
    groups.unshift(String(n % 1000).padStart(3, "0"));
    n = Math.floor(n / 1000);
  } while (n > 0);
  return groups.map((g, i) => (i < groups.length - 1 ? `x${g}` : g)).join("/");
}

export interface TilePath {
  /** "entries" for entry bundles, else the tile level. */
  level: number | "entries";
  index: number;
  /** Width of a partial tile (1–255), or 256 for a full one. */
  width: number;
}

/** Parses `<L>/<N>[.p/<W>]` or `entries/<N>[.p/<W>]` (the part after `tile/`). */
export function parseTilePath(path: string): TilePath {
  const fail = () => new RampartError("invalid-input", `tile/${path}: not a tlog-tiles path`);
  const m = /^(entries|[0-9]|[1-5][0-9]|6[0-3])\/((?:x[0-9]{3}\/)*[0-9]{3})(?:\.p\/([1-9][0-9]?|1[0-9]{2}|2[0-4][0-9]|25[0-5]))?$/.exec(path);
  if (!m) throw fail();
  const index = Number(m[2]!.replace(/x|\//g, ""));
  if (!Number.isSafeInteger(index)) throw fail();
  if (encodeTileIndex(index) !== m[2]) throw fail(); // no leading "x000/" groups
  return { level: m[1] === "entries" ? "entries" : Number(m[1]), index, width: m[3] ? Number(m[3]) : TILE_WIDTH };
}

/** Widths of the tiles a tree of `size` has at a level: full tiles, then the partial width (0 if none). */
export function tileShape(size: number, level: number): { full: number; partial: number } {
  const nodes = Math.floor(size / 2 ** (TILE_HEIGHT * level));
  return { full: Math.floor(nodes / TILE_WIDTH), partial: nodes % TILE_WIDTH };
}

/** An entry bundle: each entry as a big-endian uint16 length and its bytes. */
export function entryBundle(entries: readonly string[]): Buffer {
  return Buffer.concat(
    entries.flatMap((e) => {
      const bytes = Buffer.from(e, "utf8");
      const len = Buffer.alloc(2);
      len.writeUInt16BE(bytes.length);
      return [len, bytes];
    }),
  );
}
