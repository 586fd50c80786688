import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "../../app/db.server";
import prisma from "../../app/db.server";
import { RETRY_AFTER_SECONDS } from "../../app/db/unavailable.server";
import { unreachableDeliveries } from "../../app/webhooks/failures.server";
import { adminApi, happyAdmin, resetAdminApi } from "../support/admin-api";
import { installShop, memberState, orderPayload } from "../support/fixtures";
import { losableDatabase, type LosableDatabase } from "../support/outage";
import { callAction, checkout, deliver, webhookRoutes } from "../support/routes";
import { sessionToken, SHOP, webhookRequest } from "../support/shopify";

async function expectUnavailable(response: Response) {
  expect(response.status).toBe(503);
  expect(response.headers.get("Retry-After")).toBe(String(RETRY_AFTER_SECONDS));
  expect(await response.json()).toEqual({
    error: expect.stringContaining("temporarily unavailable"),
    code: "unavailable",
  });
}

/**
 * A database trigger that ends the connection in the middle of the transaction that writes to `table`: on PostgreSQL
 * the backend really terminates itself (the client's connection is gone, the server rolls back); PGlite is one
 * in-process backend that cannot be terminated, so it raises the same error PostgreSQL reports (57P01).
 */
async function dieOnInsertInto(table: string) {
  await prisma.$executeRawUnsafe(`
    CREATE OR REPLACE FUNCTION die_mid_transaction() RETURNS trigger AS $$ BEGIN
      PERFORM pg_terminate_backend(pg_backend_pid());
      RAISE EXCEPTION 'terminating connection due to administrator command' USING ERRCODE = 'admin_shutdown';
    END $$ LANGUAGE plpgsql`);
  await prisma.$executeRawUnsafe(
    `CREATE TRIGGER die_mid_transaction AFTER INSERT ON "${table}" FOR EACH ROW EXECUTE FUNCTION die_mid_transaction()`,
  );
  return () => prisma.$executeRawUnsafe(`DROP TRIGGER die_mid_transaction ON "${table}"`);
}

describe("the database goes away in the middle of a transaction", () => {
  beforeAll(() => installShop());

  it("a webhook answers 503 with Retry-After, leaves nothing half-written, and Shopify's retry earns once", async () => {
    const order = orderPayload({ customerId: 52001, total: "5400" });
    const request = webhookRequest("orders/paid", order);
    const webhookId = request.headers.get("X-Shopify-Webhook-Id")!;
    // The delivery is claimed, the member and the order written, then the connection dies at the points entry.
    const revive = await dieOnInsertInto("LedgerEntry");
    try {
      await expectUnavailable(await callAction(request.clone(), webhookRoutes["orders/paid"]));
    } finally {
      await revive();
    }
    expect(await prisma.delivery.count({ where: { webhookId } })).toBe(0);
    expect(await prisma.order.count({ where: { orderId: String(order.id) } })).toBe(0);
    expect(await memberState(52001)).toBeNull();
    expect(await prisma.ledgerEntry.count()).toBe(0);
    // Not a failure of the delivery: the database was away, so it is remembered in the process, not written.
    expect(await prisma.webhookFailure.count({ where: { webhookId } })).toBe(0);
    expect(unreachableDeliveries(SHOP)).toEqual([expect.objectContaining({ webhookId, status: 503 })]);

    expect((await callAction(request.clone(), webhookRoutes["orders/paid"])).status).toBe(200);
    expect((await callAction(request.clone(), webhookRoutes["orders/paid"])).status).toBe(200);
    expect((await memberState(52001))?.pointsAvailable).toBe(54);
    expect(await prisma.ledgerEntry.count({ where: { member: { customerId: "52001" } } })).toBe(1);
    expect(await prisma.delivery.count({ where: { webhookId } })).toBe(1);
  });

  it("a checkout reservation answers 503 and holds nothing; Shopify is not asked to write it", async () => {
    await deliver("orders/paid", orderPayload({ customerId: 52002, total: "100000" }));
    resetAdminApi(happyAdmin);
    const token = sessionToken({ customerId: "52002" });
    const before = await checkout("GET", token);
    expect(before.status).toBe(200);
    const revive = await dieOnInsertInto("Reservation");
    try {
      await expectUnavailable(await checkout("POST", token, { points: 100, subtotalMinor: 10000 }));
    } finally {
      await revive();
    }
    expect(await prisma.reservation.count()).toBe(0);
    expect(await prisma.ledgerEntry.count({ where: { kind: "reserve" } })).toBe(0);
    expect(adminApi.calls).toEqual([]);
    expect(await (await checkout("GET", token)).json()).toEqual(await before.json());
  });
});

