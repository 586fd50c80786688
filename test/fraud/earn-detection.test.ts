import { beforeAll, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { decideCase } from "../../app/fraud/review.server";
import { scanShops } from "../../app/fraud/scan.server";
import { saveFraudSettings } from "../../app/fraud/settings.server";
import { DEFAULT_THRESHOLDS } from "../../app/fraud/thresholds";
import { spend } from "../../app/ledger/ledger.server";
import { lockMemberById } from "../../app/members/members.server";
import type { Shop } from "../../app/generated/prisma/client";
import { customerPayload, paidWithPoints, refundPayload } from "../support/fixtures";
import { expectBalancesMatchLedger } from "../support/invariants";
import type { HistoryPage } from "../../app/storefront/storefront-api";
import { emailOf, memberOf, pay, quietShop } from "../support/fraud-traffic";
import { deliver, proxy } from "../support/routes";

const HOUR = 3_600_000;
const DAY = 86_400_000;

const casesOf = (memberId: string) =>
  prisma.reviewCase.findMany({ where: { memberId }, orderBy: { createdAt: "asc" } });

describe("detection on the earn path, through orders/paid", () => {
  const DOMAIN = "fraud-earn.myshopify.com";
  let shop: Shop;

  beforeAll(async () => {
    shop = await quietShop(DOMAIN);
  });

  it("the shop's own orders are ordinary: none held", async () => {
    expect(await prisma.reviewCase.count({ where: { shopId: shop.id } })).toBe(0);
    expect(await prisma.fraudBaseline.findUnique({ where: { shopId: shop.id } })).toMatchObject({
      baseline: expect.objectContaining({ orders: expect.any(Number) }),
    });
  });

  it("12 orders in an hour from one member, in a shop whose members order rarely, earn held points", async () => {
    const start = Date.now() - HOUR;
    const results = [];
    for (let i = 0; i < 12; i++) results.push(await pay(DOMAIN, 9001, 5400, new Date(start + i * 5 * 60_000)));
    const member = await memberOf(DOMAIN, 9001);
    // Every order earned its 54 points; the burst's are pending, under review.
    expect(member.pointsAvailable + member.pointsPending).toBe(12 * 54);
    expect(member.pointsPending).toBeGreaterThanOrEqual(54 * 6);
    expect(results.at(-1)?.result.detail).toContain("held for review (velocity)");
    const cases = await casesOf(member.id);
    expect(cases.length).toBe(member.pointsPending / 54);
    expect(cases.every((c) => c.rule === "velocity" && c.status === "open" && c.points === 54)).toBe(true);
    expect(cases[0].caseKey).toMatch(/^order:\d+:velocity$/);
    const held = await prisma.lot.findMany({ where: { memberId: member.id, heldByCaseId: { not: null } } });
    expect(held.every((lot) => lot.activatedAt === null)).toBe(true);
    await expectBalancesMatchLedger();

    // A retried webhook is a duplicate and opens nothing.
    const again = await deliver("orders/paid", results.at(-1)?.order, { shop: DOMAIN });
    expect(await again.json()).toMatchObject({ outcome: "duplicate" });
    expect(await casesOf(member.id)).toHaveLength(cases.length);

    // Approve one case: its points become spendable. Reject another: its points are reversed.
    await prisma.$transaction((tx) =>
      decideCase(tx, { shopId: shop.id, caseId: cases[0].id, decision: "approve", actor: "staff:1", reason: null }),
    );
    await prisma.$transaction((tx) =>
      decideCase(tx, {
        shopId: shop.id,
        caseId: cases[1].id,
        decision: "reject",
        actor: "staff:1",
        reason: "script orders",
      }),
    );
    const after = await memberOf(DOMAIN, 9001);
    expect(after.pointsAvailable).toBe(member.pointsAvailable + 54);
    // Held, the earn told the member nothing; approved (its return window over), it is announced, once.
    const announced = (caseKey: string) =>
      prisma.message.count({
        where: {
          memberId: member.id,
          channel: "email",
          kind: "points_earned",
          eventKey: `earned:order:${caseKey.split(":")[1]}`,
        },
      });
    expect(await announced(cases[0].caseKey)).toBe(1);
    expect(await announced(cases[1].caseKey)).toBe(0);
    expect(after.pointsPending).toBe(member.pointsPending - 108);
    await expectBalancesMatchLedger();
  });

  it("a wholesale-like buyer's usual busy day is not flagged", async () => {
    const now = Date.now();
    // Three ¥15,000 orders a day, two hours apart, on six days of the last week...
    for (let d = 2; d <= 7; d++) {
      for (let k = 0; k < 3; k++) await pay(DOMAIN, 9002, 15000, new Date(now - d * DAY + k * 2 * HOUR));
    }
    // ... and six today, ninety minutes apart.
    for (let k = 0; k < 6; k++) await pay(DOMAIN, 9002, 15000, new Date(now - 9 * HOUR + k * 90 * 60_000));
    const member = await memberOf(DOMAIN, 9002);
    expect(member).toMatchObject({ pointsAvailable: 24 * 150, pointsPending: 0 });
    expect(await casesOf(member.id)).toHaveLength(0);
  });

  it("an order far larger than the member's history is held", async () => {
    const now = Date.now();
    for (let k = 0; k < 4; k++) await pay(DOMAIN, 9003, 5000, new Date(now - (20 - k * 4) * DAY));
    const { order, result } = await pay(DOMAIN, 9003, 200_000, new Date(now - HOUR));
    expect(result.detail).toContain("held for review (large_order)");
    const member = await memberOf(DOMAIN, 9003);
    expect(member).toMatchObject({ pointsAvailable: 4 * 50, pointsPending: 2000 });
    expect(await casesOf(member.id)).toEqual([
      expect.objectContaining({ rule: "large_order", caseKey: `order:${order.id}:large_order`, points: 2000 }),
    ]);
    await expectBalancesMatchLedger();

    // The shopper's history (the widget's) says the held earn is under review; the earlier ones are not.
    const history = (await (await proxy("history", { shop: DOMAIN, customerId: "9003" })).json()) as HistoryPage;
    expect(history.entries.map((e) => [e.points, e.pending, e.review ?? false])).toEqual([
      [2000, true, true],
      ...Array.from({ length: 4 }, () => [50, false, false]),
    ]);
  });

  it("a points discount with no reservation behind it opens a case and holds that order's points", async () => {
    // 600 points to spend, so the discount takes points rather than making debt the earn would repay.
    for (let k = 0; k < 3; k++) await pay(DOMAIN, 9004, 20000, new Date(Date.now() - (12 - k * 3) * DAY));
    const order = paidWithPoints(9004, "made-up-nonce", 500, [{ price: "10000" }]);
    order.email = emailOf(9004);
    const response = await deliver("orders/paid", order, { shop: DOMAIN });
    expect((await response.json()).detail).toContain("held for review (flagged_redemption)");
    const member = await memberOf(DOMAIN, 9004);
    expect(member.pointsPending).toBe(95);
    expect(await casesOf(member.id)).toEqual([
      expect.objectContaining({
        rule: "flagged_redemption",
        code: "fraud.flagged_redemption.unknown_reservation",
        caseKey: `order:${order.id}:flagged_redemption`,
        points: 95,
      }),
    ]);
    await expectBalancesMatchLedger();
  });

  it("the daily scan opens cases for signup farming and redeem-then-refund, once", async () => {
    // Three new accounts in an hour sharing an email stem.
    for (const [i, email] of [
      "hanako.sato01@example.com",
      "hanako.sato02@example.com",
      "hanakosato+3@example.com",
    ].entries()) {
      const response = await deliver("customers/create", customerPayload(9100 + i, email), { shop: DOMAIN });
      expect(response.status).toBe(200);
    }
    // Three orders refunded after their points were spent.
    for (let i = 0; i < 3; i++) {
      const { order } = await pay(DOMAIN, 9005, 10000, new Date(Date.now() - (30 - i * 5) * DAY));
      const member = await memberOf(DOMAIN, 9005);
      await prisma.$transaction(async (tx) =>
        spend(tx, await lockMemberById(tx, member.id), 50, 0, {
          reason: "reward",
          sourceType: "reward",
          idempotencyKey: `test-spend:${order.id}`,
          occurredAt: new Date(),
        }),
      );
      const refund = refundPayload(order.id, [{ lineItemId: order.line_items[0].id, subtotal: "10000" }]);
      expect((await deliver("refunds/create", refund, { shop: DOMAIN })).status).toBe(200);
    }
    const now = new Date();
    expect(await scanShops(prisma, now)).toBeGreaterThanOrEqual(4);
    const farmed = await prisma.reviewCase.findMany({ where: { shopId: shop.id, rule: "signup_farming" } });
    expect(farmed.map((c) => c.memberId).sort()).toEqual(
      (await prisma.member.findMany({ where: { shopId: shop.id, customerId: { in: ["9100", "9101", "9102"] } } }))
        .map((m) => m.id)
        .sort(),
    );
    const abuser = await memberOf(DOMAIN, 9005);
    expect(await casesOf(abuser.id)).toEqual([expect.objectContaining({ rule: "redeem_refund", status: "open" })]);

    // Twice run, once opened: later the same day the scan does not run; the next day it finds nothing new.
    expect(await scanShops(prisma, new Date(now.getTime() + HOUR))).toBe(0);
    await scanShops(prisma, new Date(now.getTime() + DAY + HOUR));
    expect(await prisma.reviewCase.count({ where: { shopId: shop.id, rule: "signup_farming" } })).toBe(3);
    expect(await prisma.reviewCase.count({ where: { shopId: shop.id, rule: "redeem_refund" } })).toBe(1);
    await expectBalancesMatchLedger();
  });
});

describe("the merchant's detection settings", () => {
  it("detection switched off: a burst earns spendable points and opens nothing", async () => {
    const domain = "fraud-off.myshopify.com";
    const shop = await quietShop(domain);
    await prisma.$transaction((tx) =>
      saveFraudSettings(tx, shop.id, { enabled: false, thresholds: DEFAULT_THRESHOLDS }, "staff:owner"),
    );
    const start = Date.now() - HOUR;
    for (let i = 0; i < 12; i++) await pay(domain, 9201, 5400, new Date(start + i * 5 * 60_000));
    expect(await memberOf(domain, 9201)).toMatchObject({ pointsAvailable: 12 * 54, pointsPending: 0 });
    expect(await prisma.reviewCase.count({ where: { shopId: shop.id } })).toBe(0);
  });

  it("automatic blocking, when the merchant chose a level, blocks the member and is audited as fraud:auto", async () => {
    const domain = "fraud-block.myshopify.com";
    const shop = await quietShop(domain);
    await prisma.$transaction((tx) =>
      saveFraudSettings(
        tx,
        shop.id,
        { enabled: true, thresholds: { ...DEFAULT_THRESHOLDS, blockAtScore: 2 } },
        "staff:owner",
      ),
    );
    const start = Date.now() - HOUR;
    for (let i = 0; i < 12; i++) await pay(domain, 9301, 5400, new Date(start + i * 5 * 60_000));
    const member = await memberOf(domain, 9301);
    expect(member.blockedAt).not.toBeNull();
    expect(member.blockedReason).toContain("velocity");
    expect(
      await prisma.auditLog.findFirst({ where: { shopId: shop.id, actor: "fraud:auto", action: "member.blocked" } }),
    ).not.toBeNull();
    await expectBalancesMatchLedger();
  });
});
