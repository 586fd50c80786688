import { describe, expect, it } from "vitest";
import type { TierLevel } from "../program/tiers";
import { atRisk, isAtRisk, programReturn, tierFunnel, valueAtStake, type InsightRow } from "./figures";

const level = (id: string, threshold: number): TierLevel => ({
  id,
  name: id,
  threshold,
  earnExtraPercent: 0,
  reachBonus: 0,
});
const levels = [level("gold", 100_000), level("silver", 30_000)];

describe("the tier funnel", () => {
  it("counts members within 10 % below the next tier's threshold, and the moves into each tier", () => {
    const members = [
      { tierId: null, value: 27_000 }, // 90 % of silver: stalled
      { tierId: null, value: 26_999 }, // just outside the band
      { tierId: null, value: 30_000 }, // reached silver, not yet evaluated: not stalled
      { tierId: "silver", value: 95_000 }, // stalled before gold
      { tierId: "silver", value: 50_000 },
      { tierId: "gold", value: 99_000 }, // already gold: not stalled anywhere
    ];
    const funnel = tierFunnel(levels, members, [{ toTier: "silver" }, { toTier: "silver" }, { toTier: "gold" }]);
    expect(funnel).toEqual([
      { fromTierId: null, toTierId: "silver", toThreshold: 30_000, stalled: 1, gapTotal: 3000, crossed: 2 },
      { fromTierId: "silver", toTierId: "gold", toThreshold: 100_000, stalled: 1, gapTotal: 5000, crossed: 1 },
    ]);
  });
});

const row = (memberId: string, extra: Partial<InsightRow>): InsightRow => ({
  memberId,
  pAlive: 0.9,
  rfmSegment: "loyal",
  frequency: 3,
  ageWeeks: 52,
  monetaryMinor: 5000,
  expectedValueMinor: 8000,
  tierId: null,
  ...extra,
});

describe("members at risk", () => {
  it("are the at_risk and hibernating segments, or anyone with P(alive) below 0.5", () => {
    expect(isAtRisk({ pAlive: 0.9, rfmSegment: "at_risk" })).toBe(true);
    expect(isAtRisk({ pAlive: 0.9, rfmSegment: "hibernating" })).toBe(true);
    expect(isAtRisk({ pAlive: 0.49, rfmSegment: "loyal" })).toBe(true);
    expect(isAtRisk({ pAlive: 0.5, rfmSegment: "lost" })).toBe(false);
  });

  it("stake what they used to spend per 90 days, never extrapolated past what they spent", () => {
    // 4 purchase days of ¥5,000 over 52 weeks: ¥20,000 a year, ¥4,945 per 90 days.
    expect(valueAtStake({ frequency: 3, ageWeeks: 52, monetaryMinor: 5000 })).toBe(4945);
    // One order a week ago: the ¥5,000 they spent, not ¥5,000 a week.
    expect(valueAtStake({ frequency: 0, ageWeeks: 1, monetaryMinor: 5000 })).toBe(5000);
  });

  it("sums the stake, ranks the top ones and counts the high-value ones by tier", () => {
    const rows = [
      row("a", { rfmSegment: "at_risk", frequency: 0, ageWeeks: 1, monetaryMinor: 20_000, tierId: "gold" }),
      row("b", { pAlive: 0.2, frequency: 0, ageWeeks: 1, monetaryMinor: 1000 }),
      row("c", { frequency: 0, ageWeeks: 1, monetaryMinor: 3000 }),
    ];
    const figures = atRisk(rows, 1);
    expect(figures.members).toBe(2);
    expect(figures.valueAtStakeMinor).toBe(21_000);
    // The shop's mean order is ¥8,000: only a's stake reaches it.
    expect(figures.highValue).toBe(1);
    expect(figures.highValueByTier).toEqual([{ tierId: "gold", members: 1 }]);
    expect(figures.highValueMeanMinor).toBe(20_000);
    expect(figures.top).toEqual([{ memberId: "a", valueAtStakeMinor: 20_000, pAlive: 0.9, rfmSegment: "at_risk" }]);
  });
});

describe("the program's cost and return", () => {
  const lift = (value: number, significant: boolean, pointsCostMinor = 1000) => ({
    incrementalRevenueMinor: { value, low: value - 100, high: value + 100 },
    pointsCostMinor,
    significant,
  });

  it("without a controlled campaign, the cost is the points redeemed and the return is not claimed", () => {
    expect(programReturn(1200, 1, [])).toEqual({
      costMinor: 1200,
      redeemedMinor: 1200,
      campaignBonusMinor: 0,
      incrementalRevenueMinor: null,
      ratio: null,
      controlledCampaigns: 0,
    });
  });

  it("counts only significant lifts as incremental revenue, and every controlled campaign's bonus as cost", () => {
    const roi = programReturn(500, 2, [lift(9000, true), lift(50_000, false)]);
    expect(roi.costMinor).toBe(1000 + 2000);
    expect(roi.incrementalRevenueMinor).toEqual({ value: 9000, low: 8900, high: 9100 });
    expect(roi.ratio).toBe(3);
    expect(programReturn(0, 1, [lift(9000, false)]).incrementalRevenueMinor).toBeNull();
  });
});
