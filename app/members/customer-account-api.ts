/**
 * The customer-account UI extension's API (`app/routes/customer-account.*.tsx`) and the thank-you block's
 * (`app/routes/checkout.orders.$id.tsx`). Types only: the extensions import them, so both sides agree at compile time.
 * Money is in the shop currency's minor units; dates are ISO 8601 strings.
 */
import type { IssuedCode, StorefrontMember, StorefrontProgram, StorefrontReward } from "../storefront/storefront-api";

export type { IssuedCode, StorefrontMember, StorefrontProgram, StorefrontReward };

/** How an order's points were worked out, in parts the extension puts into the shopper's words. */
export interface EarnExplanation {
  currency: string;
  /** What counted towards points, after discounts. */
  baseMinor: number;
  /** `points` for every `perMinor` spent. */
  rate: { points: number; perMinor: number };
  /** Extra percentages (a tier, a campaign), each once. */
  boosts: Array<{ source: string; percent: number }>;
  /** Fixed bonuses added after rounding. */
  bonuses: Array<{ source: string; points: number }>;
}

/** One line of the passbook, newest first, with the balance after it. */
export interface PassbookLine {
  id: string;
  at: string;
  /** In the shopper's terms: an order's points, a bonus, spent at checkout, a reward code, returned, adjusted, expired. */
  kind: "earn" | "bonus" | "redeem" | "reward" | "reverse" | "adjust" | "expire";
  points: number;
  /** Net balance (available + pending − debt) after this line. */
  balance: number;
  /** An earn whose points are still in the return window. */
  pending: boolean;
  orderName: string | null;
  /** On an order's earn: how its points were worked out. */
  explanation: EarnExplanation | null;
  /** On a campaign's bonus kept in a lot of its own: the campaign. */
  campaign: string | null;
}

export interface MembershipView {
  /** "all": every customer is a member; "join": customers join (and may leave). */
  mode: "all" | "join";
  member: boolean;
  joinedAt: string | null;
  termsVersion: string;
}

/** GET /customer-account/points: the "Points" page. */
export interface AccountPoints {
  program: StorefrontProgram;
  membership: MembershipView;
  /** Null when the customer is not a member (a "members join" program they have not joined). */
  member: StorefrontMember | null;
  /** The tier's extra earning, when the member has a tier. */
  tierExtraPercent: number | null;
  passbook: PassbookLine[];
  rewards: StorefrontReward[];
  codes: IssuedCode[];
}

/** GET and POST /customer-account/profile: the profile block. */
export interface AccountProfile {
  membership: MembershipView;
  /** "MM-DD" once given; it can then no longer be changed here. */
  birthday: string | null;
  /** The program's news (points earned, expiring soon, new rewards) by email. */
  pointsNewsEmails: boolean;
  birthdayBonus: number;
  /** What leaving does to the points: kept for a later return, or forfeited. */
  onLeave: "keep" | "forfeit";
  /** Points the member has now (what leaving would keep or forfeit). */
  available: number;
}

/** POST /customer-account/profile, one change at a time. */
export type ProfileChange =
  | { action: "join"; termsVersion: string }
  | { action: "leave"; confirm: boolean }
  | { action: "birthday"; birthday: string }
  | { action: "emails"; pointsNewsEmails: boolean };

/** GET /customer-account/orders/:id and /checkout/orders/:id: one order's points. */
export interface OrderPoints {
  /** "processing" until the app has seen the order (the thank-you page comes before the webhook). */
  status: "processing" | "recorded";
  orderName: string | null;
  /** Points earned on the order, net of what refunds took back. */
  earned: number;
  /** Of those, the points still in the return window. */
  pending: number;
  /** Points spent on the order's discount, net of what refunds gave back. */
  spent: number;
  explanation: EarnExplanation | null;
}

/** Every 4xx/5xx answer; `unavailable` (503) when the app's database cannot be reached. */
export interface AccountError {
  error: string;
  code: string;
}
