/**
 * Reconciliation throughput: 10,000 orders Shopify reports paid (a fifth of them refunded) whose webhooks never
 * arrived, recovered through the real reconciliation (Admin API paging, each missing order read in full, applied
 * through the webhook path), then the same window checked again with nothing missing; beside the raw rate of
 * inserting the same rows with plain SQL. The Admin API is answered in-process (test/support/shopify-orders.ts).
 * Prints one JSON line; bench/run.ts runs it once per database.
 */
import "./env";
import { randomUUID } from "node:crypto";
import { installAdminApiInterceptor, resetAdminApi } from "../test/support/admin-api";
import { orderPayload, refundPayload } from "../test/support/payloads";
import { ShopifyOrderBook } from "../test/support/shopify-orders";

installAdminApiInterceptor({ validate: false });
const { database } = await import("../app/db.server");
const { installLocalShop, LOCAL_SHOP } = await import("../app/local/local.server");
const { reconcileWindow } = await import("../app/sync/reconciliation.server");

const ORDERS = Number(process.env.BENCH_RECONCILE_ORDERS ?? 10_000);

await database.migrate();
await installLocalShop(database.prisma);
const prisma = database.prisma;
const installedAt = new Date(Date.now() - 2 * 86_400_000);
const shop = await prisma.shop.update({ where: { domain: LOCAL_SHOP }, data: { installedAt } });

const book = new ShopifyOrderBook();
const start = Date.now() - 86_400_000;
for (let i = 0; i < ORDERS; i++) {
  const at = new Date(start + i * 5_000).toISOString();
  const order = orderPayload({
    id: 30_000_000 + i,
    customerId: 100 + (i % 2000),
    lines: [{ price: String(1000 + (i % 50) * 100), quantity: 1 + (i % 3) }],
    processedAt: at,
  });
  book.pay(order, at);
  if (i % 5 === 0) {
    const refund = refundPayload(order.id, [{ lineItemId: order.line_items[0].id, quantity: 1, subtotal: "1000" }]);
    refund.created_at = at;
    book.refund(refund, at);
  }
}
resetAdminApi(book.respond);

const window = { since: installedAt, until: new Date() };
let started = performance.now();
const recovered = await reconcileWindow(prisma, shop, { mode: "window", ...window });
const recoverSeconds = (performance.now() - started) / 1000;
started = performance.now();
const checked = await reconcileWindow(prisma, shop, { mode: "window", ...window });
const checkSeconds = (performance.now() - started) / 1000;
if (recovered.ordersChecked !== ORDERS || checked.eventsRecovered !== 0) {
  throw new Error(`unexpected reconciliation: ${JSON.stringify({ recovered, checked })}`);
}

// Raw: the rows a recovered payment writes (order, member upsert, ledger entry, lot, balance, recovered event),
// one transaction per order, with nothing else.
started = performance.now();
for (let i = 0; i < ORDERS; i++) {
  const orderId = String(40_000_000 + i);
  const customerId = `raw-${100 + (i % 2000)}`;
  await prisma.$transaction(async (tx) => {
    await tx.$executeRaw`INSERT INTO "Order" (id, "shopId", "orderId", status, "baseMinor", "pointsEarned", "updatedAt") VALUES (${randomUUID()}, ${shop.id}, ${orderId}, 'awarded', 1000, 10, now())`;
    await tx.$executeRaw`INSERT INTO "Member" (id, "shopId", "customerId", "updatedAt") VALUES (${randomUUID()}, ${shop.id}, ${customerId}, now()) ON CONFLICT ("shopId", "customerId") DO NOTHING`;
    const [member] = await tx.$queryRaw<
      Array<{ id: string }>
    >`SELECT id FROM "Member" WHERE "shopId" = ${shop.id} AND "customerId" = ${customerId} FOR UPDATE`;
    const [entry] = await tx.$queryRaw<
      Array<{ id: bigint }>
    >`INSERT INTO "LedgerEntry" ("shopId", "memberId", kind, points, reason, "sourceType", "orderId", "idempotencyKey", "occurredAt") VALUES (${shop.id}, ${member.id}, 'earn', 10, 'raw', 'order', ${orderId}, ${`raw:${orderId}`}, now()) RETURNING id`;
    await tx.$executeRaw`INSERT INTO "Lot" (id, "shopId", "memberId", "earnEntryId", amount, remaining, "earnedAt", "availableAt", "activatedAt") VALUES (${randomUUID()}, ${shop.id}, ${member.id}, ${entry.id}, 10, 10, now(), now(), now())`;
    await tx.$executeRaw`UPDATE "Member" SET "pointsAvailable" = "pointsAvailable" + 10 WHERE id = ${member.id}`;
    await tx.$executeRaw`INSERT INTO "RecoveredEvent" (id, "shopId", "orderId", topic, "eventKey", outcome) VALUES (${randomUUID()}, ${shop.id}, ${orderId}, 'orders/paid', ${`raw:${orderId}`}, 'applied')`;
  });
}
const rawSeconds = (performance.now() - started) / 1000;

console.log(
  JSON.stringify({
    orders: ORDERS,
    eventsRecovered: recovered.eventsRecovered,
    recoveredOrdersPerSecond: ORDERS / recoverSeconds,
    checkedOrdersPerSecond: ORDERS / checkSeconds,
    rawOrdersPerSecond: ORDERS / rawSeconds,
  }),
);
await database.close();
