import { constants, crc32, createInflateRaw, type InflateRaw, inflateRawSync } from "node:zlib";
// The core barrel would load zod, yaml and the renderers: the scanner takes only what it uses.
import { tag } from "../../../core/tags.js";
import { type HiddenRegion, scanHiddenRegion } from "../hidden.js";
import { SliceSource, type Source } from "../source.js";
import type { Analyzer, AnalyzerInput } from "../types.js";

/**
 * Zip archives (PyTorch checkpoints, .npz, .keras). Read the way torch's reader reads them: flags and
 * CRCs do not stop it, and both the central directory and each local header are parsed, so tricks that
 * make Python's zipfile raise (and blind scanners built on it) are reported instead, and every member
 * is still scanned by content.
 */
export const zipAnalyzer: Analyzer = {
  type: "zip",
  version: 1,
  required: (head) => head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && ((head[2] === 3 && head[3] === 4) || (head[2] === 5 && head[3] === 6)),
  analyze: analyzeZip,
};

const ZIP_TAGS = [tag.cwe(409), tag.atlas("AML.T0010.003")];

export interface ZipEntry {
  name: string;
  flags: number;
  method: number;
  crc: number;
  compSize: number;
  size: number;
  localOffset: number;
  /** Where this entry sits in the central directory (for locations). */
  cdOffset: number;
  /** Unix st_mode from the external attributes when a Unix host made the entry, else 0. */
  mode: number;
}

const u16 = (b: Uint8Array, o: number) => b[o]! | (b[o + 1]! << 8);
const u32 = (b: Uint8Array, o: number) => (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16)) + b[o + 3]! * 0x1000000;
const u64 = (b: Uint8Array, o: number) => u32(b, o) + u32(b, o + 4) * 0x100000000;
const sig = (b: Uint8Array, o: number, c: number, d: number) => b[o] === 0x50 && b[o + 1] === 0x4b && b[o + 2] === c && b[o + 3] === d;

/** Finds the end-of-central-directory record within the last 64 KiB + 22 bytes. */
export async function findEocd(source: Source): Promise<{ offset: number; rec: Uint8Array } | undefined> {
  if (source.size < 22) return undefined;
  // Most archives have no comment: the record is the last 22 bytes, and one small read settles it.
  const last = await source.read(source.size - 22, 22);
  if (sig(last, 0, 5, 6) && u16(last, 20) === 0) return { offset: source.size - 22, rec: last };
  const tailLen = Math.min(source.size, 65_557);
  const tail = await source.read(source.size - tailLen, tailLen);
  // Native backwards search (this runs on every top-level file, for the polyglot check).
  const i = Buffer.from(tail.buffer, tail.byteOffset, tail.byteLength).lastIndexOf(EOCD_SIG, tail.length - 22);
  return i >= 0 ? { offset: source.size - tailLen + i, rec: tail.subarray(i) } : undefined;
}
const EOCD_SIG = Buffer.from([0x50, 0x4b, 0x05, 0x06]);

/** Reads the central directory; throws Error with a reason when the archive structure is unusable. */
export interface CentralDirectory {
  entries: ZipEntry[];
  /** Length of the archive comment. */
  comment: number;
  /** Bytes prepended to the archive (every offset is shifted by them). */
  prefix: number;
  /** Where the central directory starts in the file. */
  cdStart: number;
  /** Where the end-of-central-directory record starts, and where it (with its comment) ends. */
  eocdOffset: number;
  eocdEnd: number;
}

