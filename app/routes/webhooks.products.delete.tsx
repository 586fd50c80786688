import type { ActionFunctionArgs } from "@remix-run/node";
import { removeProduct } from "../earning/catalogue.server";
import { ensureShop } from "../shops/shops.server";
import { handleWebhook } from "../webhooks/handle.server";
import { deletedPayload } from "../webhooks/payloads";

export const action = ({ request }: ActionFunctionArgs) =>
  handleWebhook(request, {
    topic: "products/delete",
    schema: deletedPayload,
    apply: async (tx, { shopDomain, payload }) => removeProduct(tx, (await ensureShop(tx, shopDomain)).id, payload.id),
  });
