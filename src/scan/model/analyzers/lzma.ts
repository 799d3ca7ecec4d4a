/**
 * LZMA ("lzma-alone", the `.lzma` format joblib writes) decoder with a hard output limit and a
 * deadline. Written here because the npm decoders either decode to the end whatever the size (a bomb
 * of a few KiB inflates to gigabytes) or need a native build. The algorithm follows the LZMA
 * specification (LzmaSpec, 7-Zip SDK): a range coder driving adaptive bit models.
 */

export interface LzmaResult {
  data: Uint8Array;
  /** Output reached `limit` before the stream ended. */
  over: boolean;
  /** Set when the stream is damaged or truncated (the output before the damage is kept). */
  error?: string;
  timedOut?: boolean;
}

/** `5d 00 00 …`-style header: properties byte, dictionary size, uncompressed size (or all ones). */
export function parseLzmaHeader(h: Uint8Array): { lc: number; lp: number; pb: number; dictSize: number; size: number | undefined } | undefined {
  if (h.length < 13 || h[0]! >= 9 * 5 * 5) return undefined;
  let d = h[0]!;
  const lc = d % 9;
  d = (d / 9) | 0;
  const lp = d % 5;
  const pb = (d / 5) | 0;
  const dictSize = (h[1]! | (h[2]! << 8) | (h[3]! << 16)) + h[4]! * 0x1000000;
  let unknown = true;
  for (let i = 5; i < 13; i++) if (h[i] !== 0xff) unknown = false;
  const lo = (h[5]! | (h[6]! << 8) | (h[7]! << 16)) + h[8]! * 0x1000000;
  const hi = (h[9]! | (h[10]! << 8) | (h[11]! << 16)) + h[12]! * 0x1000000;
  return { lc, lp, pb, dictSize, size: unknown ? undefined : hi * 0x100000000 + lo };
}

const PROB_INIT = 1024;
const kMatchMinLen = 2;

class DamagedError extends Error {}

class RangeDecoder {
  range = 0xffffffff;
  code = 0;
  pos: number;
  constructor(
    private readonly input: Uint8Array,
    start: number,
  ) {
    this.pos = start;
    if (this.next() !== 0) throw new DamagedError("range coder does not start with a zero byte");
    for (let i = 0; i < 4; i++) this.code = ((this.code << 8) | this.next()) >>> 0;
    if (this.code === this.range) throw new DamagedError("range coder initial code is invalid");
  }
  private next(): number {
    if (this.pos >= this.input.length) throw new DamagedError("compressed data ends early");
    return this.input[this.pos++]!;
  }
  private normalize(): void {
    if (this.range < 0x1000000) {
      this.range = (this.range << 8) >>> 0;
      this.code = ((this.code << 8) | this.next()) >>> 0;
    }
  }
  bit(probs: Uint16Array, i: number): number {
    const p = probs[i]!;
    const bound = (this.range >>> 11) * p;
    if (this.code < bound) {
      probs[i] = p + ((2048 - p) >>> 5);
      this.range = bound;
      this.normalize();
      return 0;
    }
    probs[i] = p - (p >>> 5);
    this.code -= bound;
    this.range -= bound;
    this.normalize();
    return 1;
  }
  direct(n: number): number {
    let res = 0;
    for (let i = 0; i < n; i++) {
      this.range >>>= 1;
      let bit = 0;
      if (this.code >= this.range) {
        this.code -= this.range;
        bit = 1;
      }
      res = ((res << 1) | bit) >>> 0;
      this.normalize();
    }
    return res;
  }
  tree(probs: Uint16Array, base: number, bits: number): number {
    let m = 1;
    for (let i = 0; i < bits; i++) m = (m << 1) | this.bit(probs, base + m);
    return m - (1 << bits);
  }
  reverse(probs: Uint16Array, base: number, bits: number): number {
    let m = 1;
    let sym = 0;
    for (let i = 0; i < bits; i++) {
      const b = this.bit(probs, base + m);
      m = (m << 1) | b;
      sym |= b << i;
    }
    return sym;
  }
}

/** Length decoder: choice bits, then 3-bit low/mid trees per position state or an 8-bit high tree. */
class LenDecoder {
  private readonly choice = new Uint16Array(2).fill(PROB_INIT);
  private readonly low = new Uint16Array(16 << 3).fill(PROB_INIT);
  private readonly mid = new Uint16Array(16 << 3).fill(PROB_INIT);
  private readonly high = new Uint16Array(256).fill(PROB_INIT);
  decode(rc: RangeDecoder, posState: number): number {
    if (rc.bit(this.choice, 0) === 0) return rc.tree(this.low, posState << 3, 3);
    if (rc.bit(this.choice, 1) === 0) return 8 + rc.tree(this.mid, posState << 3, 3);
    return 16 + rc.tree(this.high, 0, 8);
  }
}

/**
 * Decodes an lzma-alone stream (13-byte header then range-coded data), keeping at most `limit` output
 * bytes. Never throws: damage and truncation come back as `error` with the output decoded so far.
 */
