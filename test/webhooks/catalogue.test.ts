import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { defaultProgram } from "../../app/program/program";
import prisma from "../../app/db.server";
import { syncCatalogue } from "../../app/earning/catalogue.server";
import { adminApi, happyAdmin, resetAdminApi, type AdminCall } from "../support/admin-api";
import { installShop, memberState, orderPayload } from "../support/fixtures";
import { deliver } from "../support/routes";

const SHOP = "catalogue-test.myshopify.com";
const gid = (kind: string, id: number | string) => `gid://shopify/${kind}/${id}`;

function collectionAnswer(productIds: number[]) {
  return (call: AdminCall) => {
    expect(call.operation).toBe("TsumikiCollectionProducts");
    return {
      collection: {
        products: {
          nodes: productIds.map((id) => ({ id: gid("Product", id) })),
          pageInfo: { hasNextPage: false, endCursor: null },
        },
      },
    };
  };
}

const facts = (productId: number) =>
  prisma.product.findFirst({ where: { shop: { domain: SHOP }, productId: String(productId) } });

describe("the product catalogue cache", () => {
  beforeAll(async () => {
    const shop = await installShop(SHOP);
    const rules = [{ id: "r", name: "Winter collection ×2", target: { collectionIds: ["500"] }, extraPercent: 100 }];
    await prisma.programVersion.create({
      data: { shopId: shop.id, version: 2, settings: { ...defaultProgram("JPY"), rules } as never },
    });
  });
  beforeEach(() => resetAdminApi());

  it("products/create and products/update keep vendor, type and tags", async () => {
    await deliver(
      "products/create",
      { id: 7001, vendor: "Kyoto Tea", product_type: "Tea", tags: "green, organic", title: "Sencha" },
      { shop: SHOP },
    );
    expect(await facts(7001)).toMatchObject({
      vendor: "Kyoto Tea",
      productType: "Tea",
      tags: ["green", "organic"],
      collectionIds: [],
    });
    await deliver(
      "products/update",
      { id: 7001, vendor: "Kyoto Tea", product_type: "Tea", tags: "green" },
      { shop: SHOP },
    );
    expect((await facts(7001))?.tags).toEqual(["green"]);
  });

  it("collections/update reads the collection's products from the Admin API and a collection rule then applies", async () => {
    resetAdminApi(collectionAnswer([7001, 7002]));
    const response = await deliver("collections/update", { id: 500, title: "Winter" }, { shop: SHOP });
    expect(await response.json()).toMatchObject({ outcome: "applied", detail: "collection 500 has 2 products" });
    expect(adminApi.calls[0].variables).toEqual({ id: gid("Collection", 500), after: null });
    expect((await facts(7001))?.collectionIds).toEqual(["500"]);
    expect((await facts(7002))?.collectionIds).toEqual(["500"]);

    const order = orderPayload({
      customerId: 17001,
      lines: [
        { price: "1000", productId: 7001 },
        { price: "1000", productId: 9999 },
      ],
    });
    await deliver("orders/paid", order, { shop: SHOP });
    expect((await memberState(17001, SHOP))?.pointsAvailable).toBe(20 + 10);
  });

  it("a product leaving a collection, products/delete and collections/delete update the cache", async () => {
    resetAdminApi(collectionAnswer([7002]));
    await deliver("collections/update", { id: 500 }, { shop: SHOP });
    expect((await facts(7001))?.collectionIds).toEqual([]);
    await deliver("products/delete", { id: 7002 }, { shop: SHOP });
    expect(await facts(7002)).toBeNull();
    resetAdminApi(collectionAnswer([7001]));
    await deliver("collections/create", { id: 600 }, { shop: SHOP });
    await deliver("collections/delete", { id: 600 }, { shop: SHOP });
    expect((await facts(7001))?.collectionIds).toEqual([]);
  });

  it("a collection webhook for a shop that never installed is refused before Shopify is asked, writing nothing", async () => {
    resetAdminApi(happyAdmin);
    const response = await deliver("collections/update", { id: 1 }, { shop: "never-installed.myshopify.com" });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: "never-installed.myshopify.com has not installed Tsumiki" });
    expect(adminApi.calls).toEqual([]);
    expect(await prisma.delivery.count({ where: { shopDomain: "never-installed.myshopify.com" } })).toBe(0);
  });

  it("the sync after install reads the whole catalogue page by page", async () => {
    const pages = [
      {
        nodes: [
          {
            id: gid("Product", 8001),
            vendor: "Arita",
            productType: "Mug",
            tags: ["ceramic"],
            collections: { nodes: [{ id: gid("Collection", 500) }] },
          },
        ],
        pageInfo: { hasNextPage: true, endCursor: "c1" },
      },
      {
        nodes: [{ id: gid("Product", 8002), vendor: "", productType: "", tags: [], collections: { nodes: [] } }],
        pageInfo: { hasNextPage: false, endCursor: null },
      },
    ];
    resetAdminApi((call) => ({ products: call.variables.after ? pages[1] : pages[0] }));
    expect(await syncCatalogue(SHOP)).toBe(2);
    expect(adminApi.calls.map((c) => c.variables)).toEqual([{ after: null }, { after: "c1" }]);
    expect(await facts(8001)).toMatchObject({
      vendor: "Arita",
      productType: "Mug",
      tags: ["ceramic"],
      collectionIds: ["500"],
    });
    expect(await facts(8002)).toMatchObject({ vendor: null, productType: null, tags: [], collectionIds: [] });
  });
});
