import type { ActionFunctionArgs } from "@remix-run/node";
import { upsertProduct } from "../services/catalogue.server";
import { ensureShop } from "../services/shops.server";
import { handleWebhook } from "../webhooks/handle.server";
import { productPayload } from "../webhooks/payloads";

export const action = ({ request }: ActionFunctionArgs) =>
  handleWebhook(request, {
    topic: "products/update",
    schema: productPayload,
    apply: async (tx, { shopDomain, payload }) =>
      upsertProduct(tx, (await ensureShop(tx, shopDomain)).id, {
        productId: payload.id,
        vendor: payload.vendor,
        productType: payload.product_type,
        tags: payload.tags,
      }),
  });
