import { describe, expect, it } from "vitest";
import { decideTier, levelFor, qualifyingSince, tierBoost, type TierSettings } from "./tiers";

const settings: TierSettings = {
  levels: [
    { id: "silver", name: "Silver", threshold: 30_000, earnExtraPercent: 10, reachBonus: 100 },
    { id: "gold", name: "Gold", threshold: 100_000, earnExtraPercent: 25, reachBonus: 500 },
  ],
  basis: "spend",
  period: "rolling12",
  downgrade: "periodEnd",
  graceDays: 30,
};
const now = new Date("2026-11-24T03:00:00Z");
const none = { tierId: null, since: null, belowSince: null };

describe("tiers", () => {
  it("¥100,000 spent reaches Gold; ¥99,999 is Silver; nothing below ¥30,000", () => {
    expect(levelFor(settings.levels, 100_000)?.id).toBe("gold");
    expect(levelFor(settings.levels, 99_999)?.id).toBe("silver");
    expect(levelFor(settings.levels, 29_999)).toBeNull();
  });

  it("upgrades at once, with the reason recorded", () => {
    expect(decideTier(settings, none, 120_000, now, "Asia/Tokyo")).toEqual({
      tierId: "gold",
      belowSince: null,
      change: { from: null, to: "gold", reason: "reached Gold (spend 120000)" },
    });
  });

  it("period-end downgrades wait for the next calendar year", () => {
    const gold = { tierId: "gold", since: new Date("2026-03-01T00:00:00Z"), belowSince: null };
    expect(decideTier(settings, gold, 40_000, now, "Asia/Tokyo").change).toBeNull();
    const newYear = new Date("2026-12-31T15:00:00Z"); // 1 January 2027 in Tokyo
    expect(decideTier(settings, gold, 40_000, newYear, "Asia/Tokyo")).toMatchObject({
      tierId: "silver",
      change: { from: "gold", to: "silver" },
    });
  });

  it("a grace period keeps the tier until the member has been below it long enough", () => {
    const grace = { ...settings, downgrade: "grace" as const };
    const gold = { tierId: "gold", since: new Date("2025-01-01T00:00:00Z"), belowSince: null };
    const first = decideTier(grace, gold, 10_000, now, "Asia/Tokyo");
    expect(first).toEqual({ tierId: "gold", belowSince: now, change: null });
    const later = new Date(now.getTime() + 31 * 24 * 60 * 60 * 1000);
    expect(decideTier(grace, { ...gold, belowSince: now }, 10_000, later, "Asia/Tokyo")).toMatchObject({
      tierId: null,
      change: { from: "gold", to: null },
    });
  });

  it("never means never", () => {
    const keep = { ...settings, downgrade: "never" as const };
    expect(decideTier(keep, { tierId: "gold", since: now, belowSince: null }, 0, now, "Asia/Tokyo").tierId).toBe(
      "gold",
    );
  });

  it("qualifying periods: rolling 12 months, the calendar year, or a lifetime, in the shop's days", () => {
    expect(qualifyingSince(settings, now, "Asia/Tokyo")?.toISOString()).toBe("2025-11-24T15:00:00.000Z");
    expect(qualifyingSince({ ...settings, period: "calendarYear" }, now, "Asia/Tokyo")?.toISOString()).toBe(
      "2025-12-31T15:00:00.000Z",
    );
    expect(qualifyingSince({ ...settings, period: "lifetime" }, now, "Asia/Tokyo")).toBeNull();
  });

  it("a tier's earn boost", () => {
    expect(tierBoost(settings, "gold")).toBe(25);
    expect(tierBoost(settings, null)).toBe(0);
  });
});
