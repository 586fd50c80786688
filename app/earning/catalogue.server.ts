import { randomUUID } from "node:crypto";
import type { ProductFacts } from "./rules";
import prisma from "../db.server";
import {
  fetchCataloguePage,
  fetchCollectionProductIds,
  NoOfflineSession,
  type CatalogueProduct,
} from "../shopify/admin-api.server";
import type { Outcome } from "./orders.server";
import { ensureShop } from "../shops/shops.server";
import type { Tx } from "../db/transaction.server";

const splitTags = (tags: string | null | undefined) =>
  (tags ?? "")
    .split(",")
    .map((tag) => tag.trim())
    .filter(Boolean);

/** products/create and products/update: the facts rules match on; collection membership is kept. */
export async function upsertProduct(
  tx: Tx,
  shopId: string,
  product: { productId: string; vendor?: string | null; productType?: string | null; tags?: string | null },
): Promise<Outcome> {
  const tags = splitTags(product.tags);
  await tx.$executeRaw`
    INSERT INTO "Product" (id, "shopId", "productId", vendor, "productType", tags, "collectionIds", "updatedAt")
    VALUES (${randomUUID()}, ${shopId}, ${product.productId}, ${product.vendor ?? null}, ${product.productType ?? null}, ${tags}::text[], ARRAY[]::text[], now())
    ON CONFLICT ("shopId", "productId") DO UPDATE SET vendor = EXCLUDED.vendor, "productType" = EXCLUDED."productType",
      tags = EXCLUDED.tags, "updatedAt" = now()`;
  return { outcome: "applied", detail: `product ${product.productId} cached` };
}

export async function removeProduct(tx: Tx, shopId: string, productId: string): Promise<Outcome> {
  const removed = await tx.product.deleteMany({ where: { shopId, productId } });
  return { outcome: removed.count ? "applied" : "recorded", detail: `product ${productId} removed` };
}

/** Sets which cached products belong to a collection (an empty list for a deleted collection). */
export async function setCollectionMembers(
  tx: Tx,
  shopId: string,
  collectionId: string,
  productIds: string[],
): Promise<Outcome> {
  await tx.$executeRaw`
    UPDATE "Product" SET "collectionIds" = array_remove("collectionIds", ${collectionId}), "updatedAt" = now()
    WHERE "shopId" = ${shopId} AND ${collectionId} = ANY("collectionIds") AND NOT ("productId" = ANY(${productIds}::text[]))`;
  for (const productId of productIds) {
    await tx.$executeRaw`
      INSERT INTO "Product" (id, "shopId", "productId", tags, "collectionIds", "updatedAt")
      VALUES (${randomUUID()}, ${shopId}, ${productId}, ARRAY[]::text[], ARRAY[${collectionId}]::text[], now())
      ON CONFLICT ("shopId", "productId") DO UPDATE SET
        "collectionIds" = CASE WHEN ${collectionId} = ANY("Product"."collectionIds") THEN "Product"."collectionIds"
                               ELSE array_append("Product"."collectionIds", ${collectionId}) END,
        "updatedAt" = now()`;
  }
  return { outcome: "applied", detail: `collection ${collectionId} has ${productIds.length} products` };
}

/**
 * collections/create and collections/update carry the collection, not its products: membership is read
 * from the Admin API (before the transaction). Null when the shop has no session: it is not installed,
 * and retrying cannot help. Other failures throw, so Shopify retries the delivery.
 */
export async function collectionMembers(shopDomain: string, collectionId: string): Promise<string[] | null> {
  try {
    return await fetchCollectionProductIds(shopDomain, collectionId);
  } catch (error) {
    if (error instanceof NoOfflineSession) return null;
    throw error;
  }
}

/** The whole catalogue, page by page, after install: later webhooks keep it current. */
export async function syncCatalogue(shopDomain: string): Promise<number> {
  let after: string | null = null;
  let count = 0;
  do {
    const page: { products: CatalogueProduct[]; next: string | null } = await fetchCataloguePage(shopDomain, after);
    await prisma.$transaction(async (tx) => {
      const shop = await ensureShop(tx, shopDomain);
      for (const product of page.products) {
        await tx.$executeRaw`
          INSERT INTO "Product" (id, "shopId", "productId", vendor, "productType", tags, "collectionIds", "updatedAt")
          VALUES (${randomUUID()}, ${shop.id}, ${product.productId}, ${product.vendor}, ${product.productType}, ${product.tags}::text[], ${product.collectionIds}::text[], now())
          ON CONFLICT ("shopId", "productId") DO UPDATE SET vendor = EXCLUDED.vendor, "productType" = EXCLUDED."productType",
            tags = EXCLUDED.tags, "collectionIds" = EXCLUDED."collectionIds", "updatedAt" = now()`;
      }
    });
    count += page.products.length;
    after = page.next;
  } while (after);
  return count;
}

/** The cached facts for the products on an order, by product id. */
export async function productFacts(tx: Tx, shopId: string, productIds: string[]): Promise<Map<string, ProductFacts>> {
  if (productIds.length === 0) return new Map();
  const rows = await tx.product.findMany({ where: { shopId, productId: { in: productIds } } });
  return new Map(
    rows.map((row) => [
      row.productId,
      {
        productId: row.productId,
        vendor: row.vendor,
        productType: row.productType,
        tags: row.tags,
        collectionIds: row.collectionIds,
      },
    ]),
  );
}
