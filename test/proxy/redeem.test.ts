import { beforeEach, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { BODY_LIMITS } from "../../app/http/body-limits";
import { redeemReward, sweepRewardCodes } from "../../app/redemption/reward-codes.server";
import type { RedeemResult, StorefrontSummary } from "../../app/storefront/storefront-api";
import { adminAnswers, adminApi, happyAdmin, resetAdminApi } from "../support/admin-api";
import { installShop, memberState, orderPayload } from "../support/fixtures";
import { expectBalancesMatchLedger } from "../support/invariants";
import { deliver, getSummary, redeem } from "../support/routes";
import { SHOP } from "../support/shopify";

const OTHER_SHOP = "other-shop.myshopify.com";

// Each test files its own database; each test its own customer.
let customer = 7200;
const codesOf = async (customerId: number) =>
  prisma.rewardCode.findMany({ where: { member: { customerId: String(customerId) } } });

describe("POST /proxy/redeem", () => {
  let c = 0;
  beforeEach(async () => {
    await installShop();
    resetAdminApi(happyAdmin);
    c = ++customer;
    await deliver("orders/paid", orderPayload({ customerId: c, total: "120000" })); // 1,200 points
  });

  it("turns points into a single-use code for this customer only, spending the points once Shopify made it", async () => {
    const response = await redeem(String(c), { rewardId: "points-500", key: "click-0001" });
    expect(response.status).toBe(200);
    const result = (await response.json()) as RedeemResult;
    expect(result.available).toBe(700);
    expect(result.code).toMatchObject({ rewardName: "¥500", points: 500, amountMinor: 500 });
    expect(result.code.code).toMatch(/^TSUMIKI-[A-Z2-9]{10}$/);

    const call = adminApi.calls.find((c) => c.operation === "TsumikiCreateRewardCode")!;
    expect(call.variables.discount).toMatchObject({
      code: result.code.code,
      usageLimit: 1,
      appliesOncePerCustomer: true,
      context: { customers: { add: [`gid://shopify/Customer/${c}`] } },
      customerGets: { value: { discountAmount: { amount: "500", appliesOnEachItem: false } }, items: { all: true } },
      endsAt: result.code.expiresAt,
    });
    const member = await memberState(c);
    expect(member).toMatchObject({ pointsAvailable: 700, pointsReserved: 0 });
    const summary = (await (await getSummary({ customerId: String(c) })).json()) as StorefrontSummary;
    expect(summary.codes).toEqual([result.code]);
    expect(summary.history.entries[0]).toMatchObject({ kind: "reward", points: -500 });
    await expectBalancesMatchLedger();
  });

  it("a retried request with the same key returns the same code and spends nothing more", async () => {
    const first = (await (
      await redeem(String(c), { rewardId: "points-500", key: "click-0002" })
    ).json()) as RedeemResult;
    const again = await redeem(String(c), { rewardId: "points-500", key: "click-0002" });
    expect(again.status).toBe(200);
    expect(((await again.json()) as RedeemResult).code.code).toBe(first.code.code);
    expect(adminApi.calls.filter((c) => c.operation === "TsumikiCreateRewardCode")).toHaveLength(1);
    expect((await memberState(c))?.pointsAvailable).toBe(700);
  });

  it("two copies of one request sent at once make one code", async () => {
    const answers = await Promise.all(
      [1, 2].map(() => redeem(String(c), { rewardId: "points-500", key: "click-twin" })),
    );
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    const [a, b] = (await Promise.all(answers.map((r) => r.json()))) as RedeemResult[];
    expect(a.code.code).toBe(b.code.code);
    expect(await codesOf(c)).toHaveLength(1);
    expect((await memberState(c))?.pointsAvailable).toBe(700);
  });

  it("a copy that arrives while the first is waiting for Shopify waits for its answer instead of asking again", async () => {
    const first = (await (
      await redeem(String(c), { rewardId: "points-500", key: "click-slow" })
    ).json()) as RedeemResult;
    // As if the first request were still waiting for Shopify's answer.
    const [code] = await codesOf(c);
    await prisma.rewardCode.update({ where: { id: code.id }, data: { status: "creating" } });
    // (Prisma queries run only once awaited or then-ed.)
    setTimeout(() => prisma.rewardCode.update({ where: { id: code.id }, data: { status: "active" } }).then(), 600);
    const calls = adminApi.calls.length;
    const copy = await redeem(String(c), { rewardId: "points-500", key: "click-slow" });
    expect(copy.status).toBe(200);
    expect(((await copy.json()) as RedeemResult).code.code).toBe(first.code.code);
    expect(adminApi.calls.length).toBe(calls);
    expect((await memberState(c))?.pointsAvailable).toBe(700);
  });

  it("a copy still waiting when the first has not finished is told to retry the same key", async () => {
    await redeem(String(c), { rewardId: "points-500", key: "click-stuck" });
    const [code] = await codesOf(c);
    await prisma.rewardCode.update({ where: { id: code.id }, data: { status: "creating" } });
    const attempt = redeemReward(prisma, SHOP, String(c), "points-500", "click-stuck", new Date(), 300);
    await expect(attempt).rejects.toMatchObject({ code: "in_progress" });
    expect(await codesOf(c)).toHaveLength(1);
  });

  it("concurrent redeems can never spend more than the balance", async () => {
    const answers = await Promise.all(
      ["a", "b", "c"].map((k) => redeem(String(c), { rewardId: "points-500", key: `concurrent-${k}` })),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 409]);
    expect((await memberState(c))?.pointsAvailable).toBe(200);
    await expectBalancesMatchLedger();
  });

  it("insufficient balance is a clear 409 and spends nothing", async () => {
    const response = await redeem(String(c), { rewardId: "points-1000", key: "click-big1" });
    expect(response.status).toBe(200);
    const refused = await redeem(String(c), { rewardId: "points-500", key: "click-big2" });
    expect(refused.status).toBe(409);
    expect(await refused.json()).toEqual({
      error: "this reward needs 500 points; you have 200",
      code: "insufficient_balance",
    });
    expect(await codesOf(c)).toHaveLength(1);
    expect((await memberState(c))?.pointsAvailable).toBe(200);
  });

  it("if Shopify refuses the code, the points are not spent", async () => {
    resetAdminApi((call) =>
      call.operation === "TsumikiCreateRewardCode" ? adminAnswers.discountCodeBasicCreateRefused() : happyAdmin(call),
    );
    const response = await redeem(String(c), { rewardId: "points-500", key: "click-fail" });
    expect(response.status).toBe(502);
    expect(await response.json()).toMatchObject({ code: "shopify_refused" });
    expect(await memberState(c)).toMatchObject({ pointsAvailable: 1200, pointsReserved: 0 });
    expect(await codesOf(c)).toMatchObject([{ status: "failed" }]);
    const kinds = await prisma.ledgerEntry.findMany({
      where: { sourceType: "reward", member: { customerId: String(c) } },
      select: { kind: true },
    });
    expect(kinds.map((k) => k.kind)).toEqual(["reserve", "release"]);
    await expectBalancesMatchLedger();

    adminApi.failWith = 503;
    expect((await redeem(String(c), { rewardId: "points-500", key: "click-down" })).status).toBe(502);
    expect((await memberState(c))?.pointsAvailable).toBe(1200);
  });

  it("refuses unknown rewards, anonymous visitors, blocked members and malformed bodies, writing nothing", async () => {
    expect((await redeem(String(c), { rewardId: "nope", key: "click-unkn" })).status).toBe(404);
    const anonymous = await redeem("", { rewardId: "points-500", key: "click-anon" });
    expect(anonymous.status).toBe(401);
    for (const body of [{}, { rewardId: "points-500" }, { rewardId: "points-500", key: "x" }, "not json"]) {
      const bad = await redeem(String(c), body);
      expect(bad.status).toBe(400);
      expect(await bad.json()).toMatchObject({ code: "invalid_request" });
    }
    await prisma.member.updateMany({
      where: { customerId: String(c) },
      data: { blockedAt: new Date(), blockedReason: "dispute" },
    });
    const blocked = await redeem(String(c), { rewardId: "points-500", key: "click-blok" });
    expect(blocked.status).toBe(403);
    expect(await codesOf(c)).toHaveLength(0);
    expect(adminApi.calls.filter((c) => c.operation === "TsumikiCreateRewardCode")).toHaveLength(0);
  });

  it("a body larger than the storefront limit is refused with 413 and spends nothing", async () => {
    const response = await redeem(String(c), { rewardId: "points-500", key: "click-huge", pad: "x".repeat(64 * 1024) });
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({
      error: `request body is larger than ${BODY_LIMITS.storefront} bytes`,
      code: "body_too_large",
    });
    expect(await codesOf(c)).toHaveLength(0);
    expect((await memberState(c))?.pointsAvailable).toBe(1200);
  });

  it("a bad signature is 400 and a customer of another shop cannot spend here", async () => {
    expect((await redeem(String(c), { rewardId: "points-500", key: "click-forg" }, { secret: "forged" })).status).toBe(
      400,
    );
    await installShop(OTHER_SHOP);
    const elsewhere = await redeem(String(c), { rewardId: "points-500", key: "click-else" }, { shop: OTHER_SHOP });
    expect(elsewhere.status).toBe(409);
    expect((await memberState(c))?.pointsAvailable).toBe(1200);
  });
});

