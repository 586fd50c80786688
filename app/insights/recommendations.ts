import type { Campaign } from "../earning/rules";
import type { ProgramSettings } from "../program/program";
import { addDays } from "../shared/calendar";
import type { AtRiskFigures, TierStep } from "./figures";

/** A tier step is worth a campaign when at least this many members sit within 10 % below its threshold. */
export const STALL_MIN_MEMBERS = 10;
/** A win-back is worth a campaign when at least this many at-risk members each had one mean order or more at stake. */
export const WIN_BACK_MIN_MEMBERS = 20;
/** Expiry reminders are worth turning on when at least this many members have points expiring in 30 days. */
export const EXPIRING_MIN_MEMBERS = 20;
/**
 * A tier's threshold looks like a wall when fewer members crossed it in the last 30 days than this share of those
 * stalled just below it: then relaxing it is worth weighing against a campaign.
 */
export const WALL_SHARE = 0.25;
/** The relaxed threshold: 90 % of the current one, which every stalled member (within 10 % below) already meets. */
export const RELAXED_SHARE = 0.9;
/** The tier push: double points (+100 %) for two weeks. */
export const STALL_EXTRA_PERCENT = 100;
export const STALL_DAYS = 14;
/** The win-back: a fixed bonus worth 5 % of what a member used to spend per 90 days, for 30 days. */
export const WIN_BACK_SHARE = 0.05;
export const WIN_BACK_DAYS = 30;

/** A campaign as the program editor keeps it; `draft` is the editor's "Draft" box (never applies while ticked). */
export type DraftCampaign = Campaign & { draft: true };

export type RecommendationAction =
  | { type: "draftCampaign"; campaign: DraftCampaign }
  | { type: "enableExpiryReminder" }
  // A change to the live program's tiers is the merchant's to make in the program editor: no one-click draft exists.
  | { type: "reviewTier"; tierId: string; threshold: number };

export interface Recommendation {
  /** Stable across page loads: the action is idempotent per id. */
  id: string;
  kind: "tierPush" | "tierRelax" | "winBack" | "expiryReminder";
  /** The figures the recommendation rests on, shown beside it. */
  evidence: Record<string, number | string | null>;
  /** What it would cost at most, in points and in the shop's minor units. */
  cost: { points: number; minor: number };
  action: RecommendationAction;
}

export interface RecommendationInput {
  settings: ProgramSettings;
  funnel: TierStep[];
  tierMembers: Array<{ tierId: string | null; members: number }>;
  atRisk: AtRiskFigures | null;
  expiring: { members: number; points: number; expectedValueMinor: number };
  expiryReminderOn: boolean;
  /** The shop-local date the proposed campaigns start on (YYYY-MM-DD). */
  today: string;
  /** The proposed campaigns' names, in the merchant's language (shoppers see a campaign's name beside its points). */
  names: { tierPush: (from: string, to: string) => string; winBack: string };
}

export const EXPIRY_REMINDER_ID = "expiry-reminder";

/** The campaign id a recommendation creates: the program keeps it, so a second click finds it. */
export const campaignIdFor = (recommendationId: string) => `insights-${recommendationId}`;

const window = (today: string, days: number) => ({
  startsAt: `${today}T00:00`,
  endsAt: `${addDays(today, days)}T00:00`,
});

/**
 * Points earned on `gap` of the tier basis: spend converts at the earn rate (rounded up, as a cost estimate is an
 * upper bound); a points basis is already points.
 */
function pointsOn(settings: ProgramSettings, gap: number): number {
  if (settings.tiers.basis === "points") return gap;
  return Math.ceil((gap * settings.earnRate.points) / settings.earnRate.perMinor);
}

/**
 * Members stalled just below a tier: double points for the tier below it. The cost assumes every stalled member
 * spends exactly what they lack and earns it doubled: the extra points are what the gap earns once more. Members
 * with no tier yet are left out: a campaign can only target a tier someone holds, and one for everybody would cost
 * far more than this estimate.
 */
function tierPushes(input: RecommendationInput): Recommendation[] {
  const { settings } = input;
  const nameOf = (id: string | null) => settings.tiers.levels.find((l) => l.id === id)?.name ?? null;
  return input.funnel
    .filter((step) => step.fromTierId !== null && step.stalled >= STALL_MIN_MEMBERS)
    .map((step) => {
      const id = `tier-push-${step.toTierId}`;
      const points = Math.ceil((pointsOn(settings, step.gapTotal) * STALL_EXTRA_PERCENT) / 100);
      return {
        id,
        kind: "tierPush" as const,
        evidence: {
          fromTier: nameOf(step.fromTierId),
          toTier: nameOf(step.toTierId),
          threshold: step.toThreshold,
          stalled: step.stalled,
          crossed: step.crossed,
        },
        cost: { points, minor: points * settings.pointValueMinor },
        action: {
          type: "draftCampaign" as const,
          campaign: {
            id: campaignIdFor(id),
            name: input.names.tierPush(nameOf(step.fromTierId) ?? "", nameOf(step.toTierId) ?? ""),
            ...window(input.today, STALL_DAYS),
            target: {},
            tierIds: [step.fromTierId!],
            extraPercent: STALL_EXTRA_PERCENT,
            draft: true,
          },
        },
      };
    });
}

