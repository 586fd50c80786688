import { beforeEach, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import * as syncRoute from "../../app/routes/app.sync";
import { advanceOperations } from "../../app/sync/bulk-operations.server";
import { applyCompletedOperations, backgroundApplies } from "../../app/sync/bulk-results.server";
import { startCustomerSync } from "../../app/sync/customers.server";
import { adminAnswers, adminApi, resetAdminApi } from "../support/admin-api";
import { bulkShopify, customerLine, finishPayload, jsonl } from "../support/bulk";
import { installShop, memberState, orderPayload } from "../support/fixtures";
import { expectBalancesMatchLedger } from "../support/invariants";
import { callRoute, deliver } from "../support/routes";
import { adminRequest } from "../support/shopify";

const SHOP = "customer-sync.myshopify.com";

type SyncPage = Awaited<ReturnType<typeof syncRoute.loader>>;
const syncPage = async (locale = "en") =>
  (await callRoute(
    syncRoute,
    "loader",
    adminRequest("GET", `/app/sync?locale=${locale}`, undefined, SHOP),
  )) as SyncPage;
const latest = async (kind: string, locale = "en") =>
  (await syncPage(locale)).kinds.find((k) => k.kind === kind)?.latest;
const members = () => prisma.member.count({ where: { shop: { domain: SHOP } } });

/** Starts a customer sync, lets Shopify finish it with `body`, and delivers the signed finish webhook. */
async function syncCustomers(shopify: ReturnType<typeof bulkShopify>, body: string, objectCount?: number) {
  expect((await startCustomerSync(prisma, SHOP)).outcome).toBe("started");
  const id = shopify.latest("customers");
  shopify.complete(id, body, objectCount);
  const response = await deliver("bulk_operations/finish", finishPayload(id), { shop: SHOP });
  expect(response.status).toBe(200);
  await backgroundApplies();
  return { id, response };
}

describe("members from every Shopify customer, through a bulk operation", () => {
  let shopify: ReturnType<typeof bulkShopify>;
  beforeEach(async () => {
    await prisma.bulkOperation.deleteMany({});
    await prisma.member.deleteMany({ where: { shop: { domain: SHOP } } });
    await installShop(SHOP);
    shopify = bulkShopify();
    resetAdminApi(shopify.responder);
  });

  it("a customers result becomes members with tags, consent, verified email and state; balances are untouched", async () => {
    await deliver("orders/paid", orderPayload({ customerId: 1001, total: "5400" }), { shop: SHOP });
    expect((await memberState(1001, SHOP))?.pointsAvailable).toBe(54);
    const body = jsonl([
      customerLine(1001, { firstName: "Hanako", lastName: "Sato", tags: ["VIP"], marketingState: "SUBSCRIBED" }),
      customerLine(1002, { firstName: "Taro", email: null, state: "DISABLED", verifiedEmail: false, locale: "en-US" }),
      customerLine(1003, { firstName: null, lastName: null, tags: ["wholesale", "kyoto"], state: "INVITED" }),
    ]);
    const { id, response } = await syncCustomers(shopify, body);
    expect(await response.json()).toEqual({
      outcome: "recorded",
      detail: "customers bulk operation COMPLETED, 3 objects",
    });
    // The bulk query itself was checked against the 2026-07 schema by the interceptor; the operation was read back.
    expect(adminApi.calls.map((call) => call.operation)).toEqual(["TsumikiRunBulkQuery", "TsumikiBulkOperation"]);

    expect(await memberState(1001, SHOP)).toMatchObject({
      firstName: "Hanako",
      lastName: "Sato",
      email: "customer1001@example.jp",
      tags: ["VIP"],
      emailMarketingState: "SUBSCRIBED",
      verifiedEmail: true,
      customerState: "ENABLED",
      // The customer's language in Shopify: the language of their messages.
      locale: "ja",
      pointsAvailable: 54,
    });
    expect(await memberState(1002, SHOP)).toMatchObject({
      firstName: "Taro",
      email: null,
      emailMarketingState: null,
      verifiedEmail: false,
      customerState: "DISABLED",
      pointsAvailable: 0,
    });
    expect(await memberState(1003, SHOP)).toMatchObject({ firstName: null, tags: ["wholesale", "kyoto"] });
    expect(await prisma.bulkOperation.findUnique({ where: { operationId: id } })).toMatchObject({
      kind: "customers",
      status: "COMPLETED",
      objectCount: 3,
      processed: 3,
      error: null,
    });
    expect(await latest("customers")).toMatchObject({ phase: "synced", processed: 3, error: null });
    await expectBalancesMatchLedger();
  });

  it("the same result applied again (a redelivered webhook, the job after a restart) changes nothing", async () => {
    const body = jsonl([customerLine(2001), customerLine(2002)]);
    const { id } = await syncCustomers(shopify, body);
    const before = await prisma.member.findMany({ where: { shop: { domain: SHOP } }, orderBy: { customerId: "asc" } });
    const again = await deliver("bulk_operations/finish", finishPayload(id), { shop: SHOP });
    expect(again.status).toBe(200);
    await backgroundApplies();
    expect(await applyCompletedOperations(prisma)).toEqual({ applied: 0, refused: 0 });
    const after = await prisma.member.findMany({ where: { shop: { domain: SHOP } }, orderBy: { customerId: "asc" } });
    expect(after.map(({ updatedAt: _u, ...member }) => member)).toEqual(
      before.map(({ updatedAt: _u, ...member }) => member),
    );
  });

  it("a truncated result writes nothing, and the sync page says so in the merchant's language", async () => {
    const lines = [customerLine(3001), customerLine(3002), customerLine(3003), customerLine(3004), customerLine(3005)];
    // Cut in the middle of the last line.
    const cut = jsonl(lines).slice(0, -40);
    await syncCustomers(shopify, cut, 5);
    expect(await members()).toBe(0);
    expect(await latest("customers")).toMatchObject({
      phase: "refused",
      error: "Line 5 of the result file from Shopify is cut off or is not valid JSON. Nothing was written.",
      processedAt: null,
    });
    expect((await latest("customers", "ja"))?.error).toBe(
      "Shopifyの結果ファイルの5行目が途中で切れているか、正しいJSONではありません。何も書き込んでいません。",
    );

    // Cut at a line break: every line is whole, but Shopify counted five objects.
    await prisma.bulkOperation.deleteMany({});
    await syncCustomers(shopify, jsonl(lines.slice(0, 3)), 5);
    expect(await members()).toBe(0);
    expect((await latest("customers"))?.error).toBe(
      "The result file from Shopify is incomplete: 3 of 5 lines. Nothing was written.",
    );
  });

  it("an operation that failed on Shopify's side writes nothing, and the page shows Shopify's error code", async () => {
    expect((await startCustomerSync(prisma, SHOP)).outcome).toBe("started");
    const id = shopify.latest("customers");
    shopify.fail(id, "FAILED", "ACCESS_DENIED");
    const response = await deliver("bulk_operations/finish", finishPayload(id, "failed", "access_denied"), {
      shop: SHOP,
    });
    expect(await response.json()).toEqual({
      outcome: "recorded",
      detail: "customers bulk operation FAILED (ACCESS_DENIED), 0 objects",
    });
    await backgroundApplies();
    expect(await members()).toBe(0);
    expect(await latest("customers")).toMatchObject({
      phase: "failed",
      errorCode: "ACCESS_DENIED",
      error:
        "The bulk operation ended on Shopify's side with status FAILED (error code ACCESS_DENIED). Nothing was written; sync again.",
    });
    // A failed sync does not block the next one.
    expect((await startCustomerSync(prisma, SHOP)).outcome).toBe("started");
  });

  it("a redacted member never gets personal data back from a sync", async () => {
    await deliver("customers/create", { id: 4001, email: "gone@example.jp", first_name: "Gone" }, { shop: SHOP });
    await deliver(
      "customers/redact",
      { shop_domain: SHOP, customer: { id: 4001 }, orders_to_redact: [] },
      { shop: SHOP },
    );
    // A member marked redacted whose customer id is still Shopify's (e.g. redacted by staff before detaching).
    await prisma.member.create({
      data: { shop: { connect: { domain: SHOP } }, customerId: "4002", redactedAt: new Date() },
    });
    await syncCustomers(shopify, jsonl([customerLine(4001, { tags: ["x"] }), customerLine(4002, { tags: ["y"] })]));
    const redacted = await prisma.member.findMany({ where: { shop: { domain: SHOP }, redactedAt: { not: null } } });
    expect(redacted).toHaveLength(2);
    for (const member of redacted) {
      expect(member).toMatchObject({
        email: null,
        firstName: null,
        lastName: null,
        tags: [],
        emailMarketingState: null,
      });
    }
  });

  it("one customer sync at a time; when Shopify runs as many bulk operations as it allows, the sync waits its turn", async () => {
    expect((await startCustomerSync(prisma, SHOP)).outcome).toBe("started");
    expect((await startCustomerSync(prisma, SHOP)).outcome).toBe("busy");
    expect(adminApi.calls.filter((call) => call.operation === "TsumikiRunBulkQuery")).toHaveLength(1);
    expect(await prisma.bulkOperation.count()).toBe(1);

    await prisma.bulkOperation.deleteMany({});
    resetAdminApi((call) =>
      call.operation === "TsumikiRunBulkQuery"
        ? adminAnswers.bulkOperationRunQueryRefused(
            "OPERATION_IN_PROGRESS",
            "A bulk query operation for this app and shop is already in progress",
          )
        : shopify.responder(call),
    );
    const queued = await startCustomerSync(prisma, SHOP);
    expect(queued.outcome).toBe("queued");
    expect(await latest("customers")).toMatchObject({ phase: "queued", status: "QUEUED" });
    // Shopify's other operation ended: the scheduled job starts the queued one, then finds it completed.
    resetAdminApi(shopify.responder);
    expect(await advanceOperations(prisma)).toMatchObject({ submitted: 1 });
    shopify.complete(shopify.latest("customers"), jsonl([customerLine(5001)]));
    expect(await advanceOperations(prisma)).toMatchObject({ refreshed: 1 });
    // No finish webhook came (lost, or local mode): the job applies the result all the same.
    expect(await applyCompletedOperations(prisma)).toEqual({ applied: 1, refused: 0 });
    expect(await memberState(5001, SHOP)).toMatchObject({ email: "customer5001@example.jp" });
  });

  it("the sync page starts a sync on the merchant's request and says when one is already running", async () => {
    const post = async () =>
      (await callRoute(
        syncRoute,
        "action",
        adminRequest("POST", "/app/sync?locale=en", { kind: "customers" }, SHOP),
      )) as Response;
    expect(await (await post()).json()).toMatchObject({ outcome: "started", tone: "success" });
    expect(await (await post()).json()).toMatchObject({
      outcome: "busy",
      text: "A sync of this kind is already under way.",
    });
    expect(await latest("customers")).toMatchObject({ phase: "running", requestedBy: "staff:42" });
    const bad = (await callRoute(
      syncRoute,
      "action",
      adminRequest("POST", "/app/sync", { kind: "x" }, SHOP),
    )) as Response;
    expect(bad.status).toBe(400);
  });

  it("a 100,000-line result streams into 100,000 members", async () => {
    const total = Number(process.env.SYNC_TEST_LINES ?? 100_000);
    // Made line by line as the app reads it: neither side holds the file.
    const stream = () => {
      let i = 0;
      const encoder = new TextEncoder();
      return new ReadableStream<Uint8Array>({
        pull(controller) {
          if (i >= total) return controller.close();
          const chunk: string[] = [];
          for (let end = Math.min(total, i + 500); i < end; i++)
            chunk.push(customerLine(600000 + i, { tags: ["bulk"] }));
          controller.enqueue(encoder.encode(jsonl(chunk)));
        },
      });
    };
    const started = performance.now();
    await syncCustomers(shopify, stream as never, total);
    expect(await members()).toBe(total);
    expect(await latest("customers")).toMatchObject({ phase: "synced", processed: total });
    console.log(`synced ${total} customers in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }, 180_000);
});
