import { AppProvider } from "@shopify/polaris";
import polarisEn from "@shopify/polaris/locales/en.json";
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { createMemoryRouter, RouterProvider } from "react-router-dom";
import { beforeAll, describe, expect, it } from "vitest";
import { AdminI18nProvider } from "../../app/i18n/provider";
import prisma from "../../app/db.server";
import { campaignApplies } from "../../app/earning/rules";
import { defaultProgram, type ProgramSettings } from "../../app/program/program";
import * as insightsRoute from "../../app/routes/app.insights._index";
import { campaignLifts } from "../../app/reports/campaign-lift.server";
import { EXPIRING_MIN_MEMBERS } from "../../app/insights/recommendations";
import { defaultNotificationSettings } from "../../app/notifications/settings";
import { installShop } from "../support/fixtures";
import { callRoute } from "../support/routes";
import { adminRequest } from "../support/shopify";

const SHOP = "insights-page.myshopify.com";
const OWNER = "42"; // the test interceptor's token exchange says 42 owns every shop
const CLERK = "7";
const DAY = 86_400_000;

type Page = Awaited<ReturnType<typeof insightsRoute.loader>>;
type Answer = { ok?: boolean; outcome?: string; message?: string; error?: string; programUrl?: string; code?: string };

const page = async () =>
  (await callRoute(insightsRoute, "loader", adminRequest("GET", "/app/insights", undefined, SHOP))) as Page;
const post = async (body: unknown, staff = OWNER) => {
  const response = (await callRoute(
    insightsRoute,
    "action",
    adminRequest("POST", "/app/insights", body, SHOP, staff),
  )) as Response;
  return { status: response.status, body: (await response.json()) as Answer };
};

const program: ProgramSettings = {
  ...defaultProgram("JPY"),
  tiers: {
    levels: [
      { id: "silver", name: "Silver", threshold: 30_000, earnExtraPercent: 0, reachBonus: 0 },
      { id: "gold", name: "Gold", threshold: 100_000, earnExtraPercent: 0, reachBonus: 0 },
    ],
    basis: "spend",
    period: "lifetime",
    downgrade: "never",
    graceDays: 30,
  },
};

let shopId = "";
const ids: Record<string, string> = {};

async function member(customerId: string, tierId: string | null, spentMinor: number) {
  const row = await prisma.member.create({ data: { shopId, customerId, tierId, firstName: `Customer ${customerId}` } });
  ids[customerId] = row.id;
  await prisma.order.create({
    data: {
      shopId,
      orderId: `order-${customerId}`,
      memberId: row.id,
      status: "awarded",
      baseMinor: spentMinor,
      placedAt: new Date(Date.now() - 20 * DAY),
    },
  });
  return row.id;
}

async function lot(memberId: string, points: number, expiresInDays: number) {
  const entry = await prisma.ledgerEntry.create({
    data: {
      shopId,
      memberId,
      kind: "earn",
      points,
      reason: "order",
      sourceType: "order",
      idempotencyKey: `lot-${memberId}-${expiresInDays}`,
      occurredAt: new Date(Date.now() - 300 * DAY),
    },
  });
  await prisma.lot.create({
    data: {
      shopId,
      memberId,
      earnEntryId: entry.id,
      amount: points,
      remaining: points,
      earnedAt: entry.occurredAt,
      availableAt: entry.occurredAt,
      expiresAt: new Date(Date.now() + expiresInDays * DAY),
    },
  });
}

const insight = (
  memberId: string,
  row: { pAlive: number; rfmSegment: string; monetaryMinor: number; value: number },
) => ({
  memberId,
  shopId,
  frequency: 1,
  recencyWeeks: 10,
  ageWeeks: 26,
  monetaryMinor: row.monetaryMinor,
  pAlive: row.pAlive,
  expectedOrders90: 0.5,
  expectedValueMinor: row.value,
  repurchaseDays: 60,
  rfmSegment: row.rfmSegment,
  computedAt: new Date(),
});

