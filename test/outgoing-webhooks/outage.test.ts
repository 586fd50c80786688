import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { deliverDueWebhooks } from "../../app/outgoing-webhooks/deliver.server";
import type { WebhookPayload } from "../../app/outgoing-webhooks/events";
import * as passbookRoute from "../../app/routes/app.customers.$id";
import { installShop, orderPayload, refundPayload } from "../support/fixtures";
import { callRoute, deliver } from "../support/routes";
import { adminRequest } from "../support/shopify";
import { deliveriesOf, HOUR, MINUTE, subscribe } from "./helpers";
import { startReceiver, verifiesAsDocumented } from "./receiver";

const SHOP = "webhooks-outage.myshopify.com";

async function adjustByStaff(customerId: number, points: number, reason: string) {
  const member = await prisma.member.findFirstOrThrow({
    where: { shop: { domain: SHOP }, customerId: String(customerId) },
  });
  const page = (await callRoute(
    passbookRoute,
    "loader",
    adminRequest("GET", `/app/customers/${member.id}`, undefined, SHOP),
    { id: member.id },
  )) as { formKey: string };
  const response = (await callRoute(
    passbookRoute,
    "action",
    adminRequest(
      "POST",
      `/app/customers/${member.id}`,
      { intent: "adjust", points: String(points), reason, key: page.formKey },
      SHOP,
    ),
    { id: member.id },
  )) as Response;
  expect(response.status).toBe(200);
}

describe("a receiver that is down for two hours", () => {
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => {
    await installShop(SHOP);
    receiver = await startReceiver();
  });
  afterAll(() => receiver.close());

  it("gets every event afterwards, in order per member, each once; the signature verifies with the documented algorithm", async () => {
    const { id: subscriptionId, secret } = await subscribe(SHOP, receiver.url, [
      "points.earned",
      "points.redeemed",
      "points.adjusted",
      "points.expired",
    ]);
    receiver.answer(503);

    // Two members' orders, a refund of Hanako's first and a goodwill adjustment for Taro: through the real routes.
    const hanako = 7101;
    const taro = 7102;
    const first = orderPayload({ customerId: hanako, total: "5400" });
    expect((await deliver("orders/paid", first, { shop: SHOP })).status).toBe(200);
    expect(
      (await deliver("orders/paid", orderPayload({ customerId: taro, total: "3000" }), { shop: SHOP })).status,
    ).toBe(200);
    expect(
      (await deliver("orders/paid", orderPayload({ customerId: hanako, total: "2000" }), { shop: SHOP })).status,
    ).toBe(200);
    const refund = refundPayload(first.id, [{ lineItemId: first.line_items[0].id, quantity: 1, subtotal: "5400" }]);
    expect((await deliver("refunds/create", refund, { shop: SHOP })).status).toBe(200);
    await adjustByStaff(taro, 25, "Goodwill for a late parcel");

    const recorded = await deliveriesOf(subscriptionId);
    expect(recorded.map((d) => d.event)).toEqual([
      "points.earned",
      "points.earned",
      "points.earned",
      "points.adjusted",
      "points.adjusted",
    ]);

    // Three simulated hours, a pass every five minutes: the receiver answers 503 for the first two.
    const start = new Date(Date.now() + 1000);
    for (let at = 0; at <= 3 * HOUR; at += 5 * MINUTE) {
      receiver.answer(at < 2 * HOUR ? 503 : 200);
      await deliverDueWebhooks(prisma, { now: new Date(start.getTime() + at) });
    }

    const after = await deliveriesOf(subscriptionId);
    expect(after.map((d) => d.status)).toEqual(after.map(() => "delivered"));

    // Each delivery accepted exactly once, signed as the README says.
    const accepted = receiver.accepted();
    expect(accepted.map((r) => r.headers["tsumiki-webhook-id"]).sort()).toEqual(after.map((d) => d.id).sort());
    for (const request of accepted) {
      expect(verifiesAsDocumented(request, secret)).toBe(true);
      expect(verifiesAsDocumented(request, "whsec_not-the-secret")).toBe(false);
      const payload = JSON.parse(request.body) as WebhookPayload;
      expect(request.headers["tsumiki-event"]).toBe(payload.event);
      expect(payload.shop).toBe(SHOP);
    }
    // Nothing was accepted during the outage; while it lasted, only each member's first event was tried.
    const rejected = receiver.received.filter((r) => r.answered === 503);
    expect(rejected.length).toBeGreaterThan(0);
    expect(new Set(rejected.map((r) => (JSON.parse(r.body) as WebhookPayload).member?.customerId))).toEqual(
      new Set([String(hanako), String(taro)]),
    );

    // Per member, in the order the ledger wrote them.
    const sequence = (customerId: number) =>
      accepted
        .map((r) => JSON.parse(r.body) as WebhookPayload)
        .filter((p) => p.member?.customerId === String(customerId))
        .map((p) => ({ event: p.event, entryId: Number(p.data.entryId), points: p.data.points }));
    const hanakoEvents = sequence(hanako);
    expect(hanakoEvents.map((e) => [e.event, e.points])).toEqual([
      ["points.earned", 54],
      ["points.earned", 20],
      ["points.adjusted", -54],
    ]);
    expect(sequence(taro).map((e) => [e.event, e.points])).toEqual([
      ["points.earned", 30],
      ["points.adjusted", 25],
    ]);
    for (const events of [hanakoEvents, sequence(taro)]) {
      expect(events.map((e) => e.entryId)).toEqual([...events.map((e) => e.entryId)].sort((a, b) => a - b));
    }

    // Every request is an attempt on record, with the receiver's status, and the backoff kept them apart.
    const attempts = await prisma.webhookAttempt.findMany({
      where: { delivery: { subscriptionId } },
      orderBy: { id: "asc" },
    });
    expect(attempts).toHaveLength(receiver.received.length);
    expect(attempts.filter((a) => a.status === 503)).toHaveLength(rejected.length);
    expect(attempts.filter((a) => a.status === 200)).toHaveLength(after.length);
    for (const attempt of attempts) expect(attempt.durationMs).toBeGreaterThanOrEqual(0);
    const heads = after.filter((d) => d.attempts > 1);
    expect(heads).toHaveLength(2);
    expect(heads.every((d) => d.lastStatus === 200 && d.deliveredAt!.getTime() >= start.getTime() + 2 * HOUR)).toBe(
      true,
    );

    // A pass later sends nothing again.
    const again = await deliverDueWebhooks(prisma, { now: new Date(start.getTime() + 4 * HOUR) });
    expect(again).toEqual({ delivered: 0, retrying: 0, failed: 0 });
    expect(receiver.accepted()).toHaveLength(after.length);
  });
});
