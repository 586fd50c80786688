import { beforeAll, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { createApiKey } from "../../app/api/keys.server";
import { pruneIdempotencyKeys } from "../../app/api/idempotency.server";
import { pruneWebhookDeliveries } from "../../app/outgoing-webhooks/deliver.server";
import { installShop } from "../support/fixtures";
import { SHOP } from "../support/shopify";

const DAY = 86_400_000;
const now = new Date("2026-12-01T00:00:00Z");
const ago = (days: number) => new Date(now.getTime() - days * DAY);

let shopId: string;
let apiKeyId: string;

beforeAll(async () => {
  shopId = (await installShop(SHOP)).id;
  const { record } = await prisma.$transaction((tx) =>
    createApiKey(tx, shopId, { name: "pos", scopes: ["write"], createdBy: "staff:1" }),
  );
  apiKeyId = record.id;
});

describe("the public API's Idempotency-Keys", () => {
  it("are kept a week once answered, and a claim never answered is freed after a day", async () => {
    const row = (key: string, status: number, days: number) => ({
      apiKeyId,
      key,
      fingerprint: `POST /api/v1/x ${key}`,
      status,
      body: {},
      createdAt: ago(days),
    });
    await prisma.apiIdempotency.createMany({
      data: [row("fresh", 201, 6), row("old", 201, 8), row("stuck", 0, 2), row("claiming", 0, 0.1)],
    });
    expect(await pruneIdempotencyKeys(prisma, now)).toBe(2);
    const left = await prisma.apiIdempotency.findMany({ where: { apiKeyId }, select: { key: true } });
    expect(left.map((r) => r.key).sort()).toEqual(["claiming", "fresh"]);
    expect(await pruneIdempotencyKeys(prisma, now)).toBe(0);
  });
});

describe("outgoing webhook deliveries", () => {
  it("are kept 30 days with their attempts; ones not yet settled are never pruned", async () => {
    const subscription = await prisma.webhookSubscription.create({
      data: { shopId, url: "https://erp.example/hooks", events: ["points.earned"], secret: "s", createdBy: "staff:1" },
    });
    const delivery = (eventKey: string, status: "pending" | "delivered" | "failed", days: number) =>
      prisma.webhookDelivery.create({
        data: {
          subscriptionId: subscription.id,
          shopId,
          event: "points.earned",
          eventKey,
          payload: {},
          status,
          createdAt: ago(days),
          attemptsLog: { create: [{ at: ago(days), status: 500, durationMs: 12 }] },
        },
      });
    await delivery("recent", "delivered", 29);
    const old = await delivery("old", "delivered", 31);
    await delivery("old-failed", "failed", 40);
    await delivery("old-pending", "pending", 40);
    expect(await pruneWebhookDeliveries(prisma, now)).toBe(2);
    const left = await prisma.webhookDelivery.findMany({ where: { subscriptionId: subscription.id } });
    expect(left.map((d) => d.eventKey).sort()).toEqual(["old-pending", "recent"]);
    expect(await prisma.webhookAttempt.count({ where: { deliveryId: old.id } })).toBe(0);
  });
});
