import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import prisma from "../../app/db.server";
import type { AccountPoints, AccountProfile, OrderPoints } from "../../app/members/customer-account-api";
import { defaultProgram } from "../../app/program/program";
import * as checkoutOrder from "../../app/routes/checkout.orders.$id";
import * as accountOrder from "../../app/routes/customer-account.orders.$id";
import * as accountPoints from "../../app/routes/customer-account.points";
import * as accountProfile from "../../app/routes/customer-account.profile";
import { installShop, memberState, orderPayload, uniqueId } from "../support/fixtures";
import { losableDatabase, type LosableDatabase } from "../support/outage";
import { deliver } from "../support/routes";
import { customerAccountRequest, customerAccountToken, SHOP, sessionToken } from "../support/shopify";

type Route = { loader?: (args: never) => Promise<Response>; action?: (args: never) => Promise<Response> };

/** Calls a route as Remix would; a thrown Response (a refused token) is returned like a returned one. */
async function call(route: Route, method: string, path: string, token: string | null, body?: unknown, params = {}) {
  const request = customerAccountRequest(method, path, token, body);
  const handler = method === "GET" ? route.loader! : route.action!;
  try {
    return await handler({ request, params, context: {} } as never);
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

// Tests that change the program do it in a shop of their own: the database is shared by the whole file.
const GOLD_SHOP = "account-gold.myshopify.com";
const JOIN_SHOP = "account-join.myshopify.com";
const token = (customerId: string, shop = SHOP) => customerAccountToken({ customerId, shop });
const points = (customerId: string, shop = SHOP) =>
  call(accountPoints, "GET", "customer-account/points", token(customerId, shop));
const profile = (customerId: string, body?: unknown, shop = SHOP) =>
  call(accountProfile, body === undefined ? "GET" : "POST", "customer-account/profile", token(customerId, shop), body);
const order = (customerId: string, id: string) =>
  call(accountOrder, "GET", `customer-account/orders/${id}`, token(customerId), undefined, { id });

async function programWith(domain: string, over: Record<string, unknown>) {
  const shop = await installShop(domain);
  const last = await prisma.programVersion.findFirst({ where: { shopId: shop.id }, orderBy: { version: "desc" } });
  await prisma.programVersion.create({
    data: {
      shopId: shop.id,
      version: (last?.version ?? 0) + 1,
      settings: { ...defaultProgram("JPY"), ...over } as never,
    },
  });
}

describe("customer account API", () => {
  beforeEach(async () => {
    await installShop();
  });

  it("refuses an unsigned request, one signed with another secret, and one naming no customer", async () => {
    for (const t of [
      null,
      customerAccountToken({ secret: "not-the-app-secret" }),
      sessionToken({ customerId: null }),
    ]) {
      const response = await call(accountPoints, "GET", "customer-account/points", t);
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ code: "unauthorized" });
    }
  });

  it("answers the browser's CORS preflight for every route, as the library does", async () => {
    for (const route of [accountPoints, accountProfile, accountOrder, checkoutOrder]) {
      const response = await call(route, "OPTIONS", "customer-account/points", null);
      expect(response.status).toBe(204);
      expect(response.headers.get("Access-Control-Allow-Origin")).toBe("*");
      expect(response.headers.get("Access-Control-Allow-Headers")).toMatch(/Authorization/i);
    }
  });

  it("an order of ¥5,400 earns 54 points: the page shows the balance and a passbook line explaining them", async () => {
    const id = uniqueId();
    await deliver("orders/paid", orderPayload({ id, customerId: 7101, total: "5400" }));
    const response = await points("7101");
    expect(response.status).toBe(200);
    expect(response.headers.get("Access-Control-Allow-Origin")).toBe("*");
    const body = (await response.json()) as AccountPoints;
    expect(body.membership).toMatchObject({ mode: "all", member: true });
    expect(body.member).toMatchObject({ available: 54, pending: 0 });
    expect(body.passbook).toEqual([
      expect.objectContaining({
        kind: "earn",
        points: 54,
        balance: 54,
        orderName: `#${id}`,
        explanation: { currency: "JPY", baseMinor: 5400, rate: { points: 1, perMinor: 100 }, boosts: [], bonuses: [] },
      }),
    ]);
    expect(body.rewards.length).toBeGreaterThan(0);
  });

  it("a Gold member's order is explained with the tier's boost", async () => {
    await programWith(GOLD_SHOP, {
      tiers: {
        levels: [{ id: "gold", name: "Gold", threshold: 0, earnExtraPercent: 25, reachBonus: 0 }],
        basis: "spend",
        period: "lifetime",
        downgrade: "never",
        graceDays: 0,
      },
    });
    await deliver("orders/paid", orderPayload({ customerId: 7102, total: "5400" }), { shop: GOLD_SHOP });
    // Reached Gold (as the tier job records it); the next order earns the tier's extra 25 %.
    await prisma.member.updateMany({
      where: { customerId: "7102", shop: { domain: GOLD_SHOP } },
      data: { tierId: "gold" },
    });
    await deliver("orders/paid", orderPayload({ customerId: 7102, total: "5400" }), { shop: GOLD_SHOP });
    const body = (await (await points("7102", GOLD_SHOP)).json()) as AccountPoints;
    expect(body.member?.tier).toMatchObject({ name: "Gold" });
    expect(body.tierExtraPercent).toBe(25);
    const boosted = body.passbook.find((line) => line.explanation?.boosts.length);
    expect(boosted?.explanation?.boosts).toEqual([{ source: "Gold", percent: 25 }]);
    // Running balance: newest first, each line the balance after it.
    expect(body.passbook[0].balance).toBe(body.passbook.reduce((sum, line) => sum + line.points, 0));
  });

  it("a birthday is given once, then refused; a malformed one writes nothing", async () => {
    await deliver("orders/paid", orderPayload({ customerId: 7103, total: "1000" }));
    const bad = await profile("7103", { action: "birthday", birthday: "02-30" });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toMatch(/MM-DD/);
    expect((await memberState(7103))?.birthday).toBeNull();

    const saved = await profile("7103", { action: "birthday", birthday: "07-14" });
    expect(saved.status).toBe(200);
    expect(((await saved.json()) as AccountProfile).birthday).toBe("07-14");
    const again = await profile("7103", { action: "birthday", birthday: "12-24" });
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ code: "birthday_set" });
    expect((await memberState(7103))?.birthday).toBe("07-14");
  });

  it("two birthdays sent at once: one is saved, the other refused", async () => {
    await deliver("orders/paid", orderPayload({ customerId: 7111, total: "1000" }));
    const answers = await Promise.all([
      profile("7111", { action: "birthday", birthday: "03-03" }),
      profile("7111", { action: "birthday", birthday: "04-04" }),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    const saved = answers.find((a) => a.status === 200)!;
    expect((await memberState(7111))?.birthday).toBe(((await saved.json()) as AccountProfile).birthday);
  });

  it("bad input is answered 400 with its reason and writes nothing", async () => {
    await deliver("orders/paid", orderPayload({ customerId: 7104, total: "1000" }));
    const before = await memberState(7104);
    for (const body of ["not json", {}, { action: "emails", pointsNewsEmails: "yes" }, { action: "rename" }]) {
      const response = await profile("7104", body);
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ code: "invalid", error: expect.any(String) });
    }
    expect(await memberState(7104)).toEqual(before);
    const badOrder = await order("7104", "not-an-order");
    expect(badOrder.status).toBe(400);
  });

  it("a customer the app has not seen yet can choose the emails too", async () => {
    const on = await profile("7110", { action: "emails", pointsNewsEmails: true });
    expect(on.status).toBe(200);
    expect((await memberState(7110))?.pointsNewsEmails).toBe(true);
  });

  it("the points-news email choice is stored per member and read back", async () => {
    await deliver("orders/paid", orderPayload({ customerId: 7105, total: "1000" }));
    expect(((await (await profile("7105")).json()) as AccountProfile).pointsNewsEmails).toBe(false);
    const on = await profile("7105", { action: "emails", pointsNewsEmails: true });
    expect(((await on.json()) as AccountProfile).pointsNewsEmails).toBe(true);
    expect((await memberState(7105))?.pointsNewsEmails).toBe(true);
  });

  it("in a members-join program a customer joins with the terms shown, then leaves, keeping the points", async () => {
    await programWith(JOIN_SHOP, {
      membership: { mode: "join", termsVersion: "2026-11", termsUrl: null, onLeave: "keep" },
    });
    const before = (await (await points("7106", JOIN_SHOP)).json()) as AccountPoints;
    expect(before.membership).toMatchObject({ mode: "join", member: false, termsVersion: "2026-11" });
    expect(before.member).toBeNull();
    expect(before.passbook).toEqual([]);

    const stale = await profile("7106", { action: "join", termsVersion: "old" }, JOIN_SHOP);
    expect(stale.status).toBe(422);
    expect((await stale.json()).error).toEqual(expect.any(String));
    expect((await memberState(7106, JOIN_SHOP))?.joinedAt ?? null).toBeNull();
    const joined = await profile("7106", { action: "join", termsVersion: "2026-11" }, JOIN_SHOP);
    expect(joined.status).toBe(200);
    expect(((await joined.json()) as AccountProfile).membership.member).toBe(true);

    const left = await profile("7106", { action: "leave", confirm: true }, JOIN_SHOP);
    expect(left.status).toBe(200);
    expect(((await left.json()) as AccountProfile).membership.member).toBe(false);
  });

  it("an order's points: earned and spent for its customer, nothing about another customer's order", async () => {
    const id = uniqueId();
    await deliver("orders/paid", orderPayload({ id, customerId: 7107, total: "5400" }));
    const mine = await order("7107", `gid://shopify/Order/${id}`);
    expect(mine.status).toBe(200);
    expect((await mine.json()) as OrderPoints).toMatchObject({
      status: "recorded",
      orderName: `#${id}`,
      earned: 54,
      pending: 0,
      spent: 0,
      explanation: { baseMinor: 5400 },
    });
    const theirs = (await (await order("7108", String(id))).json()) as OrderPoints;
    expect(theirs).toMatchObject({ status: "processing", earned: 0, orderName: null });
  });

  it("the thank-you page reads the same order points under a checkout token; a guest is refused", async () => {
    const id = uniqueId();
    const request = (customerId: string | null) =>
      call(checkoutOrder, "GET", `checkout/orders/${id}`, sessionToken({ customerId }), undefined, { id: String(id) });
    expect((await (await request("7109")).json()) as OrderPoints).toMatchObject({ status: "processing", earned: 0 });
    await deliver("orders/paid", orderPayload({ id, customerId: 7109, total: "5400" }));
    expect((await (await request("7109")).json()) as OrderPoints).toMatchObject({ status: "recorded", earned: 54 });
    expect((await request(null)).status).toBe(401);
  });
});

