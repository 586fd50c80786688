import { describe, expect, it } from "vitest";
import { DEFAULT_THRESHOLDS, thresholdsFor, thresholdsSchema } from "./thresholds";

describe("thresholds", () => {
  it("the defaults are valid merchant settings", () => {
    expect(thresholdsSchema.safeParse(DEFAULT_THRESHOLDS).success).toBe(true);
  });

  it("refuses an edit that would switch a rule off by accident, or block below the hold level", () => {
    const zeroZ = { ...DEFAULT_THRESHOLDS, velocity: { ...DEFAULT_THRESHOLDS.velocity, minZ: 0 } };
    expect(thresholdsSchema.safeParse(zeroZ).success).toBe(false);
    const oneMember = { ...DEFAULT_THRESHOLDS, signupFarming: { ...DEFAULT_THRESHOLDS.signupFarming, minMembers: 1 } };
    expect(thresholdsSchema.safeParse(oneMember).success).toBe(false);
    expect(thresholdsSchema.safeParse({ ...DEFAULT_THRESHOLDS, holdAtScore: 2, blockAtScore: 1 }).success).toBe(false);
  });

  it("a shop's stored edits apply over the defaults; invalid storage falls back to them", () => {
    const t = thresholdsFor({ redeemRefund: { minCount: 4 } });
    expect(t.redeemRefund).toEqual({ ...DEFAULT_THRESHOLDS.redeemRefund, minCount: 4 });
    expect(t.velocity).toEqual(DEFAULT_THRESHOLDS.velocity);
    expect(thresholdsFor({ redeemRefund: { minCount: -1 } })).toEqual(DEFAULT_THRESHOLDS);
    expect(thresholdsFor(null)).toEqual(DEFAULT_THRESHOLDS);
  });
});
