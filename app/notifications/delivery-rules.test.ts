import { describe, expect, it } from "vitest";
import { decideDelivery, quietUntil, type Recipient } from "./delivery-rules";
import { defaultNotificationSettings } from "./settings";

const consenting: Recipient = {
  email: "hanako@example.jp",
  redactedAt: null,
  leftAt: null,
  emailUnsubscribedAt: null,
  emailMarketingState: "SUBSCRIBED",
  pointsNewsEmails: false,
};
// 12:00 in Tokyo.
const noon = new Date("2026-12-01T03:00:00Z");
const base = {
  settings: defaultNotificationSettings("ja"),
  timezone: "Asia/Tokyo",
  now: noon,
  recentMarketing: [] as Date[],
  staleAt: null,
};

describe("whether a message goes now, later or never", () => {
  it("marketing needs Shopify's consent or the member's own choice of program news, and stops at unsubscribe", () => {
    expect(decideDelivery({ ...base, kind: "expiry_reminder", recipient: consenting })).toEqual({ action: "send" });
    const none = { ...consenting, emailMarketingState: "NOT_SUBSCRIBED" };
    expect(decideDelivery({ ...base, kind: "expiry_reminder", recipient: none })).toMatchObject({
      action: "skip",
      reason: "no marketing consent",
    });
    expect(
      decideDelivery({ ...base, kind: "expiry_reminder", recipient: { ...none, pointsNewsEmails: true } }).action,
    ).toBe("send");
    const gone = { ...consenting, emailUnsubscribedAt: noon };
    expect(decideDelivery({ ...base, kind: "points_earned", recipient: gone })).toMatchObject({
      reason: "unsubscribed",
    });
  });

  it("transactional messages go without marketing consent, but never without an address or after redaction", () => {
    const none = { ...consenting, emailMarketingState: null, emailUnsubscribedAt: noon };
    expect(decideDelivery({ ...base, kind: "reward_issued", recipient: none })).toEqual({ action: "send" });
    expect(decideDelivery({ ...base, kind: "reward_issued", recipient: { ...none, email: null } }).action).toBe("skip");
    expect(decideDelivery({ ...base, kind: "statement", recipient: { ...consenting, redactedAt: noon } }).action).toBe(
      "skip",
    );
  });

  it("a message the merchant turned off, or about a date already past, is dropped", () => {
    const settings = defaultNotificationSettings("ja");
    settings.enabled.birthday = false;
    expect(decideDelivery({ ...base, settings, kind: "birthday", recipient: consenting })).toMatchObject({
      reason: "turned off",
    });
    expect(decideDelivery({ ...base, kind: "expiry_reminder", recipient: consenting, staleAt: noon }).action).toBe(
      "skip",
    );
  });

  it("waits out quiet hours in the shop's time zone, across midnight", () => {
    const late = new Date("2026-12-01T14:30:00Z"); // 23:30 in Tokyo
    expect(quietUntil(late, "Asia/Tokyo", { start: 21, end: 9 })).toEqual(new Date("2026-12-02T00:00:00Z")); // 09:00
    const early = new Date("2026-12-01T22:00:00Z"); // 07:00 the next day in Tokyo
    expect(quietUntil(early, "Asia/Tokyo", { start: 21, end: 9 })).toEqual(new Date("2026-12-02T00:00:00Z"));
    expect(quietUntil(noon, "Asia/Tokyo", { start: 21, end: 9 })).toBeNull();
    expect(quietUntil(late, "Asia/Tokyo", null)).toBeNull();
    const decision = decideDelivery({ ...base, now: late, kind: "points_earned", recipient: consenting });
    expect(decision).toMatchObject({ action: "wait", reason: "quiet hours" });
    // Transactional messages are not held by quiet hours.
    expect(decideDelivery({ ...base, now: late, kind: "reward_issued", recipient: consenting }).action).toBe("send");
  });

  it("keeps each member to the daily cap, then sends when the oldest of the day is 24 hours old", () => {
    const sent = [new Date(noon.getTime() - 3_600_000), new Date(noon.getTime() - 7_200_000)];
    const decision = decideDelivery({ ...base, kind: "points_earned", recipient: consenting, recentMarketing: sent });
    expect(decision).toEqual({
      action: "wait",
      until: new Date(noon.getTime() - 7_200_000 + 86_400_000),
      reason: "daily limit",
    });
    const old = [new Date(noon.getTime() - 25 * 3_600_000), sent[0]];
    expect(decideDelivery({ ...base, kind: "points_earned", recipient: consenting, recentMarketing: old }).action).toBe(
      "send",
    );
  });
});
