/**
 * What a sync's bulk operation is doing, decided from its row alone: the page shows it, and the writers use the same
 * words to decide whether another operation of the kind may start and whether a result is waiting to be applied.
 */

/** What a bulk operation fetches; each kind has one handler that applies its result (bulk-handlers.server.ts). */
export type BulkKind = "customers" | "products" | "orders";
export const BULK_KINDS: readonly BulkKind[] = ["customers", "products", "orders"];

export const isBulkKind = (value: unknown): value is BulkKind =>
  typeof value === "string" && (BULK_KINDS as readonly string[]).includes(value);

/** Shopify's BulkOperationStatus, and QUEUED before Shopify has accepted the operation. */
export type BulkStatus =
  "QUEUED" | "CREATED" | "RUNNING" | "CANCELING" | "COMPLETED" | "CANCELED" | "FAILED" | "EXPIRED";

/** Still under way on Shopify's side (or waiting for it). */
export const ACTIVE_STATUSES: readonly BulkStatus[] = ["QUEUED", "CREATED", "RUNNING", "CANCELING"];
/** Ended on Shopify's side without a result to apply. */
export const UNSUCCESSFUL_STATUSES: readonly BulkStatus[] = ["CANCELED", "FAILED", "EXPIRED"];

/** A refused result is tried again (a download cut short by the network) this many times in all. */
export const MAX_APPLY_ATTEMPTS = 3;

export type SyncPhase = "queued" | "running" | "applying" | "synced" | "failed" | "refused";

export interface BulkOperationFacts {
  status: string;
  processedAt: Date | string | null;
  error: string | null;
}

export function syncPhase(operation: BulkOperationFacts): SyncPhase {
  if (operation.status === "QUEUED") return "queued";
  if ((ACTIVE_STATUSES as readonly string[]).includes(operation.status)) return "running";
  if ((UNSUCCESSFUL_STATUSES as readonly string[]).includes(operation.status)) return "failed";
  if (operation.processedAt) return "synced";
  return operation.error ? "refused" : "applying";
}

/** Another operation of the same kind would only repeat this one: it is queued, running, or its result is being applied. */
export const isBusy = (operation: BulkOperationFacts): boolean =>
  ["queued", "running", "applying"].includes(syncPhase(operation));
