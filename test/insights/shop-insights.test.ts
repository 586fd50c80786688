import { beforeAll, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import type { Shop } from "../../app/generated/prisma/client";
import { fitDueShops, fitShop, MIN_REPEAT_MEMBERS } from "../../app/insights/shop-insights.server";
import { RFM_SEGMENTS } from "../../app/insights/rfm";
import { installShop } from "../support/fixtures";
import { memberOf, pay } from "../support/fraud-traffic";

const DAY = 86_400_000;
const WEEK = 7 * DAY;

/** A small seeded generator: the same crowd on every run. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

/**
 * A crowd of members with histories drawn as BG/NBD assumes: each buys at a rate of their own and may drop out
 * after any purchase. Inserted as Order rows directly (status "awarded", as orders/paid leaves them): hundreds of
 * members' orders through the real route would take minutes, and the route's own work is covered by the members
 * below whose orders do go through it.
 */
async function crowd(shop: Shop, members: number, now: number, seed = 17): Promise<void> {
  const next = random(seed);
  const memberRows = [];
  const orderRows = [];
  for (let k = 0; k < members; k++) {
    const memberId = `${shop.id}-crowd-${k}`;
    memberRows.push({ id: memberId, shopId: shop.id, customerId: String(900_000 + k) });
    const ratePerWeek = 0.05 + next() * 0.6;
    const dropout = 0.1 + next() * 0.4;
    let at = now - (10 + next() * 80) * WEEK;
    let n = 0;
    while (at < now) {
      orderRows.push({
        shopId: shop.id,
        orderId: `crowd-${k}-${n}`,
        memberId,
        status: "awarded" as const,
        baseMinor: 2000 + Math.round(next() * 8) * 500,
        placedAt: new Date(at),
      });
      n += 1;
      if (next() < dropout) break;
      at += (-Math.log(1 - next()) / ratePerWeek) * WEEK;
    }
  }
  await prisma.member.createMany({ data: memberRows });
  await prisma.order.createMany({ data: orderRows });
}

describe("the nightly fit of a shop's members", () => {
  const DOMAIN = "insights-fit.myshopify.com";
  const now = new Date();
  let shop: Shop;

  beforeAll(async () => {
    shop = await installShop(DOMAIN);
    await crowd(shop, 240, now.getTime());
    // Through the real orders/paid route: one member who buys every week to this day, one who bought every week
    // for five months and stopped half a year ago.
    for (let w = 0; w < 20; w++) {
      await pay(DOMAIN, 501, 3000, new Date(now.getTime() - (1 + w * 7) * DAY));
      await pay(DOMAIN, 502, 3000, new Date(now.getTime() - (26 + w) * WEEK));
    }
    // Not purchases: an unpaid order, and a paid order cancelled since. A history order (paid before the install)
    // is one.
    await prisma.member.createMany({
      data: [
        { id: "not-buying", shopId: shop.id, customerId: "503" },
        { id: "from-history", shopId: shop.id, customerId: "504" },
      ],
    });
    await prisma.order.createMany({
      data: [
        { shopId: shop.id, orderId: "u1", memberId: "not-buying", status: "unpaid", baseMinor: 5000, placedAt: now },
        {
          shopId: shop.id,
          orderId: "c1",
          memberId: "not-buying",
          status: "awarded",
          baseMinor: 5000,
          placedAt: new Date(now.getTime() - 3 * DAY),
          cancelledAt: now,
        },
        {
          shopId: shop.id,
          orderId: "h1",
          memberId: "from-history",
          status: "history",
          baseMinor: 8000,
          placedAt: new Date(now.getTime() - 40 * WEEK),
        },
      ],
    });
  });

  it("stores the fit and every buying member's predictions", async () => {
    const outcome = await fitShop(prisma, shop, now);
    expect(outcome).toMatchObject({ status: "fitted", reason: null, customers: 243, members: 243 });
    const fit = await prisma.insightFit.findUniqueOrThrow({ where: { shopId: shop.id } });
    expect(fit).toMatchObject({ status: "fitted", customers: 243, asOf: now, fittedAt: now });
    expect(fit.repeatCustomers).toBeGreaterThanOrEqual(MIN_REPEAT_MEMBERS);
    const params = fit.params as { bgnbd: Record<string, number>; gammaGamma: Record<string, number> | null };
    for (const name of ["r", "alpha", "a", "b"]) expect(params.bgnbd[name]).toBeGreaterThan(0);
    expect(Number.isFinite(fit.logLikelihood)).toBe(true);

    const rows = await prisma.memberInsight.findMany({ where: { shopId: shop.id } });
    expect(rows).toHaveLength(243);
    for (const row of rows) {
      expect(row.pAlive).toBeGreaterThanOrEqual(0);
      expect(row.pAlive).toBeLessThanOrEqual(1);
      expect(row.expectedOrders90).toBeGreaterThanOrEqual(0);
      expect(Number.isInteger(row.expectedValueMinor)).toBe(true);
      expect(RFM_SEGMENTS).toContain(row.rfmSegment);
      expect(row.computedAt).toEqual(now);
    }
    expect(rows.map((r) => r.memberId)).not.toContain("not-buying");
    expect(rows.find((r) => r.memberId === "from-history")).toMatchObject({
      frequency: 0,
      monetaryMinor: 8000,
      repurchaseDays: null,
    });
  });

  it("a member who buys often and lately is likelier alive, and worth more, than one who stopped", async () => {
    const often = await prisma.memberInsight.findUniqueOrThrow({
      where: { memberId: (await memberOf(DOMAIN, 501)).id },
    });
    const stopped = await prisma.memberInsight.findUniqueOrThrow({
      where: { memberId: (await memberOf(DOMAIN, 502)).id },
    });
    expect(often.frequency).toBe(19);
    expect(often.repurchaseDays).toBe(7);
    expect(often.monetaryMinor).toBeGreaterThan(0);
    // BG/NBD never gives certainty: a member may drop out after any purchase, however regular.
    expect(often.pAlive).toBeGreaterThan(0.8);
    expect(stopped.pAlive).toBeLessThan(often.pAlive / 2);
    expect(often.expectedOrders90).toBeGreaterThan(stopped.expectedOrders90);
    expect(often.expectedValueMinor).toBeGreaterThan(stopped.expectedValueMinor);
    expect(often.rfmSegment).toBe("champions");
  });

  it("a rerun leaves the same rows, none twice, and drops members no longer eligible", async () => {
    const read = () => prisma.memberInsight.findMany({ where: { shopId: shop.id }, orderBy: { memberId: "asc" } });
    const before = await read();
    await fitShop(prisma, shop, now);
    expect(await read()).toEqual(before);
    expect(await prisma.insightFit.count({ where: { shopId: shop.id } })).toBe(1);
    // The history order is cancelled: that member no longer has a purchase, and loses their row.
    await prisma.order.updateMany({ where: { shopId: shop.id, orderId: "h1" }, data: { cancelledAt: now } });
    await fitShop(prisma, shop, now);
    const after = await read();
    expect(after.map((row) => row.memberId)).toEqual(
      before.map((row) => row.memberId).filter((id) => id !== "from-history"),
    );
  });
});

describe("a shop with too few repeat buyers", () => {
  it("is told there is not enough data yet, and no member gets a prediction", async () => {
    const shop = await installShop("insights-small.myshopify.com");
    await crowd(shop, 12, Date.now(), 5);
    // A stale row from an earlier fit is not left behind.
    await prisma.memberInsight.create({
      data: {
        memberId: `${shop.id}-crowd-0`,
        shopId: shop.id,
        frequency: 1,
        recencyWeeks: 1,
        ageWeeks: 2,
        monetaryMinor: 1000,
        pAlive: 0.5,
        expectedOrders90: 1,
        expectedValueMinor: 1000,
        rfmSegment: "loyal",
        computedAt: new Date(),
      },
    });
    const outcome = await fitShop(prisma, shop);
    expect(outcome).toMatchObject({ status: "insufficient", reason: "memberInsights.reason.fewRepeatMembers" });
    const fit = await prisma.insightFit.findUniqueOrThrow({ where: { shopId: shop.id } });
    expect(fit).toMatchObject({ status: "insufficient", params: null, logLikelihood: null, customers: 12 });
    expect(fit.repeatCustomers).toBeLessThan(MIN_REPEAT_MEMBERS);
    expect(await prisma.memberInsight.count({ where: { shopId: shop.id } })).toBe(0);
  });
});

describe("the scheduled pass", () => {
  it("fits each installed shop once a day", async () => {
    const now = new Date(Date.now() + 2 * DAY);
    const shops = await prisma.shop.count({ where: { uninstalledAt: null } });
    expect(await fitDueShops(prisma, now)).toBe(shops);
    expect(await fitDueShops(prisma, new Date(now.getTime() + 23 * 3_600_000))).toBe(0);
    expect(await fitDueShops(prisma, new Date(now.getTime() + 24 * 3_600_000))).toBe(shops);
    const fits = await prisma.insightFit.findMany();
    expect(fits.map((f) => f.fittedAt.getTime())).toEqual(fits.map(() => now.getTime() + 24 * 3_600_000));
  });
});
