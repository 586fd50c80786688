import { beforeEach, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { installShop, orderPayload } from "../support/fixtures";
import { callAction, deliver, webhookRoutes } from "../support/routes";
import { webhookRequest } from "../support/shopify";

async function nothingWritten() {
  const counts = await Promise.all([
    prisma.ledgerEntry.count(),
    prisma.member.count(),
    prisma.order.count(),
    prisma.delivery.count(),
  ]);
  expect(counts).toEqual([0, 0, 0, 0]);
}

describe("webhook verification and validation", () => {
  beforeEach(async () => {
    await prisma.delivery.deleteMany();
    await installShop();
  });

  it("rejects a webhook signed with another secret with 401 and writes nothing", async () => {
    const response = await deliver("orders/paid", orderPayload(), { secret: "not-the-app-secret" });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: "invalid HMAC signature" });
    await nothingWritten();
  });

  it("rejects an unsigned webhook with 401 and writes nothing", async () => {
    const response = await deliver("orders/paid", orderPayload(), { omitHeaders: ["X-Shopify-Hmac-Sha256"] });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: "missing X-Shopify-Hmac-Sha256 signature" });
    await nothingWritten();
  });

  it("rejects a shop header that is not a myshopify.com domain with 400", async () => {
    const response = await deliver("orders/paid", orderPayload(), { shop: "evil.example.com" });
    expect(response.status).toBe(400);
    await nothingWritten();
  });

  it("rejects a body changed after signing with 401", async () => {
    const request = webhookRequest("orders/paid", orderPayload({ total: "100" }));
    const tampered = new Request(request.url, {
      method: "POST",
      headers: request.headers,
      body: JSON.stringify(orderPayload({ total: "999999" })),
    });
    expect((await callAction(tampered, webhookRoutes["orders/paid"])).status).toBe(401);
    await nothingWritten();
  });

  it("rejects a webhook without its shop header with 400 naming the header", async () => {
    const response = await deliver("orders/paid", orderPayload(), { omitHeaders: ["X-Shopify-Shop-Domain"] });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: "missing X-Shopify-Shop-Domain header" });
    await nothingWritten();
  });

  it("rejects GET with 405", async () => {
    const response = await callAction(
      webhookRequest("orders/paid", null, { method: "GET" }),
      webhookRoutes["orders/paid"],
    );
    expect(response.status).toBe(405);
  });

  it("rejects a signed body that is not JSON with 400", async () => {
    const response = await deliver("orders/paid", null, { rawBody: "{not json" });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: "body is not valid JSON" });
    await nothingWritten();
  });

  it("rejects a signed order without line items with 400 naming the field", async () => {
    const { line_items: _omitted, ...payload } = orderPayload();
    const response = await deliver("orders/paid", payload);
    expect(response.status).toBe(400);
    expect((await response.json()).error).toMatch(/line_items/);
    await nothingWritten();
  });

  it("rejects a signed order with an amount that is not a number with 400", async () => {
    const payload = orderPayload();
    payload.line_items[0].price_set.shop_money.amount = "five thousand";
    const response = await deliver("orders/paid", payload);
    expect(response.status).toBe(400);
    await nothingWritten();
  });

  it("rejects a signed order in an unknown currency with 400", async () => {
    const response = await deliver("orders/paid", orderPayload({ currency: "XXZ" }));
    expect(response.status).toBe(400);
    expect((await response.json()).error).toMatch(/currency/);
    await nothingWritten();
  });

  it("rejects a delivery sent to the wrong topic's endpoint with 400", async () => {
    const response = await callAction(webhookRequest("orders/cancelled", orderPayload()), webhookRoutes["orders/paid"]);
    expect(response.status).toBe(400);
    expect((await response.json()).error).toMatch(/orders\/paid/);
    await nothingWritten();
  });
});
