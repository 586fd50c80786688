import { describe, expect, it } from "vitest";
import { bgnbdLogLikelihood, expectedPurchases, expectedPurchasesNew, fitBgNbd, probabilityAlive } from "./bgnbd";

// The paper's CDNOW estimates, for checks that do not need a fit.
const PAPER = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };

describe("BG/NBD", () => {
  it("a customer who has not bought again is alive; one who stopped long ago much less so than a recent one", () => {
    expect(probabilityAlive(PAPER, { x: 0, tx: 0, T: 38 })).toBe(1);
    const recent = probabilityAlive(PAPER, { x: 4, tx: 37, T: 38 });
    const lapsed = probabilityAlive(PAPER, { x: 4, tx: 5, T: 38 });
    expect(recent).toBeGreaterThan(0.8);
    expect(lapsed).toBeLessThan(0.2);
  });

  it("expects more purchases of frequent, recent customers, none over no time, and grows with the horizon", () => {
    const frequent = { x: 6, tx: 36, T: 38 };
    const rare = { x: 1, tx: 20, T: 38 };
    expect(expectedPurchases(PAPER, frequent, 39)).toBeGreaterThan(expectedPurchases(PAPER, rare, 39));
    expect(expectedPurchases(PAPER, frequent, 0)).toBe(0);
    expect(expectedPurchases(PAPER, frequent, 52)).toBeGreaterThan(expectedPurchases(PAPER, frequent, 13));
    // A customer seen only at their first purchase (T = 0) expects what a new customer does: eq. (10) meets eq. (7).
    expect(expectedPurchases(PAPER, { x: 0, tx: 0, T: 0 }, 26)).toBeCloseTo(expectedPurchasesNew(PAPER, 26), 10);
  });

  it("the likelihood of identical customers is the sum of theirs, and it is lower away from the fit", () => {
    const one = { x: 2, tx: 30.43, T: 38.86 };
    expect(bgnbdLogLikelihood(PAPER, [one, one, one])).toBeCloseTo(3 * bgnbdLogLikelihood(PAPER, [one]), 10);
    const zero = { x: 0, tx: 0, T: 38.86 };
    // x = 0 has the closed form r ln α − r ln(α + T) + ln Γ(a+b) + ln Γ(b) − ln Γ(b) − ln Γ(a+b) = r ln(α / (α + T)).
    expect(bgnbdLogLikelihood(PAPER, [zero])).toBeCloseTo(PAPER.r * Math.log(PAPER.alpha / (PAPER.alpha + 38.86)), 12);
  });
});

describe("fitBgNbd at a shop's scale", () => {
  // How long it takes is the benchmark's to say (npm run bench, bench/insights.ts); tests assert no time.
  it("fits 100,000 customers at the same optimum as their distinct histories, each counted as often as it occurs", () => {
    // Histories on whole days, as a shop's are: many customers share one (x, tx, T), which the fit counts once.
    const distinct: { x: number; tx: number; T: number }[] = [];
    for (let i = 0; i < 2000; i++) {
      const T = (1 + ((i * 7919) % 273)) / 7;
      const x = i % 3 === 0 ? 0 : 1 + (i % 7);
      distinct.push({ x, tx: x === 0 ? 0 : (T * (1 + (i % 5))) / 6, T });
    }
    const many = Array.from({ length: 100_000 }, (_, i) => distinct[i % distinct.length]);
    const big = fitBgNbd(many);
    const small = fitBgNbd(distinct);
    for (const key of ["r", "alpha", "a", "b"] as const) {
      expect(Math.abs(big.params[key] / small.params[key] - 1)).toBeLessThan(1e-6);
    }
    expect(Math.abs(big.logLikelihood / (50 * small.logLikelihood) - 1)).toBeLessThan(1e-7);
  });
});