export async function readCentralDirectory(source: Source, maxMembers: number): Promise<CentralDirectory> {
  const eocd = await findEocd(source);
  if (!eocd) throw new Error("no end-of-central-directory record (truncated or not a zip)");
  let count = u16(eocd.rec, 10);
  let cdSize = u32(eocd.rec, 12);
  let cdOffset = u32(eocd.rec, 16);
  const comment = u16(eocd.rec, 20);
  // Where the central directory should end: the EOCD, or the ZIP64 EOCD record when one precedes it.
  let cdEnd = eocd.offset;
  const loc = eocd.offset >= 20 ? await source.read(eocd.offset - 20, 20) : new Uint8Array(0);
  if (loc.length === 20 && sig(loc, 0, 6, 7)) {
    const at = eocd.offset - 20 - 56;
    const z64 = at >= 0 ? await source.read(at, 56) : new Uint8Array(0);
    if (z64.length < 56 || !sig(z64, 0, 6, 6)) throw new Error("ZIP64 end-of-central-directory record missing");
    count = u64(z64, 32);
    cdSize = u64(z64, 40);
    cdOffset = u64(z64, 48);
    cdEnd = at;
  } else if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) throw new Error("ZIP64 sizes without a ZIP64 locator");
  if (count > maxMembers) throw new Error(`${count} members exceed the limit of ${maxMembers}`);
  if (cdSize > 512 * 1024 * 1024 || cdSize > cdEnd) throw new Error("central directory lies outside the file");
  // Data prepended to the archive shifts every offset (self-extracting style); readers correct for it.
  const prefix = Math.max(0, cdEnd - cdSize - cdOffset);
  if (cdOffset + prefix + cdSize > source.size) throw new Error("central directory lies outside the file");
  const cd = await source.read(cdOffset + prefix, cdSize);
  const entries: ZipEntry[] = [];
  let p = 0;
  while (p + 46 <= cd.length && entries.length < count) {
    if (!sig(cd, p, 1, 2)) throw new Error(`bad central directory entry signature at offset ${cdOffset + prefix + p}`);
    const nameLen = u16(cd, p + 28);
    const extraLen = u16(cd, p + 30);
    const commentLen = u16(cd, p + 32);
    if (p + 46 + nameLen + extraLen + commentLen > cd.length) throw new Error("central directory entry runs past the directory");
    const name = Buffer.from(cd.subarray(p + 46, p + 46 + nameLen)).toString("utf8");
    let compSize = u32(cd, p + 20);
    let size = u32(cd, p + 24);
    let localOffset = u32(cd, p + 42);
    // ZIP64 extended information extra field (0x0001).
    let e = p + 46 + nameLen;
    const end = e + extraLen;
    while (e + 4 <= end) {
      const id = u16(cd, e);
      const len = u16(cd, e + 2);
      if (id === 1) {
        let q = e + 4;
        if (size === 0xffffffff && q + 8 <= e + 4 + len) {
          size = u64(cd, q);
          q += 8;
        }
        if (compSize === 0xffffffff && q + 8 <= e + 4 + len) {
          compSize = u64(cd, q);
          q += 8;
        }
        if (localOffset === 0xffffffff && q + 8 <= e + 4 + len) localOffset = u64(cd, q);
      }
      e += 4 + len;
    }
    entries.push({
      name,
      flags: u16(cd, p + 8),
      method: u16(cd, p + 10),
      crc: u32(cd, p + 16),
      compSize,
      size,
      localOffset: localOffset + prefix,
      cdOffset: cdOffset + prefix + p,
      // Host 3 (Unix) and 19 (OS X) keep st_mode in the high half of the external attributes; `unzip` honours it.
      mode: UNIX_HOSTS.has(cd[p + 5]!) ? u32(cd, p + 38) >>> 16 : 0,
    });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return { entries, comment, prefix, cdStart: cdOffset + prefix, eocdOffset: eocd.offset, eocdEnd: Math.min(source.size, eocd.offset + 22 + comment) };
}

const UNIX_HOSTS = new Set([3, 19]);
const S_IFMT = 0o170000;
const SPECIAL_FILES = new Map<number, string>([
  [0o020000, "a character device"],
  [0o060000, "a block device"],
  [0o010000, "a named pipe"],
  [0o140000, "a socket"],
]);

/**
 * Unix file types in a member's mode. Python's zipfile (torch, Keras, joblib) ignores them and writes a plain file;
 * `unzip` creates them: a symlink whose target leaves the folder lets a later member or a later reader reach any
 * file (high); an in-folder link or a device node has no place in a model archive (medium).
 */