export function decodeLzmaAlone(input: Uint8Array, limit: number, deadline = Number.POSITIVE_INFINITY): LzmaResult {
  const header = parseLzmaHeader(input);
  if (!header) return { data: new Uint8Array(0), over: false, error: "not an lzma-alone header" };
  const { lc, lp, pb, size } = header;
  const want = size === undefined ? limit : Math.min(size, limit);
  let out = new Uint8Array(Math.min(want, 1 << 20));
  let n = 0;
  const grow = () => {
    const next = new Uint8Array(Math.min(limit, out.length * 2));
    next.set(out);
    out = next;
  };
  let error: string | undefined;
  let timedOut = false;
  try {
    const rc = new RangeDecoder(input, 13);
    const literal = new Uint16Array(0x300 << (lc + lp)).fill(PROB_INIT);
    const isMatch = new Uint16Array(12 << 4).fill(PROB_INIT);
    const isRep = new Uint16Array(12).fill(PROB_INIT);
    const isRepG0 = new Uint16Array(12).fill(PROB_INIT);
    const isRepG1 = new Uint16Array(12).fill(PROB_INIT);
    const isRepG2 = new Uint16Array(12).fill(PROB_INIT);
    const isRep0Long = new Uint16Array(12 << 4).fill(PROB_INIT);
    const posSlot = new Uint16Array(4 << 6).fill(PROB_INIT);
    const posDecoders = new Uint16Array(1 + 128 - 14).fill(PROB_INIT);
    const align = new Uint16Array(16).fill(PROB_INIT);
    const lenDec = new LenDecoder();
    const repLenDec = new LenDecoder();
    const pbMask = (1 << pb) - 1;
    const lpMask = (1 << lp) - 1;
    let state = 0;
    let rep0 = 0;
    let rep1 = 0;
    let rep2 = 0;
    let rep3 = 0;
    let nextCheck = 1 << 16;
    const put = (b: number) => {
      if (n === out.length) grow();
      out[n++] = b;
    };
    while (n < want) {
      // The clock is read every 64 KiB of output: cheap, and a slow stream cannot hold the scan.
      if (n >= nextCheck) {
        nextCheck = n + (1 << 16);
        if (performance.now() > deadline) {
          timedOut = true;
          break;
        }
      }
      const posState = n & pbMask;
      if (rc.bit(isMatch, (state << 4) + posState) === 0) {
        const prev = n > 0 ? out[n - 1]! : 0;
        const base = 0x300 * (((n & lpMask) << lc) + (prev >>> (8 - lc)));
        let sym = 1;
        if (state >= 7) {
          let matchByte = out[n - rep0 - 1]!;
          do {
            const matchBit = (matchByte >>> 7) & 1;
            matchByte <<= 1;
            const bit = rc.bit(literal, base + ((1 + matchBit) << 8) + sym);
            sym = (sym << 1) | bit;
            if (matchBit !== bit) break;
          } while (sym < 0x100);
        }
        while (sym < 0x100) sym = (sym << 1) | rc.bit(literal, base + sym);
        put(sym & 0xff);
        state = state < 4 ? 0 : state < 10 ? state - 3 : state - 6;
        continue;
      }
      let len: number;
      if (rc.bit(isRep, state) !== 0) {
        if (n === 0) throw new DamagedError("repeated match before any output");
        if (rc.bit(isRepG0, state) === 0) {
          if (rc.bit(isRep0Long, (state << 4) + posState) === 0) {
            state = state < 7 ? 9 : 11;
            put(out[n - rep0 - 1]!);
            continue;
          }
        } else {
          let dist: number;
          if (rc.bit(isRepG1, state) === 0) dist = rep1;
          else {
            if (rc.bit(isRepG2, state) === 0) dist = rep2;
            else {
              dist = rep3;
              rep3 = rep2;
            }
            rep2 = rep1;
          }
          rep1 = rep0;
          rep0 = dist;
        }
        len = repLenDec.decode(rc, posState);
        state = state < 7 ? 8 : 11;
      } else {
        rep3 = rep2;
        rep2 = rep1;
        rep1 = rep0;
        len = lenDec.decode(rc, posState);
        state = state < 7 ? 7 : 10;
        // Distance: a 6-bit slot, then reverse-coded low bits, direct bits and 4 aligned bits.
        const slot = rc.tree(posSlot, Math.min(len, 3) << 6, 6);
        if (slot < 4) rep0 = slot;
        else {
          const direct = (slot >>> 1) - 1;
          let dist = ((2 | (slot & 1)) << direct) >>> 0;
          if (slot < 14) dist += rc.reverse(posDecoders, dist - slot, direct);
          else {
            dist += rc.direct(direct - 4) * 16;
            dist += rc.reverse(align, 0, 4);
          }
          rep0 = dist >>> 0;
        }
        if (rep0 === 0xffffffff) break; // end marker
        if (rep0 >= n) throw new DamagedError(`match distance ${rep0 + 1} reaches before the start of the data`);
      }
      len += kMatchMinLen;
      if (rep0 >= n) throw new DamagedError(`match distance ${rep0 + 1} reaches before the start of the data`);
      for (let i = 0; i < len && n < want; i++) put(out[n - rep0 - 1]!);
    }
  } catch (e) {
    error = e instanceof DamagedError ? e.message : `decoder failed: ${(e as Error).message}`;
  }
  const over = n >= limit && (size === undefined || size > limit);
  return { data: out.subarray(0, n), over, ...(error ? { error } : {}), ...(timedOut ? { timedOut } : {}) };
}
