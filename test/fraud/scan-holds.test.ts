import { describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { decideCase } from "../../app/fraud/review.server";
import { scanShops } from "../../app/fraud/scan.server";
import { saveFraudSettings } from "../../app/fraud/settings.server";
import { DEFAULT_THRESHOLDS } from "../../app/fraud/thresholds";
import { spend } from "../../app/ledger/ledger.server";
import { activateDueLots } from "../../app/ledger/lot-schedule.server";
import { joinProgram } from "../../app/members/membership.server";
import { lockMemberById } from "../../app/members/members.server";
import { defaultProgram, type ProgramSettings } from "../../app/program/program";
import { saveProgram } from "../../app/program/programs.server";
import type { Shop } from "../../app/generated/prisma/client";
import { customerPayload, installShop, refundPayload } from "../support/fixtures";
import { expectBalancesMatchLedger } from "../support/invariants";
import { memberOf, pay as payOrder } from "../support/fraud-traffic";
import { deliver } from "../support/routes";

const DAY = 86_400_000;

/** Each abuse pattern the daily scan finds is flagged and its points held: the two whose points were hard to reach. */

async function shopWith(domain: string, program: Partial<ProgramSettings>): Promise<Shop> {
  const shop = await installShop(domain);
  const settings = { ...defaultProgram("JPY"), ...program };
  await prisma.$transaction((tx) => saveProgram(tx, shop, settings, "staff:test"));
  return shop;
}

async function signUp(domain: string, customerId: number, email: string) {
  const response = await deliver("customers/create", customerPayload(customerId, email), { shop: domain });
  expect(response.status).toBe(200);
  return (await response.json()) as { outcome: string; detail: string };
}

const signupLots = (memberId: string) =>
  prisma.lot.findMany({ where: { memberId, earnEntry: { sourceType: "signup" } } });

describe("redeem-then-refund: the case holds the points the member would spend next", () => {
  const DOMAIN = "scan-holds-refund.myshopify.com";

  it("holds the pending lot of a recent order; the activation job leaves it; approving releases it", async () => {
    // A 14-day return window: an order's points are pending until it ends.
    const shop = await shopWith(DOMAIN, { pendingDays: 14 });
    const now = new Date();
    // Points of long ago to spend from, so the reversals below take points rather than making debt.
    await payOrder(DOMAIN, 7001, 50_000, new Date(now.getTime() - 45 * DAY));
    // Three orders refunded after points were spent: the pattern.
    for (let i = 0; i < 3; i++) {
      const { order } = await payOrder(DOMAIN, 7001, 10_000, new Date(now.getTime() - (35 - i * 5) * DAY));
      const member = await memberOf(DOMAIN, 7001);
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
    // And a recent order, still inside its return window: 80 points pending.
    const { order: recent } = await payOrder(DOMAIN, 7001, 8_000, new Date(now.getTime() - 2 * DAY));
    const before = await memberOf(DOMAIN, 7001);
    expect(before.pointsPending).toBe(80);
    expect(await prisma.reviewCase.count({ where: { shopId: shop.id } })).toBe(0);
    const [lot] = await prisma.lot.findMany({ where: { memberId: before.id, orderId: String(recent.id) } });
    expect(lot).toMatchObject({ activatedAt: null, heldByCaseId: null, remaining: 80 });

    // Scanned now, after the refunds were recorded.
    const scannedAt = new Date();
    expect(await scanShops(prisma, scannedAt)).toBe(1);
    const [opened] = await prisma.reviewCase.findMany({ where: { memberId: before.id } });
    expect(opened).toMatchObject({ rule: "redeem_refund", status: "open", points: 80 });
    expect(await prisma.lot.findUniqueOrThrow({ where: { id: lot.id } })).toMatchObject({
      heldByCaseId: opened.id,
      activatedAt: null,
    });
    expect(await memberOf(DOMAIN, 7001)).toMatchObject({
      pointsPending: 80,
      pointsAvailable: before.pointsAvailable,
    });
    await expectBalancesMatchLedger();

    // The return window ends: the activation job skips the held lot.
    const later = new Date(scannedAt.getTime() + 13 * DAY);
    await activateDueLots(prisma, later);
    expect(await prisma.lot.findUniqueOrThrow({ where: { id: lot.id } })).toMatchObject({ activatedAt: null });
    expect(await memberOf(DOMAIN, 7001)).toMatchObject({ pointsPending: 80 });

    // Approved: the window being over, the points are spendable at once.
    await prisma.$transaction((tx) =>
      decideCase(tx, {
        shopId: shop.id,
        caseId: opened.id,
        decision: "approve",
        actor: "staff:1",
        reason: null,
        now: later,
      }),
    );
    expect(await prisma.lot.findUniqueOrThrow({ where: { id: lot.id } })).toMatchObject({ heldByCaseId: null });
    expect(await memberOf(DOMAIN, 7001)).toMatchObject({
      pointsPending: 0,
      pointsAvailable: before.pointsAvailable + 80,
    });
    await expectBalancesMatchLedger();
  });
});

describe("signup-bonus farming: the bonus is held as it is paid", () => {
  it("the third account of a burst sharing an email stem, and later ones, earn a held bonus; the scan flags the rest", async () => {
    const DOMAIN = "scan-holds-signup.myshopify.com";
    const shop = await shopWith(DOMAIN, { signupBonus: 100 });
    const results = [];
    for (const [i, email] of [
      "hanako.sato01@example.com",
      "hanako.sato02@example.com",
      "hanakosato+3@example.com",
      "hanako-sato4@example.com",
    ].entries()) {
      results.push(await signUp(DOMAIN, 8001 + i, email));
    }
    // A household: two accounts at one family's address (their emails share a stem) is not a pattern.
    await signUp(DOMAIN, 8101, "yamada.family1@example.net");
    await signUp(DOMAIN, 8102, "yamada.family2@example.net");

    const [first, second, third, fourth] = await Promise.all([8001, 8002, 8003, 8004].map((c) => memberOf(DOMAIN, c)));
    const household = await Promise.all([8101, 8102].map((c) => memberOf(DOMAIN, c)));
    for (const m of [first, second, ...household]) expect(m).toMatchObject({ pointsAvailable: 100, pointsPending: 0 });
    for (const m of [third, fourth]) expect(m).toMatchObject({ pointsAvailable: 0, pointsPending: 100 });
    expect(results.map((r) => r.detail.includes("held for review (signup_farming)"))).toEqual([
      false,
      false,
      true,
      true,
    ]);

    const heldCases = await prisma.reviewCase.findMany({ where: { shopId: shop.id }, orderBy: { createdAt: "asc" } });
    expect(heldCases).toEqual([
      expect.objectContaining({
        memberId: third.id,
        rule: "signup_farming",
        caseKey: `member:${third.id}:signup_farming`,
        status: "open",
        points: 100,
      }),
      expect.objectContaining({
        memberId: fourth.id,
        rule: "signup_farming",
        caseKey: `member:${fourth.id}:signup_farming`,
        status: "open",
        points: 100,
      }),
    ]);
    for (const [m, c] of [
      [third, heldCases[0]],
      [fourth, heldCases[1]],
    ] as const) {
      expect(await signupLots(m.id)).toEqual([
        expect.objectContaining({ heldByCaseId: c.id, activatedAt: null, remaining: 100 }),
      ]);
      // Held, the bonus tells the member nothing.
      expect(await prisma.message.count({ where: { memberId: m.id } })).toBe(0);
    }
    await expectBalancesMatchLedger();

    // A retried webhook pays nothing twice and opens nothing.
    expect(await signUp(DOMAIN, 8003, "hanakosato+3@example.com")).toMatchObject({ outcome: "duplicate" });
    expect(await prisma.reviewCase.count({ where: { shopId: shop.id } })).toBe(2);

    // The daily scan flags the first two (their bonus was spendable already: nothing to hold), no second case for
    // the held ones, and nothing for the household.
    expect(await scanShops(prisma, new Date())).toBe(2);
    const farmed = await prisma.reviewCase.findMany({ where: { shopId: shop.id, rule: "signup_farming" } });
    expect(farmed.map((c) => c.memberId).sort()).toEqual([first.id, second.id, third.id, fourth.id].sort());
    expect(farmed.filter((c) => c.memberId === first.id || c.memberId === second.id)).toEqual([
      expect.objectContaining({ points: 0, status: "open" }),
      expect.objectContaining({ points: 0, status: "open" }),
    ]);
    expect(await prisma.reviewCase.count({ where: { memberId: { in: household.map((m) => m.id) } } })).toBe(0);

    // Approved, the third's bonus is spendable at once; rejected, the fourth's is taken back.
    await prisma.$transaction((tx) =>
      decideCase(tx, { shopId: shop.id, caseId: heldCases[0].id, decision: "approve", actor: "staff:1", reason: null }),
    );
    await prisma.$transaction((tx) =>
      decideCase(tx, {
        shopId: shop.id,
        caseId: heldCases[1].id,
        decision: "reject",
        actor: "staff:1",
        reason: "farmed accounts",
      }),
    );
    expect(await memberOf(DOMAIN, 8003)).toMatchObject({ pointsAvailable: 100, pointsPending: 0 });
    expect(await memberOf(DOMAIN, 8004)).toMatchObject({ pointsAvailable: 0, pointsPending: 0 });
    await expectBalancesMatchLedger();
  });

  it("detection switched off, or the rule switched off: the bonus is paid spendable and nothing is opened", async () => {
    for (const [n, config] of [
      { enabled: false, thresholds: DEFAULT_THRESHOLDS },
      {
        enabled: true,
        thresholds: { ...DEFAULT_THRESHOLDS, signupFarming: { ...DEFAULT_THRESHOLDS.signupFarming, enabled: false } },
      },
    ].entries()) {
      const domain = `scan-holds-signup-off-${n}.myshopify.com`;
      const shop = await shopWith(domain, { signupBonus: 100 });
      await prisma.$transaction((tx) => saveFraudSettings(tx, shop.id, config, "staff:owner"));
      for (let i = 0; i < 3; i++) await signUp(domain, 8201 + i, `hanako.sato0${i + 1}@example.com`);
      for (let i = 0; i < 3; i++) {
        expect(await memberOf(domain, 8201 + i)).toMatchObject({ pointsAvailable: 100, pointsPending: 0 });
      }
      expect(await prisma.reviewCase.count({ where: { shopId: shop.id } })).toBe(0);
    }
    await expectBalancesMatchLedger();
  });

  it("in a program members join, the bonus paid on joining is held the same way", async () => {
    const domain = "scan-holds-join.myshopify.com";
    const shop = await shopWith(domain, {
      signupBonus: 100,
      membership: { mode: "join", termsVersion: "1", termsUrl: "https://shop.example/terms", onLeave: "keep" },
    });
    const emails = ["taro.kato1@example.com", "taro.kato2@example.com", "tarokato+3@example.com"];
    for (const [i, email] of emails.entries()) {
      await joinProgram(prisma, domain, String(8301 + i), {
        termsVersion: "1",
        channel: "storefront",
        email,
        verifiedEmail: true,
      });
    }
    for (const c of [8301, 8302]) expect(await memberOf(domain, c)).toMatchObject({ pointsAvailable: 100 });
    const third = await memberOf(domain, 8303);
    expect(third).toMatchObject({ pointsAvailable: 0, pointsPending: 100 });
    const [held] = await prisma.reviewCase.findMany({ where: { shopId: shop.id } });
    expect(held).toMatchObject({ memberId: third.id, caseKey: `member:${third.id}:signup_farming`, points: 100 });
    expect(await signupLots(third.id)).toEqual([expect.objectContaining({ heldByCaseId: held.id })]);
    await expectBalancesMatchLedger();
  });
});
