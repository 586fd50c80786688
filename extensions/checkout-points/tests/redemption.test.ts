import { describe, expect, it } from "vitest";
import { clampPoints, maxPoints, pointsWorth, toMinor, unavailableReason } from "../src/redemption";
import { pointsState } from "./points-state";

const state = pointsState({ balance: 1234 });

describe("what a shopper may spend", () => {
  it("a ¥10,000 cart takes up to half in points, in whole steps, within the balance", () => {
    expect(maxPoints(state, 10_000)).toBe(1200);
    expect(maxPoints(state, 1_000)).toBe(500);
    expect(maxPoints({ ...state, balance: 99 }, 10_000)).toBe(0);
  });

  it("a typed number is brought into range", () => {
    expect(clampPoints(250, state, 1200)).toBe(200);
    expect(clampPoints(5, state, 1200)).toBe(100);
    expect(clampPoints(99999, state, 1200)).toBe(1200);
    expect(clampPoints(Number.NaN, state, 1200)).toBe(0);
  });

  it("knows yen has no decimals and dollars have two", () => {
    expect(toMinor(10000, "JPY")).toBe(10000);
    expect(toMinor(19.99, "USD")).toBe(1999);
    expect(pointsWorth(500, state)).toBe(500);
    expect(pointsWorth(500, { ...state, currency: "USD" })).toBe(5);
  });

  it("says why points cannot be used", () => {
    expect(unavailableReason({ ...state, loggedIn: false }, "JPY", 10_000)).toBe("loggedOut");
    expect(unavailableReason({ ...state, enabled: false }, "JPY", 10_000)).toBe("disabled");
    expect(unavailableReason(state, "USD", 10_000)).toBe("currency");
    expect(unavailableReason({ ...state, balance: 50 }, "JPY", 10_000)).toBe("belowMinimum");
    expect(unavailableReason(state, "JPY", 150)).toBe("cartTooSmall");
    expect(unavailableReason(state, "JPY", 10_000)).toBeNull();
  });
});
