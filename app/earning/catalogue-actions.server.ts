import type { ActionFunctionArgs } from "@remix-run/node";
import { collectionMembers, setCollectionMembers, upsertProduct } from "./catalogue.server";
import { ensureShop } from "../shops/shops.server";
import { handleWebhook } from "../webhooks/handle.server";
import { collectionPayload, productPayload } from "../webhooks/payloads";

/** products/create and products/update: the same upsert of the facts earn rules match on. */
export const productUpsertAction =
  (topic: "products/create" | "products/update") =>
  ({ request }: ActionFunctionArgs) =>
    handleWebhook(request, {
      topic,
      schema: productPayload,
      apply: async (tx, { shopDomain, payload }) =>
        upsertProduct(tx, (await ensureShop(tx, shopDomain)).id, {
          productId: payload.id,
          vendor: payload.vendor,
          productType: payload.product_type,
          tags: payload.tags,
        }),
    });

/**
 * collections/create and collections/update: the payload names the collection, not its products, so
 * membership is read back from the Admin API before the transaction.
 */
export const collectionRefreshAction =
  (topic: "collections/create" | "collections/update") =>
  ({ request }: ActionFunctionArgs) =>
    handleWebhook(request, {
      topic,
      schema: collectionPayload,
      prepare: ({ shopDomain, payload }) => collectionMembers(shopDomain, payload.id),
      apply: async (tx, { shopDomain, payload }, members) =>
        members
          ? setCollectionMembers(tx, (await ensureShop(tx, shopDomain)).id, payload.id, members)
          : { outcome: "skipped", detail: `no session for ${shopDomain}: not installed` },
    });
