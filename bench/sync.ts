/**
 * Customers synced per second from a 100,000-line bulk result (the whole path after Shopify finished: download, the
 * checking pass, the second pass and the batched upsert into members), beside the raw rate of inserting the same rows
 * with plain multi-row INSERTs. The result file is served in-process, made line by line as it is read. Prints one
 * JSON line; bench/run.ts runs it once per database.
 */
import "./env";

const { database } = await import("../app/db.server");
const { installLocalShop, LOCAL_SHOP } = await import("../app/local/local.server");
const { customerLine, jsonl } = await import("../test/support/bulk");

const LINES = Number(process.env.BENCH_SYNC_LINES ?? 100_000);
const RESULT_URL = "https://storage.googleapis.com/tsumiki-bench/customers.jsonl";
const line = (i: number) =>
  customerLine(8_000_000 + i, {
    firstName: `Hanako${i % 97}`,
    tags: i % 3 ? ["vip"] : [],
    updatedAt: "2026-11-01T00:00:00Z",
  });

// Shopify's storage, answered in-process: the file is generated as it is downloaded, never held whole.
const realFetch = globalThis.fetch;
globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
  const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
  if (url !== RESULT_URL) return realFetch(input, init);
  let i = 0;
  const encoder = new TextEncoder();
  return new Response(
    new ReadableStream<Uint8Array>({
      pull(controller) {
        if (i >= LINES) return controller.close();
        const chunk: string[] = [];
        for (let end = Math.min(LINES, i + 1000); i < end; i++) chunk.push(line(i));
        controller.enqueue(encoder.encode(jsonl(chunk)));
      },
    }),
  );
};

await database.migrate();
await installLocalShop(database.prisma);
// The sync loads the Shopify app object, whose session storage needs the migrated tables: after the migrations.
const { applyOperation } = await import("../app/sync/bulk-results.server");
const { CUSTOMERS_BULK_QUERY } = await import("../app/sync/customers.server");
const prisma = database.prisma;
const shop = await prisma.shop.findUniqueOrThrow({ where: { domain: LOCAL_SHOP } });

async function completedOperation(n: number) {
  return prisma.bulkOperation.create({
    data: {
      shopId: shop.id,
      operationId: `gid://shopify/BulkOperation/${n}`,
      kind: "customers",
      query: CUSTOMERS_BULK_QUERY,
      status: "COMPLETED",
      objectCount: LINES,
      url: RESULT_URL,
    },
  });
}

// New members: every line creates one.
let operation = await completedOperation(1);
let started = performance.now();
if ((await applyOperation(prisma, operation.id)) !== "applied") throw new Error("the sync was not applied");
const syncSeconds = (performance.now() - started) / 1000;
const members = await prisma.member.count({ where: { shopId: shop.id } });
if (members !== LINES) throw new Error(`${members} members for ${LINES} lines`);

// The same result again: every line finds its member (the update path of the upsert).
operation = await completedOperation(2);
started = performance.now();
await applyOperation(prisma, operation.id);
const resyncSeconds = (performance.now() - started) / 1000;

// Raw: the same rows into another shop with plain multi-row INSERTs of 1,000, nothing parsed, checked or merged.
const other = await prisma.shop.create({ data: { domain: "raw-bench.myshopify.com" } });
const rows = Array.from({ length: LINES }, (_, i) => {
  const record = JSON.parse(line(i)) as { firstName: string; lastName: string; tags: string[] };
  return { customerId: String(8_000_000 + i), email: `customer${8_000_000 + i}@example.jp`, ...record };
});
started = performance.now();
for (let i = 0; i < rows.length; i += 1000) {
  await prisma.$executeRaw`
    INSERT INTO "Member" (id, "shopId", "customerId", email, "firstName", "lastName", tags, "emailMarketingState",
                          "verifiedEmail", "customerState", "shopifyUpdatedAt", "updatedAt")
    SELECT gen_random_uuid()::text, ${other.id}, r."customerId", r.email, r."firstName", r."lastName",
           ARRAY(SELECT jsonb_array_elements_text(r.tags)), 'NOT_SUBSCRIBED', true, 'ENABLED', now(), now()
    FROM jsonb_to_recordset(${JSON.stringify(rows.slice(i, i + 1000))}::jsonb)
      AS r("customerId" text, email text, "firstName" text, "lastName" text, tags jsonb)`;
}
const rawSeconds = (performance.now() - started) / 1000;

console.log(
  JSON.stringify({
    lines: LINES,
    syncPerSecond: LINES / syncSeconds,
    resyncPerSecond: LINES / resyncSeconds,
    rawPerSecond: LINES / rawSeconds,
    ratio: rawSeconds / syncSeconds,
  }),
);
await database.close();
