import { beforeAll, describe, expect, it } from "vitest";
import { addDays, localDate, startOfLocalDay } from "../../app/shared/calendar";
import { formatMoney } from "../../app/shared/money";
import { defaultProgram, type ProgramSettings } from "../../app/program/program";
import { localClock } from "../../app/earning/rules";
import prisma from "../../app/db.server";
import type { LedgerEntry, Order } from "../../app/generated/prisma/client";
import * as dashboardRoute from "../../app/routes/app._index";
import type { Dashboard } from "../../app/reports/dashboard.server";
import { localStampInstant } from "../../app/shared/calendar";
import { expireDueLots } from "../../app/ledger/lot-schedule.server";
import { happyAdmin, resetAdminApi } from "../support/admin-api";
import {
  customerPayload,
  installShop,
  memberState,
  orderPayload,
  paidWithPoints,
  refundPayload,
} from "../support/fixtures";
import { expectBalancesMatchLedger } from "../support/invariants";
import { checkout, deliver } from "../support/routes";
import { adminRequest, OTHER_SHOP, SHOP, sessionToken } from "../support/shopify";

const DAY = 24 * 60 * 60 * 1000;
const TZ = "Asia/Tokyo";
const now = Date.now();
const ago = (days: number) => new Date(now - days * DAY);

// The campaign runs from ten days ago until tomorrow; minute stamps, so the window starts on a whole minute.
const campaignStart = new Date(Math.floor(ago(10).getTime() / 60_000) * 60_000);
const campaignEnd = new Date(Math.floor((now + DAY) / 60_000) * 60_000);

const program: ProgramSettings = {
  ...defaultProgram("JPY"),
  expiryDays: 30,
  signupBonus: 50,
  tiers: {
    ...defaultProgram("JPY").tiers,
    levels: [
      { id: "bronze", name: "Bronze", threshold: 10_000, earnExtraPercent: 0, reachBonus: 0 },
      { id: "silver", name: "Silver", threshold: 50_000, earnExtraPercent: 0, reachBonus: 0 },
      { id: "gold", name: "Gold", threshold: 100_000, earnExtraPercent: 0, reachBonus: 0 },
    ],
  },
  campaigns: [
    {
      id: "double",
      name: "Double points",
      startsAt: localClock(campaignStart, TZ).stamp,
      endsAt: localClock(campaignEnd, TZ).stamp,
      target: {},
      extraPercent: 100,
    },
  ],
};

