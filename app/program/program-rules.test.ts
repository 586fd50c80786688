import { describe, expect, it } from "vitest";
import { defaultProgram, withDefaults, type ProgramSettings } from "./program";
import { describeProgram, exampleEarn, validateProgram } from "./program-rules";

const jpy = defaultProgram("JPY");

describe("program settings", () => {
  it("the defaults are valid", () => {
    expect(validateProgram(jpy)).toEqual({ settings: jpy });
  });

  it("names every invalid field", () => {
    const result = validateProgram({
      ...jpy,
      earnRate: { points: -1, perMinor: 0 },
      pendingDays: 30,
      expiryDays: 10,
      redemption: { ...jpy.redemption, step: 100, minPoints: 150, maxShareBasisPoints: 20_000 },
    });
    expect(result).toEqual({
      errors: {
        "earnRate.points": expect.any(String),
        "earnRate.perMinor": expect.any(String),
        expiryDays: "Points cannot expire before their return window ends.",
        "redemption.minPoints": "The minimum must be a whole number of steps.",
        "redemption.maxShareBasisPoints": expect.any(String),
      },
    });
  });

  it("the live example: an order of ¥5,400 earns 54 points, at 3 points per ¥100 it earns 162", () => {
    expect(exampleEarn(jpy, 5400)).toBe(54);
    expect(exampleEarn({ ...jpy, earnRate: { points: 3, perMinor: 100 } }, 5400)).toBe(162);
  });

  it("explains the program in Japanese and English", () => {
    const ja = describeProgram({ ...jpy, expiryDays: 365, pendingDays: 14, signupBonus: 200 }, "ja");
    expect(ja[0]).toBe("お買い物￥100ごとに1ポイントが貯まります（送料・税・ギフトカードは対象外、端数は切り捨て）。");
    expect(ja).toContain("ポイントは返品期間の14日が過ぎると使えるようになります。");
    expect(ja).toContain("会員登録で200ポイントを差し上げます。");
    const en = describeProgram(defaultProgram("USD"), "en");
    expect(en[0]).toBe(
      "Shoppers earn 1 point for every $1.00 spent on merchandise (not shipping, tax or gift cards), rounded down.",
    );
    expect(en).toContain("Points never expire.");
  });
});

describe("rules and campaigns in the program", () => {
  it("refuses a campaign that ends before it starts, bad hours and a campaign that gives nothing", () => {
    const result = validateProgram({
      ...jpy,
      rules: [{ id: "r", name: "", target: {}, extraPercent: 5000 }],
      campaigns: [
        {
          id: "c",
          name: "Lunch",
          startsAt: "2026-12-02T00:00",
          endsAt: "2026-12-01T00:00",
          hours: { from: "14:00", to: "11:00" },
          target: {},
        },
      ],
    });
    expect(result).toEqual({
      errors: {
        "rules.0.name": expect.any(String),
        "rules.0.extraPercent": expect.any(String),
        "campaigns.0.window": "The campaign must end after it starts.",
        "campaigns.0.hours": expect.any(String),
        "campaigns.0.reward": expect.any(String),
      },
    });
  });

  it("states the stacking rule to the merchant", () => {
    const settings = { ...jpy, rules: [{ id: "r", name: "Tea ×2", target: {}, extraPercent: 100 }] };
    expect(describeProgram(settings, "en")).toContain(
      "Multipliers and campaigns add up (×1.5 and a ×2 campaign make ×2.5); excluded products earn nothing.",
    );
  });
});

describe("tiers in the program", () => {
  it("refuses overlapping thresholds and duplicate tiers", () => {
    const level = { id: "gold", name: "Gold", threshold: 100_000, earnExtraPercent: 25, reachBonus: 0 };
    const result = validateProgram({
      ...jpy,
      tiers: { ...jpy.tiers, levels: [level, { ...level, name: "Gold again", threshold: 50_000 }] },
    });
    expect(result).toEqual({
      errors: {
        "tiers.levels.1.id": "Each tier needs its own id.",
        "tiers.levels.1.threshold": "Each tier's threshold must be above the one before it.",
      },
    });
  });
});

