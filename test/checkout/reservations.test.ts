import { beforeEach, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { expireDueReservations } from "../../app/redemption/checkout.server";
import { adminAnswers, adminApi, happyAdmin, resetAdminApi } from "../support/admin-api";
import { installShop, memberState, orderPayload } from "../support/fixtures";
import { expectBalancesMatchLedger } from "../support/invariants";
import { checkout, deliver } from "../support/routes";
import { SHOP, sessionToken } from "../support/shopify";

/** Gives a customer `yen` worth of earned points (1 point per ¥100) through the real order webhook. */
async function withPoints(customerId: number, points: number) {
  await deliver("orders/paid", orderPayload({ customerId, total: String(points * 100) }));
}

const token = (customerId: number) => sessionToken({ customerId: String(customerId) });

describe("checkout reservations API", () => {
  beforeEach(async () => {
    await installShop();
    resetAdminApi(happyAdmin);
  });

  it("a guest sees the program but no balance, and cannot reserve", async () => {
    const state = await checkout("GET", sessionToken({ customerId: null }));
    expect(state.status).toBe(200);
    expect(await state.json()).toMatchObject({
      enabled: true,
      loggedIn: false,
      balance: 0,
      currency: "JPY",
      minPoints: 100,
      step: 100,
    });
    const refused = await checkout("POST", sessionToken({ customerId: null }), { points: 100, subtotalMinor: 10000 });
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ code: "not_logged_in" });
  });

  it("a shopper with 1,000 points holds 500 for a ¥10,000 cart; the Function's metafield is written", async () => {
    await withPoints(8001, 1000);
    const response = await checkout("POST", token(8001), { points: 500, subtotalMinor: 10000 });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toMatchObject({
      balance: 1000,
      reservation: { points: 500, amountMinor: 500, nonce: expect.any(String) },
    });
    expect(response.headers.get("Access-Control-Allow-Origin")).toBe("*");

    const [call] = adminApi.calls;
    expect(call).toMatchObject({ shop: SHOP, operation: "TsumikiWriteReservation" });
    const metafield = (call.variables.metafields as Array<Record<string, string>>)[0];
    expect(metafield).toMatchObject({
      ownerId: "gid://shopify/Customer/8001",
      namespace: "$app:tsumiki",
      key: "reservation",
      type: "json",
    });
    expect(JSON.parse(metafield.value)).toEqual({
      v: 1,
      nonce: body.reservation.nonce,
      points: 500,
      amountMinor: 500,
      currency: "JPY",
      expiresOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
    });
    expect(await memberState(8001)).toMatchObject({ pointsAvailable: 500, pointsReserved: 500 });
    const state = await (await checkout("GET", token(8001))).json();
    expect(state).toMatchObject({ loggedIn: true, balance: 1000, reservation: { points: 500 } });
    await expectBalancesMatchLedger();
  });

  it("choosing again replaces the hold: one active reservation per shopper", async () => {
    await withPoints(8002, 1000);
    await checkout("POST", token(8002), { points: 500, subtotalMinor: 10000 });
    const second = await checkout("POST", token(8002), { points: 300, subtotalMinor: 10000 });
    expect(second.status).toBe(200);
    expect(await memberState(8002)).toMatchObject({ pointsAvailable: 700, pointsReserved: 300 });
    expect(await prisma.reservation.count({ where: { member: { customerId: "8002" }, status: "active" } })).toBe(1);
    await expectBalancesMatchLedger();
  });

  it("refuses with a reason, and holds nothing: below the minimum, more than the balance, more than half the cart, not a step", async () => {
    await withPoints(8003, 1000);
    const cases: Array<[unknown, number, string]> = [
      [{ points: 50, subtotalMinor: 10000 }, 422, "invalid"],
      [{ points: 2000, subtotalMinor: 100000 }, 422, "insufficient_balance"],
      [{ points: 900, subtotalMinor: 1000 }, 422, "over_maximum"],
      [{ points: 150, subtotalMinor: 10000 }, 422, "invalid"],
      [{ points: "many", subtotalMinor: 10000 }, 400, "invalid"],
      ["{not json", 400, "invalid"],
    ];
    for (const [body, status, code] of cases) {
      const response = await checkout("POST", token(8003), body);
      expect({ body, status: response.status, code: (await response.json()).code }).toEqual({ body, status, code });
    }
    expect(await memberState(8003)).toMatchObject({ pointsAvailable: 1000, pointsReserved: 0 });
    expect(await prisma.reservation.count({ where: { member: { customerId: "8003" } } })).toBe(0);
    expect(adminApi.calls).toHaveLength(0);
  });

  it("a member blocked by staff cannot hold points at checkout, and nothing is written", async () => {
    await withPoints(8030, 1000);
    await prisma.member.updateMany({
      where: { customerId: "8030" },
      data: { blockedAt: new Date(), blockedReason: "fraud" },
    });
    const refused = await checkout("POST", token(8030), { points: 500, subtotalMinor: 10000 });
    expect(refused.status).toBe(422);
    expect(await refused.json()).toEqual({
      error: "Your points account is on hold. Please contact the shop.",
      code: "blocked",
    });
    expect(await memberState(8030)).toMatchObject({ pointsAvailable: 1000, pointsReserved: 0 });
    expect(adminApi.calls).toHaveLength(0);
  });

  it("a refused change keeps the reservation the shopper already had", async () => {
    await withPoints(8004, 1000);
    await checkout("POST", token(8004), { points: 500, subtotalMinor: 10000 });
    const refused = await checkout("POST", token(8004), { points: 5000, subtotalMinor: 100000 });
    expect(refused.status).toBe(422);
    expect(await memberState(8004)).toMatchObject({ pointsAvailable: 500, pointsReserved: 500 });
  });

  it("rejects missing, forged, expired and foreign session tokens with 401", async () => {
    const tokens = [
      null,
      sessionToken({ customerId: "8005", secret: "forged" }),
      sessionToken({ customerId: "8005", expiresIn: -60 }),
      sessionToken({ customerId: "8005", aud: "another-app" }),
    ];
    for (const bad of tokens) {
      expect((await checkout("POST", bad, { points: 100, subtotalMinor: 10000 })).status).toBe(401);
    }
    expect(await prisma.reservation.count({ where: { member: { customerId: "8005" } } })).toBe(0);
  });

  it("a body larger than the storefront limit is refused with 413 and holds nothing", async () => {
    await withPoints(8090, 1000);
    const response = await checkout("POST", token(8090), {
      points: 100,
      subtotalMinor: 10000,
      pad: "x".repeat(64 * 1024),
    });
    expect(response.status).toBe(413);
    expect(response.headers.get("Access-Control-Allow-Origin")).toBeTruthy();
    expect(await prisma.reservation.count({ where: { member: { customerId: "8009" } } })).toBe(0);
    expect(adminApi.calls).toEqual([]);
  });

  it("when Shopify refuses the metafield, the points are not held and the shopper is told", async () => {
    await withPoints(8006, 1000);
    resetAdminApi(adminAnswers.metafieldsSetRefused);
    const response = await checkout("POST", token(8006), { points: 500, subtotalMinor: 10000 });
    expect(response.status).toBe(502);
    expect(await response.json()).toMatchObject({ code: "shopify_unavailable" });
    expect(await memberState(8006)).toMatchObject({ pointsAvailable: 1000, pointsReserved: 0 });
    await expectBalancesMatchLedger();
  });

  it("when Shopify is down, the same", async () => {
    await withPoints(8007, 1000);
    adminApi.failWith = 503;
    expect((await checkout("POST", token(8007), { points: 500, subtotalMinor: 10000 })).status).toBe(502);
    expect(await memberState(8007)).toMatchObject({ pointsAvailable: 1000, pointsReserved: 0 });
  });

  it("removing the points releases the hold and deletes the metafield", async () => {
    await withPoints(8008, 1000);
    await checkout("POST", token(8008), { points: 500, subtotalMinor: 10000 });
    const response = await checkout("DELETE", token(8008));
    expect(await response.json()).toEqual({ reservation: null, balance: 1000 });
    expect(adminApi.calls.map((c) => c.operation)).toEqual(["TsumikiWriteReservation", "TsumikiDeleteReservation"]);
    expect(adminApi.calls[1].variables).toEqual({
      metafields: [{ ownerId: "gid://shopify/Customer/8008", namespace: "$app:tsumiki", key: "reservation" }],
    });
    expect(await memberState(8008)).toMatchObject({ pointsAvailable: 1000, pointsReserved: 0 });
  });

  it("50 concurrent reservations on one balance never hold more than it", async () => {
    await withPoints(8009, 1000);
    const asks = Array.from({ length: 50 }, (_, i) => 100 * ((i % 15) + 1));
    const responses = await Promise.all(
      asks.map((points) => checkout("POST", token(8009), { points, subtotalMinor: 1_000_000 })),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.every((s) => s === 200 || s === 422)).toBe(true);
    const member = await memberState(8009);
    expect(member!.pointsReserved).toBeLessThanOrEqual(1000);
    expect(member!.pointsAvailable + member!.pointsReserved).toBe(1000);
    expect(await prisma.reservation.count({ where: { memberId: member!.id, status: "active" } })).toBe(1);
    await expectBalancesMatchLedger();
  });

  it("a reservation past its time is swept: points back, metafield deleted", async () => {
    await withPoints(8010, 1000);
    await checkout("POST", token(8010), { points: 500, subtotalMinor: 10000 });
    const swept = await expireDueReservations(new Date(Date.now() + 31 * 60_000));
    expect(swept).toBeGreaterThanOrEqual(1);
    expect(await memberState(8010)).toMatchObject({ pointsAvailable: 1000, pointsReserved: 0 });
    expect(await prisma.reservation.findFirst({ where: { member: { customerId: "8010" } } })).toMatchObject({
      status: "expired",
    });
    expect(adminApi.calls.some((c) => c.operation === "TsumikiDeleteReservation")).toBe(true);
    await expectBalancesMatchLedger();
  });
});
