import { describe, expect, it } from "vitest";
import { defaultProgram, type ProgramSettings } from "../program/program";
import type { AtRiskFigures, TierStep } from "./figures";
import {
  EXPIRING_MIN_MEMBERS,
  recommend,
  STALL_MIN_MEMBERS,
  WIN_BACK_MIN_MEMBERS,
  type RecommendationInput,
} from "./recommendations";

const settings: ProgramSettings = {
  ...defaultProgram("JPY"),
  tiers: {
    levels: [
      { id: "silver", name: "Silver", threshold: 30_000, earnExtraPercent: 0, reachBonus: 0 },
      { id: "gold", name: "Gold", threshold: 100_000, earnExtraPercent: 0, reachBonus: 0 },
    ],
    basis: "spend",
    period: "rolling12",
    downgrade: "never",
    graceDays: 30,
  },
};

const step = (
  fromTierId: string | null,
  toTierId: string,
  stalled: number,
  gapTotal: number,
  crossed = stalled,
): TierStep => ({
  fromTierId,
  toTierId,
  toThreshold: toTierId === "gold" ? 100_000 : 30_000,
  stalled,
  gapTotal,
  crossed,
});

const quiet: AtRiskFigures = {
  members: 3,
  valueAtStakeMinor: 9000,
  highValue: WIN_BACK_MIN_MEMBERS - 1,
  highValueByTier: [{ tierId: "gold", members: WIN_BACK_MIN_MEMBERS - 1 }],
  highValueMeanMinor: 10_000,
  top: [],
};

const input = (over: Partial<RecommendationInput> = {}): RecommendationInput => ({
  settings,
  funnel: [step(null, "silver", 50, 100_000), step("silver", "gold", STALL_MIN_MEMBERS - 1, 45_000)],
  tierMembers: [
    { tierId: null, members: 500 },
    { tierId: "silver", members: 80 },
    { tierId: "gold", members: 30 },
  ],
  atRisk: quiet,
  expiring: { members: EXPIRING_MIN_MEMBERS - 1, points: 5000, expectedValueMinor: 70_000 },
  expiryReminderOn: false,
  today: "2026-12-01",
  names: { tierPush: (from, to) => `${from} to ${to}`, winBack: "Welcome back" },
  ...over,
});