async function reportUnixType(input: AnalyzerInput, entry: ZipEntry, content: Source): Promise<boolean> {
  const type = entry.mode & S_IFMT;
  if (type === 0o120000) {
    const target = Buffer.from(await content.read(0, Math.min(content.size, 4096))).toString("utf8");
    const escapes = unsafeMemberName(target) !== undefined || /^~/.test(target);
    input.report({
      ruleId: "model.archive.link",
      severity: escapes ? "high" : "medium",
      message: `member ${entry.name} is a symlink to ${JSON.stringify(target.slice(0, 200))}${
        escapes
          ? ", outside the extraction folder: unzip creates it, so reading or writing through it reaches that file"
          : ": unzip creates it (Python's zipfile writes the target text as a file)"
      }`,
      offset: entry.localOffset,
      entity: entry.name,
      evidence: { mode: `0${entry.mode.toString(8)}`, target: target.slice(0, 200) },
      tags: [tag.cwe(59), ...ZIP_TAGS],
    });
    return true;
  }
  const special = SPECIAL_FILES.get(type);
  if (special)
    input.report({
      ruleId: "model.archive.special-file",
      severity: "medium",
      message: `member ${entry.name} is ${special} (mode 0${entry.mode.toString(8)}): no model file is one; unzip run as root creates the node`,
      offset: entry.localOffset,
      entity: entry.name,
      tags: ZIP_TAGS,
    });
  return false;
}

/** True for names that escape the extraction folder. */
export function unsafeMemberName(name: string): string | undefined {
  if (name.includes("\0")) return "contains a NUL byte";
  if (/^([a-zA-Z]:|[\\/])/.test(name)) return "is an absolute path";
  if (name.split(/[\\/]/).includes("..")) return "climbs out of the extraction folder with ..";
  if (name.includes("\\")) return "uses backslashes (a different path on Windows)";
  return undefined;
}

