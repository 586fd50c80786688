import { describe, expect, it } from "vitest";
import { calculateEarn, earnLots, type OrderLine } from "./earning";
import { explainCalculation } from "./explanation";
import { shareReversed } from "./reversal";
import type { Campaign, EarnContext } from "./rules";
import { defaultProgram, type ProgramSettings } from "../program/program";

const line = (id: string, price: number, product: OrderLine["product"] = {}, quantity = 1): OrderLine => ({
  id,
  quantity,
  unitPriceMinor: price,
  discountMinor: 0,
  taxMinor: 0,
  giftCard: false,
  product,
});
const order = (...lines: OrderLine[]) => ({ currency: "JPY", taxesIncluded: false, lines });
// 00:30 on 2 March in Tokyo (still 1 March in UTC).
const context: EarnContext = {
  placedAt: new Date("2026-03-01T15:30:00Z"),
  timezone: "Asia/Tokyo",
  customerTags: [],
  tierId: null,
  tierExtraPercent: 0,
};
const goldenWeek: Campaign = {
  id: "gw",
  name: "Golden Week",
  startsAt: "2026-01-01T00:00",
  endsAt: "2027-01-01T00:00",
  target: {},
  extraPercent: 50,
  bonusExpiryDays: 30,
};
const program = (campaigns: Campaign[], over: Partial<ProgramSettings> = {}): ProgramSettings => ({
  ...defaultProgram("JPY"),
  expiryDays: 365,
  campaigns,
  ...over,
});

describe("a campaign bonus that expires sooner", () => {
  it("is its own lot: ¥5,400 at ×1.5 earns 81 points, 27 of them Golden Week's, expiring 30 shop-local days after the order", () => {
    const calc = calculateEarn(order(line("1", 5400)), program([goldenWeek]), context);
    expect(calc.points).toBe(81);
    expect(calc.campaignLots).toEqual([
      { campaignId: "gw", source: "Golden Week", points: 27, bonusPoints: 0, expiryDays: 30, expiresOn: "2026-04-01" },
    ]);
    expect(earnLots(calc)).toEqual({ orderPoints: 54, campaignLots: calc.campaignLots });
  });

  it("without a bonus expiry the campaign's points stay with the order, as in versions saved before it existed", () => {
    const { bonusExpiryDays: _, ...plain } = goldenWeek;
    const calc = calculateEarn(order(line("1", 5400)), program([plain]), context);
    expect(calc.points).toBe(81);
    expect(calc.campaignLots).toBeUndefined();
    expect(earnLots(calc)).toEqual({ orderPoints: 81, campaignLots: [] });
    expect(
      calculateEarn(order(line("1", 5400)), program([{ ...goldenWeek, bonusExpiryDays: null }]), context),
    ).not.toHaveProperty("campaignLots");
  });

  it("takes only the lines the campaign targets; the multipliers and tiers beside it stay with the order", () => {
    const tea = { ...goldenWeek, target: { vendors: ["Kyoto Tea"] } };
    const calc = calculateEarn(
      order(line("tea", 2000, { vendor: "Kyoto Tea" }), line("mug", 3000, { vendor: "Arita" })),
      program([tea], { rules: [{ id: "r", name: "Arita ×2", target: { vendors: ["Arita"] }, extraPercent: 100 }] }),
      { ...context, tierExtraPercent: 10 },
    );
    // Tea: ¥2,000 × 160% = 32; mug: ¥3,000 × 210% = 63; the campaign's share is ¥2,000 × 50% = 10.
    expect(calc.points).toBe(95);
    expect(earnLots(calc)).toMatchObject({ orderPoints: 85, campaignLots: [{ points: 10 }] });
  });

  it("a fixed bonus goes into the campaign's lot too, with the points of its percentage", () => {
    const calc = calculateEarn(order(line("1", 5400)), program([{ ...goldenWeek, bonusPoints: 100 }]), context);
    expect(calc.points).toBe(181);
    expect(calc.campaignLots).toMatchObject([{ points: 127, bonusPoints: 100 }]);
    expect(earnLots(calc).orderPoints).toBe(54);
  });

  it("never gives a campaign more than the line earns: a line cut to nothing earns the campaign nothing", () => {
    const cut = (percent: number) => [{ id: "r", name: "cut", target: {}, extraPercent: percent }];
    const half = calculateEarn(order(line("1", 5400)), program([goldenWeek], { rules: cut(-100) }), context);
    expect(half.points).toBe(27);
    expect(earnLots(half)).toMatchObject({ orderPoints: 0, campaignLots: [{ points: 27 }] });
    const none = calculateEarn(
      order(line("1", 5400)),
      program([goldenWeek], { rules: [...cut(-100), ...cut(-100)] }),
      context,
    );
    expect(none.points).toBe(0);
    expect(none.campaignLots).toBeUndefined();
  });

  it("each campaign lot is rounded down, so the lots add up to the order's points under either rounding policy", () => {
    const second = { ...goldenWeek, id: "sw", name: "Silver Week", extraPercent: 25, bonusExpiryDays: 60 };
    for (const rounding of ["down", "nearest"] as const) {
      for (const yen of [99, 150, 5450, 12_345]) {
        const calc = calculateEarn(order(line("1", yen)), program([goldenWeek, second], { rounding }), context);
        const { orderPoints, campaignLots } = earnLots(calc);
        expect(orderPoints).toBeGreaterThanOrEqual(0);
        expect(orderPoints + campaignLots.reduce((sum, lot) => sum + lot.points, 0)).toBe(calc.points);
      }
    }
    // ¥5,450 × 175% = 95.375 → 95 (down); Golden Week 27.25 → 27, Silver Week 13.625 → 13.
    const calc = calculateEarn(order(line("1", 5450)), program([goldenWeek, second]), context);
    expect(earnLots(calc)).toMatchObject({ orderPoints: 55, campaignLots: [{ points: 27 }, { points: 13 }] });
  });
});

