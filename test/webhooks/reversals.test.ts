import { beforeEach, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { installShop, memberState, orderPayload, refundPayload } from "../support/fixtures";
import { expectBalancesMatchLedger } from "../support/invariants";
import { deliver } from "../support/routes";

const lineId = (order: ReturnType<typeof orderPayload>, index = 0) => order.line_items[index].id;

describe("refunds and cancellations", () => {
  beforeEach(async () => {
    await installShop();
  });

  it("refunding ¥1,000 of a ¥5,400 order takes back 10 of its 54 points", async () => {
    const order = orderPayload({ customerId: 3001, lines: [{ price: "1000", quantity: 4 }, { price: "1400" }] });
    await deliver("orders/paid", order);
    const response = await deliver(
      "refunds/create",
      refundPayload(order.id, [{ lineItemId: lineId(order), quantity: 1, subtotal: "1000" }]),
    );
    expect(await response.json()).toMatchObject({ outcome: "applied", detail: "reversed 10 points" });
    expect(await memberState(3001)).toMatchObject({ pointsAvailable: 44, pointsDebt: 0 });
    await expectBalancesMatchLedger();
  });

  it("partial refunds never drift: three refunds of one unit each of a 3-unit line take back the whole line", async () => {
    const order = orderPayload({ customerId: 3002, lines: [{ price: "1000", quantity: 3 }] });
    await deliver("orders/paid", order); // ¥3,000 → 30 points
    for (let i = 0; i < 3; i++) {
      await deliver(
        "refunds/create",
        refundPayload(order.id, [{ lineItemId: lineId(order), quantity: 1, subtotal: "1000" }]),
      );
    }
    expect((await memberState(3002))?.pointsAvailable).toBe(0);
    const row = await prisma.order.findFirstOrThrow({ where: { orderId: String(order.id) } });
    expect(row).toMatchObject({ pointsEarned: 30, pointsReversed: 30, refundedMinor: 3000 });
  });

  it("a refund of shipping only takes back nothing", async () => {
    const order = orderPayload({ customerId: 3003, total: "5400" });
    await deliver("orders/paid", order);
    await deliver("refunds/create", refundPayload(order.id, []));
    expect((await memberState(3003))?.pointsAvailable).toBe(54);
  });

  it("a cancelled order keeps none of its points", async () => {
    const order = orderPayload({ customerId: 3004, total: "5400" });
    await deliver("orders/paid", order);
    const response = await deliver("orders/cancelled", { ...order, cancelled_at: new Date().toISOString() });
    expect(await response.json()).toMatchObject({ outcome: "applied", detail: "reversed 54 points" });
    expect((await memberState(3004))?.pointsAvailable).toBe(0);
  });

  it("a cancellation after a partial refund takes back only what remains, and a later refund nothing more", async () => {
    const order = orderPayload({ customerId: 3005, lines: [{ price: "1000", quantity: 5 }] });
    await deliver("orders/paid", order); // 50
    await deliver(
      "refunds/create",
      refundPayload(order.id, [{ lineItemId: lineId(order), quantity: 2, subtotal: "2000" }]),
    ); // −20
    await deliver("orders/cancelled", order); // −30
    await deliver(
      "refunds/create",
      refundPayload(order.id, [{ lineItemId: lineId(order), quantity: 3, subtotal: "3000" }]),
    ); // 0
    const entries = await prisma.ledgerEntry.findMany({ where: { orderId: String(order.id) }, orderBy: { id: "asc" } });
    expect(entries.map((entry) => [entry.kind, entry.points])).toEqual([
      ["earn", 50],
      ["reverse", -20],
      ["reverse", -30],
    ]);
    expect((await memberState(3005))?.pointsAvailable).toBe(0);
    await expectBalancesMatchLedger();
  });

  it("a refund that arrives before the payment is not lost: it applies once the award exists", async () => {
    const order = orderPayload({ customerId: 3006, lines: [{ price: "2700", quantity: 2 }] });
    const early = await deliver(
      "refunds/create",
      refundPayload(order.id, [{ lineItemId: lineId(order), quantity: 1, subtotal: "2700" }]),
    );
    expect(await early.json()).toMatchObject({ outcome: "recorded" });
    expect(await memberState(3006)).toBeNull();
    await deliver("orders/paid", order);
    expect((await memberState(3006))?.pointsAvailable).toBe(27);
    const entries = await prisma.ledgerEntry.findMany({ where: { orderId: String(order.id) }, orderBy: { id: "asc" } });
    expect(entries.map((entry) => [entry.kind, entry.points])).toEqual([
      ["earn", 54],
      ["reverse", -27],
    ]);
  });

  it("a cancellation that arrives before the payment reverses the award as soon as it is made", async () => {
    const order = orderPayload({ customerId: 3007, total: "5400" });
    await deliver("orders/cancelled", order);
    await deliver("orders/paid", order);
    expect((await memberState(3007))?.pointsAvailable).toBe(0);
  });

  it("when the points were already spent elsewhere, the reversal is recorded in full and the shortfall is visible debt", async () => {
    const first = orderPayload({ customerId: 3008, total: "5400" });
    const second = orderPayload({ customerId: 3008, total: "2000" });
    await deliver("orders/paid", first); // 54
    await deliver("orders/paid", second); // 20
    // Spend the first order's lot entirely outside the order flow, as a redemption would.
    await prisma.$transaction(async (tx) => {
      const member = await tx.member.findFirstOrThrow({ where: { customerId: "3008" } });
      const lot = await tx.lot.findFirstOrThrow({ where: { orderId: String(first.id) } });
      const entry = await tx.ledgerEntry.create({
        data: {
          shopId: member.shopId,
          memberId: member.id,
          kind: "redeem",
          points: -74,
          reason: "test spend",
          sourceType: "staff",
          idempotencyKey: "spend-3008",
          occurredAt: new Date(),
        },
      });
      await tx.lot.update({ where: { id: lot.id }, data: { remaining: 0 } });
      await tx.lot.updateMany({ where: { orderId: String(second.id) }, data: { remaining: 0 } });
      await tx.lotAllocation.create({ data: { entryId: entry.id, lotId: lot.id, points: -54 } });
      await tx.member.update({ where: { id: member.id }, data: { pointsAvailable: 0 } });
    });
    await deliver("orders/cancelled", first);
    expect(await memberState(3008)).toMatchObject({ pointsAvailable: 0, pointsDebt: 54 });
    const reversal = await prisma.ledgerEntry.findFirstOrThrow({
      where: { orderId: String(first.id), kind: "reverse" },
    });
    expect(reversal).toMatchObject({ points: -54, debtPoints: 54 });
    // The next earn pays the debt first.
    await deliver("orders/paid", orderPayload({ customerId: 3008, total: "6000" }));
    expect(await memberState(3008)).toMatchObject({ pointsAvailable: 6, pointsDebt: 0 });
    await expectBalancesMatchLedger();
  });

  it("a reversal takes from the order's own lot first, then from the lots nearest to expiry", async () => {
    const older = orderPayload({ customerId: 3009, total: "3000" });
    const refunded = orderPayload({ customerId: 3009, total: "2000" });
    await deliver("orders/paid", older);
    await deliver("orders/paid", refunded);
    await deliver("orders/cancelled", refunded);
    const lots = await prisma.lot.findMany({ where: { member: { customerId: "3009" } } });
    expect(Object.fromEntries(lots.map((lot) => [lot.orderId, lot.remaining]))).toEqual({
      [String(older.id)]: 30,
      [String(refunded.id)]: 0,
    });
  });
});
