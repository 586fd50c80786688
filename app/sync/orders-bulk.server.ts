import type { BulkOperation, PrismaClient, Shop } from "../generated/prisma/client";
import type { BulkRecords } from "./bulk-handlers.server";
import { MAX_APPLY_ATTEMPTS, UNSUCCESSFUL_STATUSES, type BulkStatus } from "./bulk-state";
import { applyHistoryResult, failHistoryReading } from "./order-history.server";
import { applyCatchUpResult, failCatchUp } from "./reconciliation.server";

/** What an orders bulk operation was started for (its meta): an order-history reading or a reconciliation catch-up. */
type OrdersPurpose = { purpose: "history"; importId: string } | { purpose: "reconcile"; runId: string };

function purposeOf(operation: Pick<BulkOperation, "meta">): OrdersPurpose | null {
  const meta = operation.meta as Partial<{ purpose: string; importId: string; runId: string }> | null;
  if (meta?.purpose === "history" && meta.importId) return { purpose: "history", importId: meta.importId };
  if (meta?.purpose === "reconcile" && meta.runId) return { purpose: "reconcile", runId: meta.runId };
  return null;
}

/** The "orders" result handler (app/sync/bulk-handlers.server.ts): each purpose applies its own way. */
export async function applyOrdersResult(
  db: PrismaClient,
  shop: Shop,
  operation: BulkOperation,
  records: BulkRecords,
): Promise<{ processed: number }> {
  const purpose = purposeOf(operation);
  if (purpose?.purpose === "history") return applyHistoryResult(db, shop, purpose.importId, records);
  if (purpose?.purpose === "reconcile") return applyCatchUpResult(db, shop, purpose.runId, records);
  throw new Error(`orders bulk operation ${operation.id} does not say what it is for`);
}

/**
 * Readings and catch-ups whose bulk operation ended without a result (failed, cancelled or expired on Shopify's
 * side, refused by Shopify, or a result file we refused) are marked failed with the reason, so the page says so and
 * the merchant (or the next scheduled pass) can start again.
 */
export async function settleUnsuccessfulOrderOperations(db: PrismaClient, shopId?: string): Promise<number> {
  const operations = await db.bulkOperation.findMany({
    where: {
      kind: "orders",
      ...(shopId ? { shopId } : {}),
      // A result refused for what it is (truncated, corrupt, refused by Shopify) is final; another failure is retried
      // by the scheduled job until it has had its attempts.
      OR: [
        { status: { in: UNSUCCESSFUL_STATUSES as BulkStatus[] } },
        { error: { in: ["incomplete", "invalid_line", "rejected"] } },
        { error: { not: null }, attempts: { gte: MAX_APPLY_ATTEMPTS } },
      ],
      createdAt: { gt: new Date(Date.now() - 30 * 86_400_000) },
    },
  });
  let settled = 0;
  for (const operation of operations) {
    const purpose = purposeOf(operation);
    // A code and its detail ("shopify:ACCESS_DENIED"): the pages say it in the merchant's language.
    const reason = operation.errorCode
      ? `shopify:${operation.errorCode}`
      : operation.error
        ? `result:${operation.error}`
        : `ended:${operation.status}`;
    if (purpose?.purpose === "history") await failHistoryReading(db, purpose.importId, reason);
    if (purpose?.purpose === "reconcile") await failCatchUp(db, purpose.runId, reason);
    settled++;
  }
  return settled;
}