async function analyzeZip(input: AnalyzerInput): Promise<void> {
  const { source } = input;
  let dir: CentralDirectory;
  try {
    dir = await readCentralDirectory(source, input.limits.maxMembers);
  } catch (e) {
    input.report({
      ruleId: "model.archive.unreadable",
      severity: "high",
      message: `zip archive cannot be read (${(e as Error).message}); its members were not scanned and a tolerant loader may still read them`,
      tags: ZIP_TAGS,
    });
    return;
  }
  input.note("zip");
  const names = new Map<string, number>();
  let declared = 0;
  const spans: Array<[number, number, string]> = [];
  /** Byte ranges some zip reader reads: members (with descriptors), the directory, the end records. */
  const claimed: Array<[number, number]> = [[dir.cdStart, dir.eocdEnd]];
  let pickleMembers = 0;
  for (const entry of dir.entries) {
    const loc = { offset: entry.cdOffset };
    names.set(entry.name, (names.get(entry.name) ?? 0) + 1);
    const bad = unsafeMemberName(entry.name);
    if (bad)
      input.report({
        ruleId: "model.archive.path-traversal",
        severity: "high",
        message: `member name ${JSON.stringify(entry.name)} ${bad}; extracting it writes outside the target folder`,
        ...loc,
        entity: entry.name,
        tags: [tag.cwe(22), ...ZIP_TAGS],
      });
    declared += entry.size;
    if (entry.size > 10 * 1024 * 1024 && entry.compSize > 0 && entry.size / entry.compSize > input.limits.maxRatio)
      input.report({
        ruleId: "model.archive.bomb",
        severity: "high",
        message: `member ${entry.name} expands ${Math.round(entry.size / entry.compSize)}x (${entry.compSize} → ${entry.size} bytes): a decompression bomb`,
        ...loc,
        evidence: { compressed: entry.compSize, uncompressed: entry.size },
        tags: ZIP_TAGS,
      });
    const header = await source.read(entry.localOffset, 30);
    if (header.length < 30 || !sig(header, 0, 3, 4)) {
      input.report({
        ruleId: "model.archive.inconsistent",
        severity: "high",
        message: `member ${entry.name}: no local header at offset ${entry.localOffset}; readers disagree on its content`,
        offset: entry.localOffset,
        tags: ZIP_TAGS,
      });
      continue;
    }
    const lflags = u16(header, 6);
    const lmethod = u16(header, 8);
    const lnameLen = u16(header, 26);
    const lextraLen = u16(header, 28);
    const lname = Buffer.from(await source.read(entry.localOffset + 30, lnameLen)).toString("utf8");
    const dataOffset = entry.localOffset + 30 + lnameLen + lextraLen;
    spans.push([entry.localOffset, dataOffset + entry.compSize, entry.name]);
    // A data descriptor (flag 0x8) follows the data: up to 24 bytes with its optional signature.
    claimed.push([entry.localOffset, dataOffset + entry.compSize + ((entry.flags | lflags) & 8 ? 24 : 0)]);
    if (lname !== entry.name)
      input.report({
        ruleId: "model.archive.inconsistent",
        severity: "high",
        message: `member named ${JSON.stringify(entry.name)} in the central directory but ${JSON.stringify(lname)} in its local header: Python's zipfile refuses it, torch loads it`,
        offset: entry.localOffset,
        evidence: { central: entry.name, local: lname },
        tags: ZIP_TAGS,
      });
    const odd = (entry.flags | lflags) & ~(0x0008 | 0x0800 | 0x0002 | 0x0004);
    if (odd !== 0 || lmethod !== entry.method)
      input.report({
        ruleId: "model.archive.unusual-flags",
        // Medium: the member's bytes are scanned anyway, as torch reads them, so a payload behind the
        // trick is reported on its own; truly encrypted data cannot be loaded by torch either.
        severity: "medium",
        message: `member ${entry.name} has unusual zip flags 0x${(entry.flags | lflags).toString(16)}${(odd & 1) !== 0 ? " (encrypted bit: zipfile refuses, torch ignores it)" : ""}${
          lmethod !== entry.method ? `, method ${entry.method} vs ${lmethod} in the local header` : ""
        }: a trick to hide members from scanners; its bytes were scanned as stored`,
        offset: entry.localOffset,
        evidence: { centralFlags: entry.flags, localFlags: lflags, method: entry.method, localMethod: lmethod },
        tags: ZIP_TAGS,
      });
    if (entry.name.endsWith("/") && entry.size === 0) continue;
    const memberName = entry.name;
    let content: Source | undefined;
    if (entry.method === 0) {
      content = new SliceSource(source, dataOffset, entry.compSize);
      if (entry.compSize !== entry.size)
        input.report({
          ruleId: "model.archive.inconsistent",
          severity: "medium",
          message: `stored member ${entry.name} declares ${entry.size} bytes but holds ${entry.compSize}`,
          offset: entry.localOffset,
          tags: ZIP_TAGS,
        });
    } else if (entry.method === 8) {
      // Inflated lazily: a member nobody wants (tensor data) costs only its first block.
      content = new InflateSource(source, dataOffset, entry.compSize, Math.min(entry.size, input.limits.maxPickleBytes));
      if (entry.size > input.limits.maxPickleBytes) {
        const head = await content.read(0, 4096);
        if (!input.wants(head, memberName, entry.size)) continue;
        input.report({
          ruleId: "model.limit",
          severity: "medium",
          message: `deflated member ${entry.name} (${entry.size} bytes) is larger than the ${input.limits.maxPickleBytes}-byte analysis limit; only its first ${input.limits.maxPickleBytes} bytes are scanned`,
          offset: entry.localOffset,
        });
      }
    } else {
      input.report({
        ruleId: "model.archive.unsupported-method",
        severity: "medium",
        message: `member ${entry.name} uses compression method ${entry.method}, which Rampart cannot read (torch cannot either); its content was not scanned`,
        offset: entry.localOffset,
      });
      continue;
    }
    if (entry.mode !== 0 && (await reportUnixType(input, entry, content))) continue;
    const head = await content.read(0, 4096);
    if (content.size <= input.limits.maxPickleBytes && head[0] === 0x80) {
      // CRC-32 of small members that look like pickles: zipfile rejects a mismatch, torch does not.
      const all = await content.read(0, content.size);
      // The central directory's CRC is authoritative even with a data descriptor (flag 0x8).
      if (crc32(all) >>> 0 !== entry.crc >>> 0)
        input.report({
          ruleId: "model.archive.bad-crc",
          severity: "high",
          message: `member ${entry.name} fails its CRC-32 check: Python's zipfile refuses it (blinding scanners built on it), torch loads it anyway`,
          offset: entry.localOffset,
          evidence: { declared: entry.crc >>> 0, actual: crc32(all) >>> 0 },
          tags: ZIP_TAGS,
        });
    }
    if (head[0] === 0x80 && head[1] !== undefined && head[1] >= 2 && head[1] <= 5) pickleMembers++;
    await input.scanNested(content, memberName);
  }
  for (const [name, count] of names)
    if (count > 1)
      input.report({
        ruleId: "model.archive.duplicate-name",
        severity: "high",
        message: `${count} members are named ${JSON.stringify(name)}: different readers pick different ones`,
        entity: name,
        tags: ZIP_TAGS,
      });
  spans.sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < spans.length; i++)
    if (spans[i]![0] < spans[i - 1]![1]) {
      input.report({
        ruleId: "model.archive.overlap",
        severity: "high",
        message: `members ${spans[i - 1]![2]} and ${spans[i]![2]} overlap in the file (a zip bomb or a disguise)`,
        offset: spans[i]![0],
        tags: ZIP_TAGS,
      });
      break;
    }
  if (declared > input.limits.maxArchiveBytes)
    input.report({
      ruleId: "model.archive.bomb",
      severity: "high",
      message: `members declare ${declared} bytes in total, above the ${input.limits.maxArchiveBytes}-byte limit`,
      tags: ZIP_TAGS,
    });
  await scanUnclaimed(input, dir, claimed);
  if (dir.entries.some((e) => /(^|\/)data\.pkl$/.test(e.name))) input.note("pytorch-zip");
  if (pickleMembers > 1 && dir.entries.some((e) => /(^|\/)data\.pkl$/.test(e.name)) && !dir.entries.some((e) => /(^|\/)constants\.pkl$/.test(e.name)))
    input.report({
      ruleId: "model.pytorch.extra-pickle",
      severity: "low",
      message: `${pickleMembers} members of this PyTorch archive are pickles (a checkpoint normally has only data.pkl)`,
    });
}

