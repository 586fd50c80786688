import { describe, expect, it } from "vitest";
import { refundBase, reversedPointsTarget } from "./reversal";

const earned = [
  { lineId: "a", quantity: 3, baseMinor: 1000 },
  { lineId: "g", quantity: 1, baseMinor: 0, excluded: "gift card" },
];

describe("reversing points in proportion to a refund", () => {
  it("refunding ¥1,000 of ¥5,400 takes back 10 of 54 points", () => {
    expect(reversedPointsTarget(54, 5400, 1000)).toBe(10);
  });

  it("rounds down while part of the order is kept, and takes everything once all of it is refunded", () => {
    expect(reversedPointsTarget(54, 5400, 5399)).toBe(53);
    expect(reversedPointsTarget(54, 5400, 5400)).toBe(54);
    expect(reversedPointsTarget(54, 5400, 9999)).toBe(54);
    expect(reversedPointsTarget(54, 0, 0)).toBe(54);
  });

  it("a refunded unit takes its share of its line, rounded up so separate refunds add up to the whole line", () => {
    const one = { lineItemId: "a", quantity: 1, subtotalMinor: 333, taxMinor: 0 };
    expect(refundBase(earned, [one], false)).toBe(334);
    expect(refundBase(earned, [one, one, one], false)).toBe(1002);
  });

  it("a gift card refund gives nothing back; an unknown line counts its subtotal without included tax", () => {
    expect(refundBase(earned, [{ lineItemId: "g", quantity: 1, subtotalMinor: 10000, taxMinor: 0 }], false)).toBe(0);
    expect(refundBase(earned, [{ lineItemId: "new", quantity: 1, subtotalMinor: 1100, taxMinor: 100 }], true)).toBe(
      1000,
    );
    expect(refundBase(earned, [{ lineItemId: "new", quantity: 1, subtotalMinor: 1100, taxMinor: 100 }], false)).toBe(
      1100,
    );
  });
});
