import { z } from "zod";

/**
 * Per-shop detection thresholds. The defaults below are what a shop gets until its merchant edits them; each says
 * why that number. Scores are robust z-scores (see robust.ts) unless said otherwise: 3.5 is Iglewicz and Hoaglin's
 * recommended outlier cutoff for the modified z-score, which for normal data is about 1 value in 4,300.
 */
export interface Thresholds {
  /** A signal at or above this score holds the earn for review (1 = the rule's own threshold). */
  holdAtScore: number;
  /** A score at or above this also blocks the member automatically; null = never (a merchant opts in). */
  blockAtScore: number | null;
  velocity: {
    enabled: boolean;
    /** Robust z against the shop's per-member hourly and daily counts (and points), and against the member's own. */
    minZ: number;
    /** Never flag fewer orders than this in an hour, or in a day, whatever the z. */
    minOrdersHour: number;
    minOrdersDay: number;
    /** Days of member history that count as "the member's own pattern" for the own-history comparison. */
    ownMinActiveDays: number;
    /** The window the shop's baseline is computed over. */
    baselineDays: number;
  };
  largeOrder: {
    enabled: boolean;
    /** Past orders needed before the member's own history is the yardstick (else the shop's order sizes are). */
    minHistoryOrders: number;
    /** Robust z of log(amount) against the member's own orders. */
    minZ: number;
    /** And at least this many times the member's median order. */
    minRatio: number;
    /** And above this percentile of the shop's members' usual baskets. */
    shopPercentile: number;
    /** Robust z of log(amount) against the shop's orders, for a member with too little history. */
    firstOrderMinZ: number;
  };
  redeemRefund: {
    enabled: boolean;
    /** Refunds of an order whose points were already spent, within the window, that make a pattern. */
    minCount: number;
    windowDays: number;
  };
  signupFarming: {
    enabled: boolean;
    /** New members sharing an email pattern, an address or a phone within the window. */
    minMembers: number;
    windowHours: number;
  };
  flaggedRedemption: { enabled: boolean };
  birthday: {
    enabled: boolean;
    /** A birthday bonus within this many days of the last one, after a birthday change, is held. */
    windowDays: number;
  };
  staffOutlier: {
    enabled: boolean;
    /** Robust z of log(count) and log(points) across staff; the floor makes z count doublings. */
    minZ: number;
    /** Fewer staff than this is no population to compare with. */
    minStaff: number;
    /** A staff member with fewer adjustments than this in the window is never an outlier. */
    minAdjustments: number;
    windowDays: number;
  };
}

export const DEFAULT_THRESHOLDS: Thresholds = {
  // Any signal at its rule's threshold holds the points: holding costs a review, paying out to abuse costs money.
  holdAtScore: 1,
  // Blocking a customer is a merchant's decision; automatic blocking is off until they choose a level.
  blockAtScore: null,
  velocity: {
    enabled: true,
    // 3.5: the standard modified-z cutoff. With the Poisson floor on counts, in a shop where members buy once a day
    // at most, that is 5 orders in a day (or an hour): rare for a person, ordinary for a script.
    minZ: 3.5,
    // Three orders in an hour and four in a day are within what one household does at a sale: never flag below.
    minOrdersHour: 3,
    minOrdersDay: 4,
    // Five days with orders is the least from which "the member usually buys this much" means something: it lets a
    // wholesale buyer's usual busy day pass.
    ownMinActiveDays: 5,
    // Four weeks: every weekday four times, so the weekly rhythm is in the baseline.
    baselineDays: 28,
  },
  largeOrder: {
    enabled: true,
    // Three orders give a median that one odd order cannot move.
    minHistoryOrders: 3,
    minZ: 3.5,
    // Ten times the member's usual basket: a normal member's order sizes vary by about ×1.6 (σ of log ≈ 0.5), so
    // ×10 is 4.6σ, about 2 orders in a million.
    minRatio: 10,
    // And a large order for the shop too (above what 95% of its members usually spend): ten times a ¥500 habit is
    // not worth a review.
    shopPercentile: 95,
    // The shop's spread is wider than one member's (it mixes small and big buyers), so a stricter cutoff: z 4.5 is
    // about 3 first orders in a million.
    firstOrderMinZ: 4.5,
  },
  redeemRefund: {
    enabled: true,
    // One return after spending is ordinary, two can be bad luck (a wrong size twice); three is a pattern.
    minCount: 3,
    // Sixty days covers the usual 30-day return window twice over.
    windowDays: 60,
  },
  signupFarming: {
    enabled: true,
    // Two accounts at one address are a household; three new ones in a day sharing an email stem, an address or a
    // phone are an operator.
    minMembers: 3,
    windowHours: 24,
  },
  flaggedRedemption: { enabled: true },
  birthday: {
    enabled: true,
    // The bonus is yearly: a second one within 330 days (a year less a month of leeway for a corrected typo at
    // signup) after the birthday was changed is collecting it again.
    windowDays: 330,
  },
  staffOutlier: {
    enabled: true,
    // With the floor at ×2 per unit of z, 3.5 means about 11× the median staff member's adjustments or points:
    // a full-timer does three or four times what a part-timer does; eleven times is not a rota.
    minZ: 3.5,
    // The median of two is their mean: three staff is the least that says what "ordinary" is.
    minStaff: 3,
    // A handful of adjustments is never a pattern, whatever the others did.
    minAdjustments: 5,
    // A month: a pay period, and what a merchant reviews at once.
    windowDays: 30,
  },
};

