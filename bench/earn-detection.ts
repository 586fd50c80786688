/**
 * What fraud detection costs the earn path: orders/paid throughput through the real route (HMAC check, parse,
 * settlement, detection, ledger write) in two shops with the same four weeks of history, one with detection on,
 * one with it switched off, against the database named by DATABASE_URL. Run in alternating rounds, so the tables'
 * growth weighs on both alike. Prints one JSON line; bench/run.ts runs it once per database. No assertion.
 */
import "./env";
import { database } from "../app/db.server";
import { saveFraudSettings } from "../app/fraud/settings.server";
import { DEFAULT_THRESHOLDS } from "../app/fraud/thresholds";
import { ensureShop } from "../app/shops/shops.server";
import { orderPayload } from "../test/support/payloads";
import { webhookRequest } from "../test/support/shopify";

const ORDERS = Number(process.env.BENCH_ORDERS ?? 2000);
const HISTORY = Number(process.env.BENCH_HISTORY_ORDERS ?? 3000);
const MEMBERS = 500;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 8);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const DAY = 86_400_000;
const ON = "bench-detection-on.myshopify.com";
const OFF = "bench-detection-off.myshopify.com";

await database.migrate();
const prisma = database.prisma;
const ordersPaid = await import("../app/routes/webhooks.orders.paid");

for (const domain of [ON, OFF]) {
  await prisma.session.upsert({
    where: { id: `offline_${domain}` },
    update: {},
    create: { id: `offline_${domain}`, shop: domain, state: "installed", isOnline: false, accessToken: "bench" },
  });
  const shop = await prisma.$transaction((tx) => ensureShop(tx, domain, "JPY", "Asia/Tokyo"));
  await prisma.$transaction((tx) =>
    saveFraudSettings(tx, shop.id, { enabled: domain === ON, thresholds: DEFAULT_THRESHOLDS }, "bench"),
  );
}

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

const send = async (request: Request) => {
  const response = await ordersPaid.action({ request, params: {}, context: {} } as never);
  if (response.status !== 200) throw new Error(`route answered ${response.status}`);
};

// Each shop's history: 3,000 orders from 500 members over the last four weeks, the same in both.
const now = Date.now();
for (const [s, domain] of [ON, OFF].entries()) {
  const history = Array.from({ length: HISTORY }, (_, i) =>
    webhookRequest(
      "orders/paid",
      orderPayload({
        id: 30_000_000 + s * 1_000_000 + i,
        customerId: 100 + (i % MEMBERS),
        total: String(2000 + ((i * 7919) % 8000)),
        processedAt: new Date(now - 27 * DAY + Math.floor((i / HISTORY) * 26 * DAY)).toISOString(),
      }),
      { shop: domain },
    ),
  );
  await pool(history, send);
}

// Today's orders, signed up front so signing is not measured.
const today = (s: number, domain: string) =>
  Array.from({ length: ORDERS }, (_, i) =>
    webhookRequest(
      "orders/paid",
      orderPayload({ id: 40_000_000 + s * 1_000_000 + i, customerId: 100 + (i % MEMBERS), total: String(1000 + i) }),
      { shop: domain },
    ),
  );
const on = today(0, ON);
const off = today(1, OFF);
const per = Math.ceil(ORDERS / ROUNDS);
let onSeconds = 0;
let offSeconds = 0;
for (let r = 0; r < ROUNDS; r++) {
  offSeconds += await pool(off.slice(r * per, (r + 1) * per), send);
  onSeconds += await pool(on.slice(r * per, (r + 1) * per), send);
}

const onShop = await prisma.shop.findUniqueOrThrow({ where: { domain: ON } });
const held = await prisma.reviewCase.count({ where: { shopId: onShop.id } });
const onPerSecond = ORDERS / onSeconds;
const offPerSecond = ORDERS / offSeconds;
console.log(
  JSON.stringify({
    orders: ORDERS,
    historyOrders: HISTORY,
    concurrency: CONCURRENCY,
    onPerSecond,
    offPerSecond,
    overheadPercent: (offPerSecond / onPerSecond - 1) * 100,
    cases: held,
  }),
);
await database.close();
process.exit(0);
