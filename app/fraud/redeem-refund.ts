import { DAY_MS, type Signal, signal } from "./signals";
import type { Thresholds } from "./thresholds";

/** One member's earns, spends and refunds, as the redeem-then-refund rule sees them. Times are epoch ms. */
export interface MemberMoneyEvents {
  memberId: string;
  earns: readonly { orderId: string; at: number; points: number }[];
  redemptions: readonly { at: number; points: number; orderId?: string | null }[];
  refunds: readonly { orderId: string; at: number }[];
}

/**
 * Redeem then refund: points spent, then the order that earned them refunded, so the clawback finds them gone.
 * A refund counts when a redemption fell between the order's earn and its refund; `minCount` of them within the
 * window is a pattern. Run periodically over the shop's members (or when a refund is processed).
 */
export function redeemThenRefund(events: MemberMoneyEvents, now: number, t: Thresholds["redeemRefund"]): Signal | null {
  if (!t.enabled) return null;
  const since = now - t.windowDays * DAY_MS;
  const earnedAt = new Map(events.earns.map((e) => [e.orderId, e]));
  const hits: { orderId: string; spent: number; earned: number }[] = [];
  for (const refund of events.refunds) {
    if (refund.at <= since || refund.at > now) continue;
    const earn = earnedAt.get(refund.orderId);
    if (!earn || earn.points <= 0) continue;
    const spent = events.redemptions
      .filter((r) => r.at > earn.at && r.at <= refund.at)
      .reduce((s, r) => s + r.points, 0);
    if (spent > 0) hits.push({ orderId: refund.orderId, spent, earned: earn.points });
  }
  if (hits.length < t.minCount) return null;
  const earned = hits.reduce((s, h) => s + h.earned, 0);
  return signal(
    "redeem_refund",
    "repeated",
    hits.length / t.minCount,
    `${hits.length} orders refunded after the points they earned (${earned} in all) were spent, within ${t.windowDays} days`,
    {
      figures: { refunds: hits.length, pointsEarned: earned, windowDays: t.windowDays },
      orderIds: hits.map((h) => h.orderId),
      memberIds: [events.memberId],
    },
  );
}
