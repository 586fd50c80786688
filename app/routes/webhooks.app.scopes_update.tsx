import type { ActionFunctionArgs } from "@remix-run/node";
import { handleWebhook } from "../webhooks/handle.server";
import { scopesUpdatePayload } from "../webhooks/payloads";

export const action = ({ request }: ActionFunctionArgs) =>
  handleWebhook(request, {
    topic: "app/scopes_update",
    schema: scopesUpdatePayload,
    apply: async (tx, { shopDomain, payload }) => {
      const sessions = await tx.session.updateMany({
        where: { shop: shopDomain },
        data: { scope: payload.current.join(",") },
      });
      return { outcome: "applied", detail: `scopes recorded on ${sessions.count} sessions` };
    },
  });