/**
 * A deflated member inflated on demand, as a stream: compressed bytes go into one inflater a piece at a
 * time until the output covers what analyzers asked for, so a member nobody wants whole (tensor data)
 * costs its first pieces, and output past the member's `size` is never kept. A piece is small enough
 * (16 KiB) that even a maximal deflate ratio (1032:1) overshoots by at most 16 MiB.
 */
export class InflateSource implements Source {
  private out: Buffer = Buffer.alloc(0);
  private outLen = 0;
  private consumed = 0;
  private done = false;
  private failure: Error | undefined;
  private inflater: InflateRaw | undefined;
  constructor(
    private readonly parent: Source,
    private readonly start: number,
    private readonly compSize: number,
    readonly size: number,
  ) {}
  async read(offset: number, length: number): Promise<Uint8Array> {
    const want = Math.min(offset + length, this.size);
    // Most reads want a member's head: the first piece inflated in one synchronous call answers them
    // without a stream. When more is wanted, the stream starts over from the first piece.
    if (!this.inflater && !this.done && this.consumed === 0 && this.outLen === 0) {
      const first = await this.parent.read(this.start, Math.min(16_384, this.compSize));
      try {
        this.keep(inflateRawSync(first, { finishFlush: constants.Z_SYNC_FLUSH }));
      } catch {
        this.outLen = 0; // the stream will say why
      }
      if (this.outLen >= want || first.length >= this.compSize) {
        if (first.length >= this.compSize && this.outLen > 0) this.done = true;
        if (this.done || this.outLen >= want) return this.out.subarray(Math.min(offset, this.outLen), Math.min(this.outLen, offset + length));
      }
      this.outLen = 0;
    }
    // A read of the whole member (a pickle: its CRC and the machine need all of it) inflates in one
    // synchronous call capped at the declared size; a member that inflates past it takes the stream.
    if (want === this.size && !this.inflater && !this.done && this.compSize <= this.parent.size) {
      const all = await this.parent.read(this.start, this.compSize);
      try {
        const whole = inflateRawSync(all, { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: Math.max(1, this.size) });
        this.outLen = 0;
        this.keep(whole);
        this.done = true;
      } catch {
        // Too large for its declared size, or corrupt: the stream keeps the declared bytes or says why.
      }
    }
    while (this.outLen < want && !this.done) await this.step();
    if (this.failure && this.outLen < want) throw new Error(`member does not inflate: ${this.failure.message}`);
    return this.out.subarray(Math.min(offset, this.outLen), Math.min(this.outLen, offset + length));
  }

