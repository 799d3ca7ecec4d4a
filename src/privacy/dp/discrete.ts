import { randomBytes, randomFillSync } from "node:crypto";
import { RampartError } from "../../core/index.js";

/**
 * Exact samplers for discrete noise (Canonne, Kamath, Steinke 2020, "The discrete Gaussian for
 * differential privacy"). Every decision is an integer comparison against a uniform integer from the
 * OS CSPRNG, with rational parameters as BigInt fractions: no floating-point value is ever turned
 * into noise, so the floating-point attacks on textbook Laplace (Mironov 2012) do not apply.
 */

/** A non-negative rational n/d. */
export interface Rational {
  n: bigint;
  d: bigint;
}

/** Source of uniform integers in [0, m) (injectable for tests). */
export type UniformInt = (m: bigint) => bigint;

const pool = new Uint32Array(4096);
let poolPos = pool.length;
function u32(): number {
  if (poolPos >= pool.length) {
    randomFillSync(pool);
    poolPos = 0;
  }
  return pool[poolPos++]!;
}

/** Uniform in [0, m) by rejection (never modulo bias): 32-bit words for small m, whole bytes above. */
export const secureUniformInt: UniformInt = (m) => {
  if (m <= 0n) throw new RangeError("uniform range must be positive");
  if (m <= 0xffffffffn) {
    const mm = Number(m);
    const limit = 0x100000000 - (0x100000000 % mm);
    for (;;) {
      const v = u32();
      if (v < limit) return BigInt(v % mm);
    }
  }
  const bits = m.toString(2).length;
  const bytes = Math.ceil(bits / 8);
  const mask = (1n << BigInt(bits)) - 1n;
  for (;;) {
    const v = BigInt(`0x${randomBytes(bytes).toString("hex")}`) & mask;
    if (v < m) return v;
  }
};

/** The exact rational value of a decimal string or a JS number's shortest decimal form. */
export function rational(x: number | string): Rational {
  const s = typeof x === "number" ? x.toString() : x.trim();
  const m = /^(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i.exec(s);
  if (!m || (m[1] === "" && (m[2] ?? "") === "")) throw new RampartError("usage", `not a non-negative decimal number: "${s}"`);
  const frac = m[2] ?? "";
  let n = BigInt((m[1] || "0") + frac);
  let d = 10n ** BigInt(frac.length);
  const e = Number(m[3] ?? 0);
  if (e > 0) n *= 10n ** BigInt(e);
  else if (e < 0) d *= 10n ** BigInt(-e);
  return reduce({ n, d });
}

function gcd(a: bigint, b: bigint): bigint {
  while (b) [a, b] = [b, a % b];
  return a < 0n ? -a : a;
}

export function reduce(r: Rational): Rational {
  const g = gcd(r.n, r.d) || 1n;
  return { n: r.n / g, d: r.d / g };
}

/** Bernoulli(n/d). */
function bernoulli(n: bigint, d: bigint, u: UniformInt): boolean {
  return u(d) < n;
}

/** Bernoulli(exp(-γ)) for rational γ >= 0 (CKS Algorithm 1). */
export function bernoulliExp(g: Rational, u: UniformInt): boolean {
  let { n, d } = g;
  while (n > d) {
    // exp(-γ) = exp(-1)·exp(-(γ-1))
    if (!bernoulliExp({ n: 1n, d: 1n }, u)) return false;
    n -= d;
  }
  // γ in [0, 1]: K = first k with A_k = 0, A_k ~ Bernoulli(γ/k); return K odd.
  let k = 1n;
  while (bernoulli(n, d * k, u)) k++;
  return k % 2n === 1n;
}

/** Discrete Laplace with scale t/s: P[z] ∝ exp(-|z|·s/t) (CKS Algorithm 2). */
export function discreteLaplace(scale: Rational, u: UniformInt = secureUniformInt): bigint {
  const t = scale.n;
  const s = scale.d;
  if (t <= 0n || s <= 0n) throw new RangeError("discrete Laplace scale must be positive");
  for (;;) {
    const U = u(t);
    if (!bernoulliExp({ n: U, d: t }, u)) continue;
    let V = 0n;
    while (bernoulliExp({ n: 1n, d: 1n }, u)) V++;
    const Y = (U + t * V) / s;
    const negative = u(2n) === 1n;
    if (negative && Y === 0n) continue;
    return negative ? -Y : Y;
  }
}

/** Discrete Gaussian with variance parameter σ² (rational): P[z] ∝ exp(-z²/(2σ²)) (CKS Algorithm 3). */
export function discreteGaussian(sigma2: Rational, u: UniformInt = secureUniformInt): bigint {
  const { n: a, d: b } = reduce(sigma2); // σ² = a/b
  // t = floor(σ) + 1
  let t = 1n;
  while (t * t * b <= a) t++;
  for (;;) {
    const Y = discreteLaplace({ n: t, d: 1n }, u);
    const absY = Y < 0n ? -Y : Y;
    // γ = (|Y| - σ²/t)² / (2σ²) = (|Y|·t·b - a)² / (2·a·b·t²)
    const num = absY * t * b - a;
    if (bernoulliExp(reduce({ n: num * num, d: 2n * a * b * t * t }), u)) return Y;
  }
}
