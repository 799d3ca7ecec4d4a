import erfc from "@stdlib/math-base-special-erfc";
import erfcx from "@stdlib/math-base-special-erfcx";

export { erfc };

/** log(e^a + e^b) without overflow. */
export function logAdd(a: number, b: number): number {
  const lo = Math.min(a, b);
  const hi = Math.max(a, b);
  if (lo === Number.NEGATIVE_INFINITY) return hi;
  return Math.log1p(Math.exp(lo - hi)) + hi;
}

/** log(e^a - e^b) for a >= b; -inf when equal. */
export function logSub(a: number, b: number): number {
  if (a < b) throw new RangeError(`logSub: result would be negative (${a} < ${b})`);
  if (b === Number.NEGATIVE_INFINITY) return a;
  if (a === b) return Number.NEGATIVE_INFINITY;
  const d = Math.expm1(a - b);
  // expm1 overflows only when a - b > ~709, where e^b is negligible against e^a.
  return Number.isFinite(d) ? Math.log(d) + b : a;
}

/** log(erfc(x)), accurate in the far right tail where erfc underflows (via the scaled erfcx). */
export function logErfc(x: number): number {
  if (x < 0.5) return Math.log(erfc(x));
  return Math.log(erfcx(x)) - x * x;
}

/** Standard normal CDF. */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

/** Standard normal survival function 1 - Phi(x), accurate in the right tail. */
export function normalSf(x: number): number {
  return 0.5 * erfc(x / Math.SQRT2);
}

/** Smallest x in [lo, hi] with f(x) true, for f monotone false→true, to absolute tolerance tol. */
export function bisect(f: (x: number) => boolean, lo: number, hi: number, tol: number): number {
  while (hi - lo > tol) {
    const mid = (lo + hi) / 2;
    if (f(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}
