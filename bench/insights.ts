/**
 * The nightly insight fit at scale: BENCH_MEMBERS members (default 100,000) with plausible order histories (most
 * buy once, some every week or two for months, some stopped long ago), then one whole fitShop timed: reading the
 * orders, fitting BG/NBD and Gamma-Gamma, writing every member's MemberInsight row. Prints one JSON line.
 */
import "./env";

const { database } = await import("../app/db.server");
const { installLocalShop, LOCAL_SHOP } = await import("../app/local/local.server");
const { fitShop } = await import("../app/insights/shop-insights.server");

const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 100_000);
const { prisma } = database;

await database.migrate();
await installLocalShop(prisma);
const shop = await prisma.shop.findUniqueOrThrow({ where: { domain: LOCAL_SHOP } });
await prisma.$executeRaw`
  INSERT INTO "Member" (id, "shopId", "customerId", "updatedAt")
  SELECT 'bench-' || g, ${shop.id}, (7000000 + g)::text, now() FROM generate_series(1, ${MEMBERS}) AS g`;
// Orders per member by a hash of its number: 40 % one, 25 % two, 15 % three, 10 % five, 10 % nine; the first up to
// two years ago, then every 7–66 days (each member's own pace), none in the future.
await prisma.$executeRaw`
  INSERT INTO "Order" (id, "shopId", "orderId", "memberId", status, "baseMinor", "placedAt", "updatedAt")
  SELECT 'bench-' || g || '-' || i, ${shop.id}, 'bench-' || g || '-' || i, 'bench-' || g,
         (CASE WHEN g % 10 = 0 THEN 'history' ELSE 'awarded' END)::"OrderStatus",
         1500 + ((g * 31 + i * 17) % 20) * 500,
         now() - ((g * 37 % 730) || ' days')::interval + (((i - 1) * (7 + g % 60)) || ' days')::interval, now()
  FROM generate_series(1, ${MEMBERS}) AS g,
       LATERAL generate_series(1, CASE WHEN g * 7919 % 100 < 40 THEN 1 WHEN g * 7919 % 100 < 65 THEN 2
                                       WHEN g * 7919 % 100 < 80 THEN 3 WHEN g * 7919 % 100 < 90 THEN 5 ELSE 9 END) AS i
  WHERE (g * 37 % 730) >= (i - 1) * (7 + g % 60)`;
await prisma.$executeRaw`ANALYZE "Order"`;
const orders = await prisma.order.count({ where: { shopId: shop.id } });

const started = performance.now();
const outcome = await fitShop(prisma, shop);
const totalSeconds = (performance.now() - started) / 1000;

console.log(
  JSON.stringify({
    members: MEMBERS,
    orders,
    fitted: outcome.members,
    repeatCustomers: outcome.repeatCustomers,
    status: outcome.status,
    readSeconds: outcome.readMs / 1000,
    fitSeconds: outcome.fitMs / 1000,
    writeSeconds: outcome.writeMs / 1000,
    totalSeconds,
  }),
);
await database.close();
