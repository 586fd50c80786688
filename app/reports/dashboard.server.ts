import { addDays, localDate, localStampInstant } from "../shared/calendar";
import { formatMoney } from "../shared/money";
import type { Campaign } from "../earning/rules";
import { Prisma } from "../generated/prisma/client";
import { currentProgram, findInstalledShop } from "../shops/shops.server";
import type { Tx } from "../db/transaction.server";
import { campaignLifts, type CampaignLift } from "./campaign-lift.server";

/** Points moved by the ledger in a period; every figure is a sum over LedgerEntry rows by occurredAt. */
export interface PointFlows {
  /** Positive earn and adjust entries: orders, bonuses, imports, staff additions. */
  issued: number;
  /** Points spent (at checkout, on reward codes), less spent points given back. */
  redeemed: number;
  /** Points spent before any were given back. */
  redeemedGross: number;
  /** Spent points given back: refunds and cancellations of orders paid with points, unused reward codes. */
  returned: number;
  /** Earned points taken back by refunds and cancellations (negative reverse entries). */
  reversed: number;
  expired: number;
}

export interface TrendDay {
  /** Shop-local date, YYYY-MM-DD. */
  date: string;
  issued: number;
  redeemed: number;
}

export interface OrderFigures {
  orders: number;
  /** Sum of the orders' earn base less what was refunded, in the shop currency's minor units. */
  revenueMinor: number;
}

export interface CampaignWindowFigures extends OrderFigures {
  /** Instants, ISO 8601: [from, to). */
  from: string;
  to: string;
  pointsEarned: number;
}

export interface CampaignPerformance {
  id: string;
  name: string;
  startsAt: string;
  endsAt: string;
  status: "upcoming" | "active" | "ended";
  campaign: CampaignWindowFigures;
  /** The same length of time immediately before the campaign started: not a controlled comparison. */
  before: CampaignWindowFigures;
  /**
   * Only for a campaign with a control group: the share held out, and the lift against the control (null while
   * there are too few members in either group, MIN_GROUP_MEMBERS).
   */
  control?: { holdoutPercent: number; lift: CampaignLift | null };
}

export interface Dashboard {
  /** Instants, ISO 8601: [from, to). */
  range: { from: string; to: string };
  timezone: string;
  currency: string;
  members: { total: number; new: number };
  points: PointFlows & { outstanding: number };
  pointValueMinor: number;
  liability: { minor: number; formatted: string };
  /** Net redeemed over issued in the range; null when nothing was issued. */
  redemptionRate: number | null;
  trend: TrendDay[];
  tiers: Array<{ tierId: string | null; name: string; members: number }>;
  revenue: { members: OrderFigures; nonMembers: OrderFigures };
  campaigns: CampaignPerformance[];
}

export class DashboardError extends Error {}

type Sum = bigint | number | null;
const n = (value: Sum) => Number(value ?? 0);

/** Every shop-local date the range touches, in order. */
function daysOf(range: { from: Date; to: Date }, timezone: string): string[] {
  const last = localDate(new Date(range.to.getTime() - 1), timezone);
  const days: string[] = [];
  for (let day = localDate(range.from, timezone); day <= last; day = addDays(day, 1)) days.push(day);
  return days;
}

/**
 * The merchant's view of the program over [from, to): what the ledger issued, spent and lost in the range,
 * what is owed now and what it is worth, and how members' orders compare with everyone else's.
 * Everything is a SQL aggregate over LedgerEntry, Member and Order, so each figure can be reproduced
 * from those tables.
 */
