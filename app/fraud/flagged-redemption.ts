import { round, type Signal, signal } from "./signals";

/**
 * The flags settlement writes on `Order.redemptionFlag` (app/redemption/settlement.server.ts), by how much they say:
 * another customer's reservation is someone else's points; no known reservation is a forged or replayed discount;
 * a released or already settled reservation is a discount code kept after its hold ended; an expired one is most
 * often a slow checkout (shown, never held). An unknown nonce on an order without the points discount spent
 * nothing: no signal.
 */
const FLAGS: readonly { match: RegExp; code: string; score: number; summary: string }[] = [
  {
    match: /another customer's reservation/,
    code: "another_customer",
    score: 3,
    summary: "a points discount paid for with another customer's reservation",
  },
  {
    match: /without a known reservation/,
    code: "unknown_reservation",
    score: 2,
    summary: "a points discount with no reservation behind it",
  },
  {
    match: /with a (released|settled) reservation/,
    code: "reused_reservation",
    score: 1.5,
    summary: "a points discount whose reservation had already ended",
  },
  {
    match: /with a expired reservation/,
    code: "expired_reservation",
    score: 0.5,
    summary: "a points discount whose reservation had expired (often a slow checkout)",
  },
];

export interface FlaggedOrder {
  orderId: string;
  memberId: string;
  redemptionFlag: string | null;
}

/**
 * A redemption flagged at settlement; each earlier flagged order of the member adds half a point to the score of a
 * flag that holds on its own. An expired reservation stays below the hold level however often: slow checkouts repeat.
 */
export function flaggedRedemption(order: FlaggedOrder, earlierFlaggedOrders = 0): Signal | null {
  const flag = order.redemptionFlag;
  if (!flag || /without points discount/.test(flag)) return null;
  const kind = FLAGS.find((f) => f.match.test(flag)) ?? {
    code: "other",
    score: 1,
    summary: "a redemption flagged at settlement",
  };
  return signal(
    "flagged_redemption",
    kind.code,
    kind.score >= 1 ? kind.score + 0.5 * earlierFlaggedOrders : kind.score,
    `Order ${order.orderId}: ${kind.summary}${earlierFlaggedOrders ? ` (${earlierFlaggedOrders} earlier flagged orders)` : ""}`,
    {
      figures: { earlierFlaggedOrders, baseScore: round(kind.score) },
      orderIds: [order.orderId],
      memberIds: [order.memberId],
    },
  );
}
