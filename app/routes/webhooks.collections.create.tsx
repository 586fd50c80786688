import type { ActionFunctionArgs } from "@remix-run/node";
import { collectionMembers, setCollectionMembers } from "../services/catalogue.server";
import { ensureShop } from "../services/shops.server";
import { handleWebhook } from "../webhooks/handle.server";
import { collectionPayload } from "../webhooks/payloads";

export const action = ({ request }: ActionFunctionArgs) =>
  handleWebhook(request, {
    topic: "collections/create",
    schema: collectionPayload,
    prepare: ({ shopDomain, payload }) => collectionMembers(shopDomain, payload.id),
    apply: async (tx, { shopDomain, payload }, members) =>
      members
        ? setCollectionMembers(tx, (await ensureShop(tx, shopDomain)).id, payload.id, members)
        : { outcome: "skipped", detail: `no session for ${shopDomain}: not installed` },
  });
