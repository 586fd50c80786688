import type { ActionFunctionArgs } from "@remix-run/node";
import { enrolCustomer } from "../members/enrolment.server";
import { ensureShop } from "../shops/shops.server";
import { applyCustomerProfile } from "../sync/customers.server";
import { handleWebhook } from "../webhooks/handle.server";
import { customerPayload, timestamp, toProfile } from "../webhooks/payloads";

export const action = ({ request }: ActionFunctionArgs) =>
  handleWebhook(request, {
    topic: "customers/create",
    schema: customerPayload,
    apply: async (tx, { shopDomain, payload }) => {
      const shop = await ensureShop(tx, shopDomain);
      const enrolled = await enrolCustomer(tx, shop, toProfile(payload), timestamp(payload.created_at));
      // The same profile customers/update keeps: state, verified email, and tags and consent where the payload has them.
      await applyCustomerProfile(tx, shop, payload);
      return enrolled;
    },
  });
