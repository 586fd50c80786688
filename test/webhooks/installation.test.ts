import { beforeEach, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { installShop, orderPayload } from "../support/fixtures";
import { expectBalancesMatchLedger } from "../support/invariants";
import { deliver, getSummary } from "../support/routes";
import { sessionToken, checkoutRequest } from "../support/shopify";
import * as checkoutPoints from "../../app/routes/checkout.points";

const NEVER = "never-installed.myshopify.com";
const LEFT = "uninstalled-shop.myshopify.com";

async function shopWrites(domain: string) {
  const shop = await prisma.shop.findUnique({ where: { domain } });
  const where = { shop: { domain } };
  return {
    shop: shop ? { uninstalledAt: shop.uninstalledAt } : null,
    entries: await prisma.ledgerEntry.count({ where }),
    members: await prisma.member.count({ where }),
    orders: await prisma.order.count({ where }),
    deliveries: await prisma.delivery.count({ where: { shopDomain: domain } }),
  };
}

describe("webhooks for a shop that has not installed the app", () => {
  beforeEach(async () => {
    await installShop(LEFT);
  });

  it("a signed orders/paid for a shop that never installed is refused with 404 and writes nothing, not even the shop", async () => {
    const response = await deliver("orders/paid", orderPayload({ customerId: 9101, total: "5400" }), { shop: NEVER });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: `${NEVER} has not installed Tsumiki` });
    expect(await shopWrites(NEVER)).toEqual({ shop: null, entries: 0, members: 0, orders: 0, deliveries: 0 });
    // The app proxy and checkout still do not know the shop.
    expect((await getSummary({ shop: NEVER, customerId: "9101" })).status).toBe(404);
  });

  it("after app/uninstalled, orders, refunds and customers are refused and write nothing; the storefront and checkout answer 404", async () => {
    expect((await deliver("app/uninstalled", { id: 1, name: "Left" }, { shop: LEFT })).status).toBe(200);
    const before = await shopWrites(LEFT);
    for (const [topic, payload] of [
      ["orders/paid", orderPayload({ customerId: 9102, total: "5400" })],
      ["orders/cancelled", orderPayload({ customerId: 9102 })],
      ["customers/create", { id: 9102, email: "left@example.com" }],
      ["products/update", { id: 1, vendor: "", product_type: "", tags: "" }],
    ] as const) {
      const response = await deliver(topic, payload, { shop: LEFT });
      expect({ topic, status: response.status }).toEqual({ topic, status: 404 });
    }
    expect(await shopWrites(LEFT)).toEqual(before);
    expect((await getSummary({ shop: LEFT, customerId: "9102" })).status).toBe(404);
    const token = sessionToken({ shop: LEFT, customerId: "9102" });
    const state = await Promise.resolve(
      checkoutPoints.loader({ request: checkoutRequest("GET", "checkout/points", token), params: {}, context: {} }),
    ).catch((thrown: unknown) => thrown as Response);
    expect(state.status).toBe(404);
  });

  it("the privacy topics Shopify sends after an uninstall are still handled", async () => {
    await deliver("orders/paid", orderPayload({ customerId: 9103, total: "5400" }), { shop: LEFT });
    await deliver("app/uninstalled", { id: 1, name: "Left" }, { shop: LEFT });
    const redact = await deliver(
      "customers/redact",
      { shop_id: 1, shop_domain: LEFT, customer: { id: 9103, email: "c@example.com" }, orders_to_redact: [] },
      { shop: LEFT },
    );
    expect(redact.status).toBe(200);
    const members = await prisma.member.findMany({ where: { shop: { domain: LEFT } } });
    expect(members.map((member) => member.redactedAt !== null)).toEqual([true]);
    const erase = await deliver("shop/redact", { shop_id: 1, shop_domain: LEFT }, { shop: LEFT });
    expect(erase.status).toBe(200);
    expect(await prisma.shop.findUnique({ where: { domain: LEFT } })).toBeNull();
  });

  it("a reinstalled shop earns again", async () => {
    await deliver("app/uninstalled", { id: 1, name: "Left" }, { shop: LEFT });
    await installShop(LEFT);
    const response = await deliver("orders/paid", orderPayload({ customerId: 9104, total: "5400" }), { shop: LEFT });
    expect(await response.json()).toMatchObject({ outcome: "applied" });
    await expectBalancesMatchLedger();
  });
});
