import type { ActionFunctionArgs } from "@remix-run/node";
import prisma from "../db.server";
import type { Outcome } from "../earning/orders.server";
import type { Tx } from "../db/transaction.server";
import { ensureShop } from "../shops/shops.server";
import { handleWebhook } from "../webhooks/handle.server";
import {
  bulkOperationFinishPayload,
  customerPayload,
  customerTagsPayload,
  marketingConsentPayload,
} from "../webhooks/payloads";
import { gidNumber } from "./jsonl";
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

/**
 * customer.tags_added / customer.tags_removed: since 2025-01 customers/update no longer carries tags, so a member's
 * tags (which earn rules match) follow these events. A redacted member is left alone; a customer the app has no
 * member for yet gets the tags with its member at the next sync.
 */
function customerTagsAction(topic: "customer.tags_added" | "customer.tags_removed") {
  return ({ request }: ActionFunctionArgs) =>
    handleWebhook(request, {
      topic,
      schema: customerTagsPayload,
      apply: async (tx, { shopDomain, payload }): Promise<Outcome> => {
        const shop = await ensureShop(tx, shopDomain);
        const customerId = gidNumber(payload.customerId);
        const tags = payload.tags.map((tag) => tag.trim()).filter(Boolean);
        const changed =
          topic === "customer.tags_added"
            ? await tx.$executeRaw`
                UPDATE "Member" SET tags = ARRAY(SELECT DISTINCT t FROM unnest(tags || ${tags}::text[]) t ORDER BY t),
                  "updatedAt" = now()
                WHERE "shopId" = ${shop.id} AND "customerId" = ${customerId} AND "redactedAt" IS NULL`
            : await tx.$executeRaw`
                UPDATE "Member" SET tags = ARRAY(SELECT t FROM unnest(tags) t WHERE t <> ALL(${tags}::text[]) ORDER BY t),
                  "updatedAt" = now()
                WHERE "shopId" = ${shop.id} AND "customerId" = ${customerId} AND "redactedAt" IS NULL`;
        return changed > 0
          ? {
              outcome: "applied",
              detail: `${topic === "customer.tags_added" ? "added" : "removed"} ${tags.join(", ")}`,
            }
          : { outcome: "skipped", detail: `no member for customer ${customerId}` };
      },
    });
}

export const customerTagsAddedAction = customerTagsAction("customer.tags_added");
export const customerTagsRemovedAction = customerTagsAction("customer.tags_removed");

/** customers_email_marketing_consent/update: the member's email marketing consent, as Shopify's enum names it. */
export const marketingConsentAction = ({ request }: ActionFunctionArgs) =>
  handleWebhook(request, {
    topic: "customers_email_marketing_consent/update",
    schema: marketingConsentPayload,
    apply: async (tx, { shopDomain, payload }): Promise<Outcome> => {
      const shop = await ensureShop(tx, shopDomain);
      const state = payload.email_marketing_consent?.state.toUpperCase() ?? null;
      const changed = await tx.$executeRaw`
        UPDATE "Member" SET "emailMarketingState" = ${state}, "updatedAt" = now()
        WHERE "shopId" = ${shop.id} AND "customerId" = ${payload.customer_id} AND "redactedAt" IS NULL`;
      return changed > 0
        ? { outcome: "applied", detail: `email marketing consent ${state ?? "cleared"}` }
        : { outcome: "skipped", detail: `no member for customer ${payload.customer_id}` };
    },
  });