describe("the Insights page, through the real route", () => {
  beforeAll(async () => {
    shopId = (await installShop(SHOP)).id;
    await prisma.programVersion.create({
      data: { shopId, version: 1, settings: program as unknown as object, createdBy: "test" },
    });
    // Ten Silver members within 10 % of Gold (¥90,000–¥99,999): the funnel's stall, and the recommendation's ground.
    for (let i = 0; i < 10; i += 1) await member(`s${i}`, "silver", 95_000);
    await member("far", "silver", 50_000);
    await member("near-silver", null, 28_000);
    // Two moves up into Silver in the last 30 days, one before it, one move down (not a crossing).
    const moves = [
      { memberId: ids.s0, fromTier: null, toTier: "silver", createdAt: new Date(Date.now() - 5 * DAY) },
      { memberId: ids.s1, fromTier: null, toTier: "silver", createdAt: new Date(Date.now() - 10 * DAY) },
      { memberId: ids.s2, fromTier: null, toTier: "silver", createdAt: new Date(Date.now() - 45 * DAY) },
      { memberId: ids.far, fromTier: "gold", toTier: "silver", createdAt: new Date(Date.now() - 3 * DAY) },
    ];
    await prisma.tierChange.createMany({ data: moves.map((m) => ({ ...m, reason: "test", value: 0 })) });
    // Predictions: "far" has drifted away (at_risk), s3 has even odds or worse, the rest are well.
    await prisma.insightFit.create({
      data: { shopId, status: "fitted", customers: 12, repeatCustomers: 40, asOf: new Date(), fittedAt: new Date() },
    });
    await prisma.memberInsight.createMany({
      data: [
        insight(ids.far, { pAlive: 0.8, rfmSegment: "at_risk", monetaryMinor: 50_000, value: 1_000 }),
        insight(ids.s3, { pAlive: 0.3, rfmSegment: "loyal", monetaryMinor: 10_000, value: 2_000 }),
        insight(ids.s4, { pAlive: 0.9, rfmSegment: "champions", monetaryMinor: 20_000, value: 30_000 }),
      ],
    });
    // Points expiring: s4's 300 within 30 days, s5's not until day 60.
    await lot(ids.s4, 300, 10);
    await lot(ids.s5, 500, 60);
  });

  it("shows the fit, the funnel, the members at risk, the expiring points and an unmeasured return", async () => {
    const data = await page();
    expect(data.fit).toMatchObject({ status: "fitted", repeatCustomers: 40 });
    expect(data.funnel).toEqual([
      { fromTierId: null, toTierId: "silver", toThreshold: 30_000, stalled: 1, gapTotal: 2000, crossed: 2 },
      { fromTierId: "silver", toTierId: "gold", toThreshold: 100_000, stalled: 10, gapTotal: 50_000, crossed: 0 },
    ]);
    // far: 2 purchase days of ¥50,000 over 26 weeks, ¥49,451 per 90 days; s3: 2 × ¥10,000 the same way.
    expect(data.atRisk).toMatchObject({ members: 2, valueAtStakeMinor: 49_451 + 9_890 });
    expect(data.atRisk!.top.map((m) => m.memberId)).toEqual([ids.far, ids.s3]);
    expect(data.names[ids.far]).toBe("Customer far");
    expect(data.expiring).toEqual({ members: 1, points: 300, expectedValueMinor: 30_000 });
    expect(data.roi).toMatchObject({ costMinor: 0, incrementalRevenueMinor: null, controlledCampaigns: 0 });
    // Ten stalled below Gold and none crossed: a campaign for them, or a lower threshold.
    expect(data.recommendations.map((r) => r.id)).toEqual(["tier-push-gold", "tier-relax-gold"]);
    expect(data.recommendations[1].action).toEqual({ type: "reviewTier", tierId: "gold", threshold: 90_000 });
    expect(data.recommendations[0].cost).toEqual({ points: 500, minor: 500 });
  });

  it("staff without the program permission get 403 and nothing is written", async () => {
    await prisma.staffPolicy.create({ data: { shopId, defaultGrants: ["adjust", "review"], savedBy: "x" } });
    try {
      const before = await prisma.auditLog.count({ where: { shopId } });
      const refused = await post({ intent: "apply", id: "tier-push-gold" }, CLERK);
      expect(refused.status).toBe(403);
      expect(refused.body).toMatchObject({ code: "forbidden", permission: "program" });
      expect((await post({ intent: "fit" }, CLERK)).status).toBe(403);
      expect(await prisma.programVersion.count({ where: { shopId } })).toBe(1);
      expect(await prisma.auditLog.count({ where: { shopId } })).toBe(before);
      expect((await prisma.insightFit.findUniqueOrThrow({ where: { shopId } })).repeatCustomers).toBe(40);
    } finally {
      await prisma.staffPolicy.delete({ where: { shopId } });
    }
  });

  it("one click creates one draft campaign in a new program version; a second click says it is already there", async () => {
    const created = await post({ intent: "apply", id: "tier-push-gold" });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ ok: true, outcome: "created", programUrl: "/app/program" });
    expect((await page()).done).toEqual(["tier-push-gold"]);
    const again = await post({ intent: "apply", id: "tier-push-gold" });
    expect(again.body).toMatchObject({ ok: true, outcome: "already", programUrl: "/app/program" });

    const versions = await prisma.programVersion.findMany({ where: { shopId }, orderBy: { version: "asc" } });
    expect(versions.map((v) => v.version)).toEqual([1, 2]);
    const campaigns = (versions[1].settings as unknown as ProgramSettings).campaigns;
    expect(campaigns).toHaveLength(1);
    expect(campaigns[0]).toMatchObject({
      id: "insights-tier-push-gold",
      tierIds: ["silver"],
      extraPercent: 100,
      draft: true,
    });
    const audit = await prisma.auditLog.findMany({ where: { shopId }, orderBy: { id: "asc" } });
    expect(audit.map((row) => [row.action, row.actor])).toEqual([
      ["program.saved", "staff:42"],
      ["insights.recommendation_applied", "staff:42"],
    ]);

    // The draft never applies to a Silver member's order in its window, though the same campaign published would.
    const context = {
      placedAt: new Date(Date.now() + DAY),
      timezone: "Asia/Tokyo",
      customerTags: [],
      tierId: "silver",
      tierExtraPercent: 0,
    };
    expect(campaignApplies({ ...campaigns[0], draft: false }, context)).toBe(true);
    expect(campaignApplies(campaigns[0], context)).toBe(false);
  });

  it("draws the figures, the evidence and the cost in the admin's language, a done recommendation with its link", async () => {
    const data = await page();
    const render = (locale: "en" | "ja", loaded = data) => {
      const router = createMemoryRouter(
        [{ path: "/app/insights", Component: insightsRoute.default, loader: () => loaded }],
        {
          initialEntries: ["/app/insights"],
          hydrationData: { loaderData: { "0": { ...loaded, locale } } },
        },
      );
      const text = renderToString(
        createElement(
          AppProvider,
          { i18n: polarisEn },
          createElement(AdminI18nProvider, { locale, children: createElement(RouterProvider, { router }) }),
        ),
      );
      return text.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");
    };
    const en = render("en");
    expect(en).toContain("Silver → Gold: 10 members within 10% below the threshold; 0 moved up in the last 30 days.");
    expect(en).toContain("10 members of Silver are within 10% of Gold (¥100,000)");
    expect(en).toContain("Estimated cost: up to 500 points (¥500).");
    expect(en).toContain("Already created.");
    expect(en).toContain("10 members are within 10% of Gold (¥100,000) but only 0 moved up in the last 30 days");
    expect(en).toContain("Consider lowering Gold’s threshold to ¥90,000 in the program");
    expect(en).toContain("Review tiers in the program");
    expect(en).toContain("not measured yet — run a campaign with a control group");
    expect(en).toContain("Customer far");
    const ja = render("ja");
    expect(ja).toContain("Silverの会員10人がGold（￥100,000）まであと10%以内です。");
    expect(ja).toContain("作成済みです。");
    expect(ja).toContain("プログラムでGoldの条件を￥90,000に下げることを検討してください。");
    expect(ja).toContain("プログラムでランクを見直す");
    // Nothing expiring and nobody at risk read as such, not as "0 members have 0 points".
    const calm = {
      ...data,
      expiring: { members: 0, points: 0, expectedValueMinor: 0 },
      atRisk: { ...data.atRisk!, members: 0, valueAtStakeMinor: 0, top: [] },
    };
    expect(render("ja", calm)).toContain("30日以内に失効するポイントはありません。");
    expect(render("ja", calm)).toContain("離脱の恐れがある会員はいません。");
    expect(render("en", calm)).toContain("No points expire in the next 30 days.");
    expect(render("en", calm)).not.toContain("0 members have 0 points");
  });

  it("an unknown recommendation is refused and writes nothing", async () => {
    const refused = await post({ intent: "apply", id: "win-back" });
    expect(refused.status).toBe(404);
    expect(await prisma.programVersion.count({ where: { shopId } })).toBe(2);
    expect((await post({ nonsense: true })).status).toBe(400);
    // A tier threshold is the merchant's to change in the program editor: the click is refused, nothing written.
    const manual = await post({ intent: "apply", id: "tier-relax-gold" });
    expect(manual.status).toBe(409);
    expect(manual.body).toMatchObject({ programUrl: "/app/program" });
    expect(await prisma.programVersion.count({ where: { shopId } })).toBe(2);
  });

  it("Fit now runs the shop's fit: too few repeat customers leave it 'not enough data yet' with the reason", async () => {
    const fitted = await post({ intent: "fit" });
    expect(fitted.status).toBe(200);
    const data = await page();
    expect(data.fit).toMatchObject({ status: "insufficient", reason: "memberInsights.reason.fewRepeatMembers" });
    expect(data.atRisk).toBeNull();
    expect(await prisma.memberInsight.count({ where: { shopId } })).toBe(0);
    const audit = await prisma.auditLog.findFirstOrThrow({ where: { shopId, action: "insights.fitted" } });
    expect(audit.actor).toBe("staff:42");
  });
});

