import type { ActionFunctionArgs } from "@remix-run/node";
import { prepareDataExport } from "../members/privacy.server";
import { handleWebhook } from "../webhooks/handle.server";
import { customersDataRequestPayload } from "../webhooks/payloads";

export const action = ({ request }: ActionFunctionArgs) =>
  handleWebhook(request, {
    topic: "customers/data_request",
    schema: customersDataRequestPayload,
    uninstalledShops: "handle",
    apply: (tx, { shopDomain, payload }) => prepareDataExport(tx, shopDomain, payload.customer.id),
  });
