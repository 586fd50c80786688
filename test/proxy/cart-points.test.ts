import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import prisma from "../../app/db.server";
import { RETRY_AFTER_SECONDS } from "../../app/db/unavailable.server";
import * as cartPoints from "../../app/routes/proxy.cart-points";
import type { CartPointsResult, CartPointsState } from "../../app/storefront/cart-points-api";
import { adminApi, happyAdmin, resetAdminApi } from "../support/admin-api";
import { installShop, memberState, orderPayload, paidWithPoints } from "../support/fixtures";
import { expectBalancesMatchLedger } from "../support/invariants";
import { losableDatabase, type LosableDatabase } from "../support/outage";
import { deliver } from "../support/routes";
import { proxyRequest, SHOP, type ProxyOptions } from "../support/shopify";

/** The cart page's request to /apps/tsumiki/cart-points, signed as Shopify's app proxy forwards it. */
async function cart(
  method: "GET" | "POST" | "DELETE",
  customerId: number | null,
  body?: unknown,
  options: ProxyOptions = {},
  route: Pick<typeof cartPoints, "loader" | "action"> = cartPoints,
): Promise<Response> {
  const signed = proxyRequest("cart-points", {
    customerId: customerId === null ? null : String(customerId),
    method: method === "POST" ? "POST" : "GET",
    body,
    ...options,
  });
  const request = method === "DELETE" ? new Request(signed.url, { method: "DELETE" }) : signed;
  const args = { request, params: {}, context: {} } as never;
  try {
    return method === "GET" ? await route.loader(args) : await route.action(args);
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

/** Earns `points` (1 point per ¥100) through the real orders/paid webhook. */
const withPoints = (customerId: number, points: number) =>
  deliver("orders/paid", orderPayload({ customerId, total: String(points * 100) }));

const reservations = (customerId: number) =>
  prisma.reservation.findMany({ where: { member: { customerId: String(customerId) } }, orderBy: { createdAt: "asc" } });

describe("the cart page's points API (/proxy/cart-points)", () => {
  beforeEach(async () => {
    await installShop();
    resetAdminApi(happyAdmin);
  });

  it("a member with 1,000 points holds 500 for a ¥10,000 cart: the Function's metafield is written, the attribute named", async () => {
    await withPoints(6001, 1000);
    const before = (await (await cart("GET", 6001)).json()) as CartPointsState;
    expect(before).toMatchObject({
      enabled: true,
      loggedIn: true,
      balance: 1000,
      minPoints: 100,
      step: 100,
      reservation: null,
      attribute: "_tsumiki_reservation",
    });

    const response = await cart("POST", 6001, { points: 500, subtotalMinor: 10_000 });
    expect(response.status).toBe(200);
    expect(response.headers.get("Cache-Control")).toBe("private, no-store");
    const result = (await response.json()) as CartPointsResult;
    expect(result).toMatchObject({
      balance: 1000,
      attribute: "_tsumiki_reservation",
      reservation: { points: 500, amountMinor: 500, nonce: expect.any(String) },
    });
    // The very write the checkout path makes, so the one Function serves both.
    const [call] = adminApi.calls;
    expect(call).toMatchObject({ shop: SHOP, operation: "TsumikiWriteReservation" });
    const metafield = (call.variables.metafields as Array<Record<string, string>>)[0];
    expect(metafield).toMatchObject({ ownerId: "gid://shopify/Customer/6001", namespace: "$app:tsumiki" });
    expect(JSON.parse(metafield.value)).toMatchObject({ nonce: result.reservation!.nonce, points: 500 });
    expect(await memberState(6001)).toMatchObject({ pointsAvailable: 500, pointsReserved: 500 });
    const after = (await (await cart("GET", 6001)).json()) as CartPointsState;
    expect(after).toMatchObject({ balance: 1000, reservation: { points: 500, nonce: result.reservation!.nonce } });
    await expectBalancesMatchLedger();
  });

  it("refuses over the balance or over the program's share of the cart, with a reason, and writes nothing", async () => {
    await withPoints(6002, 1000);
    const cases: Array<[unknown, number, string]> = [
      [{ points: 2000, subtotalMinor: 100_000 }, 422, "insufficient_balance"],
      [{ points: 900, subtotalMinor: 1000 }, 422, "over_maximum"],
      [{ points: 50, subtotalMinor: 10_000 }, 422, "invalid"],
      [{ points: 150, subtotalMinor: 10_000 }, 422, "invalid"],
      [{ points: "many", subtotalMinor: 10_000 }, 400, "invalid_request"],
      [{ release: false }, 400, "invalid_request"],
      ["{not json", 400, "invalid_request"],
    ];
    for (const [body, status, code] of cases) {
      const response = await cart("POST", 6002, body);
      const answer = (await response.json()) as { error: string; code: string };
      expect({ body, status: response.status, code: answer.code }).toEqual({ body, status, code });
      expect(answer.error).toEqual(expect.any(String));
    }
    expect(await memberState(6002)).toMatchObject({ pointsAvailable: 1000, pointsReserved: 0 });
    expect(await reservations(6002)).toHaveLength(0);
    expect(adminApi.calls).toHaveLength(0);
  });

  it("one active reservation per member: choosing again replaces it, a refused change keeps the one held", async () => {
    await withPoints(6003, 1000);
    const first = (await (await cart("POST", 6003, { points: 500, subtotalMinor: 10_000 })).json()) as CartPointsResult;
    const second = (await (
      await cart("POST", 6003, { points: 300, subtotalMinor: 10_000 })
    ).json()) as CartPointsResult;
    expect(second.reservation!.nonce).not.toBe(first.reservation!.nonce);
    expect(await memberState(6003)).toMatchObject({ pointsAvailable: 700, pointsReserved: 300 });
    expect((await reservations(6003)).map((r) => [r.points, r.status])).toEqual([
      [500, "released"],
      [300, "active"],
    ]);
    // The whole balance, counting what this cart already holds, is 1,000; 1,100 is refused and the 300 stay.
    const refused = await cart("POST", 6003, { points: 1100, subtotalMinor: 100_000 });
    expect(refused.status).toBe(422);
    expect(await refused.json()).toMatchObject({ code: "insufficient_balance" });
    expect(await memberState(6003)).toMatchObject({ pointsAvailable: 700, pointsReserved: 300 });
    await expectBalancesMatchLedger();
  });

  it("release (POST {release: true}, as the block sends it, or DELETE) gives the points back and deletes the metafield", async () => {
    await withPoints(6004, 1000);
    for (const release of [() => cart("POST", 6004, { release: true }), () => cart("DELETE", 6004)]) {
      await cart("POST", 6004, { points: 500, subtotalMinor: 10_000 });
      adminApi.calls.length = 0;
      const response = await release();
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ reservation: null, balance: 1000, attribute: "_tsumiki_reservation" });
      expect(adminApi.calls.map((c) => c.operation)).toEqual(["TsumikiDeleteReservation"]);
      expect(await memberState(6004)).toMatchObject({ pointsAvailable: 1000, pointsReserved: 0 });
    }
    expect((await reservations(6004)).map((r) => r.status)).toEqual(["released", "released"]);
    await expectBalancesMatchLedger();
  });

  it("an anonymous visitor sees the program but cannot hold or release (401); a forged signature is refused (400)", async () => {
    const state = (await (await cart("GET", null)).json()) as CartPointsState;
    expect(state).toMatchObject({ loggedIn: false, balance: 0, reservation: null });
    for (const method of ["POST", "DELETE"] as const) {
      const response = await cart(method, null, { points: 100, subtotalMinor: 10_000 });
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ code: "not_logged_in" });
    }
    await withPoints(6005, 1000);
    const forged = await cart("POST", 6005, { points: 500, subtotalMinor: 10_000 }, { secret: "not-the-secret" });
    expect(forged.status).toBe(400);
    expect(await memberState(6005)).toMatchObject({ pointsAvailable: 1000, pointsReserved: 0 });
    expect(adminApi.calls.filter((c) => c.operation === "TsumikiWriteReservation")).toHaveLength(0);
  });

  it("orders/paid carrying the cart's nonce settles exactly the reserved points, once", async () => {
    await withPoints(6006, 1000);
    const { reservation } = (await (
      await cart("POST", 6006, { points: 500, subtotalMinor: 10_000 })
    ).json()) as CartPointsResult;
    const order = paidWithPoints(6006, reservation!.nonce, 500, [{ price: "10000" }]);
    expect(await (await deliver("orders/paid", order)).json()).toMatchObject({
      outcome: "applied",
      detail: "earned 95 points on 9500 JPY; spent 500 points",
    });
    await deliver("orders/paid", order, { webhookId: "again", eventId: "again" });
    expect(await memberState(6006)).toMatchObject({ pointsAvailable: 1000 - 500 + 95, pointsReserved: 0 });
    const redeems = await prisma.ledgerEntry.findMany({ where: { orderId: String(order.id), kind: "redeem" } });
    expect(redeems.map((entry) => entry.points)).toEqual([-500]);
    expect(await prisma.reservation.findUnique({ where: { nonce: reservation!.nonce } })).toMatchObject({
      status: "settled",
    });
    await expectBalancesMatchLedger();
  });
});

