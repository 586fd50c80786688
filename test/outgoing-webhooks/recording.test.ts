import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { deliverDueWebhooks } from "../../app/outgoing-webhooks/deliver.server";
import type { WebhookPayload } from "../../app/outgoing-webhooks/events";
import { installShop, orderPayload } from "../support/fixtures";
import { deliver, redeliver } from "../support/routes";
import { webhookRequest } from "../support/shopify";
import { deliveriesOf, subscribe } from "./helpers";
import { startReceiver } from "./receiver";

const SHOP_A = "webhooks-shop-a.myshopify.com";
const SHOP_B = "webhooks-shop-b.myshopify.com";
const QUIET = "webhooks-none.myshopify.com";

describe("recording outgoing webhook events", () => {
  let receiverA: Awaited<ReturnType<typeof startReceiver>>;
  let receiverB: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => {
    await Promise.all([installShop(SHOP_A), installShop(SHOP_B), installShop(QUIET)]);
    receiverA = await startReceiver("/a");
    receiverB = await startReceiver("/b");
  });
  afterAll(() => Promise.all([receiverA.close(), receiverB.close()]));

  it("a repeated webhook (the same order delivered again) makes no second delivery", async () => {
    const { id } = await subscribe(SHOP_A, receiverA.url, ["points.earned"]);
    const order = orderPayload({ customerId: 8101, total: "5400" });
    const request = webhookRequest("orders/paid", order, { shop: SHOP_A });
    expect((await redeliver(request, "orders/paid")).status).toBe(200);
    // Shopify's retry of the same delivery, and the same order as a new delivery with its own webhook id.
    expect((await redeliver(request, "orders/paid")).status).toBe(200);
    expect((await deliver("orders/paid", order, { shop: SHOP_A })).status).toBe(200);
    const deliveries = await deliveriesOf(id);
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]).toMatchObject({ event: "points.earned", status: "pending", shopId: expect.any(String) });

    await deliverDueWebhooks(prisma);
    await deliverDueWebhooks(prisma);
    const received = receiverA.accepted().map((r) => JSON.parse(r.body) as WebhookPayload);
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({
      event: "points.earned",
      shop: SHOP_A,
      member: { customerId: "8101" },
      data: { kind: "earn", points: 54, orderId: String(order.id) },
    });
  });

  it("a shop without subscriptions records nothing", async () => {
    expect((await deliver("orders/paid", orderPayload({ customerId: 8201 }), { shop: QUIET })).status).toBe(200);
    const shop = await prisma.shop.findUniqueOrThrow({ where: { domain: QUIET } });
    expect(await prisma.ledgerEntry.count({ where: { shopId: shop.id } })).toBe(1);
    expect(await prisma.webhookDelivery.count({ where: { shopId: shop.id } })).toBe(0);
  });

  it("records only the events a subscription asked for", async () => {
    const { id } = await subscribe(SHOP_B, receiverB.url, ["points.redeemed", "member.left"]);
    expect((await deliver("orders/paid", orderPayload({ customerId: 8301 }), { shop: SHOP_B })).status).toBe(200);
    expect(await deliveriesOf(id)).toEqual([]);
  });

  it("a subscription of shop A never gets shop B's events", async () => {
    const a = await subscribe(SHOP_A, receiverA.url, ["points.earned"]);
    const b = await subscribe(SHOP_B, receiverB.url, ["points.earned"]);
    // The same customer number in both shops: two members, each of its own shop.
    expect((await deliver("orders/paid", orderPayload({ customerId: 8401 }), { shop: SHOP_A })).status).toBe(200);
    expect((await deliver("orders/paid", orderPayload({ customerId: 8401 }), { shop: SHOP_B })).status).toBe(200);
    expect((await deliver("orders/paid", orderPayload({ customerId: 8402 }), { shop: SHOP_B })).status).toBe(200);
    expect(await deliveriesOf(a.id)).toHaveLength(1);
    expect(await deliveriesOf(b.id)).toHaveLength(2);
    await deliverDueWebhooks(prisma);
    expect(new Set(receiverA.accepted().map((r) => (JSON.parse(r.body) as WebhookPayload).shop))).toEqual(
      new Set([SHOP_A]),
    );
    expect(new Set(receiverB.accepted().map((r) => (JSON.parse(r.body) as WebhookPayload).shop))).toEqual(
      new Set([SHOP_B]),
    );
    const shopA = await prisma.shop.findUniqueOrThrow({ where: { domain: SHOP_A } });
    const foreign = await prisma.webhookDelivery.count({
      where: { subscription: { shopId: shopA.id }, NOT: { shopId: shopA.id } },
    });
    expect(foreign).toBe(0);
  });
});
