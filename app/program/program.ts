import { majorUnit } from "../shared/money";
import type { Campaign, EarnRule } from "../earning/rules";
import type { RoundingPolicy } from "../shared/rounding";
import { NO_TIERS, type TierSettings } from "./tiers";

/** Points per amount of the shop's currency: `points` for every `perMinor` minor units of the earn base. */
export interface EarnRate {
  points: number;
  perMinor: number;
}

export interface RedemptionSettings {
  enabled: boolean;
  /** Fewest points one checkout can spend. */
  minPoints: number;
  /** Points are spent in multiples of this. */
  step: number;
  /** Largest share of the order subtotal points may pay, in basis points (5000 = 50%). */
  maxShareBasisPoints: number;
  /** How long a checkout may hold points before they come back. */
  reservationMinutes: number;
}

/** Points a storefront shopper can turn into a single-use discount code. */
export interface Reward {
  id: string;
  /** Shown to shoppers; blank shows the amount ("¥500"). */
  name: string;
  points: number;
  amountMinor: number;
  /** Smallest order subtotal the code applies to; 0 for none. */
  minimumSubtotalMinor: number;
}

/**
 * Who is a member. `all`: every customer Shopify creates is enrolled (and gets the signup bonus) at once.
 * `join`: a customer becomes a member only by joining (consenting to the terms, in their account or the
 * storefront widget); guest checkouts and POS customers are not members, and non-members earn nothing.
 */
export interface MembershipSettings {
  mode: "all" | "join";
  /** The version of the program terms a joining customer consents to; changing it asks for consent again. */
  termsVersion: string;
  /** Where shoppers read the terms; null for none. */
  termsUrl: string | null;
  /** What happens to a leaving member's points: kept (they come back if the member rejoins) or forfeited. */
  onLeave: "keep" | "forfeit";
}

export const DEFAULT_MEMBERSHIP: MembershipSettings = {
  mode: "all",
  termsVersion: "1",
  termsUrl: null,
  onLeave: "keep",
};

export interface ProgramSettings {
  currency: string;
  earnRate: EarnRate;
  /** How an order's points are rounded: down (the default) or to the nearest point. */
  rounding: RoundingPolicy;
  /** What one point is worth when spent, in the shop currency's minor units. */
  pointValueMinor: number;
  redemption: RedemptionSettings;
  /** Points for a new customer account; 0 turns the bonus off. */
  signupBonus: number;
  /** Points on the member's birthday, at most once a year; 0 turns it off. */
  birthdayBonus: number;
  /** Bonuses staff award for actions outside the store (a review, a follow). */
  actions: Array<{ id: string; name: string; points: number; repeatable: boolean }>;
  /** Days an earn stays pending (the return window); 0 means spendable at once. */
  pendingDays: number;
  /** Days until points expire; null means never. */
  expiryDays: number | null;
  /** `lot`: each lot expires expiryDays after it was earned. `inactivity`: the whole balance expires after expiryDays without an earn or a spend. */
  expiryMode: "lot" | "inactivity";
  /** Standing multipliers and exclusions by product and customer. */
  rules: EarnRule[];
  /** Time-boxed bonuses. */
  campaigns: Campaign[];
  /** VIP levels; none by default. */
  tiers: TierSettings;
  /** Discount codes shoppers can get for points in the storefront widget. */
  rewards: Reward[];
  /** Days a reward code stays valid; unused, its points come back. */
  rewardCodeDays: number;
  /** Every customer a member, or members join. */
  membership: MembershipSettings;
}

/**
 * Until a merchant saves a program: 1 point per ¥100 for currencies without a minor unit and 1 point per
 * major unit ($1, €1) for the others; a point is worth one minor unit (¥1, 1¢), so shoppers get 1% back;
 * up to half of an order's subtotal can be paid in points, from 100 points, in steps of 100.
 */
export function defaultProgram(currency: string): ProgramSettings {
  const perMinor = majorUnit(currency) === 1 ? 100 : majorUnit(currency);
  return {
    currency,
    earnRate: { points: 1, perMinor },
    rounding: "down",
    pointValueMinor: 1,
    redemption: { enabled: true, minPoints: 100, step: 100, maxShareBasisPoints: 5000, reservationMinutes: 30 },
    signupBonus: 0,
    birthdayBonus: 0,
    actions: [],
    pendingDays: 0,
    expiryDays: null,
    expiryMode: "lot",
    rules: [],
    campaigns: [],
    tiers: NO_TIERS,
    rewards: [500, 1000].map((points) => ({
      id: `points-${points}`,
      name: "",
      points,
      amountMinor: points,
      minimumSubtotalMinor: 0,
    })),
    rewardCodeDays: 30,
    membership: DEFAULT_MEMBERSHIP,
  };
}

/** Settings saved by an older version of the app gain the defaults for what they did not know. */
export function withDefaults(saved: Partial<ProgramSettings> & { currency: string }): ProgramSettings {
  const defaults = defaultProgram(saved.currency);
  return {
    ...defaults,
    ...saved,
    redemption: { ...defaults.redemption, ...saved.redemption },
    tiers: { ...defaults.tiers, ...saved.tiers },
    membership: { ...defaults.membership, ...saved.membership },
  };
}
