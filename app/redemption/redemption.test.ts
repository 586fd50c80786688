import { describe, expect, it } from "vitest";
import { defaultProgram, withDefaults } from "../program/program";
import { maxRedeemablePoints, pointsValue, refuseRedemption } from "./redemption";

const jpy = defaultProgram("JPY");
const usd = defaultProgram("USD");

describe("spending points at checkout", () => {
  it("500 points are worth ¥500, or $5.00 in a dollar shop", () => {
    expect(pointsValue(500, jpy)).toBe(500);
    expect(pointsValue(500, usd)).toBe(500); // cents
  });

  it("a ¥10,000 cart can take at most half in points, in steps of 100", () => {
    expect(maxRedeemablePoints(12_345, 10_000, jpy)).toBe(5000);
    expect(maxRedeemablePoints(1_234, 10_000, jpy)).toBe(1200);
  });

  it("nothing can be spent below the minimum, on an empty cart or with redemption off", () => {
    expect(maxRedeemablePoints(99, 10_000, jpy)).toBe(0);
    expect(maxRedeemablePoints(1000, 150, jpy)).toBe(0);
    expect(maxRedeemablePoints(1000, 0, jpy)).toBe(0);
    expect(
      maxRedeemablePoints(
        1000,
        10_000,
        withDefaults({ currency: "JPY", redemption: { ...jpy.redemption, enabled: false } }),
      ),
    ).toBe(0);
  });

  it("says why a choice is refused", () => {
    expect(refuseRedemption(500, 1000, 10_000, jpy)).toBeNull();
    expect(refuseRedemption(50, 1000, 10_000, { ...jpy, redemption: { ...jpy.redemption, step: 10 } })).toBe(
      "below_minimum",
    );
    expect(refuseRedemption(150, 1000, 10_000, jpy)).toBe("invalid");
    expect(refuseRedemption(-100, 1000, 10_000, jpy)).toBe("invalid");
    expect(refuseRedemption(2000, 1000, 10_000, jpy)).toBe("insufficient_balance");
    expect(refuseRedemption(900, 1000, 1000, jpy)).toBe("over_maximum");
    expect(refuseRedemption(500, 1000, 10_000, { ...jpy, redemption: { ...jpy.redemption, enabled: false } })).toBe(
      "disabled",
    );
  });

  it("settings saved before redemption existed gain its defaults", () => {
    const old = withDefaults({ currency: "JPY", earnRate: { points: 2, perMinor: 100 } } as never);
    expect(old.earnRate).toEqual({ points: 2, perMinor: 100 });
    expect(old.redemption).toEqual(jpy.redemption);
  });
});