describe("the database cannot be reached at all", () => {
  let losable: LosableDatabase;
  let original: Database | undefined;
  let app: {
    routes: typeof import("../support/routes");
    fixtures: typeof import("../support/fixtures");
    failures: typeof import("../../app/webhooks/failures.server");
  };
  const OUTAGE_SHOP = "outage-test.myshopify.com";

  beforeAll(async () => {
    losable = await losableDatabase();
    // The app's modules again, on the database this test can take away (db.server keeps its client on globalThis).
    original = globalThis.tsumikiDatabase;
    globalThis.tsumikiDatabase = losable.database;
    vi.resetModules();
    app = {
      routes: await import("../support/routes"),
      fixtures: await import("../support/fixtures"),
      failures: await import("../../app/webhooks/failures.server"),
    };
    await app.fixtures.installShop(OUTAGE_SHOP);
    // Signed in and answering before the outage: the proxy's session and the shop are there.
    const summary = await app.routes.getSummary({ shop: OUTAGE_SHOP, customerId: "53001" });
    expect(summary.status).toBe(200);
    await losable.lose();
  });

  afterAll(async () => {
    globalThis.tsumikiDatabase = original;
    vi.resetModules();
    await losable.dispose();
  });

  it("webhooks answer 503 with Retry-After, so Shopify retries them; nothing is written", async () => {
    const response = await app.routes.deliver("orders/paid", orderPayload({ customerId: 53001 }), {
      shop: OUTAGE_SHOP,
    });
    await expectUnavailable(response);
    expect(app.failures.unreachableDeliveries(OUTAGE_SHOP)).toEqual([
      expect.objectContaining({ topic: "orders/paid", status: 503 }),
    ]);
    const after = (await losable.inspect()).prisma;
    expect(await after.delivery.count({ where: { shopDomain: OUTAGE_SHOP } })).toBe(0);
    expect(await after.webhookFailure.count({ where: { shopDomain: OUTAGE_SHOP } })).toBe(0);
    expect(await after.ledgerEntry.count({ where: { shop: { domain: OUTAGE_SHOP } } })).toBe(0);
  });

  it("the storefront's app proxy answers 503 with a JSON reason, never cached", async () => {
    for (const path of ["summary", "rewards", "history"]) {
      const response = await app.routes.proxy(path, { shop: OUTAGE_SHOP, customerId: "53001" });
      expect(response.headers.get("Cache-Control")).toContain("no-store");
      await expectUnavailable(response);
    }
    await expectUnavailable(
      await app.routes.redeem("53001", { rewardId: "r1", key: "outage-key-1" }, { shop: OUTAGE_SHOP }),
    );
  });

  it("the checkout extension's endpoint answers 503 with a JSON reason", async () => {
    const token = sessionToken({ shop: OUTAGE_SHOP, customerId: "53001" });
    await expectUnavailable(await app.routes.checkout("GET", token));
    await expectUnavailable(await app.routes.checkout("POST", token, { points: 100, subtotalMinor: 10000 }));
    await expectUnavailable(await app.routes.checkout("DELETE", token));
  });
});
