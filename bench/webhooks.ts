/**
 * orders/paid throughput through the real route (HMAC check, parse, validation, ledger write) against the
 * database named by DATABASE_URL, beside the raw rate of inserting the same rows with plain SQL.
 * Prints one JSON line; bench/run.ts runs it once per database.
 */
import "./env";
import { randomUUID } from "node:crypto";
import { database } from "../app/db.server";
import { installLocalShop, LOCAL_SHOP } from "../app/local/local.server";
import { orderPayload } from "../test/support/payloads";
import { webhookRequest } from "../test/support/shopify";

const ORDERS = Number(process.env.BENCH_ORDERS ?? 2000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);

async function pool<T>(items: T[], work: (item: T) => Promise<void>): Promise<number> {
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
  return (performance.now() - started) / 1000;
}

await database.migrate();
await installLocalShop(database.prisma);
// The routes load after the migrations, as in the server.
const ordersPaid = await import("../app/routes/webhooks.orders.paid");
const prisma = database.prisma;
const shop = await prisma.shop.findUniqueOrThrow({ where: { domain: LOCAL_SHOP } });

// Through the route: signed requests built up front so signing is not measured.
const requests = Array.from({ length: ORDERS + 100 }, (_, i) =>
  webhookRequest(
    "orders/paid",
    orderPayload({ id: 10_000_000 + i, customerId: 100 + (i % 500), total: String(1000 + i) }),
    { shop: LOCAL_SHOP },
  ),
);
for (const request of requests.slice(0, 100)) await ordersPaid.action({ request, params: {}, context: {} } as never);
const routeSeconds = await pool(requests.slice(100), async (request) => {
  const response = await ordersPaid.action({ request, params: {}, context: {} } as never);
  if (response.status !== 200) throw new Error(`route answered ${response.status}`);
});

// Raw: the same rows (delivery, order, member upsert, ledger entry, lot, balance update) in one
// transaction per order, with nothing else.
const rawSeconds = await pool(
  Array.from({ length: ORDERS }, (_, i) => i),
  async (i) => {
    const orderId = String(20_000_000 + i);
    const customerId = String(100 + (i % 500));
    await prisma.$transaction(async (tx) => {
      await tx.$executeRaw`INSERT INTO "Delivery" (id, "shopDomain", topic, "webhookId", "eventId", outcome) VALUES (${randomUUID()}, ${LOCAL_SHOP}, 'orders/paid', ${randomUUID()}, ${randomUUID()}, 'applied')`;
      await tx.$executeRaw`INSERT INTO "Order" (id, "shopId", "orderId", status, "baseMinor", "pointsEarned", "updatedAt") VALUES (${randomUUID()}, ${shop.id}, ${orderId}, 'awarded', 1000, 10, now())`;
      await tx.$executeRaw`INSERT INTO "Member" (id, "shopId", "customerId", "updatedAt") VALUES (${randomUUID()}, ${shop.id}, ${`raw-${customerId}`}, now()) ON CONFLICT ("shopId", "customerId") DO NOTHING`;
      const [member] = await tx.$queryRaw<
        Array<{ id: string }>
      >`SELECT id FROM "Member" WHERE "shopId" = ${shop.id} AND "customerId" = ${`raw-${customerId}`} FOR UPDATE`;
      const [entry] = await tx.$queryRaw<
        Array<{ id: bigint }>
      >`INSERT INTO "LedgerEntry" ("shopId", "memberId", kind, points, reason, "sourceType", "orderId", "idempotencyKey", "occurredAt") VALUES (${shop.id}, ${member.id}, 'earn', 10, 'raw', 'order', ${orderId}, ${`raw:${orderId}`}, now()) RETURNING id`;
      await tx.$executeRaw`INSERT INTO "Lot" (id, "shopId", "memberId", "earnEntryId", amount, remaining, "earnedAt", "availableAt", "activatedAt") VALUES (${randomUUID()}, ${shop.id}, ${member.id}, ${entry.id}, 10, 10, now(), now(), now())`;
      await tx.$executeRaw`UPDATE "Member" SET "pointsAvailable" = "pointsAvailable" + 10 WHERE id = ${member.id}`;
    });
  },
);

const routeRate = ORDERS / routeSeconds;
const rawRate = ORDERS / rawSeconds;
console.log(
  JSON.stringify({
    orders: ORDERS,
    concurrency: CONCURRENCY,
    routePerSecond: routeRate,
    rawPerSecond: rawRate,
    ratio: routeRate / rawRate,
  }),
);
await database.close();
