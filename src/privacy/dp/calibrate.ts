import { RampartError } from "../../core/index.js";
import { type PrvOptions, prvEpsilon } from "./prv.js";
import { type RdpOptions, rdpEpsilon } from "./rdp.js";

export type AccountantName = "rdp" | "prv";

export interface CalibrateOptions {
  targetEpsilon: number;
  delta: number;
  sampleRate: number;
  steps: number;
  accountant?: AccountantName;
  /** Stop when the found sigma's epsilon is within this of the target (Opacus: 0.01). */
  epsilonTolerance?: number;
  rdp?: RdpOptions;
  prv?: PrvOptions;
}

const MAX_SIGMA = 1e6;

/** Epsilon of `steps` DP-SGD steps under the named accountant. */
export function accountEpsilon(
  accountant: AccountantName,
  sampleRate: number,
  noiseMultiplier: number,
  steps: number,
  delta: number,
  opts: { rdp?: RdpOptions; prv?: PrvOptions } = {},
): number {
  const phases = [{ sampleRate, noiseMultiplier, steps }];
  return accountant === "prv" ? prvEpsilon(phases, delta, opts.prv).epsilon : rdpEpsilon(phases, delta, opts.rdp).epsilon;
}

/**
 * The smallest noise multiplier (to the tolerance) whose epsilon stays at or below the target, by
 * doubling then bisection as Opacus' get_noise_multiplier does; the returned sigma always meets the
 * target (it is the upper end of the bracket).
 */
export function calibrateNoise(options: CalibrateOptions): { noiseMultiplier: number; epsilon: number } {
  const { targetEpsilon, delta, sampleRate, steps } = options;
  if (!(targetEpsilon > 0)) throw new RampartError("usage", `target epsilon must be > 0, got ${targetEpsilon}`);
  const tol = options.epsilonTolerance ?? 0.01;
  const eps = (sigma: number) => accountEpsilon(options.accountant ?? "rdp", sampleRate, sigma, steps, delta, options);
  let low = 0;
  let high = 10;
  let epsHigh = Number.POSITIVE_INFINITY;
  while (epsHigh > targetEpsilon) {
    high *= 2;
    if (high > MAX_SIGMA)
      throw new RampartError("usage", `target epsilon ${targetEpsilon} is out of reach for sample rate ${sampleRate} and ${steps} steps (the budget is too low)`);
    epsHigh = eps(high);
  }
  while (targetEpsilon - epsHigh > tol) {
    const mid = (low + high) / 2;
    const e = eps(mid);
    if (e < targetEpsilon) {
      high = mid;
      epsHigh = e;
    } else low = mid;
  }
  return { noiseMultiplier: high, epsilon: epsHigh };
}
