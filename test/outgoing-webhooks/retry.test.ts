import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { deliverDueWebhooks } from "../../app/outgoing-webhooks/deliver.server";
import { installShop, orderPayload } from "../support/fixtures";
import { deliver } from "../support/routes";
import { deliveriesOf, HOUR, MINUTE, pageAction, subscribe } from "./helpers";
import { startReceiver, verifiesAsDocumented } from "./receiver";

const SHOP = "webhooks-retry.myshopify.com";
const OTHER = "webhooks-other.myshopify.com";

/** A port nothing listens on: connections are refused. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("a subscribed name that now points at this machine", () => {
  it("is refused at each attempt without a request being made, and the attempt says why", async () => {
    await installShop("webhooks-inward.myshopify.com");
    const receiver = await startReceiver();
    try {
      // As if "localhost" had passed when subscribed (a public name later pointed inward resolves the same way).
      const { id } = await subscribe("webhooks-inward.myshopify.com", receiver.url, ["points.earned"]);
      const port = new URL(receiver.url).port;
      await prisma.webhookSubscription.update({ where: { id }, data: { url: `https://localhost:${port}/hooks` } });
      expect(
        (await deliver("orders/paid", orderPayload({ customerId: 9201 }), { shop: "webhooks-inward.myshopify.com" }))
          .status,
      ).toBe(200);
      await deliverDueWebhooks(prisma, { now: new Date(Date.now() + 1000) });
      const [delivery] = await deliveriesOf(id);
      expect(delivery.status).toBe("pending");
      expect(delivery.lastError).toMatch(/^refused: localhost is a private address \((127\.0\.0\.1|::1)\)$/);
      expect(receiver.received).toHaveLength(0);
    } finally {
      await receiver.close();
    }
  });
});

describe("a delivery that keeps failing", () => {
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => {
    await installShop(SHOP);
    await installShop(OTHER);
    receiver = await startReceiver();
  });
  afterAll(() => receiver.close());

  it("is retried with backoff for 24 hours, then failed; staff redeliver it and it is sent", async () => {
    const down = await subscribe(SHOP, `http://127.0.0.1:${await closedPort()}/gone`, ["points.earned"]);
    const up = await subscribe(SHOP, receiver.url, ["points.earned"]);
    receiver.answer(500);
    expect((await deliver("orders/paid", orderPayload({ customerId: 9101 }), { shop: SHOP })).status).toBe(200);
    const [refused] = await deliveriesOf(down.id);
    const [erroring] = await deliveriesOf(up.id);

    const start = refused.createdAt.getTime() + 1000;
    const passes: Array<{ at: number; failed: number }> = [];
    for (let at = 0; at <= 25 * HOUR; at += 10 * MINUTE) {
      const report = await deliverDueWebhooks(prisma, { now: new Date(start + at) });
      passes.push({ at, failed: report.failed });
    }
    // Both failed once a try found them 24 hours old, and not before.
    const failedAt = passes.filter((p) => p.failed > 0).map((p) => p.at);
    expect(failedAt).toHaveLength(1);
    expect(failedAt[0]).toBeGreaterThanOrEqual(24 * HOUR - 1000);
    expect(failedAt[0]).toBeLessThanOrEqual(25 * HOUR);

    for (const { id, error } of [
      { id: refused.id, error: "ECONNREFUSED" },
      { id: erroring.id, error: "HTTP 500" },
    ]) {
      const failed = await prisma.webhookDelivery.findUniqueOrThrow({ where: { id } });
      expect(failed).toMatchObject({ status: "failed", lastError: error });
      const attempts = await prisma.webhookAttempt.findMany({ where: { deliveryId: id }, orderBy: { id: "asc" } });
      expect(attempts).toHaveLength(failed.attempts);
      // 30 s doubling, at most an hour apart: about 31 tries in a day, not hundreds, not a handful.
      expect(attempts.length).toBeGreaterThan(20);
      expect(attempts.length).toBeLessThan(40);
      const gaps = attempts.slice(1).map((a, i) => a.at.getTime() - attempts[i].at.getTime());
      expect(Math.max(...gaps)).toBeLessThanOrEqual(HOUR + 10 * MINUTE);
      expect(attempts.every((a) => a.error === error)).toBe(true);
    }

    // The receiver is back; a member of staff sends the failed delivery again from the page.
    receiver.answer(200);
    const later = new Date(start + 26 * HOUR);
    expect((await pageAction({ intent: "redeliver", id: erroring.id }, SHOP)).status).toBe(200);
    // Only a failed one can be sent again (and never another shop's).
    expect((await pageAction({ intent: "redeliver", id: erroring.id }, SHOP)).status).toBe(409);
    expect((await pageAction({ intent: "redeliver", id: refused.id }, OTHER)).status).toBe(409);
    const report = await deliverDueWebhooks(prisma, { now: later });
    expect(report.delivered).toBe(1);
    const sent = await prisma.webhookDelivery.findUniqueOrThrow({ where: { id: erroring.id } });
    expect(sent).toMatchObject({ status: "delivered", lastStatus: 200, lastError: null });
    const accepted = receiver.accepted();
    expect(accepted).toHaveLength(1);
    expect(accepted[0].headers["tsumiki-webhook-id"]).toBe(erroring.id);
    expect(verifiesAsDocumented(accepted[0], up.secret)).toBe(true);
  });
});