describe("campaign points with an expiry of their own", () => {
  const campaign = {
    id: "gw",
    name: "Golden Week",
    startsAt: "2026-04-29T00:00",
    endsAt: "2026-05-07T00:00",
    target: {},
    extraPercent: 100,
  };
  const withBonusExpiry = (days: unknown, over: Partial<ProgramSettings> = {}) =>
    validateProgram({
      ...jpy,
      expiryDays: 365,
      campaigns: [{ ...campaign, bonusExpiryDays: days as number }],
      ...over,
    });

  it("takes a whole number of days, after the return window and sooner than the program's own expiry", () => {
    expect(withBonusExpiry(30)).toMatchObject({ settings: { campaigns: [{ bonusExpiryDays: 30 }] } });
    for (const days of [0, -5, 1.5, "30", 4000]) {
      expect(withBonusExpiry(days)).toEqual({ errors: { "campaigns.0.bonusExpiryDays": expect.any(String) } });
    }
    expect(withBonusExpiry(14, { pendingDays: 14 })).toEqual({
      errors: { "campaigns.0.bonusExpiryDays": "Campaign points cannot expire before their return window ends." },
    });
    expect(withBonusExpiry(365)).toEqual({
      errors: {
        "campaigns.0.bonusExpiryDays":
          "Campaign points must expire sooner than the program's 365 days, or leave it empty to keep them with the order's points.",
      },
    });
  });

  it("any length when the program's points never expire, or expire after a quiet period; empty keeps them with the order", () => {
    expect(withBonusExpiry(400, { expiryDays: null })).toHaveProperty("settings");
    expect(withBonusExpiry(400, { expiryMode: "inactivity" })).toHaveProperty("settings");
    expect(withBonusExpiry(null)).toHaveProperty("settings");
  });

  it("a version saved before the setting existed reads as before: no campaign expires on its own", () => {
    const stored = JSON.parse(JSON.stringify({ ...jpy, campaigns: [campaign] })) as ProgramSettings;
    const settings = withDefaults(stored);
    expect(settings.campaigns[0].bonusExpiryDays).toBeUndefined();
    expect(validateProgram(settings)).toEqual({ settings });
  });

  it("tells shoppers and the merchant when a campaign's bonus expires", () => {
    const settings = { ...jpy, expiryDays: 365, campaigns: [{ ...campaign, bonusExpiryDays: 30 }] };
    expect(describeProgram(settings, "en")).toContain(
      "Bonus points from the campaign Golden Week expire at the end of the day 30 days after they were earned.",
    );
    expect(describeProgram(settings, "ja")).toContain(
      "キャンペーン「Golden Week」のボーナスポイントは、獲得から30日後の日の終わりに失効します。",
    );
  });
});

const teaWeek = {
  id: "c1",
  name: "Tea week ×2",
  startsAt: "2026-12-01T00:00",
  endsAt: "2026-12-08T00:00",
  target: {},
  extraPercent: 100,
};

describe("campaign control groups", () => {
  const campaign = teaWeek;
  it.each([-1, 51, 12.5])("a holdout of %s%% is refused on its field", (holdoutPercent) => {
    const result = validateProgram({ ...jpy, campaigns: [{ ...campaign, holdoutPercent }] });
    expect(result).toEqual({
      errors: { "campaigns.0.holdoutPercent": "A control group holds out a whole 0% to 50% of eligible members." },
    });
  });
  it("0% to 50%, and a draft, are accepted", () => {
    for (const holdoutPercent of [0, 10, 50]) {
      expect(validateProgram({ ...jpy, campaigns: [{ ...campaign, holdoutPercent, draft: true }] })).toHaveProperty(
        "settings",
      );
    }
  });
});

describe("the summary of a campaign with a control group", () => {
  const campaign = { ...teaWeek, holdoutPercent: 20 };
  it("says a random 20% of eligible members earn as usual, in both languages; a draft is not mentioned", () => {
    const settings = withDefaults({ ...jpy, campaigns: [campaign] });
    expect(describeProgram(settings, "en")).toContain(
      "To measure its effect, the campaign Tea week ×2 does not apply to a random 20% of eligible members, who earn points as usual.",
    );
    expect(describeProgram(settings, "ja").join("")).toContain("対象会員の20%（無作為）には適用されず");
    const draft = withDefaults({ ...jpy, campaigns: [{ ...campaign, draft: true }] });
    expect(describeProgram(draft, "en").join("")).not.toContain("Tea week");
  });
});
