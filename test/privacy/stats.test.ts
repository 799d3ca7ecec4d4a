import { describe, expect, it } from "vitest";
import {
  bernoulliExp,
  discreteGaussian,
  discreteLaplace,
  dpCount,
  dpHistogram,
  dpMean,
  dpQuantile,
  dpSum,
  gaussianSigma2,
  rational,
  secureUniformInt,
} from "../../src/privacy/dp/index.js";

describe("exact discrete samplers (Canonne–Kamath–Steinke 2020)", () => {
  it("parses decimals into exact rationals", () => {
    expect(rational(0.1)).toEqual({ n: 1n, d: 10n });
    expect(rational("2.50")).toEqual({ n: 5n, d: 2n });
    expect(rational(1e-7)).toEqual({ n: 1n, d: 10000000n });
    expect(() => rational("-1")).toThrow();
  });

  it("Bernoulli(exp(-γ)) has the right frequency", () => {
    for (const [g, n] of [
      [{ n: 1n, d: 2n }, 20000],
      [{ n: 5n, d: 2n }, 20000],
    ] as const) {
      let hits = 0;
      for (let i = 0; i < n; i++) if (bernoulliExp(g, secureUniformInt)) hits++;
      const p = Math.exp(-Number(g.n) / Number(g.d));
      expect(Math.abs(hits / n - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / n));
    }
  });

  it("discrete Laplace matches its pmf (scale 2)", () => {
    const n = 20000;
    const counts = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const z = Number(discreteLaplace({ n: 2n, d: 1n }));
      counts.set(z, (counts.get(z) ?? 0) + 1);
    }
    const a = Math.exp(-1 / 2);
    const pmf = (z: number) => ((1 - a) / (1 + a)) * a ** Math.abs(z);
    for (const z of [-3, -1, 0, 1, 2, 4]) {
      const p = pmf(z);
      expect(Math.abs((counts.get(z) ?? 0) / n - p), `z=${z}`).toBeLessThan(4.5 * Math.sqrt((p * (1 - p)) / n));
    }
  });

  it("discrete Gaussian has mean 0 and variance close to sigma^2 (sigma^2 = 9)", () => {
    const n = 10000;
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      const z = Number(discreteGaussian({ n: 9n, d: 1n }));
      s += z;
      s2 += z * z;
    }
    expect(Math.abs(s / n)).toBeLessThan(0.15);
    expect(Math.abs(s2 / n - 9)).toBeLessThan(0.6);
  });
});

describe("DP statistics", () => {
  const values = Array.from({ length: 5000 }, (_, i) => (i % 100) / 10); // uniform on 0..9.9, mean 4.95

  it("count, sum and mean are unbiased with the advertised noise scale", () => {
    const c = dpCount(5000, { epsilon: 1 });
    expect(c.scale).toBe(1);
    expect(Math.abs(c.value - 5000)).toBeLessThan(30);
    const s = dpSum(values, { lower: 0, upper: 10 }, { epsilon: 1 });
    expect(Math.abs(s.value - 24750)).toBeLessThan(s.scale * 30);
    expect(s.scale).toBeCloseTo(10, 3);
    const m = dpMean(values, { lower: 0, upper: 10 }, { epsilon: 1 });
    expect(Math.abs(m.value - 4.95)).toBeLessThan(0.1);
    const g = dpCount(5000, { epsilon: 1, delta: 1e-6 }, "gaussian");
    expect(g.delta).toBe(1e-6);
    expect(Math.abs(g.value - 5000)).toBeLessThan(g.scale * 6);
  });

  it("snaps outputs to the resolution grid (no low-order bits from the data)", () => {
    const s = dpSum([0.123456789, 0.987654321], { lower: 0, upper: 1, resolution: 1 / 64 }, { epsilon: 0.5 });
    expect(Number.isInteger(s.value * 64)).toBe(true);
  });

  it("Gaussian sigma meets the zCDP conversion and is minimal on its grid", () => {
    const s2 = gaussianSigma2(1, 1, 1e-5);
    const v = Number(s2.n) / Number(s2.d);
    const eps = (x: number) => 1 / (2 * x) + 2 * Math.sqrt((1 / (2 * x)) * Math.log(1e5));
    expect(eps(v)).toBeLessThanOrEqual(1);
    expect(eps(v - 2 / 1024)).toBeGreaterThan(1);
  });

  it("histogram and quantile land near the truth", () => {
    const bins = values.map((v) => Math.floor(v));
    const h = dpHistogram(bins, 10, { epsilon: 1 });
    for (const c of h.counts) expect(Math.abs(c - 500)).toBeLessThan(30);
    const med = dpQuantile(values, 0.5, { lower: 0, upper: 10 }, { epsilon: 1 });
    expect(Math.abs(med.value - 5)).toBeLessThan(0.3);
    const p90 = dpQuantile(values, 0.9, { lower: 0, upper: 10, candidates: 101 }, { epsilon: 1 });
    expect(Math.abs(p90.value - 9)).toBeLessThan(0.3);
  });
});