async function load(query: string, shop = SHOP): Promise<unknown> {
  try {
    return await dashboardRoute.loader({
      request: adminRequest("GET", `/app${query}`, undefined, shop),
      params: {},
      context: {},
    } as never);
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

interface Loaded {
  from: string;
  to: string;
  locale: string;
  dashboard: Dashboard;
}

const placed = (days: number) => ago(days).toISOString();

/** The instants an inclusive range of shop-local dates covers. */
const window = (from: string, to: string) => ({
  from: startOfLocalDay(from, TZ),
  to: startOfLocalDay(addDays(to, 1), TZ),
});

/** The dashboard's figures recomputed in plain JavaScript from the rows themselves. */
async function expectedFigures(shopId: string, range: { from: Date; to: Date }) {
  const inRange = (at: Date | null) => !!at && at >= range.from && at < range.to;
  const entries = (await prisma.ledgerEntry.findMany({ where: { shopId } })).filter((e) => inRange(e.occurredAt));
  const sum = (rows: LedgerEntry[]) => rows.reduce((total, e) => total + e.points, 0);
  const taken = (rows: LedgerEntry[]) => rows.reduce((total, e) => total - e.points, 0);
  const issued = sum(entries.filter((e) => (e.kind === "earn" || e.kind === "adjust") && e.points > 0));
  const redeemedGross = taken(entries.filter((e) => e.kind === "redeem"));
  const returned = sum(entries.filter((e) => e.kind === "reverse" && e.points > 0));
  const reversed = taken(entries.filter((e) => e.kind === "reverse" && e.points < 0));
  const expired = taken(entries.filter((e) => e.kind === "expire"));

  const byDay = new Map<string, { issued: number; redeemed: number }>();
  for (const e of entries) {
    const day = localDate(e.occurredAt, TZ);
    const bucket = byDay.get(day) ?? { issued: 0, redeemed: 0 };
    if ((e.kind === "earn" || e.kind === "adjust") && e.points > 0) bucket.issued += e.points;
    if (e.kind === "redeem") bucket.redeemed -= e.points;
    if (e.kind === "reverse" && e.points > 0) bucket.redeemed -= e.points;
    byDay.set(day, bucket);
  }

  const members = (await prisma.member.findMany({ where: { shopId } })).filter((m) => m.redactedAt === null);
  const outstanding = members.reduce((t, m) => t + m.pointsAvailable + m.pointsPending + m.pointsReserved, 0);

  const orders = await prisma.order.findMany({ where: { shopId } });
  const revenue = (rows: Order[]) => ({
    orders: rows.length,
    revenueMinor: rows.reduce((t, o) => t + o.baseMinor - o.refundedMinor, 0),
  });
  const memberOrders = orders.filter(
    (o) =>
      o.memberId !== null &&
      (o.status === "awarded" || (o.status === "skipped" && o.skipReason !== "test order")) &&
      o.cancelledAt === null &&
      inRange(o.placedAt),
  );
  const guestOrders = orders.filter(
    (o) =>
      o.status === "skipped" &&
      o.memberId === null &&
      o.cancelledAt === null &&
      o.skipReason !== "test order" &&
      inRange(o.placedAt ?? o.createdAt),
  );

  return {
    points: { issued, redeemed: redeemedGross - returned, redeemedGross, returned, reversed, expired, outstanding },
    byDay,
    members: {
      total: members.length,
      new: members.filter((m) => inRange(m.createdAt)).length,
    },
    tiers: members.reduce((counts, m) => counts.set(m.tierId, (counts.get(m.tierId) ?? 0) + 1), new Map()),
    revenue: { members: revenue(memberOrders), nonMembers: revenue(guestOrders) },
    orders,
  };
}

describe("the dashboard", () => {
  let shopId: string;

  beforeAll(async () => {
    resetAdminApi(happyAdmin);
    const shop = await installShop(SHOP, "JPY", TZ);
    shopId = shop.id;
    await prisma.programVersion.create({ data: { shopId, version: 2, settings: program as never } });

    // A: an old order whose points expire, and a recent one in the campaign.
    await deliver("orders/paid", orderPayload({ customerId: 31001, total: "10000", processedAt: placed(45) }));
    await deliver("orders/paid", orderPayload({ customerId: 31001, total: "5400", processedAt: placed(5) }));
    // B: an order before the campaign, half refunded.
    const b = orderPayload({
      customerId: 31002,
      lines: [{ price: "12000" }, { price: "8000" }],
      processedAt: placed(15),
    });
    await deliver("orders/paid", b);
    await deliver("refunds/create", refundPayload(b.id, [{ lineItemId: b.line_items[1].id, subtotal: "8000" }]));
    // C: earns 1,000 points, spends 500 of them on an order, which is then refunded.
    await deliver("orders/paid", orderPayload({ customerId: 31003, total: "100000", processedAt: placed(12) }));
    const reserved = await checkout("POST", sessionToken({ customerId: "31003" }), {
      points: 500,
      subtotalMinor: 100_000,
    });
    expect(reserved.status).toBe(200);
    const withPoints = paidWithPoints(31003, (await reserved.json()).reservation.nonce, 500, [{ price: "10000" }]);
    await deliver("orders/paid", withPoints);
    await deliver(
      "refunds/create",
      refundPayload(withPoints.id, [{ lineItemId: withPoints.line_items[0].id, subtotal: "9500" }]),
    );
    // D: an order in the campaign, cancelled after it was paid.
    const d = orderPayload({ customerId: 31004, total: "3000", processedAt: placed(2) });
    await deliver("orders/paid", d);
    await deliver("orders/cancelled", { ...d, cancelled_at: new Date().toISOString() });
    // E: a member later redacted, with points left.
    await deliver("orders/paid", orderPayload({ customerId: 31005, total: "4000", processedAt: placed(20) }));
    // F: a signup bonus.
    await deliver("customers/create", customerPayload(31006));
    // A guest checkout and a test order: neither credits anyone.
    await deliver("orders/paid", orderPayload({ customerId: null, total: "3000", processedAt: placed(3) }));
    await deliver("orders/paid", orderPayload({ customerId: 31009, total: "7000", test: true }));

    expect(await expireDueLots(prisma)).toBe(1); // A's 45-day-old lot, 30-day expiry

    // Direct writes for what no webhook does here: tiers, an old member, a redaction.
    const memberId = async (customerId: number) => (await memberState(customerId))!.id;
    await prisma.member.update({ where: { id: await memberId(31001) }, data: { tierId: "gold" } });
    await prisma.member.update({
      where: { id: await memberId(31002) },
      data: { tierId: "silver", createdAt: ago(40) },
    });
    await prisma.member.update({ where: { id: await memberId(31005) }, data: { redactedAt: new Date() } });

    // The liability is valued at the program in force now, not the one the points were earned under.
    await prisma.programVersion.create({
      data: { shopId, version: 3, settings: { ...program, pointValueMinor: 3 } as never },
    });
    await expectBalancesMatchLedger();
  });

  it("reproduces every figure of the last 30 days from the ledger, member and order tables", async () => {
    const loaded = (await load("")) as Loaded;
    const today = localDate(new Date(), TZ);
    expect(loaded).toMatchObject({ from: addDays(today, -29), to: today, locale: "en" });
    const range = window(loaded.from, loaded.to);
    const expected = await expectedFigures(shopId, range);
    const d = loaded.dashboard;

    expect(d.range).toEqual({ from: range.from.toISOString(), to: range.to.toISOString() });
    expect(d.points).toEqual(expected.points);
    expect(d.members).toEqual(expected.members);
    expect(d.revenue).toEqual(expected.revenue);
    expect(d.redemptionRate).toBe(expected.points.redeemed / expected.points.issued);
    expect(d.pointValueMinor).toBe(3);
    expect(d.liability).toEqual({
      minor: expected.points.outstanding * 3,
      formatted: formatMoney({ minor: expected.points.outstanding * 3, currency: "JPY" }, "en-US"),
    });

    // The scenario did what it says: these are the ledger's own facts, not the dashboard's.
    expect(d.points.expired).toBe(100);
    expect(d.points.redeemedGross).toBe(500);
    expect(d.points.returned).toBe(500);
    expect(d.points.reversed).toBe(80 + 190 + 60); // B's refund, C's refunded order, D's cancellation
    expect(d.points.issued).toBe(108 + 200 + 1000 + 190 + 60 + 40 + 50); // A's old order is outside
    expect(d.members).toEqual({ total: 5, new: 4 }); // A, B, C, D, F; B joined 40 days ago; E redacted
    expect(d.revenue.nonMembers.orders).toBe(1); // the guest, not the test order
    expect(d.revenue.nonMembers.revenueMinor).toBeGreaterThan(0); // skipped orders keep their amount

    // One point per day of the range, in order, summing to the range's figures.
    expect(d.trend.map((day) => day.date)).toEqual(Array.from({ length: 30 }, (_, i) => addDays(loaded.from, i)));
    expect(d.trend.reduce((t, day) => t + day.issued, 0)).toBe(d.points.issued);
    expect(d.trend.reduce((t, day) => t + day.redeemed, 0)).toBe(d.points.redeemed);
    for (const day of d.trend) {
      expect(day).toEqual({ date: day.date, ...(expected.byDay.get(day.date) ?? { issued: 0, redeemed: 0 }) });
    }

    expect(d.tiers).toEqual([
      { tierId: "bronze", name: "Bronze", members: 0 },
      { tierId: "silver", name: "Silver", members: expected.tiers.get("silver") },
      { tierId: "gold", name: "Gold", members: expected.tiers.get("gold") },
      { tierId: null, name: "No tier", members: expected.tiers.get(null) },
    ]);
    expect(d.tiers.reduce((t, tier) => t + tier.members, 0)).toBe(d.members.total);
  });

  it("compares a campaign's orders with the same length of time before it", async () => {
    const { dashboard } = (await load("")) as Loaded;
    const { orders } = await expectedFigures(shopId, window("2000-01-01", "2000-01-01"));
    const length = campaignEnd.getTime() - campaignStart.getTime();
    const figures = (from: Date, to: Date) => {
      const rows = orders.filter(
        (o) => o.status === "awarded" && !o.cancelledAt && o.placedAt && o.placedAt >= from && o.placedAt < to,
      );
      return {
        from: from.toISOString(),
        to: to.toISOString(),
        orders: rows.length,
        pointsEarned: rows.reduce((t, o) => t + o.pointsEarned, 0),
        revenueMinor: rows.reduce((t, o) => t + o.baseMinor - o.refundedMinor, 0),
      };
    };
    expect(dashboard.campaigns).toEqual([
      {
        id: "double",
        name: "Double points",
        startsAt: program.campaigns[0].startsAt,
        endsAt: program.campaigns[0].endsAt,
        status: "active",
        campaign: figures(campaignStart, campaignEnd),
        before: figures(new Date(campaignStart.getTime() - length), campaignStart),
      },
    ]);
    // A's ¥5,400 and C's ¥9,500 paid in money earn double; B's and C's first orders came before.
    expect(dashboard.campaigns[0].campaign).toMatchObject({ orders: 2, pointsEarned: 108 + 190 });
    expect(dashboard.campaigns[0].before).toMatchObject({ orders: 3, pointsEarned: 200 + 1000 + 40 });
  });

  it("a range leaves out whatever happened outside it", async () => {
    const today = localDate(new Date(), TZ);
    const from = addDays(today, -50);
    const to = addDays(today, -41);
    const loaded = (await load(`?from=${from}&to=${to}&locale=ja`)) as Loaded;
    const expected = await expectedFigures(shopId, window(from, to));
    const d = loaded.dashboard;
    expect(loaded).toMatchObject({ from, to, locale: "ja" });
    expect(d.points).toEqual(expected.points);
    expect(d.members).toEqual(expected.members);
    expect(d.revenue).toEqual(expected.revenue);
    // Only A's 45-day-old order falls in it: its points, not their later expiry.
    expect(d.points).toMatchObject({ issued: 100, redeemed: 0, expired: 0, reversed: 0 });
    expect(d.revenue.members).toEqual({ orders: 1, revenueMinor: 10_000 });
    expect(d.revenue.nonMembers.orders).toBe(0);
    expect(d.trend).toHaveLength(10);
    // What is owed is a fact of now, whatever the range.
    expect(d.points.outstanding).toBe(expected.points.outstanding);
    expect(d.liability.formatted).toBe(formatMoney({ minor: d.points.outstanding * 3, currency: "JPY" }, "ja-JP"));
  });

  it("a one-day range is that shop-local day", async () => {
    const today = localDate(new Date(), TZ);
    const loaded = (await load(`?from=${today}&to=${today}`)) as Loaded;
    expect(loaded.dashboard.trend).toHaveLength(1);
    expect(loaded.dashboard.points).toEqual((await expectedFigures(shopId, window(today, today))).points);
  });

  it.each([
    ["?from=2026-13-01&to=2026-12-31", "format"],
    ["?from=yesterday", "format"],
    ["?from=2026-02-30&to=2026-03-01", "format"],
    ["?from=2026-03-10&to=2026-03-01", "order"],
    ["?from=2020-01-01&to=2026-01-01", "length"],
  ])("a malformed range %s answers 400", async (query, code) => {
    const response = (await load(query)) as Response;
    expect(response).toBeInstanceOf(Response);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code, error: expect.any(String) });
  });

  it("without a valid session token the dashboard is not served", async () => {
    const forged = new Request("https://tsumiki.test/app", { headers: { Authorization: "Bearer not.a.token" } });
    const response = await dashboardRoute
      .loader({ request: forged, params: {}, context: {} } as never)
      .catch((thrown: unknown) => thrown);
    expect(response).toBeInstanceOf(Response);
    expect((response as Response).status).toBeGreaterThanOrEqual(400);
  });
});

