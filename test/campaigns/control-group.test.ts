import { beforeAll, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { localClock } from "../../app/earning/rules";
import type { Calculation } from "../../app/earning/earning";
import { explainCalculation } from "../../app/earning/explanation";
import { defaultProgram, type ProgramSettings } from "../../app/program/program";
import { campaignLifts } from "../../app/reports/campaign-lift.server";
import { assignCampaignCohorts } from "../../app/earning/campaign-cohorts.server";
import { localStampInstant } from "../../app/shared/calendar";
import { installShop, orderPayload, refundPayload } from "../support/fixtures";
import { emailOf } from "../support/fraud-traffic";
import { deliver } from "../support/routes";
import { happyAdmin, resetAdminApi } from "../support/admin-api";
import { adminRequest } from "../support/shopify";
import * as dashboardRoute from "../../app/routes/app._index";
import type { Dashboard } from "../../app/reports/dashboard.server";

const SHOP = "campaign-control-test.myshopify.com";
const TZ = "Asia/Tokyo";
const DAY = 86_400_000;
const now = Date.now();
const MEMBERS = 80;

const program: ProgramSettings = {
  ...defaultProgram("JPY"),
  campaigns: [
    {
      id: "double",
      name: "Double points",
      startsAt: localClock(new Date(Math.floor((now - 10 * DAY) / 60_000) * 60_000), TZ).stamp,
      endsAt: localClock(new Date(Math.floor((now + DAY) / 60_000) * 60_000), TZ).stamp,
      target: {},
      extraPercent: 100,
      holdoutPercent: 50,
    },
  ],
};

function paidOrder(customerId: number, total: number, daysAgo: number) {
  const order = orderPayload({
    customerId,
    total: String(total),
    processedAt: new Date(now - daysAgo * DAY).toISOString(),
  });
  order.email = emailOf(customerId);
  if (order.customer) order.customer.email = emailOf(customerId);
  return order;
}

const orders = new Map<number, ReturnType<typeof paidOrder>>();
let shopId = "";

describe("a ×2 campaign holding out half its members", () => {
  beforeAll(async () => {
    resetAdminApi(happyAdmin);
    const shop = await installShop(SHOP);
    shopId = shop.id;
    await prisma.programVersion.create({ data: { shopId, version: 2, settings: program as never } });
    for (let m = 0; m < MEMBERS; m++) {
      const order = paidOrder(5000 + m, 5000, 1 + (m % 8));
      orders.set(5000 + m, order);
      expect((await deliver("orders/paid", order, { shop: SHOP })).status).toBe(200);
      // Shopify delivers at least once: the same order again must neither earn twice nor reassign.
      await deliver("orders/paid", order, { shop: SHOP });
      // Every third member orders again, so the groups' orders vary.
      if (m % 3 === 0) await deliver("orders/paid", paidOrder(5000 + m, 3000, 1), { shop: SHOP });
    }
  }, 120_000);

  it("each member has exactly one assignment, and both groups are used", async () => {
    const assignments = await prisma.campaignAssignment.findMany({ where: { shopId, campaignId: "double" } });
    expect(assignments).toHaveLength(MEMBERS);
    expect(new Set(assignments.map((a) => a.memberId)).size).toBe(MEMBERS);
    const control = assignments.filter((a) => a.group === "control").length;
    expect(control).toBeGreaterThan(20);
    expect(control).toBeLessThan(60);
  });

  it("a ¥5,000 order earns 50 points in the control group and 100 in treatment; the explanation says which", async () => {
    const assignments = await prisma.campaignAssignment.findMany({ where: { shopId, campaignId: "double" } });
    for (const assignment of assignments) {
      const first = await prisma.order.findFirstOrThrow({
        where: { shopId, memberId: assignment.memberId, baseMinor: 5000 },
      });
      expect(first.pointsEarned).toBe(assignment.group === "control" ? 50 : 100);
      const entry = await prisma.ledgerEntry.findFirstOrThrow({
        where: { shopId, orderId: first.orderId, kind: "earn" },
      });
      const words = explainCalculation(entry.calculation as unknown as Calculation, "en");
      expect(words.includes("Campaign Double points: control group, not applied")).toBe(assignment.group === "control");
    }
  });

  it("refunding a control member's order takes back only the 50 points it earned", async () => {
    const control = await prisma.campaignAssignment.findFirstOrThrow({
      where: { shopId, campaignId: "double", group: "control" },
    });
    const member = await prisma.member.findUniqueOrThrow({ where: { id: control.memberId } });
    const order = orders.get(Number(member.customerId.replace(/\D/g, "")))!;
    await deliver(
      "refunds/create",
      refundPayload(order.id, [{ lineItemId: order.line_items[0].id, subtotal: "5000" }]),
      {
        shop: SHOP,
      },
    );
    const stored = await prisma.order.findFirstOrThrow({ where: { shopId, memberId: member.id, baseMinor: 5000 } });
    expect(stored).toMatchObject({ pointsEarned: 50, pointsReversed: 50 });
  });

  it("the campaign report compares the groups with an interval and counts the bonus points given", async () => {
    const [lift] = await campaignLifts(prisma, shopId, new Date());
    const assignments = await prisma.campaignAssignment.groupBy({
      by: ["group"],
      where: { shopId, campaignId: "double" },
      _count: true,
    });
    const count = (group: string) => assignments.find((row) => row.group === group)?._count ?? 0;
    expect(lift).toMatchObject({
      campaignId: "double",
      name: "Double points",
      holdoutPercent: 50,
      treatmentMembers: count("treatment"),
      controlMembers: count("control"),
      // These members first came with their orders, after the campaign started: there is no cohort to compare.
      population: "buyers",
    });
    expect(lift.incrementalOrders.low).toBeLessThanOrEqual(lift.incrementalOrders.value);
    expect(lift.incrementalOrders.high).toBeGreaterThanOrEqual(lift.incrementalOrders.value);
    expect(lift.incrementalRevenueMinor.low).toBeLessThan(lift.incrementalRevenueMinor.high);
    // Treatment members earned twice the control's points per yen: the campaign gave each one's orders' base points.
    const treatmentBase = await prisma.order.aggregate({
      where: {
        shopId,
        memberId: {
          in: (
            await prisma.campaignAssignment.findMany({ where: { shopId, campaignId: "double", group: "treatment" } })
          ).map((a) => a.memberId),
        },
      },
      _sum: { baseMinor: true },
    });
    expect(lift.pointsCost).toBe(Math.round((treatmentBase._sum.baseMinor ?? 0) / 100));
    expect(lift.pointsCostMinor).toBe(lift.pointsCost * program.pointValueMinor);
    // Members' orders do not depend on their group here, so any difference is chance; "significant" must follow
    // the revenue interval (the pure statistics' tests pin a known difference and identical groups).
    const { low, high } = lift.incrementalRevenueMinor;
    expect(lift.significant).toBe(low > 0 || high < 0);
  });

  it("the dashboard carries the controlled comparison and keeps the before/after figure", async () => {
    const loaded = (await dashboardRoute.loader({
      request: adminRequest("GET", "/app", undefined, SHOP),
      params: {},
      context: {},
    } as never)) as unknown as { dashboard: Dashboard };
    const [campaign] = loaded.dashboard.campaigns;
    expect(campaign.control?.holdoutPercent).toBe(50);
    expect(campaign.control?.lift).toEqual((await campaignLifts(prisma, shopId, new Date()))[0]);
    expect(campaign.before).toMatchObject({ orders: 0 });
    expect(campaign.campaign.orders).toBeGreaterThan(MEMBERS);
  });
});

const COHORT_SHOP = "campaign-cohort-test.myshopify.com";
const COHORT = 120;

describe("a campaign's cohort: every member eligible at its start, compared whether they bought or not", () => {
  const comeback: ProgramSettings = {
    ...defaultProgram("JPY"),
    campaigns: [{ ...program.campaigns![0], id: "comeback", name: "Come back", bonusPoints: 200, extraPercent: 0 }],
  };
  const start = localStampInstantOf(comeback.campaigns![0].startsAt);
  let cohortShopId = "";
  const customerIds: number[] = [];

  function localStampInstantOf(stamp: string): Date {
    const instant = localStampInstant(stamp, TZ);
    if (!instant) throw new Error(`not a stamp: ${stamp}`);
    return instant;
  }

  async function member(customerId: number, extra: { createdAt?: Date; blockedAt?: Date } = {}) {
    return prisma.member.create({
      data: {
        shopId: cohortShopId,
        customerId: String(customerId),
        email: emailOf(customerId),
        createdAt: extra.createdAt ?? new Date(start.getTime() - 30 * DAY),
        blockedAt: extra.blockedAt,
      },
    });
  }

  beforeAll(async () => {
    resetAdminApi(happyAdmin);
    const shop = await installShop(COHORT_SHOP);
    cohortShopId = shop.id;
    await prisma.programVersion.create({ data: { shopId: cohortShopId, version: 2, settings: comeback as never } });
    for (let m = 0; m < COHORT; m++) {
      customerIds.push(7000 + m);
      await member(7000 + m);
    }
  }, 120_000);

  it("assigns every eligible member once, at random, when the campaign has started; later members are not in it", async () => {
    // Ordered before the cohort was drawn (the job runs a minute apart): assigned at the order, then kept.
    const early = await deliver("orders/paid", paidOrder(customerIds[0], 5000, 2), { shop: COHORT_SHOP });
    expect(early.status).toBe(200);
    const before = await prisma.campaignAssignment.findFirstOrThrow({
      where: { shopId: cohortShopId, campaignId: "comeback" },
    });
    expect(before.cohort).toBe(false);
    await member(7999, { blockedAt: new Date(start.getTime() - DAY) });
    await member(7998, { createdAt: new Date(start.getTime() + DAY) });

    expect(await assignCampaignCohorts(prisma, new Date(start.getTime() - 60_000))).toBe(0);
    expect(await assignCampaignCohorts(prisma, new Date())).toBe(COHORT);
    expect(await assignCampaignCohorts(prisma, new Date())).toBe(0);

    const assignments = await prisma.campaignAssignment.findMany({
      where: { shopId: cohortShopId, campaignId: "comeback" },
      include: { member: true },
    });
    expect(assignments).toHaveLength(COHORT);
    expect(assignments.every((a) => a.cohort)).toBe(true);
    expect(assignments.map((a) => Number(a.member.customerId)).sort()).toEqual(customerIds);
    expect(assignments.find((a) => a.memberId === before.memberId)?.group).toBe(before.group);
    const control = assignments.filter((a) => a.group === "control").length;
    expect(control).toBeGreaterThan(30);
    expect(control).toBeLessThan(90);
  });

  it("counts the members the campaign made buy: the control members who never ordered are in the comparison", async () => {
    const assignments = await prisma.campaignAssignment.findMany({
      where: { shopId: cohortShopId, campaignId: "comeback" },
      include: { member: true },
    });
    // The campaign works: every treatment member orders; only one control member in four does.
    let controlIndex = 0;
    for (const assignment of assignments) {
      const customerId = Number(assignment.member.customerId);
      const buys = assignment.group === "treatment" || controlIndex++ % 4 === 0;
      if (buys && customerId !== customerIds[0])
        expect((await deliver("orders/paid", paidOrder(customerId, 5000, 1), { shop: COHORT_SHOP })).status).toBe(200);
    }
    const treatment = assignments.filter((a) => a.group === "treatment");
    const control = assignments.filter((a) => a.group === "control");
    const controlBuyers = await prisma.order.count({
      where: { shopId: cohortShopId, memberId: { in: control.map((a) => a.memberId) } },
    });
    const controlShare = controlBuyers / control.length;
    expect(controlShare).toBeLessThan(0.5);

    const [lift] = await campaignLifts(prisma, cohortShopId, new Date());
    expect(lift).toMatchObject({
      campaignId: "comeback",
      population: "cohort",
      treatmentMembers: treatment.length,
      controlMembers: control.length,
    });
    // One order per treatment member against the control's share of buyers, over the treatment group.
    expect(lift.incrementalOrders.value).toBeCloseTo((1 - controlShare) * treatment.length, 6);
    expect(lift.incrementalRevenueMinor.value).toBeCloseTo((1 - controlShare) * treatment.length * 5000, 4);
    expect(lift.significant).toBe(true);
    // The bonus: 200 points on each treatment member's order, beyond what the control earned per yen.
    expect(lift.pointsCost).toBe(200 * treatment.length);
  });
});
