import { RampartError } from "../../core/index.js";
import { fft } from "./fft.js";
import { erfc } from "./math.js";
import { rdpEpsilon, type SgmPhase } from "./rdp.js";

/**
 * The PRV accountant (Gopi, Lee, Wutschitz 2021, "Numerical composition of differential privacy"),
 * configured as Opacus' PRVAccountant: the privacy loss of one Poisson-subsampled Gaussian step is
 * discretized on a mesh chosen from eps_error/delta_error, composed by FFT, and epsilon is read off
 * the composed distribution. Returns the upper bound (estimate at delta - delta_error, + eps_error).
 */
export interface PrvOptions {
  /** Allowed error in epsilon (Opacus default 0.01). */
  epsError?: number;
  /** Allowed error in delta (Opacus default delta / 1000). */
  deltaError?: number;
  /** Refuse meshes larger than this many points (memory guard). */
  maxPoints?: number;
}

export interface PrvEpsilon {
  epsilon: number;
  lower: number;
  estimate: number;
  upper: number;
  meshSize: number;
  points: number;
  domain: number;
}

/**
 * The privacy-loss variable L = log((1-q) + q·exp((2x-1)/(2σ²))) for x ~ (1-q)N(0,σ²) + qN(1,σ²)
 * (sensitivity 1): its CDF and survival function in closed form (Gopi et al., Prop. B4).
 */
class SubsampledGaussianPrv {
  private readonly logOneMinusQ: number;
  constructor(
    readonly q: number,
    readonly sigma: number,
  ) {
    this.logOneMinusQ = q === 1 ? Number.NEGATIVE_INFINITY : Math.log1p(-q);
  }
  /** (a, b): the erfc arguments at t, or undefined below the support. */
  private args(t: number): [number, number] | undefined {
    if (!(t > this.logOneMinusQ)) return undefined;
    const { q, sigma } = this;
    // z = log((e^t + q - 1)/q), written to keep precision when e^t ≈ 1 - q.
    const z = q === 1 ? t : Math.log(Math.expm1(t) + q) - Math.log(q);
    const s2 = 2 * Math.SQRT2 * sigma;
    return [(2 * z * sigma * sigma - 1) / s2, (2 * z * sigma * sigma + 1) / s2];
  }
  cdf(t: number): number {
    const a = this.args(t);
    if (!a) return 0;
    return 1 - this.sf2(a);
  }
  /** 1 - cdf(t), without cancellation in the right tail (where delta lives). */
  sf(t: number): number {
    const a = this.args(t);
    if (!a) return 1;
    return this.sf2(a);
  }
  private sf2([a, b]: [number, number]): number {
    return (this.q * erfc(a) + (1 - this.q) * erfc(b)) / 2;
  }
}

/** Adaptive Simpson of f over [a, b] to absolute tolerance tol. */
function integrate(f: (x: number) => number, a: number, b: number, tol: number): number {
  const fa = f(a);
  const fb = f(b);
  const m = (a + b) / 2;
  const fm = f(m);
  const whole = ((b - a) / 6) * (fa + 4 * fm + fb);
  const rec = (a: number, b: number, fa: number, fm: number, fb: number, whole: number, tol: number, depth: number): number => {
    const m = (a + b) / 2;
    const lm = (a + m) / 2;
    const rm = (m + b) / 2;
    const flm = f(lm);
    const frm = f(rm);
    const left = ((m - a) / 6) * (fa + 4 * flm + fm);
    const right = ((b - m) / 6) * (fm + 4 * frm + fb);
    const diff = left + right - whole;
    if (depth <= 0 || Math.abs(diff) <= 15 * tol) return left + right + diff / 15;
    return rec(a, m, fa, flm, fm, left, tol / 2, depth - 1) + rec(m, b, fm, frm, fb, right, tol / 2, depth - 1);
  };
  return rec(a, b, fa, fm, fb, whole, tol, 48);
}

/** Mean of the PRV truncated to [tMin, tMax]: tMax - ∫ cdf (cdf renormalised to the window). */
function truncatedMean(prv: SubsampledGaussianPrv, tMin: number, tMax: number): number {
  const c0 = prv.cdf(tMin);
  const mass = prv.cdf(tMax) - c0;
  const cdf = (t: number) => (prv.cdf(t) - c0) / mass;
  // Break points where the cdf changes fast (around 0 and the bottom of the support).
  const pts = new Set<number>([tMin, tMax]);
  for (const e of [-1, -2, -3, -4, -5]) {
    pts.add(10 ** e);
    pts.add(-(10 ** e));
  }
  const low = Math.log1p(-prv.q);
  if (Number.isFinite(low)) pts.add(low);
  const sorted = [...pts].filter((p) => p >= tMin && p <= tMax).sort((x, y) => x - y);
  let integral = 0;
  for (let i = 0; i + 1 < sorted.length; i++) integral += integrate(cdf, sorted[i]!, sorted[i + 1]!, 1e-15);
  return tMax - integral;
}

/** Opacus' safe domain half-width (Gopi et al. remark 5.6): from RDP tail bounds, plus 3. */
function safeDomain(phases: readonly SgmPhase[], epsError: number, deltaError: number): number {
  const total = phases.reduce((n, p) => n + p.steps, 0);
  let L = rdpEpsilon(phases, deltaError / 4).epsilon;
  for (const p of phases) L = Math.max(L, rdpEpsilon([{ ...p, steps: 1 }], deltaError / (8 * total)).epsilon);
  return Math.max(L, epsError) + 3;
}

