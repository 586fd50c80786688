import type { ActionFunctionArgs } from "@remix-run/node";
import { applyPaidOrder } from "../earning/order-events.server";
import { handleWebhook } from "../webhooks/handle.server";
import { orderPayload } from "../webhooks/payloads";

export const action = ({ request }: ActionFunctionArgs) =>
  handleWebhook(request, {
    topic: "orders/paid",
    schema: orderPayload,
    apply: (tx, { shopDomain, payload }) => applyPaidOrder(tx, shopDomain, payload),
  });
