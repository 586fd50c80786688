import { describe, expect, it } from "vitest";
import { hypergeometric2F1, logGamma, logSumExp } from "./special-functions";

describe("special functions", () => {
  it("log-gamma matches factorials and Γ(1/2) = √π", () => {
    expect(logGamma(1)).toBeCloseTo(0, 13);
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 12);
    expect(logGamma(171)).toBeCloseTo(706.5730622457874, 9);
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 13);
    expect(logGamma(1e-3)).toBeCloseTo(6.907178885383853, 10);
    expect(() => logGamma(0)).toThrow(RangeError);
  });

  it("2F1 matches closed forms: 2F1(1,1;2;z) = -ln(1-z)/z and 2F1(a,b;b;z) = (1-z)^-a", () => {
    for (const z of [0.1, 0.5, 0.9, 0.99]) {
      expect(hypergeometric2F1(1, 1, 2, z)).toBeCloseTo(-Math.log(1 - z) / z, 10);
      expect(hypergeometric2F1(0.7, 2.5, 2.5, z)).toBeCloseTo(Math.pow(1 - z, -0.7), 9);
    }
    expect(() => hypergeometric2F1(1, 1, 2, 1)).toThrow(RangeError);
  });

  it("log-sum-exp does not overflow", () => {
    expect(logSumExp(1000, 1000)).toBeCloseTo(1000 + Math.log(2), 12);
    expect(logSumExp(-Infinity, 3)).toBe(3);
  });
});
