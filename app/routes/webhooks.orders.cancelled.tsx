import type { ActionFunctionArgs } from "@remix-run/node";
import { applyCancellation } from "../earning/order-events.server";
import { handleWebhook } from "../webhooks/handle.server";
import { orderPayload } from "../webhooks/payloads";

export const action = ({ request }: ActionFunctionArgs) =>
  handleWebhook(request, {
    topic: "orders/cancelled",
    schema: orderPayload,
    apply: (tx, { shopDomain, payload }) => applyCancellation(tx, shopDomain, payload),
  });
