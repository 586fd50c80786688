import type { ActionFunctionArgs } from "@remix-run/node";
import { recordRefund } from "../earning/orders.server";
import { ensureShop } from "../shops/shops.server";
import { handleWebhook } from "../webhooks/handle.server";
import { refundPayload, toRefundLines } from "../webhooks/payloads";

export const action = ({ request }: ActionFunctionArgs) =>
  handleWebhook(request, {
    topic: "refunds/create",
    schema: refundPayload,
    apply: async (tx, { shopDomain, payload }) => {
      const shop = await ensureShop(tx, shopDomain);
      return recordRefund(tx, shop, {
        refundId: payload.id,
        orderId: payload.order_id,
        lines: toRefundLines(payload, shop.currency),
      });
    },
  });
