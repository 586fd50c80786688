import { beforeEach, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { activatePointsDiscount } from "../../app/redemption/points-discount.server";
import { adminAnswers, adminApi, happyAdmin, resetAdminApi } from "../support/admin-api";
import { installShop } from "../support/fixtures";
import { OTHER_SHOP, SHOP } from "../support/shopify";

describe("activating the points discount after install", () => {
  beforeEach(async () => {
    await installShop(SHOP);
    await installShop(OTHER_SHOP);
    resetAdminApi(happyAdmin);
  });

  it("creates the automatic app discount running the Function once, then never again", async () => {
    const id = await activatePointsDiscount(SHOP);
    expect(id).toBe("gid://shopify/DiscountAutomaticNode/77");
    expect(adminApi.calls.map((c) => c.operation)).toEqual([
      "TsumikiFindPointsDiscount",
      "TsumikiCreatePointsDiscount",
    ]);
    expect(adminApi.calls[1].variables.discount).toEqual({
      title: "Tsumiki points",
      functionHandle: "points-discount",
      startsAt: expect.any(String),
      discountClasses: ["ORDER"],
      combinesWith: { orderDiscounts: false, productDiscounts: true, shippingDiscounts: true },
      metafields: [
        {
          namespace: "$app:tsumiki",
          key: "function-configuration",
          type: "json",
          value: '{"maxShareBasisPoints":5000}',
        },
      ],
    });
    expect((await prisma.shop.findUniqueOrThrow({ where: { domain: SHOP } })).pointsDiscountId).toBe(id);

    resetAdminApi(happyAdmin);
    expect(await activatePointsDiscount(SHOP)).toBe(id);
    expect(adminApi.calls).toHaveLength(0);
  });

  it("adopts the discount a previous install created instead of making a second one", async () => {
    resetAdminApi((call) =>
      call.operation === "TsumikiFindPointsDiscount"
        ? adminAnswers.discountNodes([{ id: "gid://shopify/DiscountAutomaticNode/5", title: "Tsumiki points" }])
        : happyAdmin(call),
    );
    expect(await activatePointsDiscount(OTHER_SHOP)).toBe("gid://shopify/DiscountAutomaticNode/5");
    expect(adminApi.calls.map((c) => c.operation)).toEqual(["TsumikiFindPointsDiscount"]);
  });

  it("the Admin API interception itself refuses documents and answers that do not fit Shopify's schema", async () => {
    await installShop("third-test.myshopify.com");
    resetAdminApi(() => ({ discountNodes: { nodes: [{ id: 5, discount: null }] } }));
    await expect(activatePointsDiscount("third-test.myshopify.com")).rejects.toThrow(/does not fit the schema/);
  });
});

describe("after Shopify authorises the app", () => {
  it("records the shop's currency and time zone, clears an uninstall, and activates the points discount", async () => {
    const domain = "new-install.myshopify.com";
    await prisma.session.create({
      data: { id: `offline_${domain}`, shop: domain, state: "x", accessToken: "shpat_x" },
    });
    await prisma.shop.create({ data: { domain, currency: "JPY", timezone: "UTC", uninstalledAt: new Date() } });
    resetAdminApi((call) =>
      call.operation === "TsumikiShopSettings"
        ? { shop: { currencyCode: "JPY", ianaTimezone: "Asia/Tokyo" } }
        : happyAdmin(call),
    );
    const { recordInstall } = await import("../../app/shops/install.server");
    await recordInstall(domain);
    expect(adminApi.calls.map((c) => c.operation)).toEqual([
      "TsumikiShopSettings",
      "TsumikiFindPointsDiscount",
      "TsumikiCreatePointsDiscount",
      // The customer and catalogue syncs (test/sync/install.test.ts).
      "TsumikiRunBulkQuery",
      "TsumikiRunBulkQuery",
      // The customer metafields' definitions: balance, tier, next expiry date and its points.
      "TsumikiCreateMemberMetafieldDefinition",
      "TsumikiCreateMemberMetafieldDefinition",
      "TsumikiCreateMemberMetafieldDefinition",
      "TsumikiCreateMemberMetafieldDefinition",
    ]);
    expect(await prisma.shop.findUniqueOrThrow({ where: { domain } })).toMatchObject({
      timezone: "Asia/Tokyo",
      uninstalledAt: null,
      pointsDiscountId: "gid://shopify/DiscountAutomaticNode/77",
    });
  });
});