describe("the cart page's points API while the database is unreachable", () => {
  const OUTAGE_SHOP = "cart-outage.myshopify.com";
  let losable: LosableDatabase;
  let original: typeof globalThis.tsumikiDatabase;
  let route: typeof cartPoints;

  beforeAll(async () => {
    losable = await losableDatabase();
    original = globalThis.tsumikiDatabase;
    globalThis.tsumikiDatabase = losable.database;
    vi.resetModules();
    const fixtures = await import("../support/fixtures");
    route = await import("../../app/routes/proxy.cart-points");
    await fixtures.installShop(OUTAGE_SHOP);
    expect((await cart("GET", 6101, undefined, { shop: OUTAGE_SHOP }, route)).status).toBe(200);
    await losable.lose();
  });

  afterAll(async () => {
    globalThis.tsumikiDatabase = original;
    vi.resetModules();
    await losable.dispose();
  });

  it("answers 503 with a reason and Retry-After, so the cart block says points are temporarily unavailable", async () => {
    for (const method of ["GET", "POST", "DELETE"] as const) {
      const response = await cart(method, 6101, { points: 100, subtotalMinor: 10_000 }, { shop: OUTAGE_SHOP }, route);
      expect(response.status).toBe(503);
      expect(response.headers.get("Retry-After")).toBe(String(RETRY_AFTER_SECONDS));
      expect(await response.json()).toMatchObject({ code: "unavailable" });
    }
  });
});
