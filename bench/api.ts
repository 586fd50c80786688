/**
 * What the public API's balance read costs: GET /api/v1/members/{id} through the real route module (key lookup,
 * rate limit, member read, JSON) by 50 keys at once, each its own caller, against the database named by DATABASE_URL.
 * Prints one JSON line (reads per second, p50 and p99 latency); bench/run.ts runs it once per database. No assertion.
 */
import "./env";
import { createApiKey } from "../app/api/keys.server";
import { database } from "../app/db.server";
import { ensureShop } from "../app/shops/shops.server";

const READS = Number(process.env.BENCH_API_READS ?? 5000);
const KEYS = Number(process.env.BENCH_API_KEYS ?? 50);
const MEMBERS = 1000;
const DOMAIN = "bench-api.myshopify.com";

await database.migrate();
const prisma = database.prisma;
const memberRoute = await import("../app/routes/api.v1.members.$id._index");

const shop = await prisma.$transaction((tx) => ensureShop(tx, DOMAIN, "JPY", "Asia/Tokyo"));
await prisma.member.createMany({
  data: Array.from({ length: MEMBERS }, (_, i) => ({
    shopId: shop.id,
    customerId: String(900_000 + i),
    pointsAvailable: (i * 37) % 5000,
  })),
  skipDuplicates: true,
});
const members = (await prisma.member.findMany({ where: { shopId: shop.id }, select: { id: true } })).map((m) => m.id);
// Limits far above what the run sends: the bench measures reads, not refusals.
const keys = await Promise.all(
  Array.from({ length: KEYS }, (_, i) =>
    prisma.$transaction(
      async (tx) =>
        (
          await createApiKey(tx, shop.id, {
            name: `bench ${i}`,
            scopes: ["read"],
            rateLimitPerMinute: 1_000_000,
            createdBy: "bench",
          })
        ).key,
    ),
  ),
);

const read = async (key: string, memberId: string) => {
  const request = new Request(`https://bench.test/api/v1/members/${memberId}`, {
    headers: { Authorization: `Bearer ${key}` },
  });
  const response = await memberRoute.loader({ request, params: { id: memberId }, context: {} } as never);
  if (response.status !== 200) throw new Error(`route answered ${response.status}`);
  await response.json();
};

// Warm up: each key's first use records its last use (a write), as the first read of a real client would.
await Promise.all(keys.map((key, i) => read(key, members[i % members.length])));

const latencies: number[] = [];
let next = 0;
const started = performance.now();
await Promise.all(
  keys.map(async (key) => {
    while (next < READS) {
      const i = next++;
      const at = performance.now();
      await read(key, members[(i * 7919) % members.length]);
      latencies.push(performance.now() - at);
    }
  }),
);
const seconds = (performance.now() - started) / 1000;
latencies.sort((a, b) => a - b);
const percentile = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))];

console.log(
  JSON.stringify({
    reads: READS,
    keys: KEYS,
    perSecond: READS / seconds,
    p50ms: percentile(50),
    p99ms: percentile(99),
  }),
);
await database.close();
process.exit(0);
