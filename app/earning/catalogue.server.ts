import { randomUUID } from "node:crypto";
import type { ProductFacts } from "./rules";
import type { PrismaClient } from "../generated/prisma/client";
import { fetchCollectionProductIds, NoOfflineSession } from "../shopify/admin-api.server";
import type { Outcome } from "./orders.server";
import type { Tx } from "../db/transaction.server";
import type { BulkResultHandler } from "../sync/bulk-handlers.server";
import { startBulkOperation, type StartResult } from "../sync/bulk-operations.server";
import { gidNumber, gidType } from "../sync/jsonl";

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

/**
 * The whole catalogue with each product's collections: one product line, then a line per collection naming the
 * product in `__parentId`. Bulk queries have no page size, so a product in many collections is read whole.
 */
export const PRODUCTS_BULK_QUERY = `{
  products {
    edges {
      node {
        id
        vendor
        productType
        tags
        collections { edges { node { id } } }
      }
    }
  }
}`;

/** Fills the catalogue cache through a bulk query (after install, and on the merchant's request). */
export function startCatalogueSync(db: PrismaClient, shopDomain: string, requestedBy?: string): Promise<StartResult> {
  return startBulkOperation(db, shopDomain, "products", PRODUCTS_BULK_QUERY, { requestedBy });
}

interface CachedProduct {
  productId: string;
  vendor: string | null;
  productType: string | null;
  tags: string[];
  collectionIds: string[];
}

const BATCH = 500;

/**
 * Replaces the cached facts and collections of a batch of products. Facts a product webhook wrote after the
 * operation started are newer than the bulk snapshot and stay (the webhook that changed them came later).
 */
async function writeProducts(db: PrismaClient, shopId: string, startedAt: Date, products: CachedProduct[]) {
  if (products.length === 0) return;
  await db.$executeRaw`
    INSERT INTO "Product" (id, "shopId", "productId", vendor, "productType", tags, "collectionIds", "updatedAt")
    SELECT gen_random_uuid()::text, ${shopId}, r."productId", r.vendor, r."productType",
           ARRAY(SELECT jsonb_array_elements_text(r.tags)), ARRAY(SELECT jsonb_array_elements_text(r."collectionIds")), now()
    FROM jsonb_to_recordset(${JSON.stringify(products)}::jsonb)
      AS r("productId" text, vendor text, "productType" text, tags jsonb, "collectionIds" jsonb)
    ON CONFLICT ("shopId", "productId") DO UPDATE SET
      vendor = CASE WHEN "Product"."updatedAt" > ${startedAt} THEN "Product".vendor ELSE EXCLUDED.vendor END,
      "productType" = CASE WHEN "Product"."updatedAt" > ${startedAt} THEN "Product"."productType" ELSE EXCLUDED."productType" END,
      tags = CASE WHEN "Product"."updatedAt" > ${startedAt} THEN "Product".tags ELSE EXCLUDED.tags END,
      "collectionIds" = EXCLUDED."collectionIds",
      "updatedAt" = now()`;
}

/** Adds collections to cached products, each once: for collection lines that did not follow their product. */
async function addCollections(
  db: PrismaClient,
  shopId: string,
  pairs: Array<{ productId: string; collectionId: string }>,
) {
  if (pairs.length === 0) return;
  await db.$executeRaw`
    UPDATE "Product" AS p SET
      "collectionIds" = p."collectionIds" || ARRAY(SELECT unnest(c.ids) EXCEPT SELECT unnest(p."collectionIds")),
      "updatedAt" = now()
    FROM (SELECT r."productId", array_agg(r."collectionId") AS ids
          FROM jsonb_to_recordset(${JSON.stringify(pairs)}::jsonb) AS r("productId" text, "collectionId" text)
          GROUP BY r."productId") AS c
    WHERE p."shopId" = ${shopId} AND p."productId" = c."productId"`;
}

/**
 * The products bulk result into the catalogue cache. Shopify writes a product's collections right after it, so one
 * pass usually does: products are written in batches with the collections that followed them. A collection line
 * whose product was already written (or not yet seen) is counted, and only then the file is read a second time to
 * add those collections, so the cache is right whatever order the lines come in.
 */
export const applyCatalogue: BulkResultHandler = async (db, shop, operation, records) => {
  const pending = new Map<string, CachedProduct>();
  let processed = 0;
  let outOfOrder = 0;
  const flush = async () => {
    await writeProducts(db, shop.id, operation.createdAt, [...pending.values()]);
    processed += pending.size;
    pending.clear();
  };
  for await (const record of records) {
    if (typeof record.__parentId === "string") {
      if (gidType(record.id) !== "Collection") continue;
      const parent = pending.get(gidNumber(record.__parentId));
      if (parent) parent.collectionIds.push(gidNumber(record.id as string));
      else outOfOrder += 1;
      continue;
    }
    if (gidType(record.id) !== "Product") continue;
    if (pending.size >= BATCH) await flush();
    pending.set(gidNumber(record.id as string), {
      productId: gidNumber(record.id as string),
      vendor: typeof record.vendor === "string" && record.vendor ? record.vendor : null,
      productType: typeof record.productType === "string" && record.productType ? record.productType : null,
      tags: Array.isArray(record.tags) ? record.tags.filter((tag): tag is string => typeof tag === "string") : [],
      collectionIds: [],
    });
  }
  await flush();
  if (outOfOrder > 0) {
    let pairs: Array<{ productId: string; collectionId: string }> = [];
    for await (const record of records) {
      if (typeof record.__parentId !== "string" || gidType(record.id) !== "Collection") continue;
      pairs.push({ productId: gidNumber(record.__parentId), collectionId: gidNumber(record.id as string) });
      if (pairs.length >= BATCH * 2) {
        await addCollections(db, shop.id, pairs);
        pairs = [];
      }
    }
    await addCollections(db, shop.id, pairs);
  }
  return { processed };
};

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
