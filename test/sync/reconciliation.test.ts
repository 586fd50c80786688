import { beforeAll, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import {
  checkAgain,
  reconcileDueShops,
  reconcileWindow,
  ReconcileRefused,
  RECONCILE_EVERY_MS,
} from "../../app/sync/reconciliation.server";
import { adminApi, happyAdmin, resetAdminApi } from "../support/admin-api";
import { bulkShopify, finishPayload } from "../support/bulk";
import { backgroundApplies } from "../../app/sync/bulk-results.server";
import { installShop, memberState, orderPayload, refundPayload } from "../support/fixtures";
import { expectBalancesMatchLedger } from "../support/invariants";
import { deliver, type Topic } from "../support/routes";
import { ShopifyOrderBook } from "../support/shopify-orders";

const FULL = "reconcile-full.myshopify.com";
const LOSSY = "reconcile-lossy.myshopify.com";

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Delivery {
  topic: Topic;
  payload: unknown;
}

/**
 * A day of a shop's orders, as webhooks in the order Shopify sends them: payments (members, a guest, a test
 * order; lines with discounts and tax), partial refunds, cancellations. Each order has at most one reversal event:
 * with two, the split of the reversed points between their entries depends on arrival order (the totals do not).
 */
function aDayOfOrders(book: ShopifyOrderBook, seed: number): Delivery[] {
  const next = random(seed);
  const pick = <T>(values: T[]) => values[Math.floor(next() * values.length)];
  const start = Date.now() - 20 * 3_600_000;
  const deliveries: Array<Delivery & { at: number }> = [];
  for (let i = 0; i < 80; i++) {
    const at = start + i * 9 * 60_000;
    const roll = next();
    const lines = Array.from({ length: 1 + Math.floor(next() * 3) }, () => {
      const price = pick(["500", "1200", "3300", "5400", "9800"]);
      return {
        price,
        quantity: 1 + Math.floor(next() * 3),
        discount: next() < 0.3 ? "100" : undefined,
        tax: next() < 0.5 ? String(Math.floor(Number(price) / 10)) : undefined,
      };
    });
    const order = orderPayload({
      customerId: roll < 0.08 ? null : 7001 + Math.floor(next() * 20),
      test: roll > 0.96,
      lines,
      processedAt: new Date(at).toISOString(),
    });
    book.pay(order);
    deliveries.push({ topic: "orders/paid", payload: order, at });
    const after = next();
    if (after < 0.3) {
      const line = order.line_items[0];
      const refund = refundPayload(order.id, [
        { lineItemId: line.id, quantity: 1, subtotal: String(Number(line.price) - (lines[0].discount ? 100 : 0)) },
      ]);
      const refundedAt = new Date(at + 40 * 60_000).toISOString();
      refund.created_at = refundedAt;
      book.refund(refund, refundedAt);
      deliveries.push({ topic: "refunds/create", payload: refund, at: at + 40 * 60_000 });
    } else if (after < 0.42) {
      const cancelledAt = new Date(at + 25 * 60_000).toISOString();
      book.cancel(order.id, cancelledAt);
      deliveries.push({ topic: "orders/cancelled", payload: book.cancelledPayload(order.id), at: at + 25 * 60_000 });
    }
  }
  return deliveries.sort((a, b) => a.at - b.at).map(({ topic, payload }) => ({ topic, payload }));
}

/** What the shop's points are, in terms that do not depend on database ids or when a row was written. */
async function pointsOf(domain: string) {
  const shop = await prisma.shop.findUniqueOrThrow({ where: { domain } });
  const entries = await prisma.$queryRaw<unknown[]>`
    SELECT m."customerId", e.kind::text, e.points, e."pendingPoints", e."debtPoints", e."idempotencyKey", e.reason,
           e."orderId", e.calculation,
           CASE WHEN e."sourceType" = 'order' AND e.kind = 'earn' THEN e."occurredAt" END AS "earnedAt"
    FROM "LedgerEntry" e JOIN "Member" m ON m.id = e."memberId"
    WHERE e."shopId" = ${shop.id} ORDER BY e."idempotencyKey"`;
  const lots = await prisma.$queryRaw<unknown[]>`
    SELECT m."customerId", e."idempotencyKey", l.amount, l.remaining, l."earnedAt", l."availableAt", l."expiresAt"
    FROM "Lot" l JOIN "Member" m ON m.id = l."memberId" JOIN "LedgerEntry" e ON e.id = l."earnEntryId"
    WHERE l."shopId" = ${shop.id} ORDER BY e."idempotencyKey"`;
  const balances = await prisma.member.findMany({
    where: { shopId: shop.id },
    select: { customerId: true, pointsAvailable: true, pointsPending: true, pointsDebt: true, pointsReserved: true },
    orderBy: { customerId: "asc" },
  });
  const orders = await prisma.order.findMany({
    where: { shopId: shop.id },
    select: {
      orderId: true,
      status: true,
      skipReason: true,
      pointsEarned: true,
      pointsReversed: true,
      refundedMinor: true,
      baseMinor: true,
      cancelledAt: true,
    },
    orderBy: { orderId: "asc" },
  });
  return { entries, lots, balances, orders };
}

describe("reconciliation of missed webhooks", () => {
  const book = new ShopifyOrderBook();
  let deliveries: Delivery[];
  let dropped: Delivery[];

  beforeAll(async () => {
    for (const domain of [FULL, LOSSY]) {
      await installShop(domain);
      // Installed two days ago: the day's orders were all paid after the install.
      await prisma.shop.update({ where: { domain }, data: { installedAt: new Date(Date.now() - 2 * 86_400_000) } });
    }
    deliveries = aDayOfOrders(book, 20261130);
    const keep = random(42);
    dropped = [];
    for (const delivery of deliveries) {
      expect((await deliver(delivery.topic, delivery.payload, { shop: FULL })).status).toBe(200);
      if (keep() < 0.7) {
        expect((await deliver(delivery.topic, delivery.payload, { shop: LOSSY })).status).toBe(200);
      } else {
        dropped.push(delivery);
      }
    }
  }, 240_000);

  it("recovers every webhook lost from a day (30 %, refunds and cancellations among them), entry for entry", async () => {
    expect(dropped.length).toBeGreaterThan(15);
    for (const topic of ["orders/paid", "refunds/create", "orders/cancelled"]) {
      expect(dropped.some((d) => d.topic === topic)).toBe(true);
    }
    expect(await pointsOf(LOSSY)).not.toEqual(await pointsOf(FULL));

    resetAdminApi(book.respond);
    const shop = await prisma.shop.findUniqueOrThrow({ where: { domain: LOSSY } });
    const summary = await reconcileWindow(prisma, shop, {
      mode: "window",
      since: shop.installedAt,
      until: new Date(),
    });

    expect(summary.eventsRecovered).toBe(dropped.length);
    expect(summary.ordersChecked).toBe(80);
    const full = await pointsOf(FULL);
    const reconciled = await pointsOf(LOSSY);
    expect(reconciled.entries.length).toBeGreaterThan(50);
    expect(reconciled.entries).toEqual(full.entries);
    expect(reconciled.lots).toEqual(full.lots);
    expect(reconciled.balances).toEqual(full.balances);
    expect(reconciled.orders).toEqual(full.orders);
    await expectBalancesMatchLedger();

    const recovered = await prisma.recoveredEvent.findMany({ where: { shopId: shop.id } });
    expect(recovered.map((e) => e.topic).sort()).toEqual(dropped.map((d) => d.topic).sort());
    expect(await prisma.shop.findUniqueOrThrow({ where: { domain: LOSSY } })).toMatchObject({
      reconciledThrough: expect.any(Date),
    });
    // Only what was missing was read in full.
    const detailReads = adminApi.calls.filter((c) => c.operation !== "TsumikiReconcileOrders").length;
    expect(detailReads).toBeLessThanOrEqual(
      dropped.length + dropped.filter((d) => d.topic === "orders/cancelled").length,
    );
  });

  it("a second pass, and the lost webhooks arriving late after all, change nothing", async () => {
    const before = await pointsOf(LOSSY);
    const shop = await prisma.shop.findUniqueOrThrow({ where: { domain: LOSSY } });
    const again = await reconcileWindow(prisma, shop, { mode: "window", since: shop.installedAt, until: new Date() });
    expect(again.eventsRecovered).toBe(0);
    for (const delivery of dropped) {
      const response = await deliver(delivery.topic, delivery.payload, { shop: LOSSY });
      expect(response.status).toBe(200);
      expect(((await response.json()) as { outcome: string }).outcome).toBe("duplicate");
    }
    expect(await pointsOf(LOSSY)).toEqual(before);
  });

  it("respects Shopify's cost limits: a THROTTLED answer is waited out, not a failed run", async () => {
    resetAdminApi(book.respond);
    adminApi.bucket = { maximumAvailable: 1000, currentlyAvailable: 1000, restoreRate: 10_000 };
    adminApi.throttleNext = 2;
    const summary = await checkAgain(prisma, LOSSY, 3, "staff:42");
    expect(summary.ordersChecked).toBe(80);
    expect(adminApi.calls.filter((c) => c.operation === "TsumikiReconcileOrders").length).toBe(3);
    const run = await prisma.reconciliationRun.findUniqueOrThrow({ where: { id: summary.runId } });
    expect(run).toMatchObject({ mode: "manual", status: "completed", requestedBy: "staff:42" });
  });

  it("refuses a check of 0 or 61 days, or a fraction, and writes nothing", async () => {
    const runs = await prisma.reconciliationRun.count();
    for (const days of [0, 61, 1.5, Number.NaN]) {
      await expect(checkAgain(prisma, LOSSY, days, "staff:42")).rejects.toThrow(ReconcileRefused);
    }
    expect(await prisma.reconciliationRun.count()).toBe(runs);
  });

  it("a failing Admin API fails the run with its reason and leaves the watermark where it was", async () => {
    const shop = await prisma.shop.findUniqueOrThrow({ where: { domain: LOSSY } });
    resetAdminApi(book.respond);
    adminApi.failWith = 500;
    await expect(
      reconcileWindow(prisma, shop, {
        mode: "window",
        since: shop.installedAt,
        until: new Date(Date.now() + 3_600_000),
      }),
    ).rejects.toThrow();
    const failed = await prisma.reconciliationRun.findFirstOrThrow({
      where: { shopId: shop.id },
      orderBy: { startedAt: "desc" },
    });
    expect(failed).toMatchObject({ status: "failed", error: expect.stringContaining("Admin API call failed") });
    expect((await prisma.shop.findUniqueOrThrow({ where: { id: shop.id } })).reconciledThrough).toEqual(
      shop.reconciledThrough,
    );
  });

  it("the scheduled pass finds a payment whose webhook never came, once per interval, and moves the watermark", async () => {
    const domain = "reconcile-scheduled.myshopify.com";
    await installShop(domain);
    const shop = await prisma.shop.update({
      where: { domain },
      data: { installedAt: new Date(Date.now() - 3_600_000) },
    });
    const quiet = new ShopifyOrderBook();
    const order = orderPayload({
      customerId: 7101,
      total: "3300",
      processedAt: new Date(Date.now() - 10 * 60_000).toISOString(),
    });
    quiet.pay(order, new Date(Date.now() - 5 * 60_000).toISOString());
    resetAdminApi(quiet.respond);
    const now = new Date();
    const runs = await reconcileDueShops(prisma, now);
    const ours = await prisma.reconciliationRun.findMany({ where: { shopId: shop.id } });
    expect(ours).toHaveLength(1);
    expect(runs.find((run) => run.runId === ours[0].id)).toMatchObject({ eventsRecovered: 1 });
    expect(await prisma.order.findFirst({ where: { shopId: shop.id } })).toMatchObject({
      status: "awarded",
      pointsEarned: 33,
    });
    expect((await prisma.shop.findUniqueOrThrow({ where: { id: shop.id } })).reconciledThrough).toEqual(
      new Date(now.getTime() - 2 * 60_000),
    );
    // Within the interval nothing runs again; after it, the next window starts before the watermark.
    await reconcileDueShops(prisma, new Date(now.getTime() + 60_000));
    expect(await prisma.reconciliationRun.count({ where: { shopId: shop.id } })).toBe(1);
    await reconcileDueShops(prisma, new Date(now.getTime() + RECONCILE_EVERY_MS + 1));
    const second = await prisma.reconciliationRun.findFirstOrThrow({
      where: { shopId: shop.id },
      orderBy: { startedAt: "desc" },
    });
    expect(second.since.getTime()).toBeLessThan(now.getTime() - 2 * 60_000);
    expect(second).toMatchObject({ status: "completed", eventsRecovered: 0 });
  });

  it("after a gap longer than the window (the app was down), catches up through a bulk operation", async () => {
    const domain = "reconcile-catch-up.myshopify.com";
    await installShop(domain);
    const shop = await prisma.shop.update({
      where: { domain },
      data: { installedAt: new Date(Date.now() - 3 * 86_400_000) },
    });
    const down = new ShopifyOrderBook();
    const paid = orderPayload({
      customerId: 7201,
      lines: [{ price: "2700", quantity: 2 }],
      processedAt: new Date(Date.now() - 2 * 86_400_000).toISOString(),
    });
    down.pay(paid);
    const refund = refundPayload(paid.id, [{ lineItemId: paid.line_items[0].id, quantity: 1, subtotal: "2700" }]);
    refund.created_at = new Date(Date.now() - 86_400_000).toISOString();
    down.refund(refund, refund.created_at);
    const shopify = bulkShopify((call) => down.respond(call) ?? happyAdmin(call));
    resetAdminApi(shopify.responder);

    await reconcileDueShops(prisma);
    const run = await prisma.reconciliationRun.findFirstOrThrow({ where: { shopId: shop.id } });
    expect(run).toMatchObject({ mode: "bulk", status: "waiting" });
    const operation = await prisma.bulkOperation.findFirstOrThrow({ where: { shopId: shop.id, kind: "orders" } });
    const query = String(adminApi.calls.find((c) => c.operation === "TsumikiRunBulkQuery")!.variables.query);
    // While Shopify reads, the scheduled pass leaves the shop alone.
    await reconcileDueShops(prisma, new Date(Date.now() + RECONCILE_EVERY_MS * 2));
    expect(await prisma.reconciliationRun.count({ where: { shopId: shop.id } })).toBe(1);

    shopify.complete(operation.operationId!, down.catchUpJsonl(query));
    await deliver("bulk_operations/finish", finishPayload(operation.operationId!), { shop: domain });
    await backgroundApplies();

    expect(await prisma.reconciliationRun.findUniqueOrThrow({ where: { id: run.id } })).toMatchObject({
      status: "completed",
      ordersChecked: 1,
      eventsRecovered: 2,
    });
    // 54 points for ¥5,400, then 27 taken back for the one unit refunded.
    expect(await memberState(7201, domain)).toMatchObject({ pointsAvailable: 27 });
    expect((await prisma.shop.findUniqueOrThrow({ where: { id: shop.id } })).reconciledThrough).toEqual(run.until);
  });
});
