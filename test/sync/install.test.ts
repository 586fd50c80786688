import { describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { recordInstall } from "../../app/shops/install.server";
import { backgroundApplies } from "../../app/sync/bulk-results.server";
import { CUSTOMERS_BULK_QUERY } from "../../app/sync/customers.server";
import { PRODUCTS_BULK_QUERY } from "../../app/earning/catalogue.server";
import { adminApi, resetAdminApi } from "../support/admin-api";
import { bulkShopify, customerLine, finishPayload, jsonl } from "../support/bulk";
import { memberState } from "../support/fixtures";
import { deliver } from "../support/routes";

const SHOP = "fresh-install.myshopify.com";

describe("installing the app", () => {
  it("starts the customer and catalogue syncs, and the customers Shopify returns become members", async () => {
    await prisma.session.create({ data: { id: `offline_${SHOP}`, shop: SHOP, state: "x", accessToken: "shpat_x" } });
    const shopify = bulkShopify();
    resetAdminApi(shopify.responder);
    await recordInstall(SHOP);
    const bulkQueries = adminApi.calls.filter((call) => call.operation === "TsumikiRunBulkQuery");
    expect(bulkQueries.map((call) => call.variables.query)).toEqual([CUSTOMERS_BULK_QUERY, PRODUCTS_BULK_QUERY]);
    const operations = await prisma.bulkOperation.findMany({
      where: { shop: { domain: SHOP } },
      orderBy: { kind: "asc" },
    });
    expect(operations.map((op) => [op.kind, op.status, op.requestedBy])).toEqual([
      ["customers", "CREATED", "install"],
      ["products", "CREATED", "install"],
    ]);

    const id = shopify.latest("customers");
    shopify.complete(id, jsonl([customerLine(7001, { firstName: "Ren" }), customerLine(7002)]));
    await deliver("bulk_operations/finish", finishPayload(id), { shop: SHOP });
    await backgroundApplies();
    expect(await memberState(7001, SHOP)).toMatchObject({ firstName: "Ren", pointsAvailable: 0 });
    expect(await memberState(7002, SHOP)).not.toBeNull();
  });

  it("a sync Shopify cannot start does not fail the install", async () => {
    const domain = "install-refused.myshopify.com";
    await prisma.session.create({
      data: { id: `offline_${domain}`, shop: domain, state: "x", accessToken: "shpat_x" },
    });
    const shopify = bulkShopify();
    resetAdminApi((call) => {
      if (call.operation === "TsumikiRunBulkQuery") throw new Error("Shopify is down");
      return shopify.responder(call);
    });
    await expect(recordInstall(domain)).resolves.toBeUndefined();
    expect(await prisma.shop.findUnique({ where: { domain } })).toMatchObject({ uninstalledAt: null });
  });

  it("a re-install watches for missed orders from the re-install on, not from the first install", async () => {
    const domain = "reinstall-watch.myshopify.com";
    await prisma.session.create({
      data: { id: `offline_${domain}`, shop: domain, state: "x", accessToken: "shpat_x" },
    });
    resetAdminApi(bulkShopify().responder);
    await recordInstall(domain);
    const first = await prisma.shop.findUniqueOrThrow({ where: { domain } });
    // A second OAuth of an installed shop changes nothing.
    await recordInstall(domain);
    expect(await prisma.shop.findUniqueOrThrow({ where: { domain } })).toMatchObject({
      installedAt: first.installedAt,
      reconciledThrough: null,
    });
    await deliver("app/uninstalled", { id: 1, name: "Gone" }, { shop: domain });
    // OAuth again: a new offline session, then the install hook.
    await prisma.session.upsert({
      where: { id: `offline_${domain}` },
      update: {},
      create: { id: `offline_${domain}`, shop: domain, state: "x", accessToken: "shpat_y" },
    });
    const before = Date.now();
    await recordInstall(domain);
    const again = await prisma.shop.findUniqueOrThrow({ where: { domain } });
    expect(again.uninstalledAt).toBeNull();
    expect(again.installedAt.getTime()).toBeGreaterThanOrEqual(before);
    expect(again.reconciledThrough!.getTime()).toBeGreaterThanOrEqual(before);
  });
});
