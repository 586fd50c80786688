import type { ActionFunctionArgs } from "@remix-run/node";
import { identityKeysOf } from "../fraud/identity-keys.server";
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
      // With the phone and address keys, so the signup-farming check at the bonus sees them.
      const profile = { ...toProfile(payload), ...identityKeysOf(payload) };
      const enrolled = await enrolCustomer(tx, shop, profile, timestamp(payload.created_at));
      // The same profile customers/update keeps: state, verified email, and tags and consent where the payload has them.
      await applyCustomerProfile(tx, shop, payload);
      return enrolled;
    },
  });