export async function programDashboard(
  tx: Tx,
  shopDomain: string,
  range: { from: Date; to: Date },
  locale = "en",
): Promise<Dashboard> {
  if (!(range.from.getTime() < range.to.getTime())) throw new DashboardError("the range must end after it starts");
  const shop = await findInstalledShop(tx, shopDomain);
  if (!shop) throw new DashboardError(`no shop ${shopDomain}`);
  const { settings } = await currentProgram(tx, shop);
  const { from, to } = range;
  const timezone = shop.timezone;

  // Redacted members are detached from their customer: they can neither be counted as people nor ever
  // spend what is left on them, so they are neither members nor a liability.
  const [memberRow] = await tx.$queryRaw<Array<{ total: Sum; fresh: Sum; outstanding: Sum }>>`
    SELECT count(*) AS total,
           count(*) FILTER (WHERE "createdAt" >= ${from} AND "createdAt" < ${to}) AS fresh,
           sum("pointsAvailable" + "pointsPending" + "pointsReserved") AS outstanding
    FROM "Member"
    WHERE "shopId" = ${shop.id} AND "redactedAt" IS NULL`;

  // One pass over the range's entries by shop-local day; the range totals are the sums of the days, so
  // the trend and the figures cannot disagree. Timestamps are stored as UTC without a zone. A positive
  // reverse is only ever spent points given back (a refunded order paid with points, an unused reward
  // code), whatever its source, so it nets against redeemed rather than counting as issued.
  const flows = await tx.$queryRaw<
    Array<{ day: string; issued: Sum; spent: Sum; returned: Sum; reversed: Sum; expired: Sum }>
  >`
    SELECT to_char(("occurredAt" AT TIME ZONE 'UTC') AT TIME ZONE ${timezone}, 'YYYY-MM-DD') AS day,
           sum(points) FILTER (WHERE kind IN ('earn', 'adjust') AND points > 0) AS issued,
           -sum(points) FILTER (WHERE kind = 'redeem') AS spent,
           sum(points) FILTER (WHERE kind = 'reverse' AND points > 0) AS returned,
           -sum(points) FILTER (WHERE kind = 'reverse' AND points < 0) AS reversed,
           -sum(points) FILTER (WHERE kind = 'expire') AS expired
    FROM "LedgerEntry"
    WHERE "shopId" = ${shop.id} AND "occurredAt" >= ${from} AND "occurredAt" < ${to}
    GROUP BY 1`;
  const byDay = new Map(flows.map((row) => [row.day, row]));
  const trend = daysOf(range, timezone).map((date) => {
    const row = byDay.get(date);
    return { date, issued: n(row?.issued ?? 0), redeemed: n(row?.spent ?? 0) - n(row?.returned ?? 0) };
  });
  const total = (key: "issued" | "spent" | "returned" | "reversed" | "expired") =>
    flows.reduce((sum, row) => sum + n(row[key]), 0);
  const points: PointFlows = {
    issued: total("issued"),
    redeemed: total("spent") - total("returned"),
    redeemedGross: total("spent"),
    returned: total("returned"),
    reversed: total("reversed"),
    expired: total("expired"),
  };
  const outstanding = n(memberRow.outstanding);
  const liabilityMinor = outstanding * settings.pointValueMinor;

  const tierRows = await tx.$queryRaw<Array<{ tierId: string | null; members: Sum }>>`
    SELECT "tierId", count(*) AS members FROM "Member"
    WHERE "shopId" = ${shop.id} AND "redactedAt" IS NULL
    GROUP BY "tierId"`;
  const tierCount = new Map(tierRows.map((row) => [row.tierId, n(row.members)]));
  const levels = settings.tiers.levels;
  const tiers = [
    // Every level, even an empty one: the merchant sees the whole ladder.
    ...levels.map((level) => ({ tierId: level.id, name: level.name, members: tierCount.get(level.id) ?? 0 })),
    // Members still on a level the program no longer has.
    ...tierRows
      .filter((row) => row.tierId !== null && !levels.some((level) => level.id === row.tierId))
      .map((row) => ({ tierId: row.tierId, name: row.tierId as string, members: n(row.members) })),
    { tierId: null, name: "No tier", members: tierCount.get(null) ?? 0 },
  ];

  // Skipped orders are sales too (a guest checkout, a blocked member), and so are orders read from the shop's
  // history (paid before the install, earning nothing unless awarded); orders from before skipped orders
  // kept their date fall back to when the app first saw them. Test orders are not sales.
  const revenueRows = await tx.$queryRaw<Array<{ member: boolean; orders: Sum; revenue: Sum }>>`
    SELECT ("memberId" IS NOT NULL) AS member, count(*) AS orders, sum("baseMinor" - "refundedMinor") AS revenue
    FROM "Order"
    WHERE "shopId" = ${shop.id} AND "cancelledAt" IS NULL
      AND COALESCE("placedAt", "createdAt") >= ${from} AND COALESCE("placedAt", "createdAt") < ${to}
      AND (status = 'history'
           OR (status = 'awarded' AND "memberId" IS NOT NULL)
           OR (status = 'skipped' AND "skipReason" IS DISTINCT FROM 'test order'))
    GROUP BY 1`;
  const revenueOf = (member: boolean): OrderFigures => {
    const row = revenueRows.find((r) => r.member === member);
    return { orders: n(row?.orders ?? 0), revenueMinor: n(row?.revenue ?? 0) };
  };

  const campaigns: CampaignPerformance[] = [];
  const now = Date.now();
  const lifts = await campaignLifts(tx, shop.id, new Date(now));
  for (const campaign of settings.campaigns) {
    const performance = await campaignPerformance(tx, shop.id, campaign, timezone, now);
    if (performance)
      campaigns.push(
        campaign.holdoutPercent
          ? {
              ...performance,
              control: {
                holdoutPercent: campaign.holdoutPercent,
                lift: lifts.find((lift) => lift.campaignId === campaign.id) ?? null,
              },
            }
          : performance,
      );
  }

  return {
    range: { from: from.toISOString(), to: to.toISOString() },
    timezone,
    currency: settings.currency,
    members: { total: n(memberRow.total), new: n(memberRow.fresh) },
    points: { ...points, outstanding },
    pointValueMinor: settings.pointValueMinor,
    liability: {
      minor: liabilityMinor,
      formatted: formatMoney({ minor: liabilityMinor, currency: settings.currency }, locale),
    },
    redemptionRate: points.issued === 0 ? null : points.redeemed / points.issued,
    trend,
    tiers,
    revenue: { members: revenueOf(true), nonMembers: revenueOf(false) },
    campaigns,
  };
}

