import { beforeAll, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import type { Calculation } from "../../app/earning/earning";
import { adjust } from "../../app/ledger/ledger.server";
import { activateDueLots, expireDueLots } from "../../app/ledger/lot-schedule.server";
import { passbook } from "../../app/members/passbook.server";
import { defaultProgram, type ProgramSettings } from "../../app/program/program";
import * as programRoute from "../../app/routes/app.program";
import type { StorefrontSummary } from "../../app/storefront/storefront-api";
import { installShop, memberState, orderPayload, refundPayload } from "../support/fixtures";
import { expectBalancesMatchLedger } from "../support/invariants";
import { callRoute, deliver, getSummary, redeliver } from "../support/routes";
import { adminRequest, webhookRequest } from "../support/shopify";

const DAY = 24 * 60 * 60 * 1000;
const SHOP = "campaign-lots.myshopify.com";
const PENDING_SHOP = "campaign-lots-pending.myshopify.com";

/** Golden Week: +50% points, and that bonus expires after 30 days; the program's points after 365. */
const goldenWeek = {
  id: "gw",
  name: "Golden Week",
  startsAt: "2025-01-01T00:00",
  endsAt: "2100-01-01T00:00",
  target: {},
  extraPercent: 50,
  bonusExpiryDays: 30,
};

async function save(domain: string, settings: ProgramSettings): Promise<Response> {
  return (await callRoute(
    programRoute,
    "action",
    adminRequest("POST", "/app/program", { settings }, domain),
  )) as Response;
}

const program = (over: Partial<ProgramSettings> = {}): ProgramSettings => ({
  ...defaultProgram("JPY"),
  expiryDays: 365,
  campaigns: [goldenWeek],
  ...over,
});

/** The order's lots with their earn entry's key, the campaign lot first (it expires first). */
async function orderLots(orderId: number) {
  const lots = await prisma.lot.findMany({
    where: { orderId: String(orderId) },
    include: { earnEntry: { select: { idempotencyKey: true, points: true, calculation: true } } },
    orderBy: { expiresAt: "asc" },
  });
  return lots.map((lot) => ({
    key: lot.earnEntry.idempotencyKey,
    amount: lot.amount,
    remaining: lot.remaining,
    expiresAt: lot.expiresAt?.toISOString(),
    calculation: lot.earnEntry.calculation as unknown as Calculation,
    id: lot.id,
  }));
}

/** What each of these lots gave to one ledger entry. */
async function takenBy(idempotencyKey: string, lotIds: string[]) {
  const entry = await prisma.ledgerEntry.findFirstOrThrow({ where: { idempotencyKey } });
  const allocations = await prisma.lotAllocation.findMany({ where: { entryId: entry.id } });
  return lotIds.map((lotId) => allocations.find((a) => a.lotId === lotId)?.points ?? 0);
}

describe("a campaign whose bonus expires sooner", () => {
  beforeAll(async () => {
    await installShop(SHOP, "JPY", "Asia/Tokyo");
    expect((await save(SHOP, program())).status).toBe(200);
  });

  it("refuses a bonus expiry that is not a whole number of days, or not sooner than the program's", async () => {
    const zero = await save(SHOP, program({ campaigns: [{ ...goldenWeek, bonusExpiryDays: 0 }] }));
    expect(zero.status).toBe(422);
    expect((await zero.json()).errors).toEqual({ "campaigns.0.bonusExpiryDays": expect.any(String) });
    const longer = await save(SHOP, program({ campaigns: [{ ...goldenWeek, bonusExpiryDays: 365 }] }));
    expect(longer.status).toBe(422);
    expect((await longer.json()).errors).toEqual({
      "campaigns.0.bonusExpiryDays":
        "Campaign points must expire sooner than the program's 365 days, or leave it empty to keep them with the order's points.",
    });
  });

  it("one order earns two lots, each with its own key and expiry; the bonus lot expires first and alone", async () => {
    // Noon on 1 March in Tokyo: ¥5,400 × 150% = 81 points, 27 of them Golden Week's.
    const placed = new Date("2026-03-01T03:00:00Z");
    const order = orderPayload({ customerId: 31001, total: "5400", processedAt: placed.toISOString() });
    const request = webhookRequest("orders/paid", order, { shop: SHOP });
    expect(await (await redeliver(request, "orders/paid")).json()).toMatchObject({ outcome: "applied" });
    // Shopify's retries, and the same order under another webhook id, change nothing.
    expect(await (await redeliver(request, "orders/paid")).json()).toMatchObject({ outcome: "duplicate" });
    await deliver("orders/paid", order, { shop: SHOP });

    const lots = await orderLots(order.id);
    expect(lots).toMatchObject([
      {
        key: `order:${order.id}:earn:campaign:gw`,
        amount: 27,
        expiresAt: "2026-03-31T15:00:00.000Z", // the end of 31 March in Tokyo, 30 days after the order
      },
      { key: `order:${order.id}:earn`, amount: 54, expiresAt: "2027-03-01T15:00:00.000Z" }, // 365 days
    ]);
    expect(lots[0].calculation).toMatchObject({
      points: 81,
      lot: "gw",
      campaignLots: [{ campaignId: "gw", source: "Golden Week", points: 27, expiryDays: 30, expiresOn: "2026-03-31" }],
    });
    expect(await memberState(31001, SHOP)).toMatchObject({ pointsAvailable: 81 });
    expect(await prisma.order.findFirstOrThrow({ where: { orderId: String(order.id) } })).toMatchObject({
      pointsEarned: 81,
    });

    // The storefront names the campaign's bonus and when it expires.
    const summary = (await (await getSummary({ shop: SHOP, customerId: "31001" })).json()) as StorefrontSummary;
    expect(summary.member?.expiringSoon).toEqual({
      points: 27,
      at: "2026-03-31T15:00:00.000Z",
      campaigns: [{ name: "Golden Week", points: 27 }],
    });
    expect(summary.history.entries.map(({ kind, points, campaign }) => ({ kind, points, campaign }))).toEqual([
      { kind: "earn", points: 54, campaign: undefined },
      { kind: "earn", points: 27, campaign: { name: "Golden Week", expiresAt: "2026-03-31T15:00:00.000Z" } },
    ]);

    // Day 30 still holds everything; day 31 expires the bonus lot only.
    await expireDueLots(prisma, new Date(placed.getTime() + 30 * DAY));
    expect((await orderLots(order.id)).map((lot) => lot.remaining)).toEqual([27, 54]);
    await expireDueLots(prisma, new Date(placed.getTime() + 31 * DAY));
    expect((await orderLots(order.id)).map((lot) => lot.remaining)).toEqual([0, 54]);
    expect(await memberState(31001, SHOP)).toMatchObject({ pointsAvailable: 54 });
    const expired = await prisma.ledgerEntry.findMany({ where: { member: { customerId: "31001" }, kind: "expire" } });
    expect(expired.map((entry) => [entry.points, entry.sourceId])).toEqual([[-27, lots[0].id]]);
    await expectBalancesMatchLedger();

    // The shopper's history and the passbook say whose points expired.
    const after = (await (await getSummary({ shop: SHOP, customerId: "31001" })).json()) as StorefrontSummary;
    expect(after.history.entries[0]).toMatchObject({ kind: "expire", points: -27, campaign: { name: "Golden Week" } });
    expect(after.member?.expiringSoon).toEqual({ points: 54, at: "2027-03-01T15:00:00.000Z" });
    const member = await prisma.member.findFirstOrThrow({ where: { customerId: "31001" } });
    const book = await prisma.$transaction((tx) => passbook(tx, member.shopId, member.id));
    // The day to show is the last one the points can be spent: 31 March, in Tokyo.
    const gwLine = { id: "gw", name: "Golden Week", expiresAt: "2026-03-31T15:00:00.000Z", expiresOn: "2026-03-31" };
    expect(book?.lines.map(({ kind, points, campaign }) => ({ kind, points, campaign }))).toEqual([
      {
        kind: "expire",
        points: -27,
        campaign: gwLine,
      },
      { kind: "earn", points: 54, campaign: null },
      { kind: "earn", points: 27, campaign: gwLine },
    ]);
    expect(book?.lines[2].description).toBe(`Order #${order.id}: Golden Week bonus (expires at the end of 2026-03-31)`);
    expect(book?.lots).toMatchObject([
      { amount: 54, remaining: 54, campaign: null, orderName: `#${order.id}`, expiresOn: "2027-03-01" },
    ]);
  });

  it("the passbook lists a campaign lot first, by expiry, and names its campaign", async () => {
    const order = orderPayload({ customerId: 31002, total: "2000" });
    await deliver("orders/paid", order, { shop: SHOP });
    const member = await prisma.member.findFirstOrThrow({ where: { customerId: "31002" } });
    const book = await prisma.$transaction((tx) => passbook(tx, member.shopId, member.id));
    expect(book?.lots).toMatchObject([
      { amount: 10, campaign: { id: "gw", name: "Golden Week" }, orderId: String(order.id) },
      { amount: 20, campaign: null, orderId: String(order.id) },
    ]);
  });

  it("refunds take back from both lots in proportion to what each earned; a cancellation takes the rest of each", async () => {
    // ¥1,000 × 4 at 150%: 60 points, 20 in the campaign lot and 40 in the order's.
    const order = orderPayload({ customerId: 31003, lines: [{ price: "1000", quantity: 4 }] });
    await deliver("orders/paid", order, { shop: SHOP });
    const [bonus, own] = await orderLots(order.id);
    expect([bonus.amount, own.amount]).toEqual([20, 40]);
    const lineItemId = order.line_items[0].id;

    const first = refundPayload(order.id, [{ lineItemId, quantity: 1, subtotal: "1000" }]);
    await deliver("refunds/create", first, { shop: SHOP });
    // A quarter of the order: 15 points, 10 from the order's lot and 5 from the campaign's.
    expect(await takenBy(`refund:${first.id}:reverse`, [own.id, bonus.id])).toEqual([-10, -5]);

    const second = refundPayload(order.id, [{ lineItemId, quantity: 1, subtotal: "1000" }]);
    await deliver("refunds/create", second, { shop: SHOP });
    expect(await takenBy(`refund:${second.id}:reverse`, [own.id, bonus.id])).toEqual([-10, -5]);

    await deliver("orders/cancelled", { ...order, cancelled_at: new Date().toISOString() }, { shop: SHOP });
    expect(await takenBy(`order:${order.id}:cancel`, [own.id, bonus.id])).toEqual([-20, -10]);
    expect((await orderLots(order.id)).map((lot) => lot.remaining)).toEqual([0, 0]);
    expect(await memberState(31003, SHOP)).toMatchObject({ pointsAvailable: 0, pointsDebt: 0 });
    expect(await prisma.order.findFirstOrThrow({ where: { orderId: String(order.id) } })).toMatchObject({
      pointsEarned: 60,
      pointsReversed: 60,
    });
    await expectBalancesMatchLedger();
  });

  it("a refund that finds the campaign lot already spent takes the rest from the next lots, as any reversal does", async () => {
    // ¥1,000 × 3: 45 points (15 campaign, 30 order). A staff adjustment spends the campaign lot first.
    const order = orderPayload({ customerId: 31004, lines: [{ price: "1000", quantity: 3 }] });
    await deliver("orders/paid", order, { shop: SHOP });
    const [bonus, own] = await orderLots(order.id);
    await prisma.$transaction(async (tx) => {
      const member = await tx.member.findFirstOrThrow({ where: { customerId: "31004" } });
      await adjust(tx, member, -15, program(), "Asia/Tokyo", {
        reason: "test",
        sourceType: "staff",
        idempotencyKey: "test:31004:spend",
        occurredAt: new Date(),
      });
    });
    expect((await orderLots(order.id)).map((lot) => lot.remaining)).toEqual([0, 30]);
    const refund = refundPayload(order.id, [{ lineItemId: order.line_items[0].id, quantity: 3, subtotal: "3000" }]);
    await deliver("refunds/create", refund, { shop: SHOP });
    // The campaign lot's 15 are not there: the order's lot gives its 30, and the 15 become debt.
    expect(await takenBy(`refund:${refund.id}:reverse`, [own.id, bonus.id])).toEqual([-30, 0]);
    expect(await memberState(31004, SHOP)).toMatchObject({ pointsAvailable: 0, pointsDebt: 15 });
    await expectBalancesMatchLedger();

    // The next order repays the debt from its campaign lot first, the points nearest to expiry, as spending does.
    const next = orderPayload({ customerId: 31004, total: "5400" });
    await deliver("orders/paid", next, { shop: SHOP });
    expect((await orderLots(next.id)).map(({ amount, remaining }) => ({ amount, remaining }))).toEqual([
      { amount: 27, remaining: 12 },
      { amount: 54, remaining: 54 },
    ]);
    expect(await memberState(31004, SHOP)).toMatchObject({ pointsAvailable: 66, pointsDebt: 0 });
    await expectBalancesMatchLedger();
  });
});

describe("a campaign lot in the return window", () => {
  beforeAll(async () => {
    await installShop(PENDING_SHOP, "JPY", "Asia/Tokyo");
    expect((await save(PENDING_SHOP, program({ pendingDays: 14 }))).status).toBe(200);
  });

  it("both lots wait out the window and become spendable together", async () => {
    const placed = new Date();
    const order = orderPayload({ customerId: 32001, total: "5400", processedAt: placed.toISOString() });
    await deliver("orders/paid", order, { shop: PENDING_SHOP });
    expect(await memberState(32001, PENDING_SHOP)).toMatchObject({ pointsAvailable: 0, pointsPending: 81 });
    await activateDueLots(prisma, new Date(placed.getTime() + 14 * DAY + 1000));
    expect(await memberState(32001, PENDING_SHOP)).toMatchObject({ pointsAvailable: 81, pointsPending: 0 });
    const activations = await prisma.ledgerEntry.findMany({
      where: { member: { customerId: "32001" }, kind: "activate" },
      orderBy: { pendingPoints: "asc" },
    });
    expect(activations.map((entry) => entry.pendingPoints)).toEqual([-54, -27]);
    await expectBalancesMatchLedger();
  });
});
