/**
 * A migration from another loyalty app at scale: 100,000 synced customers who never ordered, and a 100,000-row
 * export (Smile.io-style columns, a third of the rows with expiry lots, some with a tier or history lines) uploaded
 * through the real /app/import route (streamed into the dry run), then applied. Rows per second for the dry run,
 * the apply and the two together, and the process's peak resident memory. Prints one JSON line.
 */
import "./env";

const { database } = await import("../app/db.server");
const { installLocalShop, LOCAL_SHOP } = await import("../app/local/local.server");
const importRoute = await import("../app/routes/app.import");
const { applyImport } = await import("../app/imports/imports.server");
const { defaultProgram } = await import("../app/program/program");
const { addDays, localDate } = await import("../app/shared/calendar");
const { adminUpload } = await import("../test/support/shopify");

const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 100_000);
const { prisma } = database;

await database.migrate();
await installLocalShop(prisma);
const shop = await prisma.shop.findUniqueOrThrow({ where: { domain: LOCAL_SHOP } });
const version = await prisma.programVersion.findFirst({ where: { shopId: shop.id }, orderBy: { version: "desc" } });
await prisma.programVersion.create({
  data: {
    shopId: shop.id,
    version: (version?.version ?? 0) + 1,
    settings: {
      ...defaultProgram(shop.currency),
      expiryDays: 365,
      tiers: {
        levels: [
          { id: "silver", name: "Silver", threshold: 10_000, earnExtraPercent: 0, reachBonus: 0 },
          { id: "gold", name: "Gold", threshold: 50_000, earnExtraPercent: 10, reachBonus: 0 },
        ],
        basis: "spend",
        period: "rolling12",
        downgrade: "never",
        graceDays: 30,
      },
    } as never,
  },
});
await prisma.$executeRaw`
  INSERT INTO "Member" (id, "shopId", "customerId", email, "firstName", "lastName", "createdAt", "updatedAt")
  SELECT 'synced-' || g, ${shop.id}, (8000000 + g)::text, 'shopper' || g || '@example.jp', 'Hanako', 'Yamada' || g,
         now(), now()
  FROM generate_series(1, ${ROWS}) AS g`;
await prisma.$executeRaw`ANALYZE "Member"`;

const today = localDate(new Date(), shop.timezone);
const [soon, later] = [addDays(today, 30), addDays(today, 200)];
const lines = ["customer_id,email,points_balance,expiry_lots,vip_tier,history"];
for (let g = 1; g <= ROWS; g++) {
  const points = (g % 50) * 10 + 100;
  lines.push(
    [
      g % 2 ? String(8000000 + g) : "",
      g % 2 ? "" : `shopper${g}@example.jp`,
      points,
      g % 3 === 0 ? `${Math.floor(points / 2)}@${soon};${Math.floor(points / 4)}@${later}` : "",
      g % 10 === 0 ? "Gold" : "",
      g % 5 === 0 ? "2024-05-01 +150 Order #1001; 2024-06-10 -30 Reward" : "",
    ].join(","),
  );
}
const csv = `${lines.join("\n")}\n`;

const rssBefore = process.resourceUsage().maxRSS;

const form = new FormData();
form.append("file", new Blob([csv], { type: "text/csv" }), "smile-export.csv");
let started = performance.now();
const response = (await importRoute.action({
  request: adminUpload("/app/import", form, LOCAL_SHOP),
  params: {},
  context: {},
} as never)) as Response;
const checked = (await response.json()) as { job?: string; validRows?: number; error?: string };
const checkSeconds = (performance.now() - started) / 1000;
if (checked.validRows !== ROWS) throw new Error(`dry run answered ${JSON.stringify(checked).slice(0, 500)}`);
started = performance.now();
await applyImport(prisma, checked.job!, "staff:bench");
const applySeconds = (performance.now() - started) / 1000;
const credited = await prisma.ledgerEntry.aggregate({
  where: { sourceType: "import", sourceId: checked.job!, points: { gt: 0 } },
  _sum: { points: true },
});
const expected = lines.slice(1).reduce((sum, line) => sum + Number(line.split(",")[2]), 0);
if (credited._sum.points !== expected) throw new Error(`credited ${credited._sum.points} of ${expected} points`);

console.log(
  JSON.stringify({
    rows: ROWS,
    bytes: Buffer.byteLength(csv),
    checkRowsPerSecond: ROWS / checkSeconds,
    applyRowsPerSecond: ROWS / applySeconds,
    rowsPerSecond: ROWS / (checkSeconds + applySeconds),
    // The process's peak resident memory, before the upload and at the end (with PGlite, the embedded database's
    // own memory is in it too): a file held whole, or every row, would show here.
    maxRssBeforeMB: rssBefore / 1024,
    maxRssMB: process.resourceUsage().maxRSS / 1024,
  }),
);
await database.close();