/**
 * Members' orders in the campaign's window against the same length of time just before it. The window
 * is the campaign's start and end only: its weekday and hour limits, targets and tags narrow which lines
 * earn extra, not which orders the merchant wants to compare.
 */
async function campaignPerformance(
  tx: Tx,
  shopId: string,
  campaign: Campaign,
  timezone: string,
  now: number,
): Promise<Omit<CampaignPerformance, "control"> | null> {
  const start = localStampInstant(campaign.startsAt, timezone);
  const end = localStampInstant(campaign.endsAt, timezone);
  if (!start || !end || end <= start) return null;
  const before = new Date(start.getTime() - (end.getTime() - start.getTime()));
  const inWindow = (a: Date, b: Date) => Prisma.sql`"placedAt" >= ${a} AND "placedAt" < ${b}`;
  const [row] = await tx.$queryRaw<
    Array<{ orders: Sum; points: Sum; revenue: Sum; ordersBefore: Sum; pointsBefore: Sum; revenueBefore: Sum }>
  >`
    SELECT count(*) FILTER (WHERE ${inWindow(start, end)}) AS orders,
           sum("pointsEarned") FILTER (WHERE ${inWindow(start, end)}) AS points,
           sum("baseMinor" - "refundedMinor") FILTER (WHERE ${inWindow(start, end)}) AS revenue,
           count(*) FILTER (WHERE ${inWindow(before, start)}) AS "ordersBefore",
           sum("pointsEarned") FILTER (WHERE ${inWindow(before, start)}) AS "pointsBefore",
           sum("baseMinor" - "refundedMinor") FILTER (WHERE ${inWindow(before, start)}) AS "revenueBefore"
    FROM "Order"
    WHERE "shopId" = ${shopId} AND status = 'awarded' AND "cancelledAt" IS NULL
      AND "placedAt" >= ${before} AND "placedAt" < ${end}`;
  return {
    id: campaign.id,
    name: campaign.name,
    startsAt: campaign.startsAt,
    endsAt: campaign.endsAt,
    status: now < start.getTime() ? "upcoming" : now < end.getTime() ? "active" : "ended",
    campaign: {
      from: start.toISOString(),
      to: end.toISOString(),
      orders: n(row.orders),
      pointsEarned: n(row.points),
      revenueMinor: n(row.revenue),
    },
    before: {
      from: before.toISOString(),
      to: start.toISOString(),
      orders: n(row.ordersBefore),
      pointsEarned: n(row.pointsBefore),
      revenueMinor: n(row.revenueBefore),
    },
  };
}
