import type { ActionFunctionArgs } from "@remix-run/node";
import prisma from "../db.server";
import type { Outcome } from "../earning/orders.server";
import type { Tx } from "../db/transaction.server";
import { ensureShop } from "../shops/shops.server";
import { handleWebhook } from "../webhooks/handle.server";
import { bulkOperationFinishPayload, customerPayload } from "../webhooks/payloads";
import { fetchBulkOperation, recordRemoteState, type RemoteBulkOperation } from "./bulk-operations.server";
import { applyInBackground } from "./bulk-results.server";
import { applyCustomerProfile } from "./customers.server";
import type { BulkOperation } from "../generated/prisma/client";

interface FinishedOperation {
  row: BulkOperation;
  remote: RemoteBulkOperation | null;
}

/** The operation's row, and its state as the Admin API reports it (the payload has neither URL nor object count). */
async function finishedOperation(shopDomain: string, operationId: string): Promise<FinishedOperation | null> {
  const row = await prisma.bulkOperation.findFirst({ where: { operationId, shop: { domain: shopDomain } } });
  // Not one of ours (another app's, or one started before this table existed): nothing to ask Shopify about.
  if (!row) return null;
  return { row, remote: await fetchBulkOperation(shopDomain, operationId) };
}

async function recordFinish(
  tx: Tx,
  payload: { admin_graphql_api_id: string; status: string; error_code?: string | null },
  finished: FinishedOperation | null,
): Promise<Outcome> {
  if (!finished) return { outcome: "skipped", detail: `${payload.admin_graphql_api_id} is not a sync of this app` };
  // Shopify no longer knowing the operation is rare; the payload's word is then all there is.
  const remote: RemoteBulkOperation = finished.remote ?? {
    id: payload.admin_graphql_api_id,
    status: payload.status.toUpperCase() as RemoteBulkOperation["status"],
    errorCode: payload.error_code ? payload.error_code.toUpperCase() : null,
    objectCount: finished.row.objectCount ?? 0,
    url: finished.row.url,
    createdAt: finished.row.createdAt.toISOString(),
    completedAt: null,
  };
  const row = await recordRemoteState(tx, finished.row, remote);
  return {
    outcome: "recorded",
    detail: `${row.kind} bulk operation ${row.status}${row.errorCode ? ` (${row.errorCode})` : ""}, ${row.objectCount ?? 0} objects`,
  };
}

/**
 * bulk_operations/finish: record how the operation ended and answer at once; its result (which can take minutes to
 * apply) is applied after the answer, and by the scheduled job if this process stops first.
 */
export async function bulkOperationFinishAction({ request }: ActionFunctionArgs): Promise<Response> {
  const response = await handleWebhook(request, {
    topic: "bulk_operations/finish",
    schema: bulkOperationFinishPayload,
    prepare: ({ shopDomain, payload }) => finishedOperation(shopDomain, payload.admin_graphql_api_id),
    apply: (tx, { payload }, finished) => recordFinish(tx, payload, finished),
  });
  // Only after the signature was verified: the header then names the shop Shopify signed for.
  if (response.ok) applyInBackground(prisma, request.headers.get("X-Shopify-Shop-Domain")!);
  return response;
}

/** customers/update: the member follows the customer's name, email, state and verified email, newest first. */
export const customerUpdateAction = ({ request }: ActionFunctionArgs) =>
  handleWebhook(request, {
    topic: "customers/update",
    schema: customerPayload,
    apply: async (tx, { shopDomain, payload }) => applyCustomerProfile(tx, await ensureShop(tx, shopDomain), payload),
  });