export function prvEpsilon(phases: readonly SgmPhase[], delta: number, options: PrvOptions = {}): PrvEpsilon {
  if (!(delta > 0 && delta < 1)) throw new RampartError("usage", `delta must be in (0, 1), got ${delta}`);
  const active = phases.filter((p) => p.steps > 0 && p.sampleRate > 0);
  const zero: PrvEpsilon = { epsilon: 0, lower: 0, estimate: 0, upper: 0, meshSize: 0, points: 0, domain: 0 };
  if (active.length === 0) return zero;
  for (const p of active) {
    if (!(p.noiseMultiplier > 0))
      return { ...zero, epsilon: Number.POSITIVE_INFINITY, lower: Number.POSITIVE_INFINITY, estimate: Number.POSITIVE_INFINITY, upper: Number.POSITIVE_INFINITY };
    if (!(p.sampleRate <= 1)) throw new RampartError("usage", `sample rate must be in [0, 1], got ${p.sampleRate}`);
  }
  const epsError = options.epsError ?? 0.01;
  const deltaError = options.deltaError ?? delta / 1000;
  const maxPoints = options.maxPoints ?? 1 << 23;
  const total = active.reduce((n, p) => n + p.steps, 0);
  const L = safeDomain(active, epsError, deltaError);
  const dt = epsError / Math.sqrt((total * Math.log(12 / deltaError)) / 2);
  // A symmetric grid t_k = k·dt, k in [-K, K], stored circularly (index k mod n) so sums of offsets
  // need no bookkeeping; n is a power of two with room for the whole window.
  const K = Math.ceil(L / dt);
  let n = 1;
  while (n < 2 * K + 2) n <<= 1;
  if (n > maxPoints) throw new RampartError("limit", `PRV accountant needs ${n} mesh points (more than ${maxPoints}); raise eps_error`);
  // Spectrum of the point mass at 0 (all ones): the identity for composition.
  const accRe = new Float64Array(n).fill(1);
  const accIm = new Float64Array(n);
  let shift = 0;
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  for (const p of active) {
    const prv = new SubsampledGaussianPrv(p.sampleRate, p.noiseMultiplier);
    const tMin = -K * dt;
    const tMax = K * dt;
    const c0 = prv.cdf(tMin);
    const s1 = prv.sf(tMax);
    const mass = 1 - c0 - s1;
    re.fill(0);
    im.fill(0);
    let meanD = 0;
    for (let k = -K; k <= K; k++) {
      const tl = k === -K ? tMin : (k - 0.5) * dt;
      const tr = k === K ? tMax : (k + 0.5) * dt;
      // Bin mass from whichever tail is small, so probabilities near 1 do not cancel.
      const m = tr <= 0 ? prv.cdf(tr) - prv.cdf(tl) : prv.sf(tl) - prv.sf(tr);
      const pk = Math.max(0, m) / mass;
      re[(k + n) % n] = pk;
      meanD += k * dt * pk;
    }
    const meanShift = truncatedMean(prv, tMin, tMax) - meanD;
    if (Math.abs(meanShift) >= dt / 2) throw new RampartError("invalid-input", "PRV accountant: discrete mean differs from the continuous mean by more than half a bin");
    shift += p.steps * meanShift;
    fft(re, im);
    // Raise the one-step spectrum to the power `steps` (polar form) and multiply into the total.
    for (let i = 0; i < n; i++) {
      const r = Math.hypot(re[i]!, im[i]!);
      const th = Math.atan2(im[i]!, re[i]!);
      const rp = r ** p.steps;
      const pr = rp * Math.cos(th * p.steps);
      const pi = rp * Math.sin(th * p.steps);
      const ar = accRe[i]!;
      const ai = accIm[i]!;
      accRe[i] = ar * pr - ai * pi;
      accIm[i] = ar * pi + ai * pr;
    }
  }
  fft(accRe, accIm, true);
  // Read the composed pmf back in increasing t; wrapped tail mass is below delta_error by the choice of L.
  const ts = new Float64Array(n);
  const pmf = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const j = i - n / 2;
    ts[i] = j * dt + shift;
    pmf[i] = accRe[(j + n) % n]!;
  }
  const find = (target: number) => epsilonAt(ts, pmf, target);
  const estimate = find(delta);
  const upper = find(delta - deltaError) + epsError;
  const lower = find(delta + deltaError) - epsError;
  return { epsilon: upper, lower, estimate, upper, meshSize: dt, points: n, domain: L };
}

/**
 * delta(eps) = Σ_{t ≥ eps} p(t)(1 - e^{eps - t}); finds the first grid point where delta(t) ≤ target
 * and solves exactly within that tail: eps = log((D1 - target) / D2).
 */
function epsilonAt(ts: Float64Array, pmf: Float64Array, target: number): number {
  const n = ts.length;
  let d1 = 0;
  let d2 = 0;
  // Walk from the top: the tail sums grow, delta(t_i) = d1 - e^{t_i} d2 grows as i falls.
  let found = -1;
  let f1 = 0;
  let f2 = 0;
  for (let i = n - 1; i >= 0; i--) {
    d1 += pmf[i]!;
    d2 += pmf[i]! * Math.exp(-ts[i]!);
    const del = d1 - Math.exp(ts[i]!) * d2;
    if (del <= target) {
      found = i;
      f1 = d1;
      f2 = d2;
    } else break;
  }
  if (found <= 0) throw new RampartError("invalid-input", "PRV accountant: cannot reach this delta on the mesh (delta too small or domain too narrow)");
  return Math.log((f1 - target) / f2);
}
