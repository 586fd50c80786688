import { createHmac } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import * as proxySummary from "../../app/routes/proxy.summary";
import { defaultProgram } from "../../app/program/program";
import prisma from "../../app/db.server";
import { saveProgram } from "../../app/program/programs.server";
import { evaluateTiers } from "../../app/program/tiers.server";
import type { HistoryPage, StorefrontSummary } from "../../app/storefront/storefront-api";
import { installShop, orderPayload, refundPayload } from "../support/fixtures";
import { deliver, getSummary, proxy } from "../support/routes";
import { SHOP } from "../support/shopify";

async function summaryOf(customerId: string | null): Promise<StorefrontSummary> {
  const response = await getSummary({ customerId });
  expect(response.status).toBe(200);
  return (await response.json()) as StorefrontSummary;
}

async function useProgram(change: (settings: ReturnType<typeof defaultProgram>) => void) {
  const shop = await prisma.shop.findUniqueOrThrow({ where: { domain: SHOP } });
  const settings = defaultProgram("JPY");
  change(settings);
  const saved = await prisma.$transaction((tx) => saveProgram(tx, shop, settings, "staff:test"));
  expect(saved).toHaveProperty("version");
}

describe("GET /proxy/summary", () => {
  beforeEach(async () => {
    await installShop();
  });

  it("shows the logged-in shopper's balance, rewards and history in one answer", async () => {
    await deliver("orders/paid", orderPayload({ id: 880001, customerId: 7001, total: "12345" }));
    const response = await getSummary({ customerId: "7001" });
    expect(response.headers.get("Cache-Control")).toBe("private, no-store");
    const summary = (await response.json()) as StorefrontSummary;
    expect(summary).toMatchObject({
      loggedIn: true,
      program: { currency: "JPY", earnRate: { points: 1, perMinor: 100 }, tiers: [] },
      member: { available: 123, pending: 0, debt: 0, expiringSoon: null, tier: null, nextTier: null, blocked: false },
      rewards: [
        { id: "points-500", name: "¥500", points: 500, amountMinor: 500 },
        { id: "points-1000", name: "¥1,000", points: 1000, amountMinor: 1000 },
      ],
      codes: [],
    });
    expect(summary.history).toEqual({
      entries: [
        {
          id: expect.any(String),
          at: expect.any(String),
          kind: "earn",
          points: 123,
          pending: false,
          orderName: "#880001",
        },
      ],
      next: null,
    });
  });

  it("an anonymous visitor gets the program and rewards, no member", async () => {
    const summary = await summaryOf(null);
    expect(summary).toMatchObject({ loggedIn: false, member: null, codes: [], history: { entries: [] } });
    expect(summary.rewards).toHaveLength(2);
  });

  it("a logged-in customer the app has not seen yet is a new member with nothing so far", async () => {
    expect((await summaryOf("7999")).member).toMatchObject({ available: 0, pending: 0, nextTier: null });
  });

  it("shows pending points, the soonest expiry, and progress to the next tier in spend", async () => {
    await useProgram((settings) => {
      settings.pendingDays = 14;
      settings.expiryDays = 365;
      settings.tiers = {
        ...settings.tiers,
        levels: [
          { id: "silver", name: "Silver", threshold: 5000, earnExtraPercent: 0, reachBonus: 0 },
          { id: "gold", name: "Gold", threshold: 20000, earnExtraPercent: 25, reachBonus: 0 },
        ],
      };
    });
    await deliver("orders/paid", orderPayload({ customerId: 7003, total: "6800" }));
    await evaluateTiers(prisma);
    const { member } = await summaryOf("7003");
    expect(member).toMatchObject({
      available: 0,
      pending: 68,
      tier: { id: "silver", name: "Silver" },
      nextTier: { id: "gold", name: "Gold", remaining: 20000 - 6800 },
    });
    expect(member?.expiringSoon?.points).toBe(68);
    expect(new Date(member!.expiringSoon!.at).getTime()).toBeGreaterThan(Date.now() + 360 * 86_400_000);
  });

  it("at the top tier there is no next tier", async () => {
    await useProgram((settings) => {
      settings.tiers = {
        ...settings.tiers,
        levels: [{ id: "gold", name: "Gold", threshold: 1000, earnExtraPercent: 0, reachBonus: 0 }],
      };
    });
    await deliver("orders/paid", orderPayload({ customerId: 7004, total: "5400" }));
    await evaluateTiers(prisma);
    expect((await summaryOf("7004")).member).toMatchObject({ tier: { id: "gold" }, nextTier: null });
  });

  it("a customer id the browser adds cannot replace the signed one", async () => {
    await deliver("orders/paid", orderPayload({ customerId: 7002, total: "5400" }));
    const response = await getSummary({ customerId: "", extra: { customer_id: "7002" } });
    expect(await response.json()).toMatchObject({ loggedIn: false, member: null });
  });

  it("rejects a bad signature with 400 and a reason", async () => {
    for (const path of ["summary", "history", "rewards"]) {
      const response = await proxy(path, { customerId: "7001", secret: "forged" });
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ error: "invalid or expired app proxy signature" });
    }
  });

  it("refuses a signed request that names the shopper, the shop, the path prefix or the timestamp twice", async () => {
    await deliver("orders/paid", orderPayload({ customerId: 7010, total: "5400" }));
    const now = String(Math.floor(Date.now() / 1000));
    const repeats: Array<[string, string[]]> = [
      ["logged_in_customer_id", ["7010", "7011"]],
      ["shop", [SHOP, "other-shop.myshopify.com"]],
      ["path_prefix", ["/apps/tsumiki", "/apps/other"]],
      ["timestamp", [now, now]],
    ];
    for (const [name, values] of repeats) {
      const params: Record<string, string> = {
        shop: SHOP,
        logged_in_customer_id: "7010",
        path_prefix: "/apps/tsumiki",
        timestamp: now,
      };
      // Signed as Shopify's library reads a repeated parameter: its values joined with commas.
      params[name] = values.join(",");
      const message = Object.keys(params)
        .sort()
        .map((key) => `${key}=${params[key]}`)
        .join("");
      const query = new URLSearchParams(Object.entries(params).filter(([key]) => key !== name));
      for (const value of values) query.append(name, value);
      query.set("signature", createHmac("sha256", process.env.SHOPIFY_API_SECRET!).update(message).digest("hex"));
      const response = await proxySummary
        .loader({ request: new Request(`https://tsumiki.test/proxy/summary?${query}`), params: {}, context: {} })
        .catch((thrown: unknown) => thrown as Response);
      expect({ name, status: response.status }).toEqual({ name, status: 400 });
      expect(await response.json()).toEqual({
        error: `app proxy parameter repeated: ${name}`,
        code: "invalid_request",
      });
    }
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

describe("GET /proxy/history", () => {
  beforeEach(async () => {
    await installShop();
  });

  it("pages through the history newest first, leaving out holds and activations", async () => {
    const orders = Array.from({ length: 23 }, (_, i) =>
      orderPayload({ customerId: 7101, total: String(1000 + i * 100) }),
    );
    for (const order of orders) await deliver("orders/paid", order);
    await deliver(
      "refunds/create",
      refundPayload(orders[0].id, [{ lineItemId: orders[0].line_items[0].id, subtotal: "1000" }]),
    );

    const first = (await (await proxy("history", { customerId: "7101" })).json()) as HistoryPage;
    expect(first.entries).toHaveLength(20);
    expect(first.entries[0]).toMatchObject({ kind: "reverse", points: -10, orderName: `#${orders[0].id}` });
    expect(first.next).not.toBeNull();
    const second = (await (await proxy(`history?before=${first.next}`, { customerId: "7101" })).json()) as HistoryPage;
    expect(second.entries).toHaveLength(4);
    expect(second.next).toBeNull();
    const all = [...first.entries, ...second.entries];
    expect(new Set(all.map((entry) => entry.id)).size).toBe(24);
    expect(all.reduce((sum, entry) => sum + entry.points, 0)).toBe(
      orders.reduce((sum, _, i) => sum + Math.floor((1000 + i * 100) / 100), 0) - 10,
    );
  });

  it("needs a logged-in shopper and a well-formed cursor", async () => {
    expect((await proxy("history", { customerId: null })).status).toBe(401);
    const bad = await proxy("history?before=abc", { customerId: "7101" });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: "invalid_request" });
  });

  it("never shows another customer's entries", async () => {
    await deliver("orders/paid", orderPayload({ customerId: 7102, total: "5400" }));
    const page = (await (await proxy("history", { customerId: "7103" })).json()) as HistoryPage;
    expect(page.entries).toEqual([]);
  });
});
