/**
 * The scheduled sweeps at scale: the expiry sweep over BENCH_LOTS lots (default 1,000,000) and the tier
 * evaluation over BENCH_MEMBERS members (default 100,000), each as rows per second beside the same
 * database's raw update rate for the same rows. Prints one JSON line.
 */
import "./env";
import { database } from "../app/db.server";
import { defaultProgram } from "../app/program/program";
import { installLocalShop, LOCAL_SHOP } from "../app/local/local.server";

const LOTS = Number(process.env.BENCH_LOTS ?? 1_000_000);
const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 100_000);
const LOTS_PER_MEMBER = Math.max(1, Math.floor(LOTS / MEMBERS));

await database.migrate();
await installLocalShop(database.prisma);
const prisma = database.prisma;
const { expireDueLots } = await import("../app/ledger/lot-schedule.server");
const { evaluateTiers } = await import("../app/program/tiers.server");
const shop = await prisma.shop.findUniqueOrThrow({ where: { domain: LOCAL_SHOP } });
const tiers = {
  levels: [
    { id: "silver", name: "Silver", threshold: 30_000, earnExtraPercent: 10, reachBonus: 0 },
    { id: "gold", name: "Gold", threshold: 100_000, earnExtraPercent: 25, reachBonus: 0 },
  ],
  basis: "spend",
  period: "lifetime",
  downgrade: "periodEnd",
  graceDays: 30,
};
await prisma.programVersion.create({
  data: { shopId: shop.id, version: 2, settings: { ...defaultProgram("JPY"), tiers } as never },
});

const seconds = async (work: () => Promise<unknown>) => {
  const started = performance.now();
  await work();
  return (performance.now() - started) / 1000;
};

// Seed with set-based SQL: members, an order each, and LOTS_PER_MEMBER expired lots each with its earn entry.
await prisma.$executeRawUnsafe(`
  INSERT INTO "Member" (id, "shopId", "customerId", "pointsAvailable", "updatedAt")
  SELECT 'm' || g, '${shop.id}', 'bench-' || g, ${10 * LOTS_PER_MEMBER}, now() FROM generate_series(1, ${MEMBERS}) g`);
await prisma.$executeRawUnsafe(`
  INSERT INTO "Order" (id, "shopId", "orderId", "memberId", status, "baseMinor", "pointsEarned", "placedAt", "updatedAt")
  SELECT 'o' || g, '${shop.id}', 'bench-' || g, 'm' || g, 'awarded', (g % 200) * 1000, 10, now(), now()
  FROM generate_series(1, ${MEMBERS}) g`);
await prisma.$executeRawUnsafe(`
  INSERT INTO "LedgerEntry" ("shopId", "memberId", kind, points, reason, "sourceType", "idempotencyKey", "occurredAt")
  SELECT '${shop.id}', 'm' || ((g - 1) / ${LOTS_PER_MEMBER} + 1), 'earn', 10, 'bench', 'order', 'bench:' || g, now() - interval '400 days'
  FROM generate_series(1, ${MEMBERS * LOTS_PER_MEMBER}) g`);
await prisma.$executeRawUnsafe(`
  INSERT INTO "Lot" (id, "shopId", "memberId", "earnEntryId", amount, remaining, "earnedAt", "availableAt", "activatedAt", "expiresAt")
  SELECT 'l' || e.id, e."shopId", e."memberId", e.id, 10, 10, e."occurredAt", e."occurredAt", e."occurredAt", now() - interval '1 day'
  FROM "LedgerEntry" e WHERE e."idempotencyKey" LIKE 'bench:%'`);
const lots = MEMBERS * LOTS_PER_MEMBER;

const rawLotSeconds = await seconds(() =>
  prisma.$executeRawUnsafe(`UPDATE "Lot" SET remaining = remaining WHERE "expiresAt" <= now()`),
);
const sweepSeconds = await seconds(() => expireDueLots(prisma));
const rawMemberSeconds = await seconds(() =>
  prisma.$executeRawUnsafe(`UPDATE "Member" SET "tierBelowSince" = NULL WHERE "shopId" = '${shop.id}'`),
);
const tierSeconds = await seconds(() => evaluateTiers(prisma));

console.log(
  JSON.stringify({
    lots,
    expiryPerSecond: lots / sweepSeconds,
    rawLotUpdatesPerSecond: lots / rawLotSeconds,
    members: MEMBERS,
    tierPerSecond: MEMBERS / tierSeconds,
    rawMemberUpdatesPerSecond: MEMBERS / rawMemberSeconds,
  }),
);
await database.close();
