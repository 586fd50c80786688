import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { defaultProgram } from "../../app/program/program";
import prisma from "../../app/db.server";
import { startCatalogueSync } from "../../app/earning/catalogue.server";
import { backgroundApplies } from "../../app/sync/bulk-results.server";
import { adminApi, happyAdmin, resetAdminApi, type AdminCall } from "../support/admin-api";
import { bulkShopify, finishPayload, jsonl } from "../support/bulk";
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

  it("the catalogue sync reads every product and its collections in one bulk operation, and earn rules use them", async () => {
    const shopify = bulkShopify();
    resetAdminApi(shopify.responder);
    expect((await startCatalogueSync(prisma, SHOP)).outcome).toBe("started");
    const id = shopify.latest("products");
    const product = (n: number, fields: Record<string, unknown>) =>
      JSON.stringify({ id: gid("Product", n), ...fields });
    const collection = (n: number, parent: number) =>
      JSON.stringify({ id: gid("Collection", n), __parentId: gid("Product", parent) });
    shopify.complete(
      id,
      jsonl([
        product(8001, { vendor: "Arita", productType: "Mug", tags: ["ceramic"] }),
        collection(500, 8001),
        collection(501, 8001),
        // Shopify does not promise that a product's collections follow it: this one comes before its product.
        collection(500, 8002),
        product(8002, { vendor: "", productType: "", tags: [] }),
        product(8003, { vendor: "Kyoto Tea", productType: "Tea", tags: ["green"] }),
        collection(502, 8001),
      ]),
    );
    const response = await deliver("bulk_operations/finish", finishPayload(id), { shop: SHOP });
    expect(await response.json()).toMatchObject({ outcome: "recorded" });
    await backgroundApplies();
    expect(await facts(8001)).toMatchObject({
      vendor: "Arita",
      productType: "Mug",
      tags: ["ceramic"],
      collectionIds: ["500", "501", "502"],
    });
    expect(await facts(8002)).toMatchObject({ vendor: null, productType: null, tags: [], collectionIds: ["500"] });
    expect(await facts(8003)).toMatchObject({ vendor: "Kyoto Tea", collectionIds: [] });
    expect(
      await prisma.bulkOperation.findUnique({ where: { operationId: id }, select: { kind: true, processed: true } }),
    ).toEqual({ kind: "products", processed: 3 });

    // The winter collection rule (×2) applies to product 8002, known to be in collection 500 only through the sync.
    await deliver("orders/paid", orderPayload({ customerId: 17002, lines: [{ price: "1000", productId: 8002 }] }), {
      shop: SHOP,
    });
    expect((await memberState(17002, SHOP))?.pointsAvailable).toBe(20);
  });
});
