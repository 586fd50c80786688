import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { holdInReview } from "../../app/fraud/review.server";
import { joinProgram, leaveProgram } from "../../app/members/membership.server";
import { deliverDueWebhooks } from "../../app/outgoing-webhooks/deliver.server";
import type { WebhookPayload } from "../../app/outgoing-webhooks/events";
import { defaultProgram } from "../../app/program/program";
import { saveProgram } from "../../app/program/programs.server";
import { evaluateTiers } from "../../app/program/tiers.server";
import { customerPayload, installShop, memberState, orderPayload } from "../support/fixtures";
import { deliver } from "../support/routes";
import { deliveriesOf, subscribe } from "./helpers";
import { startReceiver, verifiesAsDocumented } from "./receiver";

const SHOP = "webhooks-members.myshopify.com";

describe("membership, tier and review events", () => {
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => {
    const shop = await installShop(SHOP);
    const settings = defaultProgram("JPY");
    settings.signupBonus = 300;
    settings.membership = { ...settings.membership, mode: "join", termsVersion: "2026-12", onLeave: "forfeit" };
    settings.tiers = {
      levels: [{ id: "gold", name: "Gold", threshold: 100_000, earnExtraPercent: 0, reachBonus: 0 }],
      basis: "spend",
      period: "rolling12",
      downgrade: "periodEnd",
      graceDays: 30,
    } as never;
    await prisma.$transaction((tx) => saveProgram(tx, shop, settings, "staff:test"));
    receiver = await startReceiver();
  });
  afterAll(() => receiver.close());

  it("a member who joins, reaches a tier and leaves is told in that order, with the points between", async () => {
    const { id, secret } = await subscribe(SHOP, receiver.url, [
      "member.joined",
      "member.left",
      "tier.changed",
      "points.earned",
      "points.adjusted",
    ]);
    const customerId = 9601;
    expect((await deliver("customers/create", customerPayload(customerId), { shop: SHOP })).status).toBe(200);
    await joinProgram(prisma, SHOP, String(customerId), { termsVersion: "2026-12", channel: "customer-account" });
    // Joining again while a member is no new event.
    await joinProgram(prisma, SHOP, String(customerId), { termsVersion: "2026-12", channel: "customer-account" });
    expect((await deliver("orders/paid", orderPayload({ customerId, total: "120000" }), { shop: SHOP })).status).toBe(
      200,
    );
    expect(await evaluateTiers(prisma)).toBeGreaterThanOrEqual(1);
    await leaveProgram(prisma, SHOP, String(customerId), { channel: "storefront", confirm: true });

    expect((await deliveriesOf(id)).map((d) => d.event)).toEqual([
      "member.joined",
      "points.earned",
      "points.earned",
      "tier.changed",
      "points.adjusted",
      "member.left",
    ]);
    await deliverDueWebhooks(prisma);
    const payloads = receiver.accepted().map((r) => JSON.parse(r.body) as WebhookPayload);
    expect(payloads.map((p) => p.event)).toEqual([
      "member.joined",
      "points.earned",
      "points.earned",
      "tier.changed",
      "points.adjusted",
      "member.left",
    ]);
    expect(payloads[3]).toMatchObject({ data: { from: null, to: "Gold", direction: "up", toTierId: "gold" } });
    expect(payloads[5]).toMatchObject({ member: { customerId: String(customerId) }, data: { channel: "storefront" } });
    expect(receiver.accepted().every((r) => verifiesAsDocumented(r, secret))).toBe(true);
  });

  it("a review case is told once, when it opens", async () => {
    const { id } = await subscribe(SHOP, receiver.url, ["review_case.opened"]);
    const member = await memberState(9601, SHOP);
    const shop = await prisma.shop.findUniqueOrThrow({ where: { domain: SHOP } });
    const signal = { rule: "large_order", score: 2, code: "large_order.own", summary: "a large order", evidence: {} };
    for (let i = 0; i < 2; i++) {
      await prisma.$transaction((tx) =>
        holdInReview(tx, {
          shopId: shop.id,
          memberId: member!.id,
          caseKey: "test:case",
          signal: signal as never,
          lotIds: [],
        }),
      );
    }
    const deliveries = await deliveriesOf(id);
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]).toMatchObject({ event: "review_case.opened", memberId: member!.id });
    expect(deliveries[0].payload).toMatchObject({ data: { rule: "large_order", code: "large_order.own" } });
  });
});
