import type { ActionFunctionArgs } from "@remix-run/node";
import { setCollectionMembers } from "../earning/catalogue.server";
import { ensureShop } from "../shops/shops.server";
import { handleWebhook } from "../webhooks/handle.server";
import { collectionPayload } from "../webhooks/payloads";

export const action = ({ request }: ActionFunctionArgs) =>
  handleWebhook(request, {
    topic: "collections/delete",
    schema: collectionPayload,
    apply: async (tx, { shopDomain, payload }) =>
      setCollectionMembers(tx, (await ensureShop(tx, shopDomain)).id, payload.id, []),
  });
