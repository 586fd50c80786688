import { beforeEach, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { installShop, memberState, orderPayload } from "../support/fixtures";
import { expectBalancesMatchLedger } from "../support/invariants";
import { deliver } from "../support/routes";

describe("orders/paid", () => {
  beforeEach(async () => {
    await installShop();
  });

  it("an order of ¥5,400 earns 54 points", async () => {
    const response = await deliver("orders/paid", orderPayload({ customerId: 2001, total: "5400" }));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ outcome: "applied" });
    expect(await memberState(2001)).toMatchObject({
      pointsAvailable: 54,
      pointsPending: 0,
      email: "customer2001@example.com",
    });
    await expectBalancesMatchLedger();
  });

  it("earns on merchandise after discounts: shipping, tax and gift cards do not count", async () => {
    const order = orderPayload({
      customerId: 2002,
      lines: [
        { price: "3000", quantity: 2, discount: "600", tax: "540" },
        { price: "10000", giftCard: true },
      ],
    });
    await deliver("orders/paid", order);
    // 2 × ¥3,000 − ¥600 = ¥5,400 → 54 points; the ¥500 shipping, the tax and the gift card earn nothing.
    expect((await memberState(2002))?.pointsAvailable).toBe(54);
    const entry = await prisma.ledgerEntry.findFirstOrThrow({ where: { orderId: String(order.id) } });
    expect(entry.calculation).toMatchObject({ baseMinor: 5400, points: 54, rounding: "down", currency: "JPY" });
    expect(entry.programVersionId).not.toBeNull();
  });

  it("takes tax out when the shop's prices include it", async () => {
    await deliver(
      "orders/paid",
      orderPayload({ customerId: 2003, taxesIncluded: true, lines: [{ price: "5940", tax: "540" }] }),
    );
    expect((await memberState(2003))?.pointsAvailable).toBe(54);
  });

  it("rounds down: ¥5,499 earns 54 points and ¥99 earns nothing", async () => {
    await deliver("orders/paid", orderPayload({ customerId: 2004, total: "5499" }));
    expect((await memberState(2004))?.pointsAvailable).toBe(54);
    const response = await deliver("orders/paid", orderPayload({ customerId: 2005, total: "99" }));
    expect(await response.json()).toMatchObject({ outcome: "skipped" });
    expect(await memberState(2005)).toBeNull();
  });

  it("records guest orders and test orders as skipped, with the reason", async () => {
    const guest = orderPayload({ customerId: null });
    const test = orderPayload({ customerId: 2006, test: true });
    expect(await (await deliver("orders/paid", guest)).json()).toMatchObject({
      outcome: "skipped",
      detail: expect.stringContaining("guest"),
    });
    expect(await (await deliver("orders/paid", test)).json()).toMatchObject({
      outcome: "skipped",
      detail: "test order",
    });
    expect(await prisma.order.findMany({ where: { orderId: { in: [String(guest.id), String(test.id)] } } })).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ status: "skipped", skipReason: expect.stringContaining("guest") }),
        expect.objectContaining({ status: "skipped", skipReason: "test order" }),
      ]),
    );
    expect(await prisma.ledgerEntry.count({ where: { orderId: { in: [String(guest.id), String(test.id)] } } })).toBe(0);
  });

  it("a dollar shop earns 1 point per $1: $54.99 earns 54 points", async () => {
    await installShop("usd-test.myshopify.com", "USD", "America/New_York");
    await deliver("orders/paid", orderPayload({ customerId: 2007, currency: "USD", total: "54.99" }), {
      shop: "usd-test.myshopify.com",
    });
    expect((await memberState(2007, "usd-test.myshopify.com"))?.pointsAvailable).toBe(54);
  });

  it("skips an order in another currency than the program's, saying why", async () => {
    const response = await deliver("orders/paid", orderPayload({ customerId: 2008, currency: "USD", total: "54.00" }));
    expect(await response.json()).toMatchObject({ outcome: "skipped", detail: expect.stringContaining("USD") });
  });

  it("keeps 64-bit Shopify ids exact", async () => {
    const body = JSON.stringify(orderPayload({ id: 1, customerId: 2009 }))
      .replace('"id":1,', '"id":9007199254740993123,')
      .replace('"id":2009,', '"id":9007199254740993457,');
    await deliver("orders/paid", null, { rawBody: body });
    expect(await prisma.order.findFirst({ where: { orderId: "9007199254740993123" } })).not.toBeNull();
    expect(await prisma.member.findFirst({ where: { customerId: "9007199254740993457" } })).not.toBeNull();
  });
});
