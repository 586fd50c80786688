import { describe, expect, it } from "vitest";
import { scoreRfm, segmentFor } from "./rfm";

describe("RFM segments among the shop's own members", () => {
  it("scores by quintile of the shop's members, equal figures sharing a score", () => {
    // Ten members: recency 1..10 days, purchase days mostly 1.
    const members = Array.from({ length: 10 }, (_, i) => ({
      daysSinceLast: i + 1,
      purchaseDays: i < 6 ? 1 : i - 4,
      meanOrderMinor: 1000 * (i + 1),
    }));
    const scores = scoreRfm(members);
    expect(scores.map((s) => s.r)).toEqual([5, 5, 4, 4, 3, 3, 2, 2, 1, 1]);
    // Six share one purchase day: all score 1, not split over quintiles.
    expect(scores.map((s) => s.f)).toEqual([1, 1, 1, 1, 1, 1, 4, 4, 5, 5]);
    expect(scores.map((s) => s.m)).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
  });

  it("reads the segment from the scores", () => {
    expect(segmentFor(5, 5, 1, 9)).toBe("champions");
    expect(segmentFor(3, 4, 1, 5)).toBe("loyal");
    expect(segmentFor(5, 1, 3, 1)).toBe("new");
    expect(segmentFor(4, 2, 3, 2)).toBe("promising");
    expect(segmentFor(2, 4, 1, 5)).toBe("at_risk");
    // A big spender going quiet is at risk though they bought on few days.
    expect(segmentFor(1, 1, 5, 1)).toBe("at_risk");
    expect(segmentFor(2, 1, 2, 1)).toBe("hibernating");
    expect(segmentFor(1, 2, 2, 2)).toBe("lost");
  });

  it("a frequent recent buyer is a champion and the same buyer gone quiet is at risk", () => {
    const quiet = Array.from({ length: 20 }, (_, i) => ({
      daysSinceLast: 30 + i,
      purchaseDays: 1,
      meanOrderMinor: 3000,
    }));
    const [recent, lapsed] = scoreRfm([
      { daysSinceLast: 1, purchaseDays: 12, meanOrderMinor: 3000 },
      { daysSinceLast: 400, purchaseDays: 12, meanOrderMinor: 3000 },
      ...quiet,
    ]);
    expect(recent.segment).toBe("champions");
    expect(lapsed.segment).toBe("at_risk");
  });
});
