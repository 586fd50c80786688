import { describe, expect, it } from "vitest";
import { planReversal, planSpend, type LotState } from "./lots";

const day = (n: number) => new Date(Date.UTC(2026, 0, n));
const lot = (id: string, remaining: number, expires: number | null, earned = 1, pending = false): LotState => ({
  id,
  remaining,
  earnedAt: day(earned),
  expiresAt: expires === null ? null : day(expires),
  pending,
});

describe("which lots points come from", () => {
  it("spending takes the lots nearest to expiry first, never-expiring last, pending never", () => {
    const lots = [lot("never", 100, null), lot("late", 100, 30), lot("soon", 50, 10), lot("held", 500, 5, 1, true)];
    expect(planSpend(lots, 120)).toEqual({
      takes: [
        { lotId: "soon", points: 50, pending: false },
        { lotId: "late", points: 70, pending: false },
      ],
      shortfall: 0,
    });
  });

  it("equal expiry: the older lot goes first", () => {
    const plan = planSpend([lot("new", 10, 20, 5), lot("old", 10, 20, 2)], 10);
    expect(plan.takes[0].lotId).toBe("old");
  });

  it("a reversal takes from the order's own lot first, then available lots, then pending ones, and reports the shortfall", () => {
    const lots = [lot("own", 5, 40), lot("other", 10, 20), lot("held", 10, 10, 1, true)];
    expect(planReversal(lots, 30, "own")).toEqual({
      takes: [
        { lotId: "own", points: 5, pending: false },
        { lotId: "other", points: 10, pending: false },
        { lotId: "held", points: 10, pending: true },
      ],
      shortfall: 5,
    });
  });

  it("with shares, each of the order's lots gives its share first; what a spent lot cannot give comes from the nearest expiry", () => {
    // The order's campaign lot (expiring day 10) was spent down to 2; its share was 5.
    const lots = [lot("own", 40, 365), lot("bonus", 2, 10), lot("other", 10, 20)];
    const shares = [
      { lotId: "own", points: 10 },
      { lotId: "bonus", points: 5 },
    ];
    expect(planReversal(lots, 15, shares)).toEqual({
      takes: [
        { lotId: "own", points: 10, pending: false },
        { lotId: "bonus", points: 2, pending: false },
        { lotId: "other", points: 3, pending: false },
      ],
      shortfall: 0,
    });
    // Nothing else to take from: the order's own lot gives beyond its share, in one take.
    expect(planReversal([lot("own", 40, 365), lot("bonus", 2, 10)], 15, shares)).toEqual({
      takes: [
        { lotId: "own", points: 13, pending: false },
        { lotId: "bonus", points: 2, pending: false },
      ],
      shortfall: 0,
    });
  });

  it("refuses negative or fractional points", () => {
    expect(() => planSpend([], -1)).toThrow(RangeError);
    expect(() => planSpend([], 1.5)).toThrow(RangeError);
  });
});

describe("points held by a checkout", () => {
  it("a reversal never takes held points: beyond what is available it becomes debt", () => {
    const plan = planReversal([lot("a", 1000, 30)], 800, null, 500);
    expect(plan).toEqual({ takes: [{ lotId: "a", points: 500, pending: false }], shortfall: 300 });
  });

  it("spending is capped the same way", () => {
    expect(planSpend([lot("a", 1000, 30)], 700, 600)).toEqual({
      takes: [{ lotId: "a", points: 600, pending: false }],
      shortfall: 100,
    });
  });
});
