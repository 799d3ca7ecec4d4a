import { randomFillSync } from "node:crypto";

/** A source of uniform [0,1) doubles and standard normals. */
export interface Rng {
  uniform(): number;
  normal(): number;
  readonly secure: boolean;
}

/** Box–Muller over any uniform source; u1 is taken in (0, 1] so log never sees 0. */
function boxMuller(uniform: () => number): () => number {
  let spare: number | undefined;
  return () => {
    if (spare !== undefined) {
      const s = spare;
      spare = undefined;
      return s;
    }
    const u1 = 1 - uniform();
    const u2 = uniform();
    const r = Math.sqrt(-2 * Math.log(u1));
    spare = r * Math.sin(2 * Math.PI * u2);
    return r * Math.cos(2 * Math.PI * u2);
  };
}

/**
 * Cryptographically secure randomness from node:crypto (the OS CSPRNG), buffered 64 KiB at a time.
 * DP noise and Poisson sampling must come from here: a predictable generator voids the guarantee.
 */
export function secureRng(): Rng {
  const pool = new Uint32Array(16384);
  let pos = pool.length;
  const u32 = () => {
    if (pos >= pool.length) {
      randomFillSync(pool);
      pos = 0;
    }
    return pool[pos++]!;
  };
  // 53 random bits: every double in [0,1) on the 2^-53 grid equally likely.
  const uniform = () => ((u32() >>> 5) * 67108864 + (u32() >>> 6)) / 9007199254740992;
  return { uniform, normal: boxMuller(uniform), secure: true };
}

/** A seeded generator (xoshiro128**) for reproducible non-private work: tests, shadow models, data. */
export function seededRng(seed: number): Rng {
  let a = seed >>> 0 || 0x9e3779b9;
  let b = 0x243f6a88 ^ a;
  let c = 0xb7e15162;
  let d = 0x85a308d3 ^ (seed * 31);
  const next = () => {
    const r = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    return r;
  };
  for (let i = 0; i < 16; i++) next();
  const uniform = () => ((next() >>> 5) * 67108864 + (next() >>> 6)) / 9007199254740992;
  return { uniform, normal: boxMuller(uniform), secure: false };
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** Fisher–Yates permutation of 0..n-1. */
export function permutation(n: number, rng: Rng): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.uniform() * (i + 1));
    const t = p[i]!;
    p[i] = p[j]!;
    p[j] = t;
  }
  return p;
}