  private keep(chunk: Buffer): void {
    const room = this.size - this.outLen;
    if (room <= 0) return;
    const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
    if (this.outLen + part.length > this.out.length) {
      // Capacity doubles (capped at the member size): copies stay linear in the output.
      const grown = Buffer.allocUnsafe(Math.min(this.size, Math.max(this.out.length * 2, this.outLen + part.length, 65_536)));
      this.out.copy(grown, 0, 0, this.outLen);
      this.out = grown;
    }
    part.copy(this.out, this.outLen);
    this.outLen += part.length;
  }

  /** Feeds the next compressed piece (or the end) and waits until its output has arrived. */
  private async step(): Promise<void> {
    if (this.failure) {
      this.done = true;
      return;
    }
    if (!this.inflater) {
      this.outLen = 0; // the stream starts at the member's first byte, whatever the first piece gave
      this.inflater = createInflateRaw({ finishFlush: constants.Z_SYNC_FLUSH });
      this.inflater.on("data", (chunk: Buffer) => this.keep(chunk));
      this.inflater.on("error", (e: Error) => {
        this.failure ??= e;
        this.done = true;
      });
    }
    const z = this.inflater;
    if (this.consumed >= this.compSize || this.outLen >= this.size) {
      await new Promise<void>((resolve) => {
        z.once("end", resolve);
        z.once("error", () => resolve());
        z.end();
        z.resume();
      });
      this.done = true;
      return;
    }
    const piece = await this.parent.read(this.start + this.consumed, Math.min(16_384, this.compSize - this.consumed));
    if (piece.length === 0) {
      this.consumed = this.compSize;
      return;
    }
    this.consumed += piece.length;
    await new Promise<void>((resolve) => z.write(piece, () => resolve()));
    // 'data' for this piece may be emitted on the next turn: let it land before the caller looks.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/**
 * Bytes of the file that no zip reader reads: after the end record (a pickle appended to a valid checkpoint),
 * between members, before the first member of an archive that starts at offset 0. The archive comment is read
 * by readers but holds no member, so it is searched for pickles too. Data before an archive that does not start
 * the file is the other format's (a polyglot), which the walker has analysed already.
 */
async function scanUnclaimed(input: AnalyzerInput, dir: CentralDirectory, claimed: Array<[number, number]>): Promise<void> {
  const size = input.source.size;
  const atStart = input.head[0] === 0x50 && input.head[1] === 0x4b;
  claimed.sort((a, b) => a[0] - b[0]);
  let pos = atStart ? 0 : Math.min(size, claimed[0]?.[0] ?? size);
  const regions: HiddenRegion[] = [];
  for (const [start, end] of claimed) {
    if (start > pos) regions.push({ start: pos, end: Math.min(start, size), where: pos === 0 ? "before the zip's first member" : "between zip members", noteUnknown: true });
    pos = Math.max(pos, end);
  }
  if (pos < size) regions.push({ start: pos, end: size, where: "after the zip's end record", noteUnknown: true });
  if (dir.comment > 0) regions.push({ start: dir.eocdOffset + 22, end: dir.eocdEnd, where: "in the zip comment", noteUnknown: false });
  for (const r of regions.slice(0, 64)) await scanHiddenRegion(input, r);
}
