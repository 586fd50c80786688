import { randomUUID } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { installShop, memberState, orderPayload, refundPayload } from "../support/fixtures";
import { expectBalancesMatchLedger } from "../support/invariants";
import { redeliver } from "../support/routes";
import { webhookRequest } from "../support/shopify";
import { deliver } from "../support/routes";

describe("at-least-once delivery", () => {
  beforeEach(async () => {
    await installShop();
  });

  it("the same orders/paid delivered 10 times earns once", async () => {
    const request = webhookRequest("orders/paid", orderPayload({ customerId: 4001, total: "5400" }));
    const outcomes = [];
    for (let i = 0; i < 10; i++) outcomes.push(await (await redeliver(request, "orders/paid")).json());
    expect(outcomes[0]).toMatchObject({ outcome: "applied" });
    expect(outcomes.slice(1).every((o) => o.outcome === "duplicate")).toBe(true);
    expect((await memberState(4001))?.pointsAvailable).toBe(54);
    expect(await prisma.ledgerEntry.count({ where: { member: { customerId: "4001" } } })).toBe(1);
  });

  it("the same orders/paid delivered 20 times at once earns once", async () => {
    const request = webhookRequest("orders/paid", orderPayload({ customerId: 4002, total: "5400" }));
    const responses = await Promise.all(Array.from({ length: 20 }, () => redeliver(request, "orders/paid")));
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
    const outcomes = await Promise.all(responses.map((r) => r.json()));
    expect(outcomes.filter((o) => o.outcome === "applied")).toHaveLength(1);
    expect((await memberState(4002))?.pointsAvailable).toBe(54);
    expect(await prisma.delivery.count({ where: { webhookId: request.headers.get("X-Shopify-Webhook-Id")! } })).toBe(1);
    await expectBalancesMatchLedger();
  });

  it("one order described by two deliveries with different ids (a resent event) earns once: the business key holds", async () => {
    const order = orderPayload({ customerId: 4003, total: "5400" });
    const first = await deliver("orders/paid", order);
    const second = await deliver("orders/paid", order, { webhookId: randomUUID(), eventId: randomUUID() });
    expect(await first.json()).toMatchObject({ outcome: "applied" });
    expect(await second.json()).toMatchObject({ outcome: "duplicate" });
    expect((await memberState(4003))?.pointsAvailable).toBe(54);
  });

  it("a refund delivered 20 times at once reverses once", async () => {
    const order = orderPayload({ customerId: 4004, lines: [{ price: "1000", quantity: 5 }] });
    await deliver("orders/paid", order);
    const request = webhookRequest(
      "refunds/create",
      refundPayload(order.id, [{ lineItemId: order.line_items[0].id, quantity: 2, subtotal: "2000" }]),
    );
    await Promise.all(Array.from({ length: 20 }, () => redeliver(request, "refunds/create")));
    expect((await memberState(4004))?.pointsAvailable).toBe(30);
    await expectBalancesMatchLedger();
  });

  it("payment, refund and cancellation racing for one order end in one consistent state", async () => {
    const order = orderPayload({ customerId: 4005, lines: [{ price: "1000", quantity: 4 }] });
    const refund = refundPayload(order.id, [{ lineItemId: order.line_items[0].id, quantity: 1, subtotal: "1000" }]);
    await Promise.all([
      deliver("orders/paid", order),
      deliver("refunds/create", refund),
      deliver("orders/cancelled", order),
      deliver("orders/paid", order),
    ]);
    expect((await memberState(4005))?.pointsAvailable).toBe(0);
    const row = await prisma.order.findFirstOrThrow({ where: { orderId: String(order.id) } });
    expect(row).toMatchObject({ status: "awarded", pointsEarned: 40, pointsReversed: 40 });
    await expectBalancesMatchLedger();
  });

  it("many orders of one member at once all earn, and the balance equals the ledger", async () => {
    const orders = Array.from({ length: 15 }, (_, i) =>
      orderPayload({ customerId: 4006, total: String(1000 * (i + 1)) }),
    );
    await Promise.all(orders.map((order) => deliver("orders/paid", order)));
    expect((await memberState(4006))?.pointsAvailable).toBe(10 * ((15 * 16) / 2));
    await expectBalancesMatchLedger();
  });
});
