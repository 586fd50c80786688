import { type BirthdayBonusCheck, birthdayRebonus } from "./birthday";
import { flaggedRedemption } from "./flagged-redemption";
import { largeOrder } from "./large-order";
import type { EarnOrder, ShopBaseline, ShopPulse } from "./model";
import { type MemberMoneyEvents, redeemThenRefund } from "./redeem-refund";
import { type NewMember, signupFarming } from "./signup-farming";
import type { Signal } from "./signals";
import { type Adjustment, staffOutliers } from "./staff-outlier";
import type { Thresholds } from "./thresholds";
import { velocity } from "./velocity";

/** What detection decides for one earn: hold its points for review or not, and why. */
export interface Decision {
  hold: boolean;
  /** Also block the member (only when the merchant set an automatic block level). */
  block: boolean;
  /** The strongest signal's score; 0 with none. */
  score: number;
  signals: Signal[];
}

export interface EarnInput {
  order: EarnOrder & { redemptionFlag?: string | null };
  /** The member's earlier orders (at least the velocity baseline window's), oldest first, all before this one. */
  history: readonly EarnOrder[];
  /** How many of the member's earlier orders were flagged at settlement. */
  earlierFlaggedOrders?: number;
  shop: ShopBaseline;
  pulse: ShopPulse;
}

/** The decision from a set of signals. */
export function decide(signals: Signal[], t: Thresholds): Decision {
  const score = signals.reduce((m, s) => Math.max(m, s.score), 0);
  return {
    hold: signals.some((s) => s.score >= t.holdAtScore),
    block: t.blockAtScore !== null && score >= t.blockAtScore,
    score,
    signals: [...signals].sort((a, b) => b.score - a.score),
  };
}

/** The earn-time rules on one order: velocity, large order, and a redemption flagged on the same order. */
export function evaluateEarn(input: EarnInput, t: Thresholds): Decision {
  const { order, history, shop, pulse } = input;
  const signals: Signal[] = [];
  const v = velocity(order, history, shop, pulse, t.velocity);
  if (v) signals.push(v);
  const l = largeOrder(order, history, shop, t.largeOrder);
  if (l) signals.push(l);
  if (t.flaggedRedemption.enabled && order.redemptionFlag) {
    const f = flaggedRedemption(
      { orderId: order.orderId, memberId: order.memberId, redemptionFlag: order.redemptionFlag },
      input.earlierFlaggedOrders ?? 0,
    );
    if (f) signals.push(f);
  }
  return decide(signals, t);
}

/** When a birthday bonus is about to be awarded. */
export function evaluateBirthdayBonus(check: BirthdayBonusCheck, t: Thresholds): Decision {
  const s = birthdayRebonus(check, t.birthday);
  return decide(s ? [s] : [], t);
}

export interface ShopScanInput {
  now: number;
  /** Members with refunds in the redeem-refund window, with their earns and redemptions. */
  money: readonly MemberMoneyEvents[];
  /** Members created in the last signup window plus the time since the previous scan. */
  newMembers: readonly NewMember[];
  adjustments: readonly Adjustment[];
  staffIds: readonly string[];
}

/** The periodic, shop-wide rules: redeem-then-refund, signup farming, staff outliers. */
export function scanShop(input: ShopScanInput, t: Thresholds): Signal[] {
  const out: Signal[] = [];
  for (const m of input.money) {
    const s = redeemThenRefund(m, input.now, t.redeemRefund);
    if (s) out.push(s);
  }
  out.push(...signupFarming(input.newMembers, t.signupFarming));
  out.push(...staffOutliers(input.adjustments, input.staffIds, input.now, t.staffOutlier));
  return out;
}
