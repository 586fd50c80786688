import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AccountPoints, AccountProfile, OrderPoints } from "../../app/members/customer-account-api";
import type { CartPointsResult } from "../../app/storefront/cart-points-api";
import type { StorefrontSummary } from "../../app/storefront/storefront-api";
import { checkAgainstSchema } from "../support/admin-api";
import { orderPayload, paidWithPoints } from "../support/payloads";
import { startProductionServer, type ProductionServer } from "../support/production-server";
import { checkoutRequest, proxyRequest, sessionToken, webhookRequest } from "../support/shopify";

const SHOP = "production-accounts.myshopify.com";
const CUSTOMER = "1501";

// `npm start` on the build: paying with points from the cart page, the customer account's points and profile, and
// the thank-you page's order points, each as Shopify calls them.
describe("the cart page and the customer account under npm start", () => {
  let server: ProductionServer;
  beforeAll(async () => {
    server = await startProductionServer(SHOP);
  }, 180_000);
  afterAll(async () => {
    await server?.stop();
  });

  const signed = () => ({ shop: SHOP, secret: server.secret, baseUrl: server.baseUrl });
  const deliver = (topic: string, payload: unknown) => fetch(webhookRequest(topic, payload, signed()));
  const cart = (body?: unknown) =>
    fetch(proxyRequest("cart-points", { ...signed(), customerId: CUSTOMER, method: body ? "POST" : "GET", body }));
  const token = () => sessionToken({ shop: SHOP, customerId: CUSTOMER, secret: server.secret, aud: server.apiKey });
  const account = (method: string, path: string, body?: unknown) =>
    fetch(checkoutRequest(method, path, token(), body, server.baseUrl));
  const available = async () =>
    ((await (await fetch(proxyRequest("summary", { ...signed(), customerId: CUSTOMER }))).json()) as StorefrontSummary)
      .member?.available;

  it("holds 500 points from the cart page, refuses more than the balance, and orders/paid settles exactly 500", async () => {
    expect((await deliver("orders/paid", orderPayload({ customerId: Number(CUSTOMER), total: "60000" }))).status).toBe(
      200,
    );
    expect(await available()).toBe(600);

    const held = await cart({ points: 500, subtotalMinor: 10_000 });
    expect(held.status).toBe(200);
    const { reservation } = (await held.json()) as CartPointsResult;
    expect(reservation).toMatchObject({ points: 500, amountMinor: 500 });
    const tooMany = await cart({ points: 700, subtotalMinor: 100_000 });
    expect(tooMany.status).toBeGreaterThanOrEqual(400);
    expect(tooMany.status).toBeLessThan(500);
    expect(await (await cart()).json()).toMatchObject({ reservation: { points: 500, nonce: reservation!.nonce } });

    const order = paidWithPoints(Number(CUSTOMER), reservation!.nonce, 500, [{ price: "10000" }]);
    expect(await (await deliver("orders/paid", order)).json()).toMatchObject({ outcome: "applied" });
    // 600 − 500 spent + 95 earned on the ¥9,500 paid.
    expect(await available()).toBe(195);
    expect(await (await cart()).json()).toMatchObject({ reservation: null });

    // The thank-you page asks with the checkout's session token.
    const thanks = await account("GET", `checkout/orders/${order.id}`);
    expect(thanks.status).toBe(200);
    const thanked = (await thanks.json()) as OrderPoints;
    expect(thanked).toMatchObject({ status: "recorded", earned: 95, spent: 500 });
  });

  it("the customer account shows the points and passbook, and takes a birthday once", async () => {
    const points = await account("GET", "customer-account/points");
    expect(points.status).toBe(200);
    const body = (await points.json()) as AccountPoints;
    expect(body.member).toMatchObject({ available: 195 });
    expect(body.passbook.length).toBeGreaterThanOrEqual(3);

    const bad = await account("POST", "customer-account/profile", { action: "birthday", birthday: "13-45" });
    expect(bad.status).toBe(400);
    const set = await account("POST", "customer-account/profile", { action: "birthday", birthday: "05-20" });
    expect(set.status).toBe(200);
    expect((await set.json()) as AccountProfile).toMatchObject({ birthday: "05-20" });
    const again = await account("POST", "customer-account/profile", { action: "birthday", birthday: "06-01" });
    expect(again.status).toBe(409);

    const unsigned = await fetch(checkoutRequest("GET", "customer-account/points", null, undefined, server.baseUrl));
    expect(unsigned.status).toBe(401);
  });

  it("every Admin API call and answer fit Shopify's schema", () => {
    const calls = server.adminCalls();
    expect(calls.map((call) => call.operation)).toEqual(expect.arrayContaining(["TsumikiWriteReservation"]));
    for (const call of calls) checkAgainstSchema(call.query, call.variables, call.data);
  });
});
