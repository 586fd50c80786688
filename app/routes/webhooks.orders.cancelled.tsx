import type { ActionFunctionArgs } from "@remix-run/node";
import { cancelOrder } from "../earning/orders.server";
import { ensureShop } from "../shops/shops.server";
import { handleWebhook } from "../webhooks/handle.server";
import { orderPayload, timestamp } from "../webhooks/payloads";

export const action = ({ request }: ActionFunctionArgs) =>
  handleWebhook(request, {
    topic: "orders/cancelled",
    schema: orderPayload,
    apply: async (tx, { shopDomain, payload }) =>
      cancelOrder(tx, await ensureShop(tx, shopDomain, payload.currency), payload.id, timestamp(payload.cancelled_at)),
  });