const positive = z.number().finite().positive();
const count = z.number().int().min(1).max(1_000);
const days = z.number().int().min(1).max(366);

/** What a merchant may set: bounded so a typo cannot switch a rule off by accident (switching off is `enabled`). */
export const thresholdsSchema = z
  .object({
    holdAtScore: positive.max(100),
    blockAtScore: positive.max(100).nullable(),
    velocity: z.object({
      enabled: z.boolean(),
      minZ: positive.min(1).max(50),
      minOrdersHour: count,
      minOrdersDay: count,
      ownMinActiveDays: count,
      baselineDays: days.min(7),
    }),
    largeOrder: z.object({
      enabled: z.boolean(),
      minHistoryOrders: count,
      minZ: positive.min(1).max(50),
      minRatio: positive.min(1.5).max(1_000),
      shopPercentile: z.number().min(50).max(100),
      firstOrderMinZ: positive.min(1).max(50),
    }),
    redeemRefund: z.object({ enabled: z.boolean(), minCount: count.min(2), windowDays: days }),
    signupFarming: z.object({
      enabled: z.boolean(),
      minMembers: count.min(2),
      windowHours: z
        .number()
        .int()
        .min(1)
        .max(24 * 31),
    }),
    flaggedRedemption: z.object({ enabled: z.boolean() }),
    birthday: z.object({ enabled: z.boolean(), windowDays: days }),
    staffOutlier: z.object({
      enabled: z.boolean(),
      minZ: positive.min(1).max(50),
      minStaff: count.min(3),
      minAdjustments: count,
      windowDays: days,
    }),
  })
  .refine((t) => t.blockAtScore === null || t.blockAtScore >= t.holdAtScore, {
    message: "the automatic block level must be at or above the hold level",
    path: ["blockAtScore"],
  });

/** A shop's stored thresholds over the defaults: what is missing or invalid in storage falls back to the default. */
export function thresholdsFor(stored: unknown): Thresholds {
  if (!stored || typeof stored !== "object") return DEFAULT_THRESHOLDS;
  const s = stored as Record<string, unknown>;
  const merged: Record<string, unknown> = { ...DEFAULT_THRESHOLDS };
  for (const [key, value] of Object.entries(DEFAULT_THRESHOLDS)) {
    const v = s[key];
    merged[key] = value && typeof value === "object" && v && typeof v === "object" ? { ...value, ...v } : (v ?? value);
  }
  const parsed = thresholdsSchema.safeParse(merged);
  return parsed.success ? parsed.data : DEFAULT_THRESHOLDS;
}