describe("recommendations", () => {
  it("recommend nothing when every figure is under its threshold (and members with no tier get no campaign)", () => {
    expect(recommend(input())).toEqual([]);
  });

  it("ten members stalled before Gold: a draft double-points campaign for Silver, costed on what they lack", () => {
    const [rec] = recommend(input({ funnel: [step("silver", "gold", STALL_MIN_MEMBERS, 45_000, 2)] }));
    // ¥45,000 still to spend earns 450 points at 1 per ¥100; doubled, 450 more, worth ¥450.
    expect(rec).toEqual({
      id: "tier-push-gold",
      kind: "tierPush",
      evidence: { fromTier: "Silver", toTier: "Gold", threshold: 100_000, stalled: 10, crossed: 2 },
      cost: { points: 450, minor: 450 },
      action: {
        type: "draftCampaign",
        campaign: {
          id: "insights-tier-push-gold",
          name: "Silver to Gold",
          startsAt: "2026-12-01T00:00",
          endsAt: "2026-12-15T00:00",
          target: {},
          tierIds: ["silver"],
          extraPercent: 100,
          draft: true,
        },
      },
    });
  });

  it("a tier few cross while many stall below it: relax its threshold to 90 %, costed on its reach bonus", () => {
    const bonus: ProgramSettings = {
      ...settings,
      tiers: {
        ...settings.tiers,
        levels: settings.tiers.levels.map((level) =>
          level.id === "gold" ? { ...level, reachBonus: 1000, earnExtraPercent: 50 } : level,
        ),
      },
    };
    const wall = step("silver", "gold", 40, 180_000, 9);
    const recs = recommend(input({ settings: bonus, funnel: [wall] }));
    expect(recs.map((rec) => rec.kind)).toEqual(["tierPush", "tierRelax"]);
    expect(recs[1]).toEqual({
      id: "tier-relax-gold",
      kind: "tierRelax",
      evidence: {
        fromTier: "Silver",
        toTier: "Gold",
        threshold: 100_000,
        proposed: 90_000,
        stalled: 40,
        crossed: 9,
        reachBonus: 1000,
        extraPercent: 50,
      },
      // 40 members each get Gold's 1,000-point reach bonus, at ¥1 a point.
      cost: { points: 40_000, minor: 40_000 },
      action: { type: "reviewTier", tierId: "gold", threshold: 90_000 },
    });
    // Ten crossed against forty stalled is no wall: only the campaign is proposed.
    expect(recommend(input({ settings: bonus, funnel: [{ ...wall, crossed: 10 }] })).map((r) => r.kind)).toEqual([
      "tierPush",
    ]);
    // Too few stalled: nothing.
    expect(
      recommend(input({ settings: bonus, funnel: [{ ...wall, stalled: STALL_MIN_MEMBERS - 1, crossed: 0 }] })),
    ).toEqual([]);
    // With Silver at ¥95,000, Gold lowered to ¥90,000 would fall below Silver: not proposed.
    const close: ProgramSettings = {
      ...bonus,
      tiers: {
        ...bonus.tiers,
        levels: bonus.tiers.levels.map((level) => (level.id === "silver" ? { ...level, threshold: 95_000 } : level)),
      },
    };
    expect(recommend(input({ settings: close, funnel: [wall] })).map((r) => r.kind)).toEqual(["tierPush"]);
    // The first tier, with nothing below it: Silver's ¥30,000 lowered to ¥27,000.
    const entry = recommend(input({ settings: bonus, funnel: [step(null, "silver", 30, 60_000, 0)] }));
    expect(entry.map((r) => [r.kind, r.action])).toEqual([
      ["tierRelax", { type: "reviewTier", tierId: "silver", threshold: 27_000 }],
    ]);
  });

  it("twenty high-value members at risk: a draft win-back for the tier most of them hold, costed on everyone it reaches", () => {
    const atRisk = { ...quiet, highValue: WIN_BACK_MIN_MEMBERS, highValueByTier: [{ tierId: "gold", members: 20 }] };
    const [rec] = recommend(input({ atRisk }));
    expect(rec.id).toBe("win-back");
    // 5 % of ¥10,000 is 500 points at ¥1 a point, for the 30 Gold members.
    expect(rec.cost).toEqual({ points: 15_000, minor: 15_000 });
    expect(rec.action).toMatchObject({
      type: "draftCampaign",
      campaign: {
        id: "insights-win-back",
        tierIds: ["gold"],
        bonusPoints: 500,
        draft: true,
        endsAt: "2026-12-31T00:00",
      },
    });
    const noTier = recommend(input({ atRisk: { ...atRisk, highValueByTier: [{ tierId: null, members: 20 }] } }));
    expect(noTier[0].action).not.toHaveProperty("campaign.tierIds");
    expect(noTier[0].cost.points).toBe(500 * 610);
  });

  it("twenty members with points expiring and reminders off: turn the reminder on, at no cost; not when it is on", () => {
    const expiring = { members: EXPIRING_MIN_MEMBERS, points: 5000, expectedValueMinor: 70_000 };
    const [rec] = recommend(input({ expiring }));
    expect(rec).toEqual({
      id: "expiry-reminder",
      kind: "expiryReminder",
      evidence: { members: 20, points: 5000, expectedValueMinor: 70_000 },
      cost: { points: 0, minor: 0 },
      action: { type: "enableExpiryReminder" },
    });
    expect(recommend(input({ expiring, expiryReminderOn: true }))).toEqual([]);
  });

  it("without a fit there is no win-back", () => {
    expect(recommend(input({ atRisk: null }))).toEqual([]);
  });
});
