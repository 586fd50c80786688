import type { Prisma, PrismaClient } from "../generated/prisma/client";
import { currentProgram } from "../shops/shops.server";
import { localStampInstant } from "../shared/calendar";
import { incrementalEstimate, isSignificant, type Estimate } from "./campaign-lift";

export type { Estimate } from "./campaign-lift";

export interface CampaignLift {
  campaignId: string;
  name: string;
  holdoutPercent: number;
  treatmentMembers: number;
  controlMembers: number;
  /** Over all treatment members, in the campaign's window. */
  incrementalOrders: Estimate;
  /** Shop currency minor units. */
  incrementalRevenueMinor: Estimate;
  /** Campaign bonus points given to treatment members. */
  pointsCost: number;
  /** Their value at the program's redemption rate. */
  pointsCostMinor: number;
  /** False when the revenue interval contains 0. */
  significant: boolean;
  /** Who is compared: the cohort eligible at the start, or (without one) only members who ordered. */
  population: "cohort" | "buyers";
}

type Sum = bigint | number | null;
const n = (value: Sum) => Number(value ?? 0);

/**
 * Each campaign with a control group against its control: members' orders and revenue in the campaign's window,
 * treatment against control. A campaign with too few assigned members in either group (MIN_GROUP_MEMBERS) is left
 * out, so a caller that finds no lift for a campaign says "too few members in the control group".
 *
 * The population compared is the campaign's cohort (app/earning/campaign-cohorts.server.ts): every member eligible
 * when it started, assigned at random then, whether they bought or not, so the difference counts the members the
 * campaign made buy. A campaign without a cohort (one that started before cohorts were assigned) falls back to the
 * members assigned at their first order, and says so (`population: "buyers"`): among buyers, the comparison measures
 * how much more a buying member bought, not whether anyone was made to buy, and it is biased when the campaign
 * changes who buys.
 */
export async function campaignLifts(
  db: PrismaClient | Prisma.TransactionClient,
  shopId: string,
  now: Date,
): Promise<CampaignLift[]> {
  const shop = await db.shop.findUnique({ where: { id: shopId } });
  if (!shop) return [];
  const { settings } = await currentProgram(db as Prisma.TransactionClient, shop);
  const lifts: CampaignLift[] = [];
  for (const campaign of settings.campaigns ?? []) {
    if (!campaign.holdoutPercent) continue;
    const start = localStampInstant(campaign.startsAt, shop.timezone);
    const end = localStampInstant(campaign.endsAt, shop.timezone);
    if (!start || !end || start >= now) continue;
    const until = end < now ? end : now;
    const cohort =
      (await db.campaignAssignment.findFirst({
        where: { shopId, campaignId: campaign.id, cohort: true },
        select: { id: true },
      })) !== null;
    const rows = await db.$queryRaw<Array<{ group: "treatment" | "control"; orders: Sum; revenue: Sum; points: Sum }>>`
      SELECT a."group"::text AS "group",
             count(o.id) AS orders,
             sum(o."baseMinor" - o."refundedMinor") AS revenue,
             sum(o."pointsEarned" - o."pointsReversed") AS points
      FROM "CampaignAssignment" a
      LEFT JOIN "Order" o ON o."shopId" = a."shopId" AND o."memberId" = a."memberId"
        AND o.status = 'awarded' AND o."cancelledAt" IS NULL
        AND o."placedAt" >= ${start} AND o."placedAt" < ${until}
      WHERE a."shopId" = ${shopId} AND a."campaignId" = ${campaign.id} AND (a.cohort OR NOT ${cohort})
      GROUP BY a."memberId", a."group"`;
    const of = (group: "treatment" | "control") => rows.filter((row) => row.group === group);
    const treatment = of("treatment");
    const control = of("control");
    const orders = incrementalEstimate(
      treatment.map((row) => n(row.orders)),
      control.map((row) => n(row.orders)),
    );
    const revenue = incrementalEstimate(
      treatment.map((row) => n(row.revenue)),
      control.map((row) => n(row.revenue)),
    );
    if (!orders || !revenue) continue;
    const total = (group: typeof rows, pick: (row: (typeof rows)[number]) => Sum) =>
      group.reduce((sum, row) => sum + n(pick(row)), 0);
    // The campaign's points are what treatment members earned beyond the control group's points per unit of
    // revenue: randomisation makes the control's rate what treatment members would have earned without the
    // campaign (same tiers, rules and products on average), without reading every order's stored calculation.
    const controlRevenue = total(control, (row) => row.revenue);
    const controlRate = controlRevenue > 0 ? total(control, (row) => row.points) / controlRevenue : 0;
    const pointsCost = Math.max(
      0,
      Math.round(total(treatment, (row) => row.points) - total(treatment, (row) => row.revenue) * controlRate),
    );
    lifts.push({
      campaignId: campaign.id,
      name: campaign.name,
      holdoutPercent: campaign.holdoutPercent,
      treatmentMembers: treatment.length,
      controlMembers: control.length,
      incrementalOrders: orders,
      incrementalRevenueMinor: revenue,
      pointsCost,
      pointsCostMinor: pointsCost * settings.pointValueMinor,
      significant: isSignificant(revenue),
      population: cohort ? "cohort" : "buyers",
    });
  }
  return lifts;
}
