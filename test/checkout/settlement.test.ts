import { beforeEach, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { happyAdmin, resetAdminApi } from "../support/admin-api";
import { installShop, memberState, orderPayload, paidWithPoints, refundPayload } from "../support/fixtures";
import { expectBalancesMatchLedger } from "../support/invariants";
import { checkout, deliver } from "../support/routes";
import { sessionToken } from "../support/shopify";

const token = (customerId: number) => sessionToken({ customerId: String(customerId) });

async function reserve(customerId: number, earnedPoints: number, points: number): Promise<string> {
  await deliver("orders/paid", orderPayload({ customerId, total: String(earnedPoints * 100) }));
  const response = await checkout("POST", token(customerId), { points, subtotalMinor: 100_000 });
  expect(response.status).toBe(200);
  return (await response.json()).reservation.nonce;
}

describe("settling points spent at checkout", () => {
  beforeEach(async () => {
    await installShop();
    resetAdminApi(happyAdmin);
  });

  it("an order paid with 500 reserved points spends them once; the order earns on what was paid in money", async () => {
    const nonce = await reserve(9001, 1000, 500);
    const order = paidWithPoints(9001, nonce, 500, [{ price: "10000" }]);
    const response = await deliver("orders/paid", order);
    expect(await response.json()).toMatchObject({
      outcome: "applied",
      detail: "earned 95 points on 9500 JPY; spent 500 points",
    });
    expect(await memberState(9001)).toMatchObject({ pointsAvailable: 1000 - 500 + 95, pointsReserved: 0 });
    expect(await prisma.reservation.findUnique({ where: { nonce } })).toMatchObject({
      status: "settled",
      orderId: String(order.id),
    });
    const redeem = await prisma.ledgerEntry.findFirstOrThrow({ where: { orderId: String(order.id), kind: "redeem" } });
    expect(redeem).toMatchObject({ points: -500, reservedPoints: -500 });
    await deliver("orders/paid", order, { webhookId: "another-delivery", eventId: "another-event" });
    expect((await memberState(9001))?.pointsAvailable).toBe(595);
    await expectBalancesMatchLedger();
  });

  it("when Shopify applied less than was held, only what paid the discount is spent; the rest comes back", async () => {
    const nonce = await reserve(9002, 1000, 500);
    await deliver("orders/paid", paidWithPoints(9002, nonce, 300, [{ price: "600" }]));
    expect(await memberState(9002)).toMatchObject({ pointsAvailable: 1000 - 300 + 3, pointsReserved: 0 });
    await expectBalancesMatchLedger();
  });

  it("a reservation the discount did not use is released when the order is paid", async () => {
    const nonce = await reserve(9003, 1000, 500);
    const order = {
      ...orderPayload({ customerId: 9003, total: "2000" }),
      note_attributes: [{ name: "_tsumiki_reservation", value: nonce }],
    };
    await deliver("orders/paid", order);
    expect(await memberState(9003)).toMatchObject({ pointsAvailable: 1020, pointsReserved: 0 });
    await expectBalancesMatchLedger();
  });

  it("an order that used an expired reservation is charged and flagged, never ignored", async () => {
    const nonce = await reserve(9004, 1000, 500);
    await prisma.$transaction(async (tx) => {
      const reservation = await tx.reservation.findUniqueOrThrow({ where: { nonce } });
      await tx.reservation.update({ where: { id: reservation.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    });
    const { expireDueReservations } = await import("../../app/redemption/checkout.server");
    await expireDueReservations();
    expect(await memberState(9004)).toMatchObject({ pointsAvailable: 1000, pointsReserved: 0 });
    const order = paidWithPoints(9004, nonce, 500, [{ price: "10000" }]);
    const response = await deliver("orders/paid", order);
    expect((await response.json()).detail).toContain("flagged: points discount applied with a expired reservation");
    expect(await prisma.order.findFirst({ where: { orderId: String(order.id) } })).toMatchObject({
      pointsRedeemed: 500,
      redemptionFlag: "points discount applied with a expired reservation",
    });
    expect(await memberState(9004)).toMatchObject({
      pointsAvailable: 1000 - 500 + 95,
      pointsReserved: 0,
      pointsDebt: 0,
    });
    await expectBalancesMatchLedger();
  });

  it("a points discount with no known reservation is charged as debt when there is nothing to take, and flagged", async () => {
    const order = paidWithPoints(9005, "made-up-nonce", 500, [{ price: "10000" }]);
    await deliver("orders/paid", order);
    expect(await prisma.order.findFirst({ where: { orderId: String(order.id) } })).toMatchObject({
      redemptionFlag: "points discount applied without a known reservation",
    });
    // 500 points charged with nothing to take: 500 of debt, paid at once by the order's own 95 points.
    expect(await memberState(9005)).toMatchObject({ pointsAvailable: 0, pointsDebt: 405 });
    await expectBalancesMatchLedger();
  });

  it("refunding half of an order paid with points gives back half of the points spent; cancelling gives back the rest", async () => {
    const nonce = await reserve(9006, 1000, 500);
    const order = paidWithPoints(9006, nonce, 500, [{ price: "5000", quantity: 2 }]);
    await deliver("orders/paid", order); // pays ¥9,500 + 500 points, earns 95
    await deliver(
      "refunds/create",
      refundPayload(order.id, [{ lineItemId: order.line_items[0].id, quantity: 1, subtotal: "4750" }]),
    );
    // Half the merchandise back: 47 of the 95 earned points reversed, 250 of the 500 spent returned.
    expect(await memberState(9006)).toMatchObject({ pointsAvailable: 500 + 95 - 47 + 250, pointsReserved: 0 });
    await deliver("orders/cancelled", order);
    expect(await memberState(9006)).toMatchObject({ pointsAvailable: 1000, pointsReserved: 0, pointsDebt: 0 });
    await expectBalancesMatchLedger();
  });

  it("points held by a checkout are never taken by a clawback: the shortfall is debt", async () => {
    await deliver("orders/paid", orderPayload({ customerId: 9007, total: "100000" })); // 1,000 points
    const other = orderPayload({ customerId: 9007, total: "50000" }); // 500 points
    await deliver("orders/paid", other);
    expect((await checkout("POST", token(9007), { points: 1500, subtotalMinor: 1_000_000 })).status).toBe(200);
    await deliver("orders/cancelled", other);
    expect(await memberState(9007)).toMatchObject({ pointsAvailable: 0, pointsReserved: 1500, pointsDebt: 500 });
    await expectBalancesMatchLedger();
  });
});

describe("giving back points that were charged as debt", () => {
  beforeEach(async () => {
    await installShop();
    resetAdminApi(happyAdmin);
  });

  it("cancelling a flagged order whose points were owed clears the debt and returns the rest", async () => {
    const order = paidWithPoints(9101, "made-up-nonce", 500, [{ price: "10000" }]);
    await deliver("orders/paid", order); // earns 95, owes 500 → debt 405
    expect(await memberState(9101)).toMatchObject({ pointsAvailable: 0, pointsDebt: 405 });
    const response = await deliver("orders/cancelled", order);
    expect(response.status).toBe(200);
    // The 95 earned are taken back (nothing to take: debt 500), then the 500 spent are given back.
    expect(await memberState(9101)).toMatchObject({ pointsAvailable: 0, pointsDebt: 0 });
    await expectBalancesMatchLedger();
  });

  it("when the debt was already repaid by later earnings, the returned points come back as a lot of their own", async () => {
    const order = paidWithPoints(9102, "made-up-nonce", 500, [{ price: "10000" }]);
    await deliver("orders/paid", order); // debt 405
    await deliver("orders/paid", orderPayload({ customerId: 9102, total: "100000" })); // +1,000: repays 405
    expect(await memberState(9102)).toMatchObject({ pointsAvailable: 595, pointsDebt: 0 });
    await deliver("orders/cancelled", order); // −95 earned, +500 spent
    expect(await memberState(9102)).toMatchObject({ pointsAvailable: 1000, pointsDebt: 0 });
    await expectBalancesMatchLedger();
  });
});
