import { beforeEach, describe, expect, it } from "vitest";
import prisma from "../app/db.server";
import { installShop, memberState, orderPayload, refundPayload } from "./support/fixtures";
import { deliver, getSummary } from "./support/routes";
import { OTHER_SHOP, SHOP } from "./support/shopify";

describe("shops are tenants", () => {
  beforeEach(async () => {
    await installShop(SHOP);
    await installShop(OTHER_SHOP);
  });

  it("the same customer id and order id in two shops are two members and two orders", async () => {
    const order = orderPayload({ id: 777001, customerId: 6001, total: "5400" });
    await deliver("orders/paid", order, { shop: SHOP });
    await deliver("orders/paid", orderPayload({ id: order.id, customerId: 6001, total: "1000" }), { shop: OTHER_SHOP });
    expect((await memberState(6001, SHOP))?.pointsAvailable).toBe(54);
    expect((await memberState(6001, OTHER_SHOP))?.pointsAvailable).toBe(10);
  });

  it("a refund or cancellation sent by one shop never touches another shop's order", async () => {
    const order = orderPayload({ id: 777002, customerId: 6002, total: "5400" });
    await deliver("orders/paid", order, { shop: SHOP });
    await deliver(
      "refunds/create",
      refundPayload(order.id, [{ lineItemId: order.line_items[0].id, subtotal: "5400" }]),
      { shop: OTHER_SHOP },
    );
    await deliver("orders/cancelled", order, { shop: OTHER_SHOP });
    expect((await memberState(6002, SHOP))?.pointsAvailable).toBe(54);
    expect(await prisma.ledgerEntry.count({ where: { shop: { domain: OTHER_SHOP }, orderId: String(order.id) } })).toBe(
      0,
    );
  });

  it("a privacy request from one shop never erases another shop's member", async () => {
    await deliver("orders/paid", orderPayload({ customerId: 6003, total: "5400" }), { shop: SHOP });
    await deliver(
      "customers/redact",
      { shop_domain: SHOP, customer: { id: 6003 }, orders_to_redact: [] },
      { shop: OTHER_SHOP },
    );
    expect((await memberState(6003, SHOP))?.email).toBe("customer6003@example.com");
  });

  it("an app proxy request signed for one shop sees only that shop's balance", async () => {
    await deliver("orders/paid", orderPayload({ customerId: 6004, total: "5400" }), { shop: SHOP });
    const other = await getSummary({ shop: OTHER_SHOP, customerId: "6004" });
    expect(await other.json()).toMatchObject({ member: { available: 0, pending: 0 }, history: { entries: [] } });
    const own = await getSummary({ shop: SHOP, customerId: "6004" });
    expect(await own.json()).toMatchObject({ member: { available: 54 } });
  });
});
