import { describe, expect, it } from "vitest";
import { incrementalEstimate, isSignificant, MIN_GROUP_MEMBERS, tQuantile975 } from "./campaign-lift";

// 40 members each: treatment orders 2 or 4 times (mean 3, variance 40/39), control 1 or 3 times (mean 2).
const alternate = (a: number, b: number, n = 40) => Array.from({ length: n }, (_, i) => (i % 2 ? a : b));

describe("campaign lift against the control group", () => {
  it("the t quantile matches the tables (12.706 is df 1's exact value; 2.228 at 10, 2.000 at 60, 1.960 at ∞)", () => {
    expect(tQuantile975(10)).toBeCloseTo(2.228, 2);
    expect(tQuantile975(60)).toBeCloseTo(2.0, 2);
    expect(tQuantile975(Infinity)).toBeCloseTo(1.96, 3);
  });

  it("one more order per member over 40 treatment members is 40 incremental orders, ±Welch's interval", () => {
    const estimate = incrementalEstimate(alternate(2, 4), alternate(1, 3))!;
    // se = sqrt(2 × (40/39)/40) = 0.22646; df = 78; t = 1.99085
    expect(estimate.value).toBeCloseTo(40, 6);
    expect(estimate.low).toBeCloseTo(40 - 40 * 1.99085 * 0.226455, 1);
    expect(estimate.high).toBeCloseTo(40 + 40 * 1.99085 * 0.226455, 1);
    expect(isSignificant(estimate)).toBe(true);
  });

  it("scales to the treatment group's size, not the control's", () => {
    const estimate = incrementalEstimate(alternate(2, 4, 80), alternate(1, 3, 20))!;
    expect(estimate.value).toBeCloseTo(80, 6);
  });

  it("identical groups are not significant", () => {
    const estimate = incrementalEstimate(alternate(1, 3), alternate(3, 1))!;
    expect(estimate.value).toBe(0);
    expect(estimate.low).toBeLessThan(0);
    expect(estimate.high).toBeGreaterThan(0);
    expect(isSignificant(estimate)).toBe(false);
  });

  it("says nothing with too few members in the control group", () => {
    expect(incrementalEstimate(alternate(2, 4), alternate(1, 3, MIN_GROUP_MEMBERS - 1))).toBeNull();
    expect(incrementalEstimate(alternate(2, 4), alternate(1, 3, MIN_GROUP_MEMBERS))).not.toBeNull();
  });
});
