import { describe, expect, it } from "vitest";
import { memberHistory } from "./member-history";

const TOKYO = "Asia/Tokyo";
const at = (iso: string) => new Date(iso);
const asOf = at("2026-03-01T03:00:00Z"); // 12:00 on 1 March in Tokyo

describe("a member's history as the models read it", () => {
  it("counts purchase days in the shop's time zone, not orders and not UTC days", () => {
    const history = memberHistory(
      [
        // 23:30 and 23:50 in Tokyo on 1 Feb: one purchase day, though the second is 1 Feb 14:50 UTC.
        { placedAt: at("2026-02-01T14:30:00Z"), valueMinor: 3000 },
        { placedAt: at("2026-02-01T14:50:00Z"), valueMinor: 1000 },
        // 00:10 on 2 Feb in Tokyo (still 1 Feb in UTC): a second day.
        { placedAt: at("2026-02-01T15:10:00Z"), valueMinor: 2000 },
        { placedAt: at("2026-02-15T03:00:00Z"), valueMinor: 6000 },
      ],
      asOf,
      TOKYO,
    )!;
    expect(history.purchaseDays).toBe(3);
    // Repeat days 2 Feb and 15 Feb; first 1 Feb, last 15 Feb, asOf 1 Mar: 14 and 28 days.
    expect(history.frequency).toEqual({ x: 2, tx: 2, T: 4 });
    expect(history.meanOrderMinor).toBe(3000);
    expect(history.spend).toEqual({ x: 2, mx: 4000 });
    expect(history.daysSinceLast).toBe(14);
  });

  it("the usual repurchase interval is the median gap between purchase days, null with one day", () => {
    const days = ["2026-01-01", "2026-01-03", "2026-01-13", "2026-01-16"];
    const history = memberHistory(
      days.map((d) => ({ placedAt: at(`${d}T03:00:00Z`), valueMinor: 1000 })),
      asOf,
      TOKYO,
    )!;
    // Gaps 2, 10, 3: the median is 3 (an outlier gap does not pull it as a mean would).
    expect(history.repurchaseDays).toBe(3);
    const once = memberHistory([{ placedAt: at("2026-02-10T03:00:00Z"), valueMinor: 5400 }], asOf, TOKYO)!;
    expect(once.repurchaseDays).toBeNull();
    expect(once.frequency).toEqual({ x: 0, tx: 0, T: 19 / 7 });
    expect(once.spend).toEqual({ x: 0, mx: 0 });
  });

  it("ignores orders after asOf and has no history without an order by then", () => {
    expect(memberHistory([{ placedAt: at("2026-03-02T00:00:00Z"), valueMinor: 100 }], asOf, TOKYO)).toBeNull();
    expect(memberHistory([], asOf, TOKYO)).toBeNull();
  });

  it("days follow the zone's calendar across daylight saving", () => {
    // New York: 8 March 2026 is 23 hours long; 7 Mar 23:00 local and 8 Mar 23:00 local are consecutive days.
    const history = memberHistory(
      [
        { placedAt: at("2026-03-08T04:00:00Z"), valueMinor: 100 },
        { placedAt: at("2026-03-09T03:00:00Z"), valueMinor: 100 },
      ],
      at("2026-03-10T12:00:00Z"),
      "America/New_York",
    )!;
    expect(history.repurchaseDays).toBe(1);
    expect(history.frequency.x).toBe(1);
  });
});
