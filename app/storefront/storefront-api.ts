/**
 * The storefront widget's API through the app proxy (`/apps/tsumiki/<name>` on the shop's domain, served by
 * `app/routes/proxy.<name>.tsx`). Types only: the widget imports them, so both sides agree at compile time.
 * Money is in the shop currency's minor units; dates are ISO 8601 strings.
 */

export type TierBasis = "spend" | "points";

export interface StorefrontTier {
  id: string;
  name: string;
  /** Minor units of spend, or points, per the program's basis. */
  threshold: number;
  earnExtraPercent: number;
}

/** How the program works: shown to everyone, logged in or not. */
export interface StorefrontProgram {
  currency: string;
  /** `points` for every `perMinor` minor units spent. */
  earnRate: { points: number; perMinor: number };
  pointValueMinor: number;
  signupBonus: number;
  birthdayBonus: number;
  /** Other ways to earn (a review, a follow), awarded by staff. */
  actions: Array<{ name: string; points: number }>;
  expiryDays: number | null;
  tierBasis: TierBasis;
  tiers: StorefrontTier[];
}

export interface StorefrontReward {
  id: string;
  name: string;
  points: number;
  amountMinor: number;
  /** Smallest order subtotal the code applies to; 0 for none. */
  minimumSubtotalMinor: number;
}

/** A discount code the shopper got for points and has not used yet. */
export interface IssuedCode {
  code: string;
  rewardName: string;
  points: number;
  amountMinor: number;
  expiresAt: string;
}

export interface HistoryEntry {
  id: string;
  at: string;
  /** What happened, in the shopper's terms. */
  kind: "earn" | "redeem" | "reverse" | "adjust" | "expire" | "bonus" | "reward";
  points: number;
  /** Points still pending (in the return window) when this entry is an earn. */
  pending: boolean;
  /** Only on a pending earn held for staff review (a fraud signal): the shopper sees "under review". */
  review?: true;
  orderName: string | null;
  /**
   * Only on the earn of a campaign bonus kept in a lot of its own (it expires sooner than the order's points)
   * and on that lot's expiry: the campaign's name and when the bonus expires.
   */
  campaign?: CampaignBonus;
}

/** A campaign's bonus points that expire on their own date. */
export interface CampaignBonus {
  name: string;
  /** When they expire: the end of a shop-local day. */
  expiresAt: string;
}

export interface HistoryPage {
  entries: HistoryEntry[];
  /** Pass as `?before=` for the next (older) page; null on the last page. */
  next: string | null;
}

export interface StorefrontMember {
  available: number;
  pending: number;
  /** Points the shopper owes back after a refund; new points repay it first. */
  debt: number;
  /**
   * The points expiring first, and when; null when nothing expires. `campaigns` names the campaign bonuses
   * among them (lots of their own that expire sooner), with their points; absent when there are none.
   */
  expiringSoon: { points: number; at: string; campaigns?: Array<{ name: string; points: number }> } | null;
  tier: { id: string; name: string } | null;
  /** The next level and what is still missing, in the program's basis; null at the top or without tiers. */
  nextTier: { id: string; name: string; remaining: number } | null;
  blocked: boolean;
}

/**
 * Who is a member: in a `join` program a logged-in non-member is offered joining, with the terms to accept.
 * `member` is false for an anonymous visitor.
 */
export interface StorefrontMembership {
  mode: "all" | "join";
  member: boolean;
  termsVersion: string;
  termsUrl: string | null;
}

/** POST /apps/tsumiki/join with JSON `{ termsVersion }`: the logged-in shopper consents to these terms and joins. */
export interface JoinRequest {
  termsVersion: string;
}

/** GET /apps/tsumiki/summary: everything the widget shows on open, in one request. */
export interface StorefrontSummary {
  loggedIn: boolean;
  program: StorefrontProgram;
  membership: StorefrontMembership;
  member: StorefrontMember | null;
  rewards: StorefrontReward[];
  codes: IssuedCode[];
  history: HistoryPage;
}

/** GET /apps/tsumiki/rewards */
export interface StorefrontRewards {
  rewards: StorefrontReward[];
  codes: IssuedCode[];
}

/** POST /apps/tsumiki/redeem with JSON `{ rewardId, key }`; `key` makes a retried request return the same code. */
export interface RedeemRequest {
  rewardId: string;
  key: string;
}

export interface RedeemResult {
  code: IssuedCode;
  available: number;
}

export type RedeemRefusal =
  | "not_logged_in"
  | "unknown_reward"
  | "insufficient_balance"
  | "blocked"
  | "shopify_refused"
  | "in_progress"
  | "invalid_request";

/** Every 4xx/5xx answer from the proxy API; `unavailable` (503) when the app's database cannot be reached. */
export interface StorefrontError {
  error: string;
  code?: RedeemRefusal | "unavailable";
}
