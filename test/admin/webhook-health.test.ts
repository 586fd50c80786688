import { beforeAll, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import * as healthRoute from "../../app/routes/app.webhooks";
import { FAILURES_KEPT_PER_SHOP, pruneWebhookFailures } from "../../app/webhooks/failures.server";
import type { WebhookHealth } from "../../app/webhooks/health.server";
import { adminApi, resetAdminApi } from "../support/admin-api";
import { customerPayload, installShop, orderPayload, uniqueId } from "../support/fixtures";
import { callAction, callRoute, deliver, webhookRoutes } from "../support/routes";
import { ShopifyOrderBook } from "../support/shopify-orders";
import { adminRequest, webhookRequest } from "../support/shopify";

const SHOP = "webhook-health.myshopify.com";
const OTHER = "webhook-health-other.myshopify.com";

const page = async (path = "/app/webhooks") =>
  (await callRoute(healthRoute, "loader", adminRequest("GET", path, undefined, SHOP))) as WebhookHealth;
const checkAgain = (body: unknown, path = "/app/webhooks") =>
  callRoute(healthRoute, "action", adminRequest("POST", path, body, SHOP)) as Promise<Response>;
const failures = (shopDomain = SHOP) => prisma.webhookFailure.findMany({ where: { shopDomain } });

describe("the webhook health page", () => {
  beforeAll(async () => {
    await installShop(SHOP);
    await installShop(OTHER);
  });

  it("counts the deliveries received per topic, with the last one, for this shop only", async () => {
    for (const customerId of [41001, 41002]) {
      expect((await deliver("orders/paid", orderPayload({ customerId }), { shop: SHOP })).status).toBe(200);
    }
    expect((await deliver("customers/create", customerPayload(41003), { shop: SHOP })).status).toBe(200);
    expect((await deliver("orders/paid", orderPayload({ customerId: 41004 }), { shop: OTHER })).status).toBe(200);

    const { topics } = await page();
    const last = await prisma.delivery.findFirstOrThrow({
      where: { shopDomain: SHOP, topic: "orders/paid" },
      orderBy: { receivedAt: "desc" },
    });
    expect(topics).toEqual([
      expect.objectContaining({ topic: "customers/create", received: 1, failed: 0, recovered: 0 }),
      expect.objectContaining({
        topic: "orders/paid",
        received: 2,
        lastReceivedAt: last.receivedAt.toISOString(),
        failed: 0,
      }),
    ]);
  });

  it("records a signed delivery with a bad payload as a failure with its reason, and shows it by topic", async () => {
    const { line_items: _omitted, ...withoutLines } = orderPayload({ customerId: 41005 });
    const request = webhookRequest("orders/paid", withoutLines, { shop: SHOP });
    const webhookId = request.headers.get("X-Shopify-Webhook-Id")!;
    const response = await callAction(request, webhookRoutes["orders/paid"]);
    expect(response.status).toBe(400);

    expect(await failures()).toEqual([
      expect.objectContaining({
        topic: "orders/paid",
        webhookId,
        status: 400,
        reason: expect.stringContaining("line_items"),
      }),
    ]);
    const health = await page();
    expect(health.failures[0]).toMatchObject({ webhookId, status: 400, retried: false });
    expect(health.topics.find((topic) => topic.topic === "orders/paid")).toMatchObject({ received: 2, failed: 1 });
  });

  it("records a delivery for a shop that has not installed the app (404) under that shop", async () => {
    const stranger = "never-installed.myshopify.com";
    const response = await deliver("orders/paid", orderPayload({ customerId: 41006 }), { shop: stranger });
    expect(response.status).toBe(404);
    expect(await failures(stranger)).toEqual([
      expect.objectContaining({ status: 404, reason: expect.stringContaining("has not installed") }),
    ]);
    expect(await prisma.shop.count({ where: { domain: stranger } })).toBe(0);
  });

  it("an error while applying is recorded (500) after the rollback; Shopify's retry of it is shown as delivered", async () => {
    // The database refuses the points write for a moment, as a failing constraint or a full disk would.
    await prisma.$executeRawUnsafe(`
      CREATE FUNCTION refuse_points() RETURNS trigger AS $$ BEGIN
        RAISE EXCEPTION 'could not extend file: no space left on device';
      END $$ LANGUAGE plpgsql`);
    await prisma.$executeRawUnsafe(
      `CREATE TRIGGER refuse_points AFTER INSERT ON "LedgerEntry" FOR EACH ROW EXECUTE FUNCTION refuse_points()`,
    );
    const order = orderPayload({ customerId: 41007 });
    const request = webhookRequest("orders/paid", order, { shop: SHOP });
    const webhookId = request.headers.get("X-Shopify-Webhook-Id")!;
    try {
      await expect(callAction(request.clone(), webhookRoutes["orders/paid"])).rejects.toThrow();
    } finally {
      await prisma.$executeRawUnsafe(`DROP TRIGGER refuse_points ON "LedgerEntry"`);
      await prisma.$executeRawUnsafe(`DROP FUNCTION refuse_points()`);
    }
    // Nothing of the delivery remains: not its claim, not its order, not its member.
    expect(await prisma.delivery.count({ where: { webhookId } })).toBe(0);
    expect(await prisma.order.count({ where: { orderId: String(order.id) } })).toBe(0);
    expect(await prisma.member.count({ where: { customerId: "41007" } })).toBe(0);
    const [failure] = await prisma.webhookFailure.findMany({ where: { webhookId } });
    expect(failure).toMatchObject({ status: 500, reason: expect.stringContaining("no space left on device") });

    expect((await callAction(request.clone(), webhookRoutes["orders/paid"])).status).toBe(200);
    const health = await page();
    expect(health.failures.find((row) => row.webhookId === webhookId)).toMatchObject({ status: 500, retried: true });
  });

  it("records nothing for a forged delivery, however bad its body", async () => {
    const before = await prisma.webhookFailure.count();
    const forged = [
      await deliver("orders/paid", null, { shop: SHOP, secret: "not-the-app-secret", rawBody: "{not json" }),
      await deliver("orders/paid", orderPayload(), { shop: SHOP, secret: "not-the-app-secret" }),
      await deliver("orders/paid", orderPayload(), { shop: SHOP, omitHeaders: ["X-Shopify-Hmac-Sha256"] }),
    ];
    expect(forged.map((response) => response.status)).toEqual([401, 401, 401]);
    expect(await prisma.webhookFailure.count()).toBe(before);
  });

  it("shows the watermark, what reconciliation recovered and when, and its runs; 'check again' recovers a lost order", async () => {
    const watermark = new Date("2026-11-30T03:00:00.000Z");
    await prisma.shop.update({ where: { domain: SHOP }, data: { reconciledThrough: watermark } });
    // An order Shopify reports as paid whose webhook never arrived.
    const lost = orderPayload({ id: uniqueId(), customerId: 41008, total: "3000" });
    const book = new ShopifyOrderBook();
    book.pay(lost, new Date(Date.now() - 86_400_000).toISOString());
    resetAdminApi(book.respond);

    const response = await checkAgain({ days: "3" });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      checked: { runId: expect.any(String), ordersChecked: 1, eventsRecovered: 1 },
    });

    const health = await page();
    expect(health.watermark).toBe(watermark.toISOString());
    expect(health.recovered).toEqual([
      expect.objectContaining({ orderId: String(lost.id), topic: "orders/paid", recoveredAt: expect.any(String) }),
    ]);
    expect(health.topics.find((topic) => topic.topic === "orders/paid")).toMatchObject({ recovered: 1 });
    expect(health.runs[0]).toMatchObject({
      mode: "manual",
      status: "completed",
      ordersChecked: 1,
      eventsRecovered: 1,
      requestedBy: "staff:42",
    });
  });

  it("the scheduled jobs keep failures for 30 days and at most so many per shop, the newest", async () => {
    const shopDomain = "webhook-health-prune.myshopify.com";
    const now = new Date();
    const failure = (i: number, receivedAt: Date) => ({
      shopDomain,
      topic: "orders/paid",
      webhookId: `prune-${i}`,
      status: 400,
      reason: "invalid orders/paid payload",
      receivedAt,
    });
    await prisma.webhookFailure.createMany({
      data: [
        failure(-1, new Date(now.getTime() - 31 * 86_400_000)),
        failure(-2, new Date(now.getTime() - 40 * 86_400_000)),
        ...Array.from({ length: FAILURES_KEPT_PER_SHOP + 2 }, (_, i) =>
          failure(i, new Date(now.getTime() - i * 60_000)),
        ),
      ],
    });
    const othersBefore = await prisma.webhookFailure.count({ where: { shopDomain: { not: shopDomain } } });
    expect(await pruneWebhookFailures(prisma, now)).toBe(4);
    const kept = await prisma.webhookFailure.findMany({ where: { shopDomain }, select: { webhookId: true } });
    expect(kept).toHaveLength(FAILURES_KEPT_PER_SHOP);
    expect(kept.map((row) => row.webhookId)).not.toContain(`prune-${FAILURES_KEPT_PER_SHOP}`);
    expect(kept.map((row) => row.webhookId)).toContain("prune-0");
    expect(await prisma.webhookFailure.count({ where: { shopDomain: { not: shopDomain } } })).toBe(othersBefore);
  });

  it("refuses a number of days outside 1 to 60 with a message, in the admin's language, and checks nothing", async () => {
    const runs = await prisma.reconciliationRun.count();
    resetAdminApi(new ShopifyOrderBook().respond);
    for (const days of [0, 61, "7.5", "abc", "", null, -3]) {
      const response = await checkAgain({ days });
      expect(response.status).toBe(422);
      expect(await response.json()).toEqual({ errors: { days: "Enter a whole number of days from 1 to 60." } });
    }
    const ja = await checkAgain({ days: 90 }, "/app/webhooks?locale=ja");
    expect((await ja.json()).errors.days).toBe("1から60までの整数の日数を入力してください。");
    expect(await prisma.reconciliationRun.count()).toBe(runs);
    expect(adminApi.calls).toEqual([]);
  });
});
