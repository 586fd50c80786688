import { AppProvider } from "@shopify/polaris";
import polarisEn from "@shopify/polaris/locales/en.json";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { beforeAll, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { MemberInsightCard } from "../../app/components/MemberInsightCard";
import { AdminI18nProvider } from "../../app/i18n/provider";
import type { MemberPage } from "../../app/members/search.server";
import type { MemberInsightView } from "../../app/insights/shop-insights.server";
import * as customersRoute from "../../app/routes/app.customers._index";
import * as passbookRoute from "../../app/routes/app.customers.$id";
import { installShop, orderPayload } from "../support/fixtures";
import { callRoute, deliver } from "../support/routes";
import { adminRequest } from "../support/shopify";

const list = async (query: string) =>
  (await callRoute(customersRoute, "loader", adminRequest("GET", `/app/customers?${query}`))) as {
    page: MemberPage;
    currency: string;
  };
const ids = async (query: string) => (await list(query)).page.rows.map((row) => row.customerId);
const card = async (memberId: string) =>
  (
    (await callRoute(passbookRoute, "loader", adminRequest("GET", `/app/customers/${memberId}`), {
      id: memberId,
    })) as { insights: MemberInsightView }
  ).insights;
const render = (view: MemberInsightView, locale: "en" | "ja") =>
  renderToStaticMarkup(
    createElement(
      AppProvider,
      { i18n: polarisEn },
      createElement(AdminI18nProvider, { locale, children: createElement(MemberInsightCard, { view, locale }) }),
    ),
  );

const memberIds = new Map<string, string>();

describe("the customers list with the nightly predictions", () => {
  beforeAll(async () => {
    const shop = await installShop();
    for (const id of [9301, 9302, 9303, 9304]) {
      expect((await deliver("orders/paid", orderPayload({ customerId: id, total: "5000" }))).status).toBe(200);
      const member = await prisma.member.findFirstOrThrow({ where: { shopId: shop.id, customerId: String(id) } });
      memberIds.set(String(id), member.id);
    }
    // Predictions as a fit would leave them (the fit itself is test/insights/shop-insights.test.ts's): 9304 has none.
    const computedAt = new Date("2026-11-30T18:00:00Z");
    const rows = [
      { customer: "9301", pAlive: 0.9, expectedValueMinor: 12_000, rfmSegment: "champions", monetaryMinor: 5000 },
      { customer: "9302", pAlive: 0.2, expectedValueMinor: 3000, rfmSegment: "at_risk", monetaryMinor: 9000 },
      { customer: "9303", pAlive: 0.4, expectedValueMinor: 1000, rfmSegment: "hibernating", monetaryMinor: 1000 },
    ];
    await prisma.memberInsight.createMany({
      data: rows.map(({ customer, ...row }) => ({
        ...row,
        memberId: memberIds.get(customer)!,
        shopId: shop.id,
        frequency: 3,
        recencyWeeks: 10,
        ageWeeks: 30,
        expectedOrders90: row.expectedValueMinor / 5000,
        repurchaseDays: 21,
        computedAt,
      })),
    });
  });

  it("shows each member's P(alive), expected value and segment", async () => {
    const { page, currency } = await list("sort=name");
    expect(currency).toBe("JPY");
    expect(page.rows.find((row) => row.customerId === "9302")).toMatchObject({
      pAlive: 0.2,
      expectedValueMinor: 3000,
      rfmSegment: "at_risk",
    });
    expect(page.rows.find((row) => row.customerId === "9304")).toMatchObject({
      pAlive: null,
      expectedValueMinor: null,
      rfmSegment: null,
    });
  });

  it("sorts by P(alive), expected value and segment, members without a prediction last", async () => {
    expect(await ids("sort=pAlive")).toEqual(["9301", "9303", "9302", "9304"]);
    expect(await ids("sort=pAlive&direction=asc")).toEqual(["9304", "9302", "9303", "9301"]);
    expect(await ids("sort=expectedValue")).toEqual(["9301", "9302", "9303", "9304"]);
    expect(await ids("sort=segment")).toEqual(["9301", "9302", "9303", "9304"]);
  });

  it("filters by segment, and by the preset high value, at risk", async () => {
    expect(await ids("segment=hibernating")).toEqual(["9303"]);
    expect((await list("segment=champions")).page.total).toBe(1);
    // At risk or hibernating, with a mean order in the shop's top quartile: 9303 is hibernating but spends little.
    expect(await ids("preset=highValueAtRisk")).toEqual(["9302"]);
    // The search and the other filters still apply beside them.
    expect(await ids("preset=highValueAtRisk&q=9301")).toEqual([]);
    for (const query of ["segment=sleepy", "preset=everyone", "sort=churn"]) {
      const response = (await callRoute(
        customersRoute,
        "loader",
        adminRequest("GET", `/app/customers?${query}`),
      )) as Response;
      expect(response.status).toBe(400);
    }
  });

  it("the member page's card says there is not enough data yet until a fit covers the member", async () => {
    const before = await card(memberIds.get("9302")!);
    expect(before).toMatchObject({ fit: null, insight: expect.objectContaining({ rfmSegment: "at_risk" }) });
    expect(render(before, "en")).toContain("Not enough data yet");

    const shop = await prisma.shop.findFirstOrThrow({ where: { members: { some: {} } } });
    await prisma.insightFit.create({
      data: {
        shopId: shop.id,
        status: "insufficient",
        reason: "memberInsights.reason.fewRepeatMembers",
        customers: 4,
        repeatCustomers: 3,
        asOf: new Date(),
      },
    });
    const insufficient = await card(memberIds.get("9302")!);
    expect(insufficient.fit).toMatchObject({ status: "insufficient", repeatCustomers: 3 });
    const ja = render(insufficient, "ja");
    expect(ja).toContain("データがまだ足りません");
    expect(ja).toContain("30人以上");
  });

  it("the member page's card shows the predictions once the shop is fitted", async () => {
    await prisma.insightFit.updateMany({ data: { status: "fitted", reason: null } });
    const view = await card(memberIds.get("9302")!);
    expect(view.insight).toMatchObject({ pAlive: 0.2, expectedValueMinor: 3000, repurchaseDays: 21 });
    const html = render(view, "en");
    expect(html).toContain("20%");
    expect(html).toContain("¥3,000");
    expect(html).toContain("21 days");
    expect(html).toContain("At risk");
    // A member the fit did not cover is told so.
    const none = await card(memberIds.get("9304")!);
    expect(none.insight).toBeNull();
    expect(render(none, "en")).toContain("No prediction for this customer yet");
  });
});
