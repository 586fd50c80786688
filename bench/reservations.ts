/**
 * The checkout reservation endpoint: POST /checkout/points with signed session tokens through the real
 * route, distinct shoppers, 8 at a time. Shopify's Admin API answers instantly (its own latency is not
 * ours to measure). Prints one JSON line.
 */
import "./env";
import { installAdminApiInterceptor, happyAdmin, resetAdminApi } from "../test/support/admin-api";

installAdminApiInterceptor({ validate: false });
resetAdminApi(happyAdmin);

const { database } = await import("../app/db.server");
const { installLocalShop, LOCAL_SHOP } = await import("../app/local/local.server");
const checkoutPoints = await import("../app/routes/checkout.points");
const ordersPaid = await import("../app/routes/webhooks.orders.paid");
const { orderPayload } = await import("../test/support/payloads");
const { checkoutRequest, sessionToken, webhookRequest } = await import("../test/support/shopify");

const REQUESTS = Number(process.env.BENCH_RESERVATIONS ?? 1000);
const SHOPPERS = 200;
const CONCURRENCY = 8;

await database.migrate();
await installLocalShop(database.prisma);
for (let i = 0; i < SHOPPERS; i++) {
  const request = webhookRequest(
    "orders/paid",
    orderPayload({ id: 30_000_000 + i, customerId: 50_000 + i, total: "500000" }),
    { shop: LOCAL_SHOP },
  );
  await ordersPaid.action({ request, params: {}, context: {} } as never);
}

const requests = Array.from({ length: REQUESTS }, (_, i) => {
  const token = sessionToken({ shop: LOCAL_SHOP, customerId: String(50_000 + (i % SHOPPERS)) });
  return checkoutRequest("POST", "checkout/points", token, { points: 100 * ((i % 20) + 1), subtotalMinor: 1_000_000 });
});
const latencies: number[] = [];
let next = 0;
const started = performance.now();
await Promise.all(
  Array.from({ length: CONCURRENCY }, async () => {
    while (next < requests.length) {
      const request = requests[next++];
      const t = performance.now();
      const response = await checkoutPoints.action({ request, params: {}, context: {} } as never);
      if (response.status !== 200) throw new Error(`reservation answered ${response.status}: ${await response.text()}`);
      latencies.push(performance.now() - t);
    }
  }),
);
const seconds = (performance.now() - started) / 1000;
latencies.sort((a, b) => a - b);
const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
console.log(JSON.stringify({ requests: REQUESTS, perSecond: REQUESTS / seconds, p50ms: at(0.5), p99ms: at(0.99) }));
await database.close();
