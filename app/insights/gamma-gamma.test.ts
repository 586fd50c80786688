import { describe, expect, it } from "vitest";
import { expectedOrderValue, fitGammaGamma } from "./gamma-gamma";
import { LOG_PARAMETER_BOUND } from "./optimize";

const NOTE = { p: 6.25, q: 3.74, gamma: 15.44 };

describe("Gamma-Gamma", () => {
  it("stops at the parameter bound when customers' spend does not differ, with the mean where it tends", () => {
    // Every customer's mean is near ¥3,000: nothing to tell customers apart by, so q and γ grow without end.
    const customers = Array.from({ length: 3000 }, (_, i) => ({ x: 1 + (i % 4), mx: 3000 + ((i * 7) % 3) }));
    const { params } = fitGammaGamma(customers);
    expect(Math.log(params.q)).toBeLessThanOrEqual(LOG_PARAMETER_BOUND + 1e-9);
    expect(Math.log(params.gamma)).toBeLessThanOrEqual(LOG_PARAMETER_BOUND + 1e-9);
    expect(expectedOrderValue(params, { x: 2, mx: 3001 })).toBeCloseTo(3001, -1);
  });

  it("pulls a customer's mean toward the population's, less so the more transactions they have", () => {
    const population = (NOTE.gamma * NOTE.p) / (NOTE.q - 1);
    expect(expectedOrderValue(NOTE, { x: 0, mx: 0 })).toBeCloseTo(population, 10);
    const once = expectedOrderValue(NOTE, { x: 1, mx: 100 });
    const often = expectedOrderValue(NOTE, { x: 20, mx: 100 });
    expect(once).toBeGreaterThan(population);
    expect(once).toBeLessThan(often);
    expect(often).toBeLessThan(100);
    // The note's eq. (5): (γ + x m_x) p / (p x + q − 1).
    expect(once).toBeCloseTo(((NOTE.gamma + 100) * NOTE.p) / (NOTE.p + NOTE.q - 1), 10);
  });

  it("fits a maximum: its log-likelihood beats the fit's parameters nudged either way", () => {
    // Spends spread over customers with 1..5 repeat transactions, deterministic so the test is repeatable.
    const customers = Array.from({ length: 200 }, (_, i) => ({ x: 1 + (i % 5), mx: 10 + ((i * 37) % 90) }));
    const fit = fitGammaGamma(customers);
    const again = fitGammaGamma(customers);
    expect(again).toEqual(fit);
    for (const key of ["p", "q", "gamma"] as const) {
      for (const factor of [0.95, 1.05]) {
        const nudged = { ...fit.params, [key]: fit.params[key] * factor };
        // Checked with an independent transcription of the likelihood, so a wrong formula in the module shows.
        expect(fitLogLikelihood(nudged, customers)).toBeLessThan(fit.logLikelihood);
      }
    }
  });

  it("ignores customers without a repeat transaction and refuses when none has one", () => {
    const customers = [
      { x: 2, mx: 30 },
      { x: 3, mx: 50 },
      { x: 1, mx: 20 },
      { x: 4, mx: 45 },
    ];
    expect(fitGammaGamma([...customers, { x: 0, mx: 0 }])).toEqual(fitGammaGamma(customers));
    expect(() => fitGammaGamma([{ x: 0, mx: 0 }])).toThrow(RangeError);
  });
});

// The note's eq. (4) summed over customers, written out independently of the module to check its optimum.
function fitLogLikelihood(params: { p: number; q: number; gamma: number }, customers: { x: number; mx: number }[]) {
  const lg = (z: number) => {
    // Stirling's series is ample at the test's arguments once shifted above 10.
    let shift = 0;
    while (z < 10) {
      shift -= Math.log(z);
      z += 1;
    }
    return shift + (z - 0.5) * Math.log(z) - z + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * z) - 1 / (360 * z ** 3);
  };
  const { p, q, gamma } = params;
  return customers.reduce(
    (s, { x, mx }) =>
      s +
      lg(p * x + q) -
      lg(p * x) -
      lg(q) +
      q * Math.log(gamma) +
      (p * x - 1) * Math.log(mx) +
      p * x * Math.log(x) -
      (p * x + q) * Math.log(gamma + x * mx),
    0,
  );
}
