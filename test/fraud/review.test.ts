import { beforeAll, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { earn } from "../../app/ledger/ledger.server";
import { activateDueLots } from "../../app/ledger/lot-schedule.server";
import { lockMemberById } from "../../app/members/members.server";
import { defaultProgram } from "../../app/program/program";
import { decideCase, holdInReview, ReviewRefused } from "../../app/fraud/review.server";
import { signal } from "../../app/fraud/signals";
import type { Member, Shop } from "../../app/generated/prisma/client";
import { installShop } from "../support/fixtures";
import { expectBalancesMatchLedger } from "../support/invariants";
import { uniqueId } from "../support/payloads";

const SHOP = "review-test.myshopify.com";
const DAY = 86_400_000;
// The real clock: an earn is pending only while its return window is still ahead of it (ledger.server.ts earn).
const NOW = new Date();
// A 14-day return window: earned points are pending first, as a held earn's are.
const program = { ...defaultProgram("JPY"), pendingDays: 14 };
const velocity = signal("velocity", "orders_hour", 2.4, "9 orders in an hour; the shop's members place 1", {
  figures: { orders: 9, median: 1 },
});

let shop: Shop;

async function memberWithHeldEarn(points: number, caseKey: string) {
  const member = await prisma.member.create({ data: { shopId: shop.id, customerId: String(uniqueId()) } });
  return prisma.$transaction(async (tx) => {
    // Points the member already had, spendable: a review holds only the flagged earn.
    await earn(tx, await lockMemberById(tx, member.id), 100, { ...program, pendingDays: 0 }, shop.timezone, {
      reason: "earlier order",
      sourceType: "order",
      idempotencyKey: `${caseKey}:earlier`,
      occurredAt: new Date(NOW.getTime() - 30 * DAY),
    });
    const { lotId } = await earn(tx, await lockMemberById(tx, member.id), points, program, shop.timezone, {
      reason: "flagged order",
      sourceType: "order",
      orderId: caseKey,
      idempotencyKey: `${caseKey}:earn`,
      occurredAt: NOW,
    });
    const opened = await holdInReview(tx, {
      shopId: shop.id,
      memberId: member.id,
      caseKey,
      signal: velocity,
      orderId: caseKey,
      lotIds: [lotId],
    });
    return { member: await tx.member.findUniqueOrThrow({ where: { id: member.id } }), opened, lotId };
  });
}

const state = (member: Member) => prisma.member.findUniqueOrThrow({ where: { id: member.id } });

describe("review cases hold a flagged earn until staff decide", () => {
  beforeAll(async () => {
    shop = await installShop(SHOP);
  });

  it("held points are not spendable and stay held past their return window; the same detection opens one case", async () => {
    const { member, opened, lotId } = await memberWithHeldEarn(900, "order:9001:velocity");
    expect(opened).toMatchObject({ status: "open", points: 900, rule: "velocity", code: "fraud.velocity.orders_hour" });
    expect(member).toMatchObject({ pointsAvailable: 100, pointsPending: 900 });
    // The return window ends; the scheduled activation leaves the held lot alone.
    await activateDueLots(prisma, new Date(NOW.getTime() + 15 * DAY));
    expect(await state(member)).toMatchObject({ pointsAvailable: 100, pointsPending: 900 });
    expect((await prisma.lot.findUniqueOrThrow({ where: { id: lotId } })).activatedAt).toBeNull();
    // A retried webhook runs the detection again: the same case, nothing more held.
    const again = await prisma.$transaction((tx) =>
      holdInReview(tx, {
        shopId: shop.id,
        memberId: member.id,
        caseKey: "order:9001:velocity",
        signal: velocity,
        lotIds: [],
      }),
    );
    expect(again.id).toBe(opened.id);
    expect(await prisma.reviewCase.count({ where: { memberId: member.id } })).toBe(1);
    await expectBalancesMatchLedger();
  });

  it("approve releases the points (spendable at once when the return window is over), audited; the ledger stays equal", async () => {
    const { member, opened } = await memberWithHeldEarn(500, "order:9002:velocity");
    const later = new Date(NOW.getTime() + 15 * DAY);
    const decided = await prisma.$transaction((tx) =>
      decideCase(tx, {
        shopId: shop.id,
        caseId: opened.id,
        decision: "approve",
        actor: "staff:7",
        reason: null,
        now: later,
      }),
    );
    expect(decided).toMatchObject({ status: "approved", decidedBy: "staff:7" });
    expect(await state(member)).toMatchObject({ pointsAvailable: 600, pointsPending: 0 });
    expect(
      await prisma.auditLog.count({ where: { action: "review.approved", subject: `review case ${opened.id}` } }),
    ).toBe(1);
    await expectBalancesMatchLedger();
  });

  it("approve inside the return window leaves the points pending until it ends", async () => {
    const { member, opened } = await memberWithHeldEarn(300, "order:9003:velocity");
    await prisma.$transaction((tx) =>
      decideCase(tx, {
        shopId: shop.id,
        caseId: opened.id,
        decision: "approve",
        actor: "staff:7",
        reason: null,
        now: NOW,
      }),
    );
    expect(await state(member)).toMatchObject({ pointsAvailable: 100, pointsPending: 300 });
    await activateDueLots(prisma, new Date(NOW.getTime() + 15 * DAY));
    expect(await state(member)).toMatchObject({ pointsAvailable: 400, pointsPending: 0 });
    await expectBalancesMatchLedger();
  });

  it("reject takes the held points back with the reason; the earlier points stay; a decided case is final", async () => {
    const { member, opened } = await memberWithHeldEarn(800, "order:9004:velocity");
    const refusedWithoutReason = prisma.$transaction((tx) =>
      decideCase(tx, { shopId: shop.id, caseId: opened.id, decision: "reject", actor: "staff:7", reason: " " }),
    );
    await expect(refusedWithoutReason).rejects.toMatchObject({ status: 422 });
    expect((await prisma.reviewCase.findUniqueOrThrow({ where: { id: opened.id } })).status).toBe("open");

    await prisma.$transaction((tx) =>
      decideCase(tx, {
        shopId: shop.id,
        caseId: opened.id,
        decision: "reject",
        actor: "staff:7",
        reason: "bot orders",
        now: NOW,
      }),
    );
    expect(await state(member)).toMatchObject({ pointsAvailable: 100, pointsPending: 0, pointsDebt: 0 });
    const reversal = await prisma.ledgerEntry.findFirstOrThrow({ where: { memberId: member.id, kind: "reverse" } });
    expect(reversal).toMatchObject({
      points: -800,
      pendingPoints: -800,
      reason: "Review rejected (velocity): bot orders",
    });
    await expectBalancesMatchLedger();

    const twice = prisma.$transaction((tx) =>
      decideCase(tx, { shopId: shop.id, caseId: opened.id, decision: "approve", actor: "staff:8", reason: null }),
    );
    await expect(twice).rejects.toBeInstanceOf(ReviewRefused);
    await expect(
      prisma.$transaction((tx) =>
        decideCase(tx, {
          shopId: "another-shop",
          caseId: opened.id,
          decision: "approve",
          actor: "staff:8",
          reason: null,
        }),
      ),
    ).rejects.toMatchObject({ status: 404 });
    expect(await state(member)).toMatchObject({ pointsAvailable: 100, pointsPending: 0 });
  });
});
