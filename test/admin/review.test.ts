import { beforeAll, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import type { ReviewQueuePage } from "../../app/fraud/queue.server";
import { holdInReview } from "../../app/fraud/review.server";
import { signal } from "../../app/fraud/signals";
import type { Shop } from "../../app/generated/prisma/client";
import { earn } from "../../app/ledger/ledger.server";
import { lockMemberById } from "../../app/members/members.server";
import { defaultProgram } from "../../app/program/program";
import * as reviewRoute from "../../app/routes/app.review";
import { installShop, uniqueId } from "../support/fixtures";
import { expectBalancesMatchLedger } from "../support/invariants";
import { callRoute } from "../support/routes";
import { adminRequest } from "../support/shopify";

const SHOP = "review-queue.myshopify.com";
const OTHER = "review-queue-other.myshopify.com";
const DAY = 86_400_000;
// A 14-day return window: earned points are pending first, as a held earn's are.
const program = { ...defaultProgram("JPY"), pendingDays: 14 };

let shop: Shop;
let other: Shop;

const queue = async (query = "", domain = SHOP) =>
  (await callRoute(reviewRoute, "loader", adminRequest("GET", `/app/review${query}`, undefined, domain))) as
    { locale: string; queue: ReviewQueuePage } | Response;
const decide = (body: unknown, domain = SHOP, staffId?: string) =>
  callRoute(reviewRoute, "action", adminRequest("POST", "/app/review", body, domain, staffId)) as Promise<Response>;

/**
 * A member of `owner` who earned 100 points long ago (spendable) and then, in two orders placed just now, `points`
 * more that velocity flagged: the second order's earn (pending, in its return window) is held under an open case
 * naming both orders.
 */
async function flaggedMember(owner: Shop, points: number) {
  const at = new Date();
  const [first, second] = [String(uniqueId()), String(uniqueId())];
  const member = await prisma.member.create({
    data: { shopId: owner.id, customerId: String(uniqueId()), firstName: "Hanako", lastName: "Yamada" },
  });
  for (const [orderId, name, amount] of [
    [first, `#${first.slice(-4)}`, 3000],
    [second, `#${second.slice(-4)}`, points * 100],
  ] as const) {
    await prisma.order.create({
      data: {
        shopId: owner.id,
        orderId,
        name,
        memberId: member.id,
        status: "awarded",
        currency: "JPY",
        baseMinor: amount,
        pointsEarned: amount / 100,
        placedAt: at,
      },
    });
  }
  const flagged = signal("velocity", "orders_hour", 2.4, "2 orders in the last hour", {
    figures: { orders: 2, points: points + 30, shopMedianOrders: 1, surge: 1, volume: 1, zShopOrders: 4.8 },
    orderIds: [first, second],
    memberIds: [member.id],
  });
  const opened = await prisma.$transaction(async (tx) => {
    await earn(tx, await lockMemberById(tx, member.id), 100, { ...program, pendingDays: 0 }, owner.timezone, {
      reason: "earlier order",
      sourceType: "order",
      idempotencyKey: `${second}:earlier`,
      occurredAt: new Date(at.getTime() - 30 * DAY),
    });
    const { lotId } = await earn(tx, await lockMemberById(tx, member.id), points, program, owner.timezone, {
      reason: "flagged order",
      sourceType: "order",
      orderId: second,
      idempotencyKey: `${second}:earn`,
      occurredAt: at,
    });
    return holdInReview(tx, {
      shopId: owner.id,
      memberId: member.id,
      caseKey: `order:${second}:velocity`,
      signal: flagged,
      orderId: second,
      lotIds: [lotId],
    });
  });
  return { member, opened, orders: [first, second] };
}

const balance = (memberId: string) =>
  prisma.member.findUniqueOrThrow({
    where: { id: memberId },
    select: { pointsAvailable: true, pointsPending: true, pointsDebt: true },
  });
const caseOf = (id: string) => prisma.reviewCase.findUniqueOrThrow({ where: { id } });
const audits = (caseId: string) => prisma.auditLog.findMany({ where: { subject: `review case ${caseId}` } });

describe("the review queue page", () => {
  beforeAll(async () => {
    shop = await installShop(SHOP);
    other = await installShop(OTHER);
  });

  it("lists the shop's open cases newest first with their member, evidence, held points and the orders named", async () => {
    const older = await flaggedMember(shop, 400);
    const { member, opened, orders } = await flaggedMember(shop, 900);
    await flaggedMember(other, 700);

    const page = await queue();
    if (page instanceof Response) throw new Error(`loader answered ${page.status}`);
    const ids = page.queue.cases.map((c) => c.id);
    expect(ids.indexOf(opened.id)).toBeLessThan(ids.indexOf(older.opened.id));
    expect(page.queue.cases.every((c) => c.status === "open")).toBe(true);
    const shown = page.queue.cases.find((c) => c.id === opened.id);
    expect(shown).toMatchObject({
      rule: "velocity",
      code: "fraud.velocity.orders_hour",
      score: 2.4,
      points: 900,
      heldPoints: 900,
      figures: { orders: 2, zShopOrders: 4.8 },
      member: { id: member.id, name: "Yamada Hanako", customerId: member.customerId, blocked: false },
      orders: [
        { orderId: orders[0], name: `#${orders[0].slice(-4)}`, amountMinor: 3000, currency: "JPY", known: true },
        { orderId: orders[1], name: `#${orders[1].slice(-4)}`, amountMinor: 90_000, pointsEarned: 900, known: true },
      ],
    });
    expect(page.queue.counts.open).toBe(2);
    // The next page starts after the cursor: the older case, not the newer one again.
    const next = (await queue(`?cursor=${opened.id}`)) as { queue: ReviewQueuePage };
    expect(next.queue.cases.map((c) => c.id)).toEqual([older.opened.id]);
    expect(page.queue.nextCursor).toBeNull();
    expect(page.queue.currency).toBe("JPY");

    // Another shop's cases are never listed; the filters narrow the list; a bad filter is refused.
    const otherCases = await prisma.reviewCase.findMany({ where: { shopId: other.id } });
    expect(ids.some((id) => otherCases.some((c) => c.id === id))).toBe(false);
    const byRule = await queue("?rule=large_order");
    expect(byRule).not.toBeInstanceOf(Response);
    expect((byRule as { queue: ReviewQueuePage }).queue.cases).toEqual([]);
    expect(((await queue("?status=approved")) as { queue: ReviewQueuePage }).queue.cases).toEqual([]);
    expect(((await queue("?status=open&rule=velocity")) as { queue: ReviewQueuePage }).queue.cases).toHaveLength(2);
    expect(((await queue("?status=pending")) as Response).status).toBe(400);
    await expectBalancesMatchLedger();
  });

  it("approve releases the held points (spendable: the return window is over), audited with the staff member", async () => {
    const { member, opened } = await flaggedMember(shop, 500);
    expect(await balance(member.id)).toEqual({ pointsAvailable: 100, pointsPending: 500, pointsDebt: 0 });
    // The return window ended while the case was open: the scheduled activation skipped the held lot.
    await prisma.lot.updateMany({
      where: { heldByCaseId: opened.id },
      data: { availableAt: new Date(Date.now() - DAY) },
    });

    const response = await decide({ caseId: opened.id, decision: "approve" });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ok: true, caseId: opened.id, status: "approved" });
    expect(await balance(member.id)).toEqual({ pointsAvailable: 600, pointsPending: 0, pointsDebt: 0 });
    expect(await caseOf(opened.id)).toMatchObject({ status: "approved", decidedBy: "staff:42" });
    expect(await audits(opened.id)).toEqual([
      expect.objectContaining({ action: "review.approved", actor: "staff:42" }),
    ]);

    const approved = (await queue("?status=approved")) as { queue: ReviewQueuePage };
    expect(approved.queue.cases.find((c) => c.id === opened.id)).toMatchObject({ heldPoints: 0, points: 500 });
    await expectBalancesMatchLedger();
  });

  it("reject without a reason answers 422 and writes nothing; with a reason it takes the held points back", async () => {
    const { member, opened } = await flaggedMember(shop, 800);
    const entriesBefore = await prisma.ledgerEntry.count({ where: { memberId: member.id } });

    for (const reason of [undefined, "", "   "]) {
      const refused = await decide({ caseId: opened.id, decision: "reject", reason });
      expect(refused.status).toBe(422);
      expect(await refused.json()).toMatchObject({ error: expect.any(String), reason: "a rejection needs a reason" });
    }
    expect(await caseOf(opened.id)).toMatchObject({ status: "open", decidedBy: null });
    expect(await balance(member.id)).toEqual({ pointsAvailable: 100, pointsPending: 800, pointsDebt: 0 });
    expect(await prisma.ledgerEntry.count({ where: { memberId: member.id } })).toBe(entriesBefore);
    expect(await audits(opened.id)).toEqual([]);
    await expectBalancesMatchLedger();

    const response = await decide({ caseId: opened.id, decision: "reject", reason: "bot orders" });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ok: true, status: "rejected" });
    expect(await balance(member.id)).toEqual({ pointsAvailable: 100, pointsPending: 0, pointsDebt: 0 });
    expect(
      await prisma.ledgerEntry.findFirstOrThrow({ where: { memberId: member.id, kind: "reverse" } }),
    ).toMatchObject({ points: -800, reason: "Review rejected (velocity): bot orders" });
    expect(await caseOf(opened.id)).toMatchObject({ status: "rejected", decisionReason: "bot orders" });
    expect(await audits(opened.id)).toEqual([
      expect.objectContaining({ action: "review.rejected", actor: "staff:42" }),
    ]);
    await expectBalancesMatchLedger();
  });

  it("a decided case is final: deciding it again answers 409 and changes nothing", async () => {
    const { member, opened } = await flaggedMember(shop, 300);
    expect((await decide({ caseId: opened.id, decision: "approve" })).status).toBe(200);
    const after = await balance(member.id);

    for (const body of [
      { caseId: opened.id, decision: "approve" },
      { caseId: opened.id, decision: "reject", reason: "changed my mind" },
    ]) {
      const again = await decide(body);
      expect(again.status).toBe(409);
      expect(await again.json()).toMatchObject({ reason: "the case was already approved" });
    }
    expect(await balance(member.id)).toEqual(after);
    expect(await caseOf(opened.id)).toMatchObject({ status: "approved", decisionReason: null });
    expect(await audits(opened.id)).toHaveLength(1);
    await expectBalancesMatchLedger();
  });

  it("another shop's case, or no case at all, answers 404 and is left alone; a malformed decision 400", async () => {
    const { member, opened } = await flaggedMember(other, 600);
    const foreign = await decide({ caseId: opened.id, decision: "reject", reason: "not yours" });
    expect(foreign.status).toBe(404);
    expect(await caseOf(opened.id)).toMatchObject({ status: "open" });
    expect(await balance(member.id)).toEqual({ pointsAvailable: 100, pointsPending: 600, pointsDebt: 0 });
    expect((await decide({ caseId: "no-such-case", decision: "approve" })).status).toBe(404);
    expect((await decide({ caseId: opened.id, decision: "maybe" })).status).toBe(400);
    expect((await decide(null)).status).toBe(400);
    await expectBalancesMatchLedger();
  });

  it("a staff member the shop has not allowed to review cases gets 403, and nothing is written", async () => {
    const { member, opened } = await flaggedMember(shop, 200);
    await prisma.staffPolicy.upsert({
      where: { shopId: shop.id },
      create: { shopId: shop.id, defaultGrants: ["adjust"], savedBy: "staff:42" },
      update: { defaultGrants: ["adjust"] },
    });
    try {
      const refused = await decide({ caseId: opened.id, decision: "approve" }, SHOP, "7");
      expect(refused.status).toBe(403);
      expect(await refused.json()).toMatchObject({ code: "forbidden", permission: "review" });
      expect(await caseOf(opened.id)).toMatchObject({ status: "open" });
      expect(await balance(member.id)).toEqual({ pointsAvailable: 100, pointsPending: 200, pointsDebt: 0 });
      // The owner may, whatever the shop grants other staff.
      expect((await decide({ caseId: opened.id, decision: "approve" })).status).toBe(200);
    } finally {
      await prisma.staffPolicy.delete({ where: { shopId: shop.id } });
    }
    await expectBalancesMatchLedger();
  });
});
