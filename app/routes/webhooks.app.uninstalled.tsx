import type { ActionFunctionArgs } from "@remix-run/node";
import { handleWebhook } from "../webhooks/handle.server";
import { appUninstalledPayload } from "../webhooks/payloads";

export const action = ({ request }: ActionFunctionArgs) =>
  handleWebhook(request, {
    topic: "app/uninstalled",
    schema: appUninstalledPayload,
    uninstalledShops: "handle",
    // Deliveries repeat and may arrive after the shop reinstalled; deleting sessions twice is harmless,
    // and the shop's loyalty data stays until shop/redact, so a reinstall within 48 hours loses nothing.
    apply: async (tx, { shopDomain }) => {
      const sessions = await tx.session.deleteMany({ where: { shop: shopDomain } });
      await tx.shop.updateMany({ where: { domain: shopDomain }, data: { uninstalledAt: new Date() } });
      return { outcome: "applied", detail: `${sessions.count} sessions removed` };
    },
  });
