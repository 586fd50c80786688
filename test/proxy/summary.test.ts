import { beforeEach, describe, expect, it } from "vitest";
import { installShop, orderPayload } from "../support/fixtures";
import { deliver, getSummary } from "../support/routes";

describe("GET /proxy/summary", () => {
  beforeEach(async () => {
    await installShop();
  });

  it("shows the logged-in shopper's available and pending points", async () => {
    await deliver("orders/paid", orderPayload({ customerId: 7001, total: "12345" }));
    const response = await getSummary({ customerId: "7001" });
    expect(response.status).toBe(200);
    expect(response.headers.get("Cache-Control")).toBe("private, no-store");
    expect(await response.json()).toEqual({
      loggedIn: true,
      balance: 123,
      pending: 0,
      debt: 0,
      currency: "JPY",
      earnRate: { points: 1, perMinor: 100 },
    });
  });

  it("an anonymous visitor gets the program, no balance", async () => {
    expect(await (await getSummary({ customerId: null })).json()).toMatchObject({ loggedIn: false, balance: 0 });
  });

  it("a customer id the browser adds cannot replace the signed one", async () => {
    await deliver("orders/paid", orderPayload({ customerId: 7002, total: "5400" }));
    const response = await getSummary({ customerId: "", extra: { customer_id: "7002" } });
    expect(await response.json()).toMatchObject({ loggedIn: false, balance: 0 });
  });

  it("rejects a bad signature with 400 and a reason", async () => {
    const response = await getSummary({ customerId: "7001", secret: "forged" });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: "invalid or expired app proxy signature" });
  });

  it("rejects a signature more than 90 seconds old", async () => {
    const response = await getSummary({ customerId: "7001", timestamp: Math.floor(Date.now() / 1000) - 120 });
    expect(response.status).toBe(400);
  });

  it("answers 404 for a shop that never installed the app", async () => {
    const response = await getSummary({ shop: "unknown-shop.myshopify.com", customerId: "7001" });
    expect(response.status).toBe(404);
  });
});
