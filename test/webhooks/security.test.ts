import { beforeEach, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { installShop, orderPayload } from "../support/fixtures";
import { callAction, deliver, webhookRoutes } from "../support/routes";
import { webhookRequest } from "../support/shopify";
import { BODY_LIMITS } from "../../app/http/body-limits";

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

  it("refuses a body declared larger than the limit with 413 before reading it, writing nothing", async () => {
    const signed = webhookRequest("orders/paid", orderPayload());
    const headers = new Headers(signed.headers);
    headers.set("Content-Length", String(50 * 1024 * 1024));
    let pulled = 0;
    // A body that counts what is read of it: nothing must be.
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        controller.enqueue(new Uint8Array(64 * 1024));
      },
    });
    const request = new Request(signed.url, { method: "POST", headers, body, duplex: "half" } as RequestInit);
    const response = await callAction(request, webhookRoutes["orders/paid"]);
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ error: `webhook body is larger than ${BODY_LIMITS.webhook} bytes` });
    expect(pulled).toBeLessThanOrEqual(1);
    await nothingWritten();
  });

  it("stops reading a chunked body at the limit: a correctly signed 25 MB order is refused with 413 and writes nothing", async () => {
    const payload = orderPayload();
    // Padding inside a field keeps the JSON valid and the signature right: only its size is wrong.
    (payload as Record<string, unknown>).note = "x".repeat(25 * 1024 * 1024);
    const signed = webhookRequest("orders/paid", payload);
    const bytes = new Uint8Array(await signed.arrayBuffer());
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= bytes.length) return controller.close();
        controller.enqueue(bytes.subarray(sent, sent + 256 * 1024));
        sent += 256 * 1024;
      },
    });
    const headers = new Headers(signed.headers);
    headers.delete("Content-Length");
    const request = new Request(signed.url, { method: "POST", headers, body, duplex: "half" } as RequestInit);
    const response = await callAction(request, webhookRoutes["orders/paid"]);
    expect(response.status).toBe(413);
    expect(sent).toBeLessThan(BODY_LIMITS.webhook + 512 * 1024);
    await nothingWritten();
  });
});
