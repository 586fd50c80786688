import { type Baseline, baselineOf, median, percentile } from "./robust";
import { DAY_MS, HOUR_MS } from "./signals";

/** An order that earns points, as the earn-time rules see it. Times are epoch milliseconds. */
export interface EarnOrder {
  orderId: string;
  memberId: string;
  at: number;
  /** Order total, shop currency minor units. */
  amountMinor: number;
  points: number;
}

/**
 * Where the shop normally sits, from its own recent orders (refreshed periodically, e.g. daily): at each order, how
 * many orders and points its member had placed in the hour and the day up to it (this one included): the same
 * rolling windows the velocity rule measures a new order with.
 */
export interface ShopBaseline {
  hourlyOrders: Baseline;
  dailyOrders: Baseline;
  /** Of log(points): points are log-normal, so their spread is multiplicative. */
  hourlyPointsLog: Baseline;
  dailyPointsLog: Baseline;
  /** Of log(order amount). */
  orderAmountLog: Baseline;
  /**
   * The large-order rule's "large for this shop": the percentile of members' usual (median) baskets, member by
   * member, so a few wholesale buyers placing many big orders do not set what a large order is for everyone.
   */
  largeAmountMinor: number;
  /** Orders per active member-day, on average: what the live pulse's orders per buying member is compared with. */
  ordersPerActiveMemberDay: number;
  /** The shop's median orders per day: what the live pulse's volume is compared with. */
  ordersPerDay: number;
}

/** The shop's last 24 hours, live: when every buyer buys more than usual (a sale), the baseline rises with it. */
export interface ShopPulse {
  orders: number;
  members: number;
}

/** The baseline from the shop's orders in the window (the caller passes the orders of the last `baselineDays`). */
export function shopBaseline(orders: readonly EarnOrder[], shopPercentile: number): ShopBaseline {
  const byMember = new Map<string, EarnOrder[]>();
  for (const o of orders) {
    const list = byMember.get(o.memberId);
    if (list) list.push(o);
    else byMember.set(o.memberId, [o]);
  }
  const hours: Rolling[] = [];
  const days: Rolling[] = [];
  for (const list of byMember.values()) {
    list.sort((a, b) => a.at - b.at);
    hours.push(...rolling(list, HOUR_MS));
    days.push(...rolling(list, DAY_MS));
  }
  const dayCounts = [...bucket(orders, DAY_MS).values()].map((b) => b.orders);
  const shopDays = new Map<number, number>();
  for (const o of orders) shopDays.set(Math.floor(o.at / DAY_MS), (shopDays.get(Math.floor(o.at / DAY_MS)) ?? 0) + 1);
  return {
    hourlyOrders: baselineOf(hours.map((b) => b.orders)),
    dailyOrders: baselineOf(days.map((b) => b.orders)),
    hourlyPointsLog: baselineOf(hours.map((b) => Math.log1p(b.points))),
    dailyPointsLog: baselineOf(days.map((b) => Math.log1p(b.points))),
    orderAmountLog: baselineOf(orders.map((o) => Math.log1p(o.amountMinor))),
    largeAmountMinor: byMember.size
      ? percentile(
          [...byMember.values()].map((list) => median(list.map((o) => o.amountMinor))),
          shopPercentile,
        )
      : 0,
    ordersPerActiveMemberDay: dayCounts.length ? dayCounts.reduce((a, b) => a + b, 0) / dayCounts.length : 1,
    ordersPerDay: shopDays.size ? median([...shopDays.values()]) : 0,
  };
}

export interface Rolling {
  orders: number;
  points: number;
}

/** At each of one member's orders (oldest first), their orders and points in the `size` ms up to it, it included. */
export function rolling(orders: readonly EarnOrder[], size: number): Rolling[] {
  const out: Rolling[] = [];
  let tail = 0;
  let points = 0;
  for (let i = 0; i < orders.length; i++) {
    points += orders[i].points;
    while (orders[tail].at <= orders[i].at - size) points -= orders[tail++].points;
    out.push({ orders: i - tail + 1, points });
  }
  return out;
}

/** Orders and points per member per calendar bucket (UTC-aligned hours or days). */
export function bucket(orders: readonly EarnOrder[], size: number): Map<string, { orders: number; points: number }> {
  const out = new Map<string, { orders: number; points: number }>();
  for (const o of orders) {
    const key = `${o.memberId}:${Math.floor(o.at / size)}`;
    const b = out.get(key);
    if (b) {
      b.orders += 1;
      b.points += o.points;
    } else out.set(key, { orders: 1, points: o.points });
  }
  return out;
}