/**
 * A tier few members cross while many stall just below it: lower its threshold to 90 %, so the stalled members reach
 * it at the next evaluation. The cost counted is the tier's reach bonus for each of them; the tier's extra earn
 * percentage on their orders from then on is named beside it, as it depends on what they will buy. Not proposed when
 * the lowered threshold would meet the tier below's.
 */
function tierRelaxes(input: RecommendationInput): Recommendation[] {
  const { levels } = input.settings.tiers;
  return input.funnel.flatMap((step) => {
    const tier = levels.find((level) => level.id === step.toTierId);
    if (!tier || step.stalled < STALL_MIN_MEMBERS || step.crossed >= step.stalled * WALL_SHARE) return [];
    const threshold = Math.floor(step.toThreshold * RELAXED_SHARE);
    const below = Math.max(0, ...levels.filter((level) => level.threshold < step.toThreshold).map((l) => l.threshold));
    if (threshold <= below) return [];
    const points = tier.reachBonus * step.stalled;
    return [
      {
        id: `tier-relax-${tier.id}`,
        kind: "tierRelax" as const,
        evidence: {
          fromTier: levels.find((level) => level.id === step.fromTierId)?.name ?? null,
          toTier: tier.name,
          threshold: step.toThreshold,
          proposed: threshold,
          stalled: step.stalled,
          crossed: step.crossed,
          reachBonus: tier.reachBonus,
          extraPercent: tier.earnExtraPercent,
        },
        cost: { points, minor: points * input.settings.pointValueMinor },
        action: { type: "reviewTier" as const, tierId: tier.id, threshold },
      },
    ];
  });
}

/**
 * Many at-risk members who used to spend: a bonus on their next order, aimed at the tier most of them hold (campaigns
 * target tiers or customer tags, not a list of members). With most of them in no tier the campaign targets everyone.
 * The cost is an upper bound: every member the campaign reaches takes the bonus.
 */
function winBack(input: RecommendationInput): Recommendation[] {
  const risk = input.atRisk;
  if (!risk || risk.highValue < WIN_BACK_MIN_MEMBERS) return [];
  const { settings } = input;
  const target = risk.highValueByTier[0]?.tierId ?? null;
  const reached =
    target === null
      ? input.tierMembers.reduce((sum, row) => sum + row.members, 0)
      : (input.tierMembers.find((row) => row.tierId === target)?.members ?? 0);
  const bonusPoints = Math.max(1, Math.round((risk.highValueMeanMinor * WIN_BACK_SHARE) / settings.pointValueMinor));
  const id = "win-back";
  const points = bonusPoints * reached;
  return [
    {
      id,
      kind: "winBack",
      evidence: {
        atRisk: risk.members,
        highValue: risk.highValue,
        valueAtStakeMinor: risk.valueAtStakeMinor,
        tier: settings.tiers.levels.find((l) => l.id === target)?.name ?? null,
        reached,
        bonusPoints,
      },
      cost: { points, minor: points * settings.pointValueMinor },
      action: {
        type: "draftCampaign",
        campaign: {
          id: campaignIdFor(id),
          name: input.names.winBack,
          ...window(input.today, WIN_BACK_DAYS),
          target: {},
          ...(target === null ? {} : { tierIds: [target] }),
          bonusPoints,
          draft: true,
        },
      },
    },
  ];
}

/** Points about to expire unannounced: the reminder costs nothing, and the sales at stake are the members' own. */
function expiryReminder(input: RecommendationInput): Recommendation[] {
  if (input.expiryReminderOn || input.expiring.members < EXPIRING_MIN_MEMBERS) return [];
  return [
    {
      id: EXPIRY_REMINDER_ID,
      kind: "expiryReminder",
      evidence: {
        members: input.expiring.members,
        points: input.expiring.points,
        expectedValueMinor: input.expiring.expectedValueMinor,
      },
      cost: { points: 0, minor: 0 },
      action: { type: "enableExpiryReminder" },
    },
  ];
}

export function recommend(input: RecommendationInput): Recommendation[] {
  return [...tierPushes(input), ...tierRelaxes(input), ...winBack(input), ...expiryReminder(input)];
}