describe("the program's return, with a campaign held out from a control group", () => {
  const ROI_SHOP = "insights-roi.myshopify.com";

  it("counts the significant lift as incremental revenue against the points redeemed and the campaign's bonus", async () => {
    const roiShop = (await installShop(ROI_SHOP)).id;
    const day = (offset: number) => new Date(Date.now() + offset * DAY).toISOString().slice(0, 10);
    const campaign = {
      id: "double",
      name: "Double points",
      startsAt: `${day(-20)}T00:00`,
      endsAt: `${day(-10)}T00:00`,
      target: {},
      extraPercent: 100,
      holdoutPercent: 50,
    };
    await prisma.programVersion.create({
      data: { shopId: roiShop, version: 1, settings: { ...defaultProgram("JPY"), campaigns: [campaign] } as object },
    });
    for (let i = 0; i < 40; i += 1) {
      const group = i < 20 ? "treatment" : "control";
      const row = await prisma.member.create({ data: { shopId: roiShop, customerId: `roi-${i}` } });
      await prisma.campaignAssignment.create({
        data: { shopId: roiShop, campaignId: "double", memberId: row.id, group },
      });
      // Treatment members spend about ¥10,000 in the window, control members about ¥5,000.
      const base = (group === "treatment" ? 10_000 : 5_000) + (i % 5) * 100;
      await prisma.order.create({
        data: {
          shopId: roiShop,
          orderId: `roi-order-${i}`,
          memberId: row.id,
          status: "awarded",
          baseMinor: base,
          pointsEarned: group === "treatment" ? (base / 100) * 2 : base / 100,
          placedAt: new Date(Date.now() - 15 * DAY),
        },
      });
      if (i === 0) {
        await prisma.ledgerEntry.create({
          data: {
            shopId: roiShop,
            memberId: row.id,
            kind: "redeem",
            points: -300,
            reason: "checkout",
            sourceType: "order",
            idempotencyKey: "roi-redeem",
            occurredAt: new Date(Date.now() - 2 * DAY),
          },
        });
      }
    }
    const data = (await callRoute(
      insightsRoute,
      "loader",
      adminRequest("GET", "/app/insights", undefined, ROI_SHOP),
    )) as Page;
    const [lift] = await campaignLifts(prisma, roiShop, new Date());
    expect(lift.significant).toBe(true);
    expect(data.roi).toEqual({
      costMinor: 300 + lift.pointsCostMinor,
      redeemedMinor: 300,
      campaignBonusMinor: lift.pointsCostMinor,
      incrementalRevenueMinor: lift.incrementalRevenueMinor,
      ratio: lift.incrementalRevenueMinor.value / (300 + lift.pointsCostMinor),
      controlledCampaigns: 1,
    });
    // 20 treatment members, each about ¥5,000 more.
    expect(lift.incrementalRevenueMinor.value).toBe(100_000);
    expect(lift.pointsCostMinor).toBeGreaterThan(0);
  });
});

