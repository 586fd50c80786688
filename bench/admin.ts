/**
 * The merchant admin at scale: customer search through the real /app/customers route over 100,000 members
 * (p50/p99), and a 100,000-row balance CSV checked (dry run) and applied (rows per second). Prints one JSON line.
 */
import "./env";

const { database } = await import("../app/db.server");
const { installLocalShop, LOCAL_SHOP } = await import("../app/local/local.server");
const customersRoute = await import("../app/routes/app.customers._index");
const { applyImport, checkImport } = await import("../app/imports/imports.server");
const { adminRequest } = await import("../test/support/shopify");

const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 100_000);
const SEARCHES = Number(process.env.BENCH_SEARCHES ?? 300);
const { prisma } = database;

await database.migrate();
await installLocalShop(prisma);
const shop = await prisma.shop.findUniqueOrThrow({ where: { domain: LOCAL_SHOP } });
await prisma.$executeRaw`
  INSERT INTO "Member" (id, "shopId", "customerId", email, "firstName", "lastName", "pointsAvailable", "tierId",
                        "lastActivityAt", "createdAt", "updatedAt")
  SELECT 'bench-' || g, ${shop.id}, (7000000 + g)::text, 'shopper' || g || '@example.jp',
         (ARRAY['Hanako','Taro','Yui','Ren','Aoi','Sota','Mei','Haruto'])[1 + g % 8],
         (ARRAY['Yamada','Suzuki','Tanaka','Watanabe','Ito','Nakamura','Kobayashi','Kato','Yoshida','Yamamoto'])[1 + g % 10] || (g % 997),
         (g * 7919) % 20000, CASE WHEN g % 5 = 0 THEN 'gold' ELSE NULL END,
         now() - ((g % 400) || ' days')::interval, now() - ((g % 900) || ' days')::interval, now()
  FROM generate_series(1, ${MEMBERS}) AS g`;
await prisma.$executeRaw`ANALYZE "Member"`;

const queries = [
  "q=yamada12",
  "q=shopper4242",
  "q=hanako&sort=name&direction=asc",
  `q=${7000000 + 31337}`,
  "tier=gold&sort=balance",
  "min=1000&max=2000&sort=lastActivity",
  "active=30&sort=balance&direction=asc",
  "q=suzuki&tier=none&page=3",
  "sort=joined&page=50",
  "q=example.jp&min=19000",
];
// Warm-up (the first requests compile the route and verify the first session token): not measured.
for (const query of queries) {
  const request = adminRequest("GET", `/app/customers?${query}`, undefined, LOCAL_SHOP);
  await customersRoute.loader({ request, params: {}, context: {} } as never);
}
const latencies: number[] = [];
const byQuery = new Map<string, number[]>();
for (let i = 0; i < SEARCHES; i++) {
  const request = adminRequest("GET", `/app/customers?${queries[i % queries.length]}`, undefined, LOCAL_SHOP);
  const started = performance.now();
  const result = (await customersRoute.loader({ request, params: {}, context: {} } as never)) as { page?: unknown };
  if (!result.page) throw new Error(`search answered ${JSON.stringify(result)}`);
  latencies.push(performance.now() - started);
  const query = queries[i % queries.length];
  byQuery.set(query, [...(byQuery.get(query) ?? []), performance.now() - started]);
}
if (process.env.BENCH_VERBOSE) {
  for (const [query, times] of byQuery) console.error(query, Math.max(...times).toFixed(1), "ms max");
}
latencies.sort((a, b) => a - b);
const pick = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))];

const csv = `customer_id,points,note\n${Array.from({ length: MEMBERS }, (_, i) => `${7000001 + i},${(i % 50) * 10 + 10},Card ${i}`).join("\n")}\n`;
const bytes = new TextEncoder().encode(csv);
let started = performance.now();
const outcome = await checkImport(prisma, shop, "bench.csv", bytes, "staff:bench");
if (!("checked" in outcome)) throw new Error("the bench file's header was not recognised");
const checked = outcome.checked;
const checkSeconds = (performance.now() - started) / 1000;
if (checked.job.validRows !== MEMBERS) throw new Error(`only ${checked.job.validRows} valid rows`);
started = performance.now();
await applyImport(prisma, checked.job.id, "staff:bench");
const applySeconds = (performance.now() - started) / 1000;
const applied = await prisma.ledgerEntry.count({ where: { sourceType: "import" } });
if (applied !== MEMBERS) throw new Error(`applied ${applied} of ${MEMBERS}`);

console.log(
  JSON.stringify({
    members: MEMBERS,
    searchP50ms: pick(50),
    searchP99ms: pick(99),
    importRows: MEMBERS,
    importBytes: bytes.byteLength,
    checkRowsPerSecond: MEMBERS / checkSeconds,
    applyRowsPerSecond: MEMBERS / applySeconds,
  }),
);
await database.close();
