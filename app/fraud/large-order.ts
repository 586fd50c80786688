import type { EarnOrder, ShopBaseline } from "./model";
import { baselineOf, logMadFloor, robustZ } from "./robust";
import { round, type Signal, signal } from "./signals";
import type { Thresholds } from "./thresholds";

/**
 * An order far larger than the member's own history: robust z of log(amount) against their past orders, at least
 * `minRatio` times their median order, and large for the shop too. With too little history, the order is judged
 * against the shop's order sizes with a stricter cutoff.
 */
export function largeOrder(
  order: EarnOrder,
  history: readonly EarnOrder[],
  shop: ShopBaseline,
  t: Thresholds["largeOrder"],
): Signal | null {
  if (!t.enabled) return null;
  const x = Math.log1p(order.amountMinor);
  const past = history.filter((o) => o.at < order.at);
  if (past.length >= t.minHistoryOrders) {
    const own = baselineOf(past.map((o) => Math.log1p(o.amountMinor)));
    // ×1.5 is the least spread believed for a member's baskets: three identical orders do not make a fourth
    // slightly larger one an outlier.
    const z = robustZ(x, own.median, own.mad, logMadFloor(1.5));
    const usual = Math.expm1(own.median);
    const ratio = order.amountMinor / Math.max(1, usual);
    if (z < t.minZ || ratio < t.minRatio || order.amountMinor < shop.largeAmountMinor) return null;
    return signal(
      "large_order",
      "member_history",
      Math.min(z / t.minZ, ratio / t.minRatio),
      `An order of ${order.amountMinor} is ${round(ratio, 1)}× this member's usual ${Math.round(usual)} over ${past.length} orders (robust z ${round(z, 1)})`,
      {
        figures: {
          amount: order.amountMinor,
          memberMedian: Math.round(usual),
          ratio: round(ratio),
          z: round(z),
          history: past.length,
        },
        orderIds: [order.orderId],
        memberIds: [order.memberId],
      },
    );
  }
  const z = robustZ(x, shop.orderAmountLog.median, shop.orderAmountLog.mad, logMadFloor(1.5));
  if (z < t.firstOrderMinZ) return null;
  const usual = Math.expm1(shop.orderAmountLog.median);
  return signal(
    "large_order",
    "shop_distribution",
    z / t.firstOrderMinZ,
    `An order of ${order.amountMinor} from a member with ${past.length} earlier orders is ${round(order.amountMinor / usual, 1)}× the shop's usual ${Math.round(usual)} (robust z ${round(z, 1)})`,
    {
      figures: { amount: order.amountMinor, shopMedian: Math.round(usual), z: round(z), history: past.length },
      orderIds: [order.orderId],
      memberIds: [order.memberId],
    },
  );
}