describe("the expiry reminder recommendation", () => {
  const REMINDER_SHOP = "insights-reminder.myshopify.com";

  it("with twenty members' points expiring and reminders off, one click turns the reminder on, once", async () => {
    const id = (await installShop(REMINDER_SHOP)).id;
    const off = defaultNotificationSettings("ja");
    off.enabled.expiry_reminder = false;
    await prisma.notificationSettings.create({ data: { shopId: id, settings: off as unknown as object } });
    for (let i = 0; i < EXPIRING_MIN_MEMBERS; i += 1) {
      const row = await prisma.member.create({ data: { shopId: id, customerId: `exp-${i}` } });
      const entry = await prisma.ledgerEntry.create({
        data: {
          shopId: id,
          memberId: row.id,
          kind: "earn",
          points: 100,
          reason: "order",
          sourceType: "order",
          idempotencyKey: `exp-${i}`,
          occurredAt: new Date(Date.now() - 200 * DAY),
        },
      });
      await prisma.lot.create({
        data: {
          shopId: id,
          memberId: row.id,
          earnEntryId: entry.id,
          amount: 100,
          remaining: 100,
          earnedAt: entry.occurredAt,
          availableAt: entry.occurredAt,
          expiresAt: new Date(Date.now() + 7 * DAY),
        },
      });
    }
    const load = async () =>
      (await callRoute(
        insightsRoute,
        "loader",
        adminRequest("GET", "/app/insights", undefined, REMINDER_SHOP),
      )) as Page;
    const apply = async () => {
      const response = (await callRoute(
        insightsRoute,
        "action",
        adminRequest("POST", "/app/insights", { intent: "apply", id: "expiry-reminder" }, REMINDER_SHOP),
      )) as Response;
      return (await response.json()) as Answer;
    };
    expect((await load()).recommendations.map((r) => r.id)).toEqual(["expiry-reminder"]);
    expect(await apply()).toMatchObject({ ok: true, outcome: "enabled" });
    const stored = await prisma.notificationSettings.findUniqueOrThrow({ where: { shopId: id } });
    expect((stored.settings as { enabled: Record<string, boolean> }).enabled.expiry_reminder).toBe(true);
    expect((await load()).recommendations).toEqual([]);
    // A second click from the page as it was: already done, nothing more written.
    expect(await apply()).toMatchObject({ ok: true, outcome: "already" });
    const audit = await prisma.auditLog.findMany({ where: { shopId: id } });
    expect(audit.map((row) => [row.action, row.actor])).toEqual([["notifications.saved", "staff:42"]]);
  });
});
