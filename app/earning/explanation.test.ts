import { describe, expect, it } from "vitest";
import { calculateEarn } from "./earning";
import { explainCalculation } from "./explanation";
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
