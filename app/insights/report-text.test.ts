import { describe, expect, it } from "vitest";
import { change, formatAmount, monthlyReportText, type MonthlyFigures } from "./report-text";
import { allowedNumbers, checkNumbers } from "./number-check";

const figures: MonthlyFigures = {
  period: "2026-11",
  currency: "JPY",
  timezone: "Asia/Tokyo",
  membersJoined: 1234,
  activeMembers: 560,
  pointsEarned: 48000,
  pointsRedeemed: 12000,
  pointsExpired: 2400,
  pointsAdjusted: -50,
  memberOrders: 890,
  memberRevenueMinor: 4_560_000,
  rewardCodesUsed: 12,
  liabilityPoints: 150000,
  liabilityMinor: 150000,
  tierMoves: { up: 7, down: 2 },
  atRisk: { members: 45, expectedValueMinor: 230_000 },
  previous: {
    membersJoined: 1000,
    activeMembers: 560,
    pointsEarned: 40000,
    pointsRedeemed: 16000,
    pointsExpired: 0,
    pointsAdjusted: 0,
    memberOrders: 0,
    memberRevenueMinor: 4_000_000,
    rewardCodesUsed: 3,
  },
};

describe("the monthly report from the figures", () => {
  it("tells a Japanese merchant what happened, in yen without decimals", () => {
    const text = monthlyReportText(figures, "ja");
    expect(text).toContain("2026年11月は、新しい会員が1,234人加わり、560人の会員");
    expect(text).toContain("会員の注文は890件、売上は￥4,560,000でした。");
    expect(text).toContain("（スタッフによる調整は差し引き-50ポイント）");
    expect(text.split("\n\n")).toHaveLength(3);
  });

  it("compares with last month in percentages, and skips what last month cannot be compared with", () => {
    const ja = monthlyReportText(figures, "ja");
    expect(ja).toContain("新規会員は前月の1,000人から23.4%増えました。");
    expect(ja).toContain("アクティブな会員は前月と同じ560人でした。");
    expect(ja).toContain("使われたポイントは前月の16,000ポイントから25%減りました。");
    expect(ja).not.toContain("会員の注文は前月");
    const en = monthlyReportText(figures, "en");
    expect(en).toContain("New members went up 23.4% from 1,234".replace("1,234", "1,000"));
    expect(en).toContain("Member revenue went up 14% from ¥4,000,000 last month.");
  });

  it("says what to watch: the liability, tier moves, members at risk and the expired share", () => {
    const en = monthlyReportText(figures, "en");
    expect(en).toContain("members held 150,000 unused points, worth ¥150,000.");
    expect(en).toContain("7 members moved up a tier and 2 moved down.");
    expect(en).toContain(
      "45 members are at risk of lapsing; together they are expected to spend ¥230,000 in the next 90 days.",
    );
    expect(en).toContain("Expired points came to 5% of the points earned.");
  });

  it("leaves out the predictions when there are none, and the tier line when nobody moved", () => {
    const en = monthlyReportText({ ...figures, atRisk: null, tierMoves: { up: 0, down: 0 } }, "en");
    expect(en).not.toContain("at risk");
    expect(en).not.toContain("tier");
  });

  it("makes English counts agree: one member is, two members are", () => {
    const one = { ...figures, membersJoined: 1, rewardCodesUsed: 1, atRisk: { members: 1, expectedValueMinor: 500 } };
    const en = monthlyReportText(one, "en");
    expect(en).toContain("1 new member joined");
    expect(en).toContain("1 reward code was used.");
    expect(en).toContain("1 member is at risk of lapsing");
  });

  it("writes dollars with cents", () => {
    expect(formatAmount(123456, "USD", "en")).toBe("$1,234.56");
    expect(monthlyReportText({ ...figures, currency: "USD" }, "en")).toContain("orders worth $45,600.00");
  });

  it("has no change against an empty month", () => {
    expect(change(5, 0)).toBeNull();
    expect(change(3, 4)).toEqual({ direction: "down", ratio: 0.25 });
  });

  it("passes its own number check in either language", () => {
    const allowed = allowedNumbers([monthlyReportText(figures, "ja"), monthlyReportText(figures, "en")]);
    expect(checkNumbers(monthlyReportText(figures, "ja"), allowed)).toEqual({ ok: true });
    expect(checkNumbers(monthlyReportText(figures, "en"), allowed)).toEqual({ ok: true });
  });
});