describe("the dashboard's definitions", () => {
  it("counts staff additions as issued but not deductions, nets returned reward codes, and only the shop's own entries", async () => {
    const shop = await installShop(OTHER_SHOP, "JPY", TZ);
    await deliver("orders/paid", orderPayload({ customerId: 32001, total: "5000" }), { shop: OTHER_SHOP });
    const member = (await memberState(32001, OTHER_SHOP))!;
    const entry = (kind: "adjust" | "redeem" | "reverse", points: number, sourceType: string, key: string) => ({
      shopId: shop.id,
      memberId: member.id,
      kind,
      points,
      reason: key,
      sourceType,
      idempotencyKey: key,
      occurredAt: new Date(),
    });
    // The ledger rows only: this test is about what the dashboard counts, not about balances.
    await prisma.ledgerEntry.createMany({
      data: [
        entry("adjust", 30, "staff", "staff addition"),
        entry("adjust", -10, "staff", "staff deduction"),
        entry("redeem", -20, "reward", "reward code"),
        entry("reverse", 20, "reward", "reward code expired unused"),
      ],
    });
    const { dashboard } = (await load("", OTHER_SHOP)) as Loaded;
    expect(dashboard.points).toMatchObject({
      issued: 50 + 30,
      redeemedGross: 20,
      returned: 20,
      redeemed: 0,
      reversed: 0,
      expired: 0,
    });
    expect(dashboard.redemptionRate).toBe(0);
    expect(dashboard.members.total).toBe(1);
    expect(dashboard.campaigns).toEqual([]);
    expect(dashboard.tiers).toEqual([{ tierId: null, name: "No tier", members: 1 }]);
  });

  it("reads campaign stamps as shop-local wall-clock time, across a daylight-saving change", () => {
    expect(localStampInstant("2026-12-01T00:00", TZ)?.toISOString()).toBe("2026-11-30T15:00:00.000Z");
    // New York springs forward at 02:00 on 8 March 2026: 03:30 that morning is already EDT (UTC−4).
    expect(localStampInstant("2026-03-08T03:30", "America/New_York")?.toISOString()).toBe("2026-03-08T07:30:00.000Z");
    expect(localStampInstant("2026-03-07T23:00", "America/New_York")?.toISOString()).toBe("2026-03-08T04:00:00.000Z");
    expect(localStampInstant("not a stamp", TZ)).toBeNull();
  });
});
