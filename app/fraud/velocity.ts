import { bucket, type EarnOrder, rolling, type ShopBaseline, type ShopPulse } from "./model";
import { baselineOf, countMadFloor, logMadFloor, robustZ } from "./robust";
import { DAY_MS, HOUR_MS, round, type Signal, signal } from "./signals";
import type { Thresholds } from "./thresholds";

interface Window {
  name: "hour" | "day";
  orders: number;
  points: number;
  minOrders: number;
  zOrders: number;
  zPoints: number;
  ownZOrders: number | null;
  ownZPoints: number | null;
}

/**
 * Earn velocity: the member's orders and points in the last hour and the last day (this order included), scored
 * against the shop's own per-member hourly and daily figures and, once the member has a history, against their own.
 * Both must be far out: a wholesale buyer's usual busy day is far above the shop but not above themselves. Both
 * expectations rise with the live pulse of the last 24 hours: the shop's with the orders per buying member (a sale
 * where everyone buys more), the member's own with the shop's whole volume (on a sale day at four times the usual
 * volume, a regular who usually buys twice a day may buy eight times). The shop's does not rise with volume alone,
 * or a script would hide in the crowd of a sale. Points alone (one big order) are the large-order rule's
 * business: the points figure counts only with at least two orders in the window.
 */
export function velocity(
  order: EarnOrder,
  history: readonly EarnOrder[],
  shop: ShopBaseline,
  pulse: ShopPulse,
  t: Thresholds["velocity"],
): Signal | null {
  if (!t.enabled) return null;
  const surge = Math.max(1, pulse.members > 0 ? pulse.orders / pulse.members / shop.ordersPerActiveMemberDay : 1);
  const volume = Math.max(1, shop.ordersPerDay > 0 ? pulse.orders / shop.ordersPerDay : 1);
  const since = order.at - t.baselineDays * DAY_MS;
  const own = history.filter((o) => o.at >= since && o.at < order.at);
  const hasOwn = bucket(own, DAY_MS).size >= t.ownMinActiveDays;
  const ownDay = hasOwn ? baselineOf(rolling(own, DAY_MS).map((b) => b.orders)) : null;

  const windows: Window[] = (["hour", "day"] as const).map((name): Window => {
    const size = name === "hour" ? HOUR_MS : DAY_MS;
    const recent = own.filter((o) => o.at > order.at - size);
    const orders = recent.length + 1;
    const points = recent.reduce((s, o) => s + o.points, order.points);
    const counts = name === "hour" ? shop.hourlyOrders : shop.dailyOrders;
    const pts = name === "hour" ? shop.hourlyPointsLog : shop.dailyPointsLog;
    const expected = counts.median * surge;
    const zOrders = robustZ(orders, expected, counts.mad, countMadFloor(expected));
    const zPoints = robustZ(Math.log1p(points), pts.median + Math.log(surge), pts.mad, logMadFloor(2));
    let ownZOrders: number | null = null;
    let ownZPoints: number | null = null;
    if (hasOwn) {
      const usual = rolling(own, size);
      const c = baselineOf(usual.map((b) => b.orders));
      const p = baselineOf(usual.map((b) => Math.log1p(b.points)));
      // A day's orders may all come in one sitting (a buyer placing the day's purchase orders at once): in the hour,
      // the member's usual day is as much their usual as their usual hour.
      const center = name === "hour" ? Math.max(c.median, ownDay?.median ?? 0) : c.median;
      const ownExpected = center * volume;
      ownZOrders = robustZ(orders, ownExpected, c.mad, countMadFloor(ownExpected));
      ownZPoints = robustZ(Math.log1p(points), p.median + Math.log(volume), p.mad, logMadFloor(2));
    }
    return {
      name,
      orders,
      points,
      minOrders: name === "hour" ? t.minOrdersHour : t.minOrdersDay,
      zOrders,
      zPoints,
      ownZOrders,
      ownZPoints,
    };
  });

  let best: { w: Window; by: "orders" | "points"; z: number } | null = null;
  for (const w of windows) {
    const byOrders = w.orders >= w.minOrders ? Math.min(w.zOrders, w.ownZOrders ?? Infinity) : -Infinity;
    const byPoints = w.orders >= 2 ? Math.min(w.zPoints, w.ownZPoints ?? Infinity) : -Infinity;
    for (const [by, z] of [
      ["orders", byOrders],
      ["points", byPoints],
    ] as const) {
      if (z >= t.minZ && (!best || z > best.z)) best = { w, by, z };
    }
  }
  if (!best) return null;
  const { w, by, z } = best;
  const ids = [
    ...own.filter((o) => o.at > order.at - (w.name === "hour" ? HOUR_MS : DAY_MS)).map((o) => o.orderId),
    order.orderId,
  ];
  const shopMedian = w.name === "hour" ? shop.hourlyOrders.median : shop.dailyOrders.median;
  return signal(
    "velocity",
    `${by}_${w.name}`,
    z / t.minZ,
    by === "orders"
      ? `${w.orders} orders in the last ${w.name}, where a buying member usually places ${round(shopMedian * surge, 1)} (robust z ${round(z, 1)})` +
          (w.ownZOrders === null ? "" : ", and far above this member's own usual")
      : `${w.points} points from ${w.orders} orders in the last ${w.name}, far above the shop's usual (robust z ${round(z, 1)})`,
    {
      figures: {
        orders: w.orders,
        points: w.points,
        shopMedianOrders: round(shopMedian, 2),
        surge: round(surge, 2),
        volume: round(volume, 2),
        zShopOrders: round(w.zOrders),
        zShopPoints: round(w.zPoints),
        ...(w.ownZOrders === null ? {} : { zOwnOrders: round(w.ownZOrders), zOwnPoints: round(w.ownZPoints ?? 0) }),
      },
      orderIds: ids,
      memberIds: [order.memberId],
    },
  );
}
