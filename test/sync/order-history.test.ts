import { beforeEach, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { qualifyingValues } from "../../app/program/tiers.server";
import { defaultProgram } from "../../app/program/program";
import { backgroundApplies } from "../../app/sync/bulk-results.server";
import {
  awardOrderHistory,
  historyAwards,
  HistoryRefused,
  requestOrderHistory,
} from "../../app/sync/order-history.server";
import { settleUnsuccessfulOrderOperations } from "../../app/sync/orders-bulk.server";
import { adminApi, happyAdmin, resetAdminApi } from "../support/admin-api";
import { bulkShopify, finishPayload } from "../support/bulk";
import { installShop, memberState, orderPayload, refundPayload } from "../support/fixtures";
import { expectBalancesMatchLedger } from "../support/invariants";
import { callRoute, deliver } from "../support/routes";
import { adminRequest } from "../support/shopify";
import * as historyRoute from "../../app/routes/app.history";
import { ShopifyOrderBook } from "../support/shopify-orders";

const SHOP = "order-history.myshopify.com";
const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();

/** Five months of a shop's orders before it installed Tsumiki. */
function pastOrders(book: ShopifyOrderBook) {
  const first = orderPayload({ customerId: 8001, lines: [{ price: "5400" }], processedAt: ago(150) });
  const second = orderPayload({ customerId: 8001, lines: [{ price: "3300", quantity: 2 }], processedAt: ago(90) });
  const third = orderPayload({ customerId: 8002, lines: [{ price: "12000" }], processedAt: ago(40) });
  const guest = orderPayload({ customerId: null, lines: [{ price: "2000" }], processedAt: ago(30) });
  const test = orderPayload({ customerId: 8002, test: true, lines: [{ price: "9000" }], processedAt: ago(20) });
  const cancelled = orderPayload({ customerId: 8002, lines: [{ price: "7000" }], processedAt: ago(10) });
  for (const order of [first, second, third, guest, test, cancelled]) book.pay(order);
  book.cancel(cancelled.id, ago(9));
  // ¥3,300 of the second order came back.
  const refund = refundPayload(second.id, [{ lineItemId: second.line_items[0].id, quantity: 1, subtotal: "3300" }]);
  refund.created_at = ago(80);
  book.refund(refund, ago(80));
  return { first, second, third, guest, test, cancelled, refund };
}

async function readHistory(months: unknown = 6) {
  const reading = await requestOrderHistory(prisma, SHOP, months, "staff:42");
  const operation = await prisma.bulkOperation.findUniqueOrThrow({ where: { id: reading.bulkOperationId! } });
  return { reading, operationId: operation.operationId! };
}

describe("order history from before the install", () => {
  let book: ShopifyOrderBook;
  let shopify: ReturnType<typeof bulkShopify>;
  let orders: ReturnType<typeof pastOrders>;

  beforeEach(async () => {
    await prisma.orderHistoryImport.deleteMany({});
    await prisma.bulkOperation.deleteMany({});
    await prisma.shop.deleteMany({ where: { domain: SHOP } });
    await installShop(SHOP);
    book = new ShopifyOrderBook();
    orders = pastOrders(book);
    shopify = bulkShopify((call) => book.respond(call) ?? happyAdmin(call));
    resetAdminApi(shopify.responder);
  });

  it("previews what awarding would do and keeps the orders for tiers and reports, earning nothing", async () => {
    const { reading, operationId } = await readHistory("6");
    expect(reading.status).toBe("reading");
    // The bulk query (validated against the 2026-07 schema by the interceptor) reads the 6 months before install.
    const query = String(adminApi.calls.find((c) => c.operation === "TsumikiRunBulkQuery")!.variables.query);
    expect(query).toContain(`processed_at:>='${reading.since.toISOString()}'`);
    expect(reading.until.getTime() - reading.since.getTime()).toBeGreaterThan(180 * DAY);

    shopify.complete(operationId, book.historyJsonl());
    expect((await deliver("bulk_operations/finish", finishPayload(operationId), { shop: SHOP })).status).toBe(200);
    await backgroundApplies();

    const previewed = await prisma.orderHistoryImport.findUniqueOrThrow({ where: { id: reading.id } });
    // Sales: three member orders and a guest's; the test and the cancelled order are not. Points at ¥100 = 1 point:
    // 54 + 66 + 120 (before the refund, as orders/paid would have awarded them).
    expect(previewed).toMatchObject({
      status: "previewed",
      orders: 4,
      memberOrders: 3,
      members: 2,
      points: 240,
      liabilityMinor: 240,
    });
    const rows = await prisma.order.findMany({ where: { shop: { domain: SHOP } }, orderBy: { placedAt: "asc" } });
    expect(rows.map((r) => [r.orderId, r.status, r.baseMinor, r.refundedMinor, r.pointsEarned])).toEqual([
      [String(orders.first.id), "history", 5400, 0, 0],
      [String(orders.second.id), "history", 6600, 3300, 0],
      [String(orders.third.id), "history", 12000, 0, 0],
      [String(orders.guest.id), "history", 2000, 0, 0],
    ]);
    expect(await memberState(8001, SHOP)).toMatchObject({ pointsAvailable: 0 });
    expect(await prisma.ledgerEntry.count({ where: { shop: { domain: SHOP } } })).toBe(0);

    // A spend tier counts the history from day one: 5,400 + 6,600 − 3,300 for 8001.
    const member = (await memberState(8001, SHOP))!;
    const spend = await qualifyingValues(
      prisma,
      [member.id],
      { ...defaultProgram("JPY"), tiers: { ...defaultProgram("JPY").tiers, basis: "spend" } },
      null,
    );
    expect(spend.get(member.id)).toBe(8700);
  });

  it("awarding is the merchant's choice: the orders/paid path and keys, refunds taken back, never twice", async () => {
    const { reading, operationId } = await readHistory(6);
    shopify.complete(operationId, book.historyJsonl());
    await deliver("bulk_operations/finish", finishPayload(operationId), { shop: SHOP });
    await backgroundApplies();

    const awarded = await awardOrderHistory(prisma, SHOP, reading.id, "staff:42");
    expect(awarded).toMatchObject({ status: "awarded", awardedOrders: 3, awardedBy: "staff:42" });
    // 54 + 66 − 33 (the refund) for 8001; 120 for 8002.
    expect(await memberState(8001, SHOP)).toMatchObject({ pointsAvailable: 87 });
    expect(await memberState(8002, SHOP)).toMatchObject({ pointsAvailable: 120 });
    expect(awarded.awardedPoints).toBe(207);
    const keys = (await prisma.ledgerEntry.findMany({ where: { shop: { domain: SHOP } } })).map(
      (e) => e.idempotencyKey,
    );
    expect(keys.sort()).toEqual(
      [
        `order:${orders.first.id}:earn`,
        `order:${orders.second.id}:earn`,
        `order:${orders.third.id}:earn`,
        `refund:${orders.refund.id}:reverse`,
      ].sort(),
    );
    // The orders/paid webhook for one of them (a late retry) and a second award change nothing.
    const late = await deliver("orders/paid", orders.first, { shop: SHOP });
    expect(((await late.json()) as { outcome: string }).outcome).toBe("duplicate");
    await expect(awardOrderHistory(prisma, SHOP, reading.id, "staff:42")).rejects.toThrow(HistoryRefused);
    expect(await memberState(8001, SHOP)).toMatchObject({ pointsAvailable: 87 });
    expect(await prisma.orderHistoryLine.count({ where: { importId: reading.id } })).toBe(0);
    expect(await prisma.auditLog.findFirst({ where: { action: "history.award" } })).toMatchObject({
      actor: "staff:42",
      subject: reading.id,
    });
    await expectBalancesMatchLedger();
  });

  it("a truncated result writes nothing and says why", async () => {
    const { reading, operationId } = await readHistory(6);
    const whole = book.historyJsonl();
    // Shopify counted every line; the file stops in the middle of one.
    shopify.complete(
      operationId,
      whole.slice(0, Math.floor(whole.length / 2)),
      whole.split("\n").filter(Boolean).length,
    );
    await deliver("bulk_operations/finish", finishPayload(operationId), { shop: SHOP });
    await backgroundApplies();
    await settleUnsuccessfulOrderOperations(prisma);
    expect(await prisma.orderHistoryImport.findUniqueOrThrow({ where: { id: reading.id } })).toMatchObject({
      status: "failed",
      error: expect.stringMatching(/^result:(incomplete|invalid_line)$/),
    });
    expect(await prisma.order.count({ where: { shop: { domain: SHOP } } })).toBe(0);
    expect(await prisma.orderHistoryLine.count()).toBe(0);
  });

  it("a reading that failed on Shopify's side is marked failed with Shopify's code, and another can start", async () => {
    const { reading, operationId } = await readHistory(6);
    shopify.fail(operationId, "FAILED", "ACCESS_DENIED");
    await deliver("bulk_operations/finish", finishPayload(operationId, "failed", "access_denied"), { shop: SHOP });
    await backgroundApplies();
    await settleUnsuccessfulOrderOperations(prisma);
    expect(await prisma.orderHistoryImport.findUniqueOrThrow({ where: { id: reading.id } })).toMatchObject({
      status: "failed",
      error: "shopify:ACCESS_DENIED",
    });
    expect(await prisma.order.count({ where: { shop: { domain: SHOP } } })).toBe(0);
    expect((await readHistory(3)).reading.status).toBe("reading");
  });

  it("refuses 0, 25 or a fraction of months, and a second reading while one runs; nothing is written", async () => {
    for (const months of [0, 25, "1.5", "abc", null]) {
      await expect(requestOrderHistory(prisma, SHOP, months, "staff:42")).rejects.toThrow(HistoryRefused);
    }
    expect(await prisma.orderHistoryImport.count()).toBe(0);
    expect(adminApi.calls).toHaveLength(0);
    await readHistory(6);
    await expect(requestOrderHistory(prisma, SHOP, 3, "staff:42")).rejects.toThrow(/already under way/);
    expect(await prisma.orderHistoryImport.count()).toBe(1);
  });

  it("the page reads, previews in the merchant's language and currency, and awards on request", async () => {
    type Page = Awaited<ReturnType<typeof historyRoute.loader>>;
    const post = async (body: unknown) =>
      (await callRoute(historyRoute, "action", adminRequest("POST", "/app/history", body, SHOP))) as Response;

    const refused = await post({ intent: "read", months: 30 });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({ error: "months must be a whole number from 1 to 24" });
    expect(await prisma.orderHistoryImport.count()).toBe(0);

    expect(await (await post({ intent: "read", months: "6" })).json()).toMatchObject({ ok: "reading" });
    const reading = await prisma.orderHistoryImport.findFirstOrThrow({ where: { shop: { domain: SHOP } } });
    const operation = await prisma.bulkOperation.findUniqueOrThrow({ where: { id: reading.bulkOperationId! } });
    shopify.complete(operation.operationId!, book.historyJsonl());
    await deliver("bulk_operations/finish", finishPayload(operation.operationId!), { shop: SHOP });
    await backgroundApplies();

    const page = (await callRoute(
      historyRoute,
      "loader",
      adminRequest("GET", "/app/history?locale=ja", undefined, SHOP),
    )) as Page;
    expect(page.readings[0]).toMatchObject({ status: "previewed", points: 240, members: 2, liability: "￥240" });

    expect(await (await post({ intent: "award", id: reading.id })).json()).toEqual({ ok: "awarding", id: reading.id });
    await historyAwards();
    expect(await memberState(8002, SHOP)).toMatchObject({ pointsAvailable: 120 });
    const again = await post({ intent: "award", id: reading.id });
    expect(again.status).toBe(400);
    expect(await memberState(8002, SHOP)).toMatchObject({ pointsAvailable: 120 });
  });
});