describe("explaining a campaign lot", () => {
  const calc = calculateEarn(order(line("1", 5400)), program([goldenWeek]), context);

  it("the order's earn names the campaign bonus, its expiry and what stays in the order's lot", () => {
    expect(explainCalculation(calc, "en")).toEqual([
      "Line 1: ¥5,400 × 150% (Golden Week +50%)",
      "1 point per ¥100, rounded down: 81 points in all",
      "Golden Week bonus: 27 of the order's 81 points, in a lot of their own expiring at the end of Apr 1, 2026 (30 days after the order)",
      "The order's own lot: 54 points",
    ]);
    expect(explainCalculation(calc, "ja").slice(2)).toEqual([
      "Golden Weekのボーナス: 注文の81ポイントのうち27ポイント。別のロットで、注文から30日後の2026/04/01の終わりに失効",
      "注文のポイントのロット: 54ポイント",
    ]);
  });

  it("the campaign lot's own entry says what it is", () => {
    expect(explainCalculation({ ...calc, lot: "gw" }, "en")).toEqual([
      "Golden Week bonus: 27 of the order's 81 points, in a lot of their own expiring at the end of Apr 1, 2026 (30 days after the order)",
    ]);
  });
});

describe("sharing a reversal among an order's lots", () => {
  it("in proportion to what each lot earned: the order's lot rounded down, the campaign lot the rest", () => {
    expect(shareReversed([40, 20], 15)).toEqual([10, 5]);
    expect(shareReversed([54, 27], 40)).toEqual([26, 14]);
    expect(shareReversed([54, 27], 81)).toEqual([54, 27]);
    expect(shareReversed([54], 20)).toEqual([20]);
    expect(shareReversed([0, 27], 10)).toEqual([0, 10]);
    expect(shareReversed([], 10)).toEqual([]);
  });

  it("every lot's share only grows as refunds add up, never passes what it earned, and the shares add up", () => {
    for (const amounts of [
      [54, 27],
      [1, 1, 1],
      [30, 0, 7],
      [97, 13, 5],
      [2, 3],
    ]) {
      const total = amounts.reduce((a, b) => a + b, 0);
      let previous = amounts.map(() => 0);
      for (let reversed = 0; reversed <= total; reversed++) {
        const shares = shareReversed(amounts, reversed);
        expect(shares.reduce((a, b) => a + b, 0)).toBe(reversed);
        shares.forEach((share, i) => {
          expect(share).toBeGreaterThanOrEqual(previous[i]);
          expect(share).toBeLessThanOrEqual(amounts[i]);
        });
        previous = shares;
      }
      expect(previous).toEqual(amounts);
    }
  });
});
