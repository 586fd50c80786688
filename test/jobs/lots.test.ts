import { beforeAll, describe, expect, it } from "vitest";
import type { ProgramSettings } from "../../app/program/program";
import { defaultProgram } from "../../app/program/program";
import prisma from "../../app/db.server";
import { runScheduledJobs } from "../../app/jobs/jobs.server";
import { ShopifyOrderBook } from "../support/shopify-orders";
import { activateDueLots, expireDueLots, expireInactiveBalances } from "../../app/ledger/lot-schedule.server";
import { happyAdmin, resetAdminApi } from "../support/admin-api";
import { installShop, memberState, orderPayload, refundPayload } from "../support/fixtures";
import { expectBalancesMatchLedger } from "../support/invariants";
import { checkout, deliver } from "../support/routes";
import { sessionToken } from "../support/shopify";

const DAY = 24 * 60 * 60 * 1000;
const PENDING_SHOP = "pending-test.myshopify.com";
const EXPIRY_SHOP = "expiry-test.myshopify.com";

async function programFor(domain: string, settings: Partial<ProgramSettings>) {
  const shop = await installShop(domain, "JPY", "Asia/Tokyo");
  await prisma.programVersion.create({
    data: { shopId: shop.id, version: 2, settings: { ...defaultProgram("JPY"), ...settings } as never },
  });
}

describe("pending points", () => {
  beforeAll(() => programFor(PENDING_SHOP, { pendingDays: 14 }));

  it("points from an order wait out the 14-day return window, then become spendable exactly once", async () => {
    const placed = new Date();
    await deliver(
      "orders/paid",
      orderPayload({ customerId: 11001, total: "5400", processedAt: placed.toISOString() }),
      { shop: PENDING_SHOP },
    );
    expect(await memberState(11001, PENDING_SHOP)).toMatchObject({ pointsAvailable: 0, pointsPending: 54 });
    expect(await activateDueLots(prisma, new Date(placed.getTime() + 13 * DAY))).toBe(0);
    expect(await activateDueLots(prisma, new Date(placed.getTime() + 14 * DAY + 1000))).toBe(1);
    expect(await activateDueLots(prisma, new Date(placed.getTime() + 15 * DAY))).toBe(0);
    expect(await memberState(11001, PENDING_SHOP)).toMatchObject({ pointsAvailable: 54, pointsPending: 0 });
    expect(await prisma.ledgerEntry.count({ where: { member: { customerId: "11001" }, kind: "activate" } })).toBe(1);
    await expectBalancesMatchLedger();
  });

  it("a refund inside the window takes its share of the pending points without any debt", async () => {
    const order = orderPayload({ customerId: 11003, lines: [{ price: "2700", quantity: 2 }] });
    await deliver("orders/paid", order, { shop: PENDING_SHOP });
    await deliver(
      "refunds/create",
      refundPayload(order.id, [{ lineItemId: order.line_items[0].id, quantity: 1, subtotal: "2700" }]),
      {
        shop: PENDING_SHOP,
      },
    );
    expect(await memberState(11003, PENDING_SHOP)).toMatchObject({
      pointsAvailable: 0,
      pointsPending: 27,
      pointsDebt: 0,
    });
    await expectBalancesMatchLedger();
  });

  it("a cancellation inside the window cancels the pending points without any debt", async () => {
    const order = orderPayload({ customerId: 11002, total: "5400" });
    await deliver("orders/paid", order, { shop: PENDING_SHOP });
    await deliver("orders/cancelled", order, { shop: PENDING_SHOP });
    expect(await memberState(11002, PENDING_SHOP)).toMatchObject({
      pointsAvailable: 0,
      pointsPending: 0,
      pointsDebt: 0,
    });
    await activateDueLots(prisma, new Date(Date.now() + 15 * DAY));
    expect(await memberState(11002, PENDING_SHOP)).toMatchObject({
      pointsAvailable: 0,
      pointsPending: 0,
      pointsDebt: 0,
    });
    await expectBalancesMatchLedger();
  });
});

