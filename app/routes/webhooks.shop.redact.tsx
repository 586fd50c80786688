import type { ActionFunctionArgs } from "@remix-run/node";
import { eraseShop } from "../members/privacy.server";
import { handleWebhook } from "../webhooks/handle.server";
import { shopRedactPayload } from "../webhooks/payloads";

export const action = ({ request }: ActionFunctionArgs) =>
  handleWebhook(request, {
    topic: "shop/redact",
    schema: shopRedactPayload,
    uninstalledShops: "handle",
    // The header names the shop; the payload's shop_domain is informational only.
    apply: (tx, { shopDomain }) => eraseShop(tx, shopDomain),
  });
