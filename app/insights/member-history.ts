/**
 * A member's orders as the models read them. BG/NBD counts purchase days, not orders (Fader, Hardie & Lee 2005
 * count "distinct purchase days after the first"): two orders on one day are one purchase. Days are the shop's
 * own calendar days, so an order at 23:30 in Tokyo belongs to that Tokyo day, whatever UTC says. Time is in weeks.
 */
import type { FrequencySummary } from "./bgnbd";
import type { SpendSummary } from "./gamma-gamma";

export interface PurchaseOrder {
  placedAt: Date;
  /** What the order was worth after refunds, in the shop's minor units. */
  valueMinor: number;
}

export interface MemberHistory {
  frequency: FrequencySummary;
  /** For the Gamma-Gamma model: repeat purchase days and the mean spend per repeat purchase day (minor units). */
  spend: SpendSummary;
  purchaseDays: number;
  /** Mean value of the member's orders, in minor units (rounded half up). */
  meanOrderMinor: number;
  /** Median days between consecutive purchase days; null with fewer than two purchase days. */
  repurchaseDays: number | null;
  /** Whole shop-local days from the last purchase day to asOf's day. */
  daysSinceLast: number;
}

const DAY_MS = 86_400_000;
const WEEK_DAYS = 7;

// One formatter per zone: building an Intl formatter costs far more than using one, and a nightly fit reads
// hundreds of thousands of orders.
const formatters = new Map<string, Intl.DateTimeFormat>();

/** The shop-local calendar day of an instant, as a day number (days since 1970-01-01 of that calendar). */
export function localDayNumber(at: Date, timezone: string): number {
  let format = formatters.get(timezone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-CA", {
      timeZone: timezone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
    });
    formatters.set(timezone, format);
  }
  const [y, m, d] = format.format(at).split("-").map(Number);
  return Date.UTC(y, m - 1, d) / DAY_MS;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * The member's summary up to asOf (later orders are ignored: they are outside the calibration period), or null
 * when the member bought nothing by then (the model describes customers from their first purchase on).
 */
export function memberHistory(orders: readonly PurchaseOrder[], asOf: Date, timezone: string): MemberHistory | null {
  const byDay = new Map<number, number>();
  let total = 0;
  let count = 0;
  for (const order of orders) {
    if (order.placedAt > asOf) continue;
    const day = localDayNumber(order.placedAt, timezone);
    byDay.set(day, (byDay.get(day) ?? 0) + order.valueMinor);
    total += order.valueMinor;
    count += 1;
  }
  if (count === 0) return null;
  const days = [...byDay.keys()].sort((a, b) => a - b);
  const first = days[0];
  const last = days[days.length - 1];
  const today = localDayNumber(asOf, timezone);
  const x = days.length - 1;
  let repeatSpend = 0;
  for (const day of days.slice(1)) repeatSpend += byDay.get(day) ?? 0;
  const gaps = days.slice(1).map((day, i) => day - days[i]);
  return {
    frequency: { x, tx: (last - first) / WEEK_DAYS, T: (today - first) / WEEK_DAYS },
    spend: { x, mx: x > 0 ? repeatSpend / x : 0 },
    purchaseDays: days.length,
    meanOrderMinor: Math.round(total / count),
    repurchaseDays: gaps.length > 0 ? median(gaps) : null,
    daysSinceLast: today - last,
  };
}
