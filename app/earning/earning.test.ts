import { describe, expect, it } from "vitest";
import { calculateEarn, type OrderLine } from "./earning";
import { defaultProgram } from "../program/program";

const line = (over: Partial<OrderLine> = {}): OrderLine => ({
  id: "1",
  quantity: 1,
  unitPriceMinor: 5400,
  discountMinor: 0,
  taxMinor: 0,
  giftCard: false,
  ...over,
});
const jpy = defaultProgram("JPY");

describe("earning on an order", () => {
  it("the default program earns 1 point per ¥100 and 1 point per $1", () => {
    expect(jpy.earnRate).toEqual({ points: 1, perMinor: 100 });
    expect(defaultProgram("USD").earnRate).toEqual({ points: 1, perMinor: 100 });
    expect(defaultProgram("KWD").earnRate).toEqual({ points: 1, perMinor: 1000 });
  });

  it("an order of ¥5,400 earns 54 points", () => {
    expect(calculateEarn({ currency: "JPY", taxesIncluded: false, lines: [line()] }, jpy).points).toBe(54);
  });

  it("rounds down at the boundary: ¥5,499 earns 54, ¥5,500 earns 55, ¥99 earns 0", () => {
    const earn = (yen: number) =>
      calculateEarn({ currency: "JPY", taxesIncluded: false, lines: [line({ unitPriceMinor: yen })] }, jpy).points;
    expect([earn(5499), earn(5500), earn(99), earn(100)]).toEqual([54, 55, 0, 1]);
  });

  it("$54.99 earns 54 points", () => {
    const usd = defaultProgram("USD");
    expect(
      calculateEarn({ currency: "USD", taxesIncluded: false, lines: [line({ unitPriceMinor: 5499 })] }, usd).points,
    ).toBe(54);
  });

  it("discounts reduce the base; gift cards and included tax are not merchandise", () => {
    const calc = calculateEarn(
      {
        currency: "JPY",
        taxesIncluded: true,
        lines: [
          line({ id: "a", unitPriceMinor: 3300, quantity: 2, discountMinor: 660, taxMinor: 540 }),
          line({ id: "b", unitPriceMinor: 10000, giftCard: true }),
        ],
      },
      jpy,
    );
    expect(calc).toMatchObject({ baseMinor: 5400, points: 54, rounding: "down" });
    expect(calc.lines).toEqual([
      { lineId: "a", quantity: 2, baseMinor: 5400, percent: 100, weight: 540_000 },
      { lineId: "b", quantity: 1, baseMinor: 0, excluded: "gift card", weight: 0 },
    ]);
  });

  it("an order-level discount missing from the lines is taken from the subtotal and spread over the lines", () => {
    const calc = calculateEarn(
      {
        currency: "JPY",
        taxesIncluded: false,
        subtotalMinor: 9000,
        lines: [line({ id: "a", unitPriceMinor: 5000 }), line({ id: "b", unitPriceMinor: 5000 })],
      },
      jpy,
    );
    expect(calc).toMatchObject({ baseMinor: 9000, points: 90, unallocatedMinor: -1000 });
    expect(calc.lines.map((l) => l.baseMinor)).toEqual([4500, 4500]);
  });

  it("spreads an odd subtotal so the lines still add up exactly", () => {
    const calc = calculateEarn(
      {
        currency: "JPY",
        taxesIncluded: false,
        subtotalMinor: 1000,
        lines: [
          line({ id: "a", unitPriceMinor: 1 }),
          line({ id: "b", unitPriceMinor: 1 }),
          line({ id: "c", unitPriceMinor: 1 }),
        ],
      },
      jpy,
    );
    expect(calc.lines.reduce((sum, l) => sum + l.baseMinor, 0)).toBe(1000);
  });

  it("a huge basket at a generous rate loses no precision", () => {
    const calc = calculateEarn(
      { currency: "JPY", taxesIncluded: false, lines: [line({ unitPriceMinor: 9_000_000_000_000, quantity: 1 })] },
      { ...jpy, earnRate: { points: 7, perMinor: 3 } },
    );
    expect(calc.points).toBe(21_000_000_000_000);
  });
});

describe("the rounding policy", () => {
  it("down by default: ¥5,450 earns 54; to the nearest point it earns 55, and ¥5,449 still 54", () => {
    const order = (yen: number) => ({ currency: "JPY", taxesIncluded: false, lines: [line({ unitPriceMinor: yen })] });
    expect(calculateEarn(order(5450), jpy).points).toBe(54);
    const nearest = { ...jpy, rounding: "nearest" as const };
    expect(calculateEarn(order(5450), nearest)).toMatchObject({ points: 55, rounding: "nearest" });
    expect(calculateEarn(order(5449), nearest).points).toBe(54);
  });
});
