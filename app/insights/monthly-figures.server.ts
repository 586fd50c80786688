import { localDate, startOfLocalDay } from "../shared/calendar";
import { programDashboard } from "../reports/dashboard.server";
import { currentProgram } from "../shops/shops.server";
import type { Shop } from "../generated/prisma/client";
import type { Tx } from "../db/transaction.server";
import type { MonthFlows, MonthlyFigures } from "./report-text";

export class PeriodError extends Error {}

const PERIOD = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function isPeriod(period: string): boolean {
  return PERIOD.test(period);
}

/** The month after or before a "YYYY-MM" period. */
export function shiftPeriod(period: string, months: number): string {
  const [year, month] = period.split("-").map(Number);
  const shifted = new Date(Date.UTC(year, month - 1 + months, 1));
  return shifted.toISOString().slice(0, 7);
}

/** The shop-local month before the one an instant falls in: the month a report is written about. */
export function lastMonth(now: Date, timezone: string): string {
  return shiftPeriod(localDate(now, timezone).slice(0, 7), -1);
}

/** A calendar month in the shop's timezone, as instants [from, to). */
export function monthRange(period: string, timezone: string): { from: Date; to: Date } {
  if (!isPeriod(period)) throw new PeriodError(`"${period}" is not a month (YYYY-MM)`);
  return {
    from: startOfLocalDay(`${period}-01`, timezone),
    to: startOfLocalDay(`${shiftPeriod(period, 1)}-01`, timezone),
  };
}

type Sum = bigint | number | null;
const n = (value: Sum) => Number(value ?? 0);

/**
 * One month's flows. Points redeemed, points expired, members joined and members' orders and revenue are the
 * dashboard's figures for the same range, so the report and the dashboard cannot disagree.
 */
async function monthFlows(tx: Tx, shop: Shop, period: string): Promise<MonthFlows> {
  const range = monthRange(period, shop.timezone);
  const dashboard = await programDashboard(tx, shop.domain, range);
  const [row] = await tx.$queryRaw<Array<{ earned: Sum; adjusted: Sum; active: Sum }>>`
    SELECT sum(points) FILTER (WHERE kind = 'earn') AS earned,
           sum(points) FILTER (WHERE kind = 'adjust') AS adjusted,
           count(DISTINCT "memberId") FILTER (WHERE kind IN ('earn', 'redeem')) AS active
    FROM "LedgerEntry"
    WHERE "shopId" = ${shop.id} AND "occurredAt" >= ${range.from} AND "occurredAt" < ${range.to}`;
  // A used code's end is when Shopify reported the order that used it.
  const rewardCodesUsed = await tx.rewardCode.count({
    where: { shopId: shop.id, status: "used", endedAt: { gte: range.from, lt: range.to } },
  });
  return {
    membersJoined: dashboard.members.new,
    activeMembers: n(row.active),
    pointsEarned: n(row.earned),
    pointsRedeemed: dashboard.points.redeemed,
    pointsExpired: dashboard.points.expired,
    pointsAdjusted: n(row.adjusted),
    memberOrders: dashboard.revenue.members.orders,
    memberRevenueMinor: dashboard.revenue.members.revenueMinor,
    rewardCodesUsed,
  };
}

/**
 * The figures of a shop's month, and of the month before for comparison. The liability is what the ledger says
 * members held when the month ended (entries up to then), not today's balances, so a report of a past month does
 * not change as members keep earning.
 */
export async function monthlyFigures(tx: Tx, shop: Shop, period: string): Promise<MonthlyFigures> {
  const range = monthRange(period, shop.timezone);
  const { settings } = await currentProgram(tx, shop);
  const flows = await monthFlows(tx, shop, period);
  const previous = await monthFlows(tx, shop, shiftPeriod(period, -1));

  // Each member's net points (available + pending + held − debt; a reserve entry moves points into the hold, not
  // out of the net). A member in debt owes the shop and is no liability, but their debt does not cancel what others
  // are owed. Redacted members can never spend what is left on them, as on the dashboard.
  const [owed] = await tx.$queryRaw<Array<{ points: Sum }>>`
    SELECT sum(GREATEST(net, 0)) AS points FROM (
      SELECT sum(e.points) AS net
      FROM "LedgerEntry" e JOIN "Member" m ON m.id = e."memberId"
      WHERE e."shopId" = ${shop.id} AND e."occurredAt" < ${range.to} AND m."redactedAt" IS NULL
      GROUP BY e."memberId"
    ) balances`;
  const liabilityPoints = n(owed.points);

  // A tier's place on the ladder says whether a move was up or down; no tier is below every tier.
  const rank = (tierId: string | null) =>
    tierId === null ? -1 : settings.tiers.levels.findIndex((level) => level.id === tierId);
  const moves = await tx.tierChange.findMany({
    where: { member: { shopId: shop.id }, createdAt: { gte: range.from, lt: range.to } },
    select: { fromTier: true, toTier: true },
  });
  const up = moves.filter((move) => rank(move.toTier) > rank(move.fromTier)).length;

  const fit = await tx.insightFit.findUnique({ where: { shopId: shop.id }, select: { status: true } });
  let atRisk: MonthlyFigures["atRisk"] = null;
  if (fit?.status === "fitted") {
    // At risk: the model gives even odds or worse that the member is still buying.
    const risk = await tx.memberInsight.aggregate({
      where: { shopId: shop.id, pAlive: { lt: 0.5 } },
      _count: true,
      _sum: { expectedValueMinor: true },
    });
    atRisk = { members: risk._count, expectedValueMinor: risk._sum.expectedValueMinor ?? 0 };
  }

  return {
    period,
    currency: settings.currency,
    timezone: shop.timezone,
    ...flows,
    liabilityPoints,
    liabilityMinor: liabilityPoints * settings.pointValueMinor,
    tierMoves: { up, down: moves.length - up },
    atRisk,
    previous,
  };
}
