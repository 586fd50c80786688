import { describe, expect, it } from "vitest";
import { calculateEarn } from "./earning";
import { explainCalculation, shopperExplanation } from "./explanation";
import { defaultProgram } from "../program/program";

describe("explaining an earn", () => {
  it("says which rules contributed, in English and Japanese", () => {
    const program = {
      ...defaultProgram("JPY"),
      rules: [{ id: "r", name: "Tea ×2", target: { vendors: ["Kyoto Tea"] }, extraPercent: 100 }],
    };
    const calc = calculateEarn(
      {
        currency: "JPY",
        taxesIncluded: false,
        lines: [
          {
            id: "1",
            quantity: 1,
            unitPriceMinor: 2000,
            discountMinor: 0,
            taxMinor: 0,
            giftCard: false,
            product: { vendor: "Kyoto Tea" },
          },
          { id: "2", quantity: 1, unitPriceMinor: 5000, discountMinor: 0, taxMinor: 0, giftCard: true },
        ],
      },
      program,
    );
    expect(explainCalculation(calc, "en")).toEqual([
      "Line 1: ¥2,000 × 200% (Tea ×2 +100%)",
      "Line 2: excluded (gift card)",
      "1 point per ¥100, rounded down: 40 points in all",
    ]);
    expect(explainCalculation(calc, "ja")[2]).toBe("￥100ごとに1ポイント、切り捨てで合計40ポイント");
  });
});

describe("an order's points as a shopper reads them", () => {
  it("names the tier's boost after the tier, each boost once", () => {
    const calculation = {
      currency: "JPY",
      baseMinor: 5400,
      rate: { points: 1, perMinor: 100 },
      points: 67,
      rounding: "down" as const,
      lines: [
        { lineId: "1", quantity: 1, baseMinor: 3000, percent: 125, boosts: [{ source: "tier", percent: 25 }] },
        { lineId: "2", quantity: 1, baseMinor: 2400, percent: 125, boosts: [{ source: "tier", percent: 25 }] },
        { lineId: "3", quantity: 1, baseMinor: 0, excluded: "gift card" },
      ],
      bonuses: [{ source: "Spring", points: 10 }],
    };
    expect(shopperExplanation(calculation, [{ name: "Gold", earnExtraPercent: 25 }])).toEqual({
      currency: "JPY",
      baseMinor: 5400,
      rate: { points: 1, perMinor: 100 },
      boosts: [{ source: "Gold", percent: 25 }],
      bonuses: [{ source: "Spring", points: 10 }],
    });
    expect(shopperExplanation(calculation).boosts).toEqual([{ source: "tier", percent: 25 }]);
  });
});