describe("reward codes after they are issued", () => {
  let c = 0;
  beforeEach(async () => {
    await installShop();
    resetAdminApi(happyAdmin);
    c = ++customer;
    await deliver("orders/paid", orderPayload({ customerId: c, total: "60000" })); // 600 points
    // Codes from earlier tests in this file are settled, so each sweep here sees only this test's code.
    await prisma.rewardCode.updateMany({ where: { status: { in: ["active", "creating"] } }, data: { status: "used" } });
  });

  const later = () => new Date(Date.now() + 31 * 24 * 60 * 60_000);

  it("an unused code that ran out is deleted at Shopify and its points come back", async () => {
    const { code } = (await (
      await redeem(String(c), { rewardId: "points-500", key: "click-exp1" })
    ).json()) as RedeemResult;
    resetAdminApi((call) =>
      call.operation === "TsumikiRewardCodeUsage"
        ? adminAnswers.codeDiscountNodeByCode({ id: "gid://shopify/DiscountCodeNode/9", used: 0 })
        : happyAdmin(call),
    );
    expect(await sweepRewardCodes(prisma, later())).toBe(1);
    expect(adminApi.calls.map((c) => c.operation)).toEqual(["TsumikiRewardCodeUsage", "TsumikiDeleteRewardCode"]);
    expect(await prisma.rewardCode.findFirst({ where: { code: code.code } })).toMatchObject({ status: "expired" });
    expect((await memberState(c))?.pointsAvailable).toBe(600);
    expect(await sweepRewardCodes(prisma, later())).toBe(0);
    expect((await memberState(c))?.pointsAvailable).toBe(600);
    await expectBalancesMatchLedger();
  });

  it("an order that uses the code marks it used: the widget stops offering it and the sweep never returns it", async () => {
    const { code } = (await (
      await redeem(String(c), { rewardId: "points-500", key: "click-paid" })
    ).json()) as RedeemResult;
    const order = orderPayload({ customerId: c, total: "3000" });
    await deliver("orders/paid", {
      ...order,
      discount_codes: [{ code: code.code.toLowerCase(), amount: "500", type: "fixed_amount" }],
    });
    expect(await codesOf(c)).toMatchObject([{ status: "used" }]);
    const summary = (await (await getSummary({ customerId: String(c) })).json()) as StorefrontSummary;
    expect(summary.codes).toEqual([]);
    expect(await sweepRewardCodes(prisma, later())).toBe(0);
    expect((await memberState(c))?.pointsAvailable).toBe(100 + 30);
  });

  it("a used code keeps its points spent", async () => {
    await redeem(String(c), { rewardId: "points-500", key: "click-use1" });
    resetAdminApi((call) =>
      call.operation === "TsumikiRewardCodeUsage"
        ? adminAnswers.codeDiscountNodeByCode({ id: "gid://shopify/DiscountCodeNode/9", used: 1 })
        : happyAdmin(call),
    );
    expect(await sweepRewardCodes(prisma, later())).toBe(1);
    expect(await codesOf(c)).toMatchObject([{ status: "used" }]);
    expect((await memberState(c))?.pointsAvailable).toBe(100);
  });

  it("while Shopify cannot be asked, nothing is returned; the next sweep settles it", async () => {
    await redeem(String(c), { rewardId: "points-500", key: "click-down" });
    adminApi.failWith = 503;
    expect(await sweepRewardCodes(prisma, later())).toBe(0);
    expect((await memberState(c))?.pointsAvailable).toBe(100);
    resetAdminApi(happyAdmin); // Shopify has no such code any more: nothing to delete, points come back.
    expect(await sweepRewardCodes(prisma, later())).toBe(1);
    expect((await memberState(c))?.pointsAvailable).toBe(600);
  });

  it("a redemption that died between the hold and Shopify's answer is settled by what Shopify has", async () => {
    const member = await prisma.member.findFirstOrThrow({ where: { customerId: String(c) } });
    // Simulate the crash: the hold committed, the request never came back.
    adminApi.failWith = 503;
    await redeem(String(c), { rewardId: "points-500", key: "click-die1" }).catch(() => null);
    await prisma.rewardCode.updateMany({ where: { memberId: member.id }, data: { status: "creating" } });
    const held = await prisma.ledgerEntry.deleteMany({ where: { kind: "release", memberId: member.id } });
    expect(held.count).toBe(1);
    await prisma.member.update({ where: { id: member.id }, data: { pointsAvailable: 100, pointsReserved: 500 } });
    resetAdminApi((call) =>
      call.operation === "TsumikiRewardCodeUsage"
        ? adminAnswers.codeDiscountNodeByCode({ id: "gid://shopify/DiscountCodeNode/5", used: 0 })
        : happyAdmin(call),
    );
    expect(await sweepRewardCodes(prisma, new Date(Date.now() + 11 * 60_000))).toBe(1);
    expect(await codesOf(c)).toMatchObject([{ status: "active", discountId: "gid://shopify/DiscountCodeNode/5" }]);
    expect(await memberState(c)).toMatchObject({ pointsAvailable: 100, pointsReserved: 0 });
    await expectBalancesMatchLedger();
  });
});
