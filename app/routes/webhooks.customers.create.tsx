import type { ActionFunctionArgs } from "@remix-run/node";
import { enrolCustomer } from "../members/enrolment.server";
import { ensureShop } from "../shops/shops.server";
import { handleWebhook } from "../webhooks/handle.server";
import { customerPayload, timestamp, toProfile } from "../webhooks/payloads";

export const action = ({ request }: ActionFunctionArgs) =>
  handleWebhook(request, {
    topic: "customers/create",
    schema: customerPayload,
    apply: async (tx, { shopDomain, payload }) =>
      enrolCustomer(tx, await ensureShop(tx, shopDomain), toProfile(payload), timestamp(payload.created_at)),
  });
