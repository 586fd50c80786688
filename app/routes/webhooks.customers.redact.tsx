import type { ActionFunctionArgs } from "@remix-run/node";
import { redactCustomer } from "../members/privacy.server";
import { handleWebhook } from "../webhooks/handle.server";
import { customersRedactPayload } from "../webhooks/payloads";

export const action = ({ request }: ActionFunctionArgs) =>
  handleWebhook(request, {
    topic: "customers/redact",
    schema: customersRedactPayload,
    uninstalledShops: "handle",
    apply: (tx, { shopDomain, payload }) => redactCustomer(tx, shopDomain, payload.customer.id),
  });