describe("customer account API when the database is unreachable", () => {
  let losable: LosableDatabase;
  let original: typeof globalThis.tsumikiDatabase;
  let routes: { points: Route; profile: Route };
  const OUTAGE_SHOP = "account-outage.myshopify.com";

  beforeAll(async () => {
    losable = await losableDatabase();
    original = globalThis.tsumikiDatabase;
    globalThis.tsumikiDatabase = losable.database;
    vi.resetModules();
    routes = {
      points: await import("../../app/routes/customer-account.points"),
      profile: await import("../../app/routes/customer-account.profile"),
    };
    const fixtures = await import("../support/fixtures");
    await fixtures.installShop(OUTAGE_SHOP);
    await losable.lose();
  });

  afterAll(async () => {
    globalThis.tsumikiDatabase = original;
    vi.resetModules();
    await losable.dispose();
  });

  it("answers 503 with a reason, and a profile change writes nothing", async () => {
    const t = customerAccountToken({ shop: OUTAGE_SHOP, customerId: "7201" });
    const read = await call(routes.points, "GET", "customer-account/points", t);
    expect(read.status).toBe(503);
    expect(await read.json()).toMatchObject({ code: "unavailable" });
    const write = await call(routes.profile, "POST", "customer-account/profile", t, {
      action: "emails",
      pointsNewsEmails: true,
    });
    expect(write.status).toBe(503);
    const inspect = await losable.inspect();
    expect(await inspect.prisma.member.count({ where: { customerId: "7201" } })).toBe(0);
  });
});
