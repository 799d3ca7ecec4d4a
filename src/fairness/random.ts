/**
 * Seeded pseudo-random numbers for reproducible bootstrap: xoshiro128** (Blackman & Vigna), seeded
 * through splitmix32 so that nearby seeds give unrelated streams.
 */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    let s = seed >>> 0;
    const next = () => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    if ((this.a | this.b | this.c | this.d) === 0) this.a = 1;
  }

  /** Uniform 32-bit unsigned integer. */
  nextU32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return result;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextU32() / 4294967296;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

// CDF of Poisson(1) at k = 0..12, as 32-bit integer cut points: inversion with one draw per weight.
const POISSON1_CUTS: Uint32Array = (() => {
  const cuts = new Uint32Array(13);
  let p = Math.exp(-1);
  let cdf = 0;
  for (let k = 0; k < cuts.length; k++) {
    cdf += p;
    cuts[k] = Math.min(4294967295, Math.floor(cdf * 4294967296));
    p /= k + 1;
  }
  return cuts;
})();

/** A Poisson(1) draw: how many times a row appears in one bootstrap replicate (mean 1, variance 1). */
export function poisson1(rng: Rng): number {
  const u = rng.nextU32();
  let k = 0;
  while (k < POISSON1_CUTS.length && u >= POISSON1_CUTS[k]!) k++;
  return k;
}