describe("expiry", () => {
  beforeAll(() => programFor(EXPIRY_SHOP, { expiryDays: 30 }));

  it("a lot expires at the end of the Tokyo day 30 days after it was earned, once", async () => {
    const placed = new Date("2026-01-10T14:30:00Z"); // 23:30 on 10 January in Tokyo
    await deliver(
      "orders/paid",
      orderPayload({ customerId: 12001, total: "5400", processedAt: placed.toISOString() }),
      { shop: EXPIRY_SHOP },
    );
    const lot = await prisma.lot.findFirstOrThrow({ where: { member: { customerId: "12001" } } });
    expect(lot.expiresAt?.toISOString()).toBe("2026-02-09T15:00:00.000Z"); // midnight Tokyo, 10 February
    expect(await expireDueLots(prisma, new Date("2026-02-09T14:59:59Z"))).toBe(0);
    expect(await expireDueLots(prisma, new Date("2026-02-09T15:00:00Z"))).toBe(1);
    expect(await expireDueLots(prisma, new Date("2026-02-10T15:00:00Z"))).toBe(0);
    expect(await memberState(12001, EXPIRY_SHOP)).toMatchObject({ pointsAvailable: 0 });
    expect(await prisma.ledgerEntry.count({ where: { member: { customerId: "12001" }, kind: "expire" } })).toBe(1);
    await expectBalancesMatchLedger();
  });

  it("points a checkout holds do not expire under it; they expire once the hold ends", async () => {
    resetAdminApi(happyAdmin);
    const placed = new Date(Date.now() - 31 * DAY);
    await deliver(
      "orders/paid",
      orderPayload({ customerId: 12002, total: "100000", processedAt: placed.toISOString() }),
      { shop: EXPIRY_SHOP },
    );
    await deliver("orders/paid", orderPayload({ customerId: 12002, total: "30000" }), { shop: EXPIRY_SHOP });
    const token = sessionToken({ shop: EXPIRY_SHOP, customerId: "12002" });
    expect((await checkout("POST", token, { points: 1200, subtotalMinor: 1_000_000 })).status).toBe(200);
    // 1,300 points in two lots, 1,200 held: only 100 can expire from the old lot now.
    await expireDueLots(prisma);
    expect(await memberState(12002, EXPIRY_SHOP)).toMatchObject({ pointsAvailable: 0, pointsReserved: 1200 });
    await expectBalancesMatchLedger();
  });

  it("a sweep over more lots than one batch expires each exactly once and resumes cleanly", async () => {
    const shop = await prisma.shop.findUniqueOrThrow({ where: { domain: EXPIRY_SHOP } });
    const placed = new Date(Date.now() - 40 * DAY);
    for (let i = 0; i < 25; i++) {
      await deliver(
        "orders/paid",
        orderPayload({ customerId: 13000 + (i % 5), total: "1000", processedAt: placed.toISOString() }),
        { shop: EXPIRY_SHOP },
      );
    }
    const expired = await expireDueLots(prisma, new Date(), 7);
    expect(expired).toBe(25);
    expect(await expireDueLots(prisma, new Date(), 7)).toBe(0);
    const left = await prisma.lot.aggregate({
      where: { shopId: shop.id, member: { customerId: { startsWith: "1300" } } },
      _sum: { remaining: true },
    });
    expect(left._sum.remaining).toBe(0);
    await expectBalancesMatchLedger();
  });

  it("one scheduled pass runs every job", async () => {
    // Reconciliation asks Shopify for the orders updated since install: none that the app missed.
    const book = new ShopifyOrderBook();
    resetAdminApi((call) => book.respond(call) ?? happyAdmin(call));
    expect(await runScheduledJobs(new Date())).toEqual({
      bulkOperations: { submitted: 0, refreshed: 0 },
      bulkResults: { applied: 0, refused: 0 },
      historyAwards: 0,
      reconciled: 0,
      webhookFailuresPruned: 0,
      rewardCodes: 0,
      imports: 0,
      reservations: expect.any(Number),
      activated: expect.any(Number),
      expired: expect.any(Number),
      tierChanges: expect.any(Number),
      campaignCohorts: expect.any(Number),
      birthdays: expect.any(Number),
      messagesPlanned: expect.any(Number),
      // No SMTP_URL in the tests' environment: email waits in the outbox.
      emailsSent: 0,
      flowTriggersSent: expect.any(Number),
      metafieldsWritten: expect.any(Number),
      messagesPruned: 0,
      webhooksDelivered: 0,
      integrationRowsPruned: 0,
      fraudCases: expect.any(Number),
      insightFits: expect.any(Number),
      insightReports: expect.any(Number),
    });
  });
});

describe("expiry after a quiet period", () => {
  const QUIET_SHOP = "quiet-test.myshopify.com";
  beforeAll(() => programFor(QUIET_SHOP, { expiryDays: 365, expiryMode: "inactivity" }));

  it("the whole balance expires at the end of the Tokyo day 365 days after the last earn or spend, not before", async () => {
    const first = new Date("2025-01-10T03:00:00Z");
    const second = new Date("2025-08-01T03:00:00Z");
    await deliver("orders/paid", orderPayload({ customerId: 20001, total: "5400", processedAt: first.toISOString() }), {
      shop: QUIET_SHOP,
    });
    await deliver(
      "orders/paid",
      orderPayload({ customerId: 20001, total: "2000", processedAt: second.toISOString() }),
      { shop: QUIET_SHOP },
    );
    expect((await prisma.lot.findFirstOrThrow({ where: { member: { customerId: "20001" } } })).expiresAt).toBeNull();
    // A year after the first order the member was active since: nothing expires.
    expect(await expireInactiveBalances(prisma, new Date("2026-01-20T00:00:00Z"))).toBe(0);
    // 1 August 2026 ends at 15:00 UTC in Tokyo.
    expect(await expireInactiveBalances(prisma, new Date("2026-08-01T14:59:00Z"))).toBe(0);
    expect(await expireInactiveBalances(prisma, new Date("2026-08-01T15:00:00Z"))).toBe(1);
    expect(await memberState(20001, QUIET_SHOP)).toMatchObject({ pointsAvailable: 0 });
    expect(await expireInactiveBalances(prisma, new Date("2026-09-01T00:00:00Z"))).toBe(0);
    await expectBalancesMatchLedger();
  });
});
