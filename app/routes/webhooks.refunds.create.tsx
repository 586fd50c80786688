import type { ActionFunctionArgs } from "@remix-run/node";
import { applyRefund } from "../earning/order-events.server";
import { handleWebhook } from "../webhooks/handle.server";
import { refundPayload } from "../webhooks/payloads";

export const action = ({ request }: ActionFunctionArgs) =>
  handleWebhook(request, {
    topic: "refunds/create",
    schema: refundPayload,
    apply: (tx, { shopDomain, payload }) => applyRefund(tx, shopDomain, payload),
  });
