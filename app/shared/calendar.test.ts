import { describe, expect, it } from "vitest";
import { expiryInstant, localDate, offsetMinutes, startOfLocalDay } from "./calendar";

describe("the shop's calendar", () => {
  it("a Tokyo shop's day starts at 15:00 UTC the day before", () => {
    expect(startOfLocalDay("2026-11-24", "Asia/Tokyo").toISOString()).toBe("2026-11-23T15:00:00.000Z");
    expect(localDate(new Date("2026-11-23T15:00:00Z"), "Asia/Tokyo")).toBe("2026-11-24");
    expect(localDate(new Date("2026-11-23T14:59:59Z"), "Asia/Tokyo")).toBe("2026-11-23");
  });

  it("points earned in Tokyo at 23:30 expire at the end of the local day 30 days later", () => {
    const earned = new Date("2026-11-24T14:30:00Z"); // 23:30 on 24 November in Tokyo
    expect(expiryInstant(earned, 30, "Asia/Tokyo").toISOString()).toBe("2026-12-24T15:00:00.000Z");
  });

  it("New York's midnight moves with daylight saving", () => {
    expect(offsetMinutes(new Date("2026-03-07T12:00:00Z"), "America/New_York")).toBe(-300);
    expect(offsetMinutes(new Date("2026-03-09T12:00:00Z"), "America/New_York")).toBe(-240);
    expect(startOfLocalDay("2026-03-08", "America/New_York").toISOString()).toBe("2026-03-08T05:00:00.000Z");
    expect(startOfLocalDay("2026-03-09", "America/New_York").toISOString()).toBe("2026-03-09T04:00:00.000Z");
    expect(startOfLocalDay("2026-11-02", "America/New_York").toISOString()).toBe("2026-11-02T05:00:00.000Z");
  });

  it("a lot earned before the clocks change expires at the local end of day after it", () => {
    const earned = new Date("2026-03-07T17:00:00Z"); // noon in New York, standard time
    expect(expiryInstant(earned, 1, "America/New_York").toISOString()).toBe("2026-03-09T04:00:00.000Z");
    const autumn = new Date("2026-10-31T16:00:00Z"); // noon, daylight time
    expect(expiryInstant(autumn, 1, "America/New_York").toISOString()).toBe("2026-11-02T05:00:00.000Z");
  });
});
