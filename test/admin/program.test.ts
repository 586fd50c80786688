import { beforeEach, describe, expect, it } from "vitest";
import { defaultProgram } from "../../app/program/program";
import prisma from "../../app/db.server";
import * as programRoute from "../../app/routes/app.program";
import { installShop, memberState, orderPayload, refundPayload } from "../support/fixtures";
import { deliver, getSummary } from "../support/routes";
import type { StorefrontSummary } from "../../app/storefront/storefront-api";
import { adminRequest, SHOP } from "../support/shopify";

async function call(request: Request, handler: "loader" | "action") {
  try {
    return await programRoute[handler]({ request, params: {}, context: {} } as never);
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

describe("the program page", () => {
  beforeEach(async () => {
    await installShop();
  });

  it("shows the program in force with its plain-language summary", async () => {
    const response = (await call(adminRequest("GET", "/app/program?locale=ja"), "loader")) as unknown as Record<
      string,
      unknown
    >;
    expect(response).toMatchObject({ settings: { earnRate: { points: 1, perMinor: 100 } }, locale: "ja" });
    expect((response.summary as string[])[0]).toContain("ポイントが貯まります");
  });

  it("saving creates a new version; old orders are reversed with the rules they were earned under", async () => {
    const before = orderPayload({ customerId: 14001, total: "5400" });
    await deliver("orders/paid", before); // 54 points at 1 per ¥100
    const settings = { ...defaultProgram("JPY"), earnRate: { points: 3, perMinor: 100 } };
    const saved = (await call(adminRequest("POST", "/app/program", { settings }), "action")) as Response;
    expect(saved.status).toBe(200);
    expect(await saved.json()).toEqual({ version: 2 });

    await deliver("orders/paid", orderPayload({ customerId: 14001, total: "5400" })); // 162 points at 3 per ¥100
    expect((await memberState(14001))?.pointsAvailable).toBe(54 + 162);
    await deliver(
      "refunds/create",
      refundPayload(before.id, [{ lineItemId: before.line_items[0].id, subtotal: "5400" }]),
    );
    expect((await memberState(14001))?.pointsAvailable).toBe(162);

    const audit = await prisma.auditLog.findFirstOrThrow({ where: { action: "program.saved" } });
    expect(audit).toMatchObject({ actor: "staff:42", subject: "program version 2" });
    expect(audit.before).toMatchObject({ earnRate: { points: 1 } });
    expect(audit.after).toMatchObject({ earnRate: { points: 3 } });
  });

  it("a rejected save answers 422 with field errors and changes nothing", async () => {
    const shop = await prisma.shop.findUniqueOrThrow({ where: { domain: SHOP } });
    const versions = await prisma.programVersion.count({ where: { shopId: shop.id } });
    const audits = await prisma.auditLog.count();
    const settings = {
      ...defaultProgram("JPY"),
      earnRate: { points: 0, perMinor: 100 },
      pendingDays: 30,
      expiryDays: 7,
    };
    const response = (await call(adminRequest("POST", "/app/program", { settings }), "action")) as Response;
    expect(response.status).toBe(422);
    expect((await response.json()).errors).toMatchObject({
      "earnRate.points": expect.any(String),
      expiryDays: expect.any(String),
    });
    expect(await prisma.programVersion.count({ where: { shopId: shop.id } })).toBe(versions);
    expect(await prisma.auditLog.count()).toBe(audits);
  });

  it("a body that is not settings answers 400", async () => {
    const response = (await call(adminRequest("POST", "/app/program", "nonsense"), "action")) as Response;
    expect(response.status).toBe(400);
  });

  it("without a valid session token the admin is not served", async () => {
    const forged = new Request("https://tsumiki.test/app/program", {
      method: "POST",
      headers: { Authorization: "Bearer not.a.token" },
      body: "{}",
    });
    const response = (await call(forged, "action")) as Response;
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(await prisma.auditLog.count({ where: { actor: { contains: "unknown" } } })).toBe(0);
  });
});

describe("multipliers through the real webhooks", () => {
  it("an order with a ×3 vendor multiplier earns by the rule, and refunding that line takes back its multiplied points", async () => {
    const domain = "rules-test.myshopify.com";
    await installShop(domain);
    const settings = {
      ...defaultProgram("JPY"),
      rules: [{ id: "r1", name: "Kyoto Tea ×3", target: { vendors: ["Kyoto Tea"] }, extraPercent: 200 }],
    };
    expect(
      ((await call(adminRequest("POST", "/app/program", { settings }, domain), "action")) as Response).status,
    ).toBe(200);
    const order = orderPayload({
      customerId: 15001,
      lines: [
        { price: "2000", vendor: "Kyoto Tea" },
        { price: "1000", vendor: "Arita" },
      ],
    });
    await deliver("orders/paid", order, { shop: domain });
    expect((await memberState(15001, domain))?.pointsAvailable).toBe(60 + 10);
    const entry = await prisma.ledgerEntry.findFirstOrThrow({ where: { orderId: String(order.id), kind: "earn" } });
    expect(entry.calculation).toMatchObject({
      lines: [{ percent: 300, boosts: [{ source: "Kyoto Tea ×3" }] }, { percent: 100 }],
    });
    await deliver(
      "refunds/create",
      refundPayload(order.id, [{ lineItemId: order.line_items[0].id, subtotal: "2000" }]),
      { shop: domain },
    );
    expect((await memberState(15001, domain))?.pointsAvailable).toBe(10);
  });
});

describe("the activity page", () => {
  it("shows each earn with the calculation that produced it", async () => {
    const domain = "activity-test.myshopify.com";
    await installShop(domain);
    const order = orderPayload({ customerId: 19001, lines: [{ price: "2000" }, { price: "5000" }] });
    (order.line_items[1] as { gift_card: boolean }).gift_card = true;
    await deliver("orders/paid", order, { shop: domain });
    const { loader } = await import("../../app/routes/app.activity");
    const data = (await loader({
      request: adminRequest("GET", "/app/activity?locale=ja", undefined, domain),
      params: {},
      context: {},
    } as never)) as {
      earns: Array<{ orderId: string; points: number; explanation: string[] }>;
    };
    expect(data.earns[0]).toMatchObject({ orderId: String(order.id), points: 20 });
    expect(data.earns[0].explanation).toContain("￥100ごとに1ポイント、切り捨てで合計20ポイント");
  });
});

describe("storefront rewards in the program", () => {
  it("saves the merchant's rewards and the code lifetime; the storefront offers them", async () => {
    const domain = "rewards-test.myshopify.com";
    await installShop(domain);
    const settings = {
      ...defaultProgram("JPY"),
      rewards: [{ id: "tea", name: "Tea set ¥1,500", points: 1200, amountMinor: 1500, minimumSubtotalMinor: 5000 }],
      rewardCodeDays: 14,
    };
    const saved = (await call(adminRequest("POST", "/app/program", { settings }, domain), "action")) as Response;
    expect(saved.status).toBe(200);
    const summary = (await (await getSummary({ shop: domain, customerId: null })).json()) as StorefrontSummary;
    expect(summary.rewards).toEqual([
      { id: "tea", name: "Tea set ¥1,500", points: 1200, amountMinor: 1500, minimumSubtotalMinor: 5000 },
    ]);
  });

  it("rejects rewards that cost nothing, take nothing off, or repeat an id, writing nothing", async () => {
    const domain = "rewards-bad.myshopify.com";
    await installShop(domain);
    const reward = { id: "r", name: "", points: 0, amountMinor: 0, minimumSubtotalMinor: -1 };
    const settings = { ...defaultProgram("JPY"), rewards: [reward, { ...reward, points: 5 }], rewardCodeDays: 0 };
    const shop = await prisma.shop.findUniqueOrThrow({ where: { domain } });
    const versions = await prisma.programVersion.count({ where: { shopId: shop.id } });
    const refused = (await call(adminRequest("POST", "/app/program", { settings }, domain), "action")) as Response;
    expect(refused.status).toBe(422);
    const { errors } = (await refused.json()) as { errors: Record<string, string> };
    expect(Object.keys(errors).sort()).toEqual([
      "rewardCodeDays",
      "rewards.0.amountMinor",
      "rewards.0.minimumSubtotalMinor",
      "rewards.0.points",
      "rewards.1.amountMinor",
      "rewards.1.id",
      "rewards.1.minimumSubtotalMinor",
    ]);
    expect(await prisma.programVersion.count({ where: { shopId: shop.id } })).toBe(versions);
  });
});
