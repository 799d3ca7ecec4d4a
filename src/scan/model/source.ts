import { readSync } from "node:fs";

/**
 * Random-access bytes: a file on disk, a slice of one (a stored archive member) or a buffer (an
 * inflated member). Analyzers read only the ranges they need, so tensor data is never read.
 */
export interface Source {
  readonly size: number;
  /** Up to `length` bytes at `offset` (fewer at the end). */
  read(offset: number, length: number): Promise<Uint8Array>;
}

export class FileSource implements Source {
  bytesRead = 0;
  constructor(
    private readonly fd: number,
    readonly size: number,
  ) {}
  async read(offset: number, length: number): Promise<Uint8Array> {
    const len = Math.max(0, Math.min(length, this.size - offset));
    if (len === 0) return new Uint8Array(0);
    const buf = Buffer.allocUnsafe(len);
    let got = 0;
    // Synchronous pread: analyzers issue many small reads (headers, member heads) that the page cache
    // answers in microseconds, where a thread-pool round trip each would dominate the scan.
    while (got < len) {
      const bytesRead = readSync(this.fd, buf, got, len - got, offset + got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    this.bytesRead += got;
    return got === len ? buf : buf.subarray(0, got);
  }
}

export class SliceSource implements Source {
  readonly size: number;
  constructor(
    private readonly parent: Source,
    private readonly start: number,
    size: number,
  ) {
    this.size = Math.max(0, Math.min(size, parent.size - start));
  }
  read(offset: number, length: number): Promise<Uint8Array> {
    const len = Math.max(0, Math.min(length, this.size - offset));
    return this.parent.read(this.start + offset, len);
  }
}

export class BufferSource implements Source {
  constructor(private readonly buf: Uint8Array) {}
  get size(): number {
    return this.buf.length;
  }
  async read(offset: number, length: number): Promise<Uint8Array> {
    return this.buf.subarray(offset, Math.min(this.buf.length, offset + length));
  }
}

/** Sequential little-endian reader over a Source with a bounded buffer (for GGUF, protobuf, tar). */
export class Cursor {
  private buf: Uint8Array = new Uint8Array(0);
  private bufStart = 0;
  pos: number;
  constructor(
    readonly source: Source,
    start = 0,
    private readonly chunk = 1 << 16,
  ) {
    this.pos = start;
  }
  get remaining(): number {
    return this.source.size - this.pos;
  }
  /** Exactly `n` bytes or throws RangeError at the end of the data. */
  async bytes(n: number): Promise<Uint8Array> {
    if (n > this.remaining) throw new RangeError(`needs ${n} bytes at offset ${this.pos}, only ${this.remaining} left`);
    const rel = this.pos - this.bufStart;
    if (rel >= 0 && rel + n <= this.buf.length) {
      this.pos += n;
      return this.buf.subarray(rel, rel + n);
    }
    if (n > this.chunk) {
      const out = await this.source.read(this.pos, n);
      this.pos += n;
      return out;
    }
    this.buf = await this.source.read(this.pos, Math.max(this.chunk, n));
    this.bufStart = this.pos;
    this.pos += n;
    return this.buf.subarray(0, n);
  }
  /** True when `n` bytes at the cursor are already buffered (then the *Now readers need no await). */
  buffered(n: number): boolean {
    const rel = this.pos - this.bufStart;
    return rel >= 0 && rel + n <= this.buf.length;
  }
  /** Buffers at least `n` bytes at the cursor; false when the data ends first. */
  async fill(n: number): Promise<boolean> {
    if (this.buffered(n)) return true;
    if (n > this.remaining) return false;
    this.buf = await this.source.read(this.pos, Math.max(this.chunk, n));
    this.bufStart = this.pos;
    return this.buf.length >= n;
  }
  /** u64 from the buffer; call after buffered(8) or fill(8). */
  u64Now(): number {
    const b = this.buf;
    const o = this.pos - this.bufStart;
    this.pos += 8;
    return (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16)) + b[o + 3]! * 0x1000000 + ((b[o + 4]! | (b[o + 5]! << 8) | (b[o + 6]! << 16)) + b[o + 7]! * 0x1000000) * 0x100000000;
  }
  skip(n: number): void {
    if (n > this.remaining || n < 0) throw new RangeError(`cannot skip ${n} bytes at offset ${this.pos}, only ${this.remaining} left`);
    this.pos += n;
  }
  async u8(): Promise<number> {
    return (await this.bytes(1))[0]!;
  }
  async u32(): Promise<number> {
    const b = await this.bytes(4);
    return (b[0]! | (b[1]! << 8) | (b[2]! << 16)) + b[3]! * 0x1000000;
  }
  async u64(): Promise<number> {
    const b = await this.bytes(8);
    const lo = (b[0]! | (b[1]! << 8) | (b[2]! << 16)) + b[3]! * 0x1000000;
    const hi = (b[4]! | (b[5]! << 8) | (b[6]! << 16)) + b[7]! * 0x1000000;
    // Past 2^53 the value is meaningless for an offset or count; callers compare against limits.
    return hi * 0x100000000 + lo;
  }
  /** Protobuf base-128 varint (up to 2^53). */
  async varint(): Promise<number> {
    let result = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
      const b = await this.u8();
      result += (b & 0x7f) * mul;
      if ((b & 0x80) === 0) return result;
      mul *= 128;
    }
    throw new RangeError(`varint longer than 10 bytes at offset ${this.pos}`);
  }
}
