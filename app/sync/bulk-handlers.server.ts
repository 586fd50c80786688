import type { BulkOperation, PrismaClient, Shop } from "../generated/prisma/client";
import { applyCatalogue } from "../earning/catalogue.server";
import type { BulkKind } from "./bulk-state";
import { applyCustomers } from "./customers.server";
import { applyOrdersResult } from "./orders-bulk.server";
import type { JsonlRecord } from "./jsonl";

/**
 * A bulk operation's result, already checked whole (every line one JSON object, as many lines as Shopify counted):
 * each `for await` downloads and reads the file again from its first line, so a handler that needs two passes (a
 * parent's children may come before it) simply iterates twice. Nothing is held in memory between lines.
 */
export interface BulkRecords extends AsyncIterable<JsonlRecord> {
  /** The number of lines (objects, nested ones included) the check counted. */
  readonly lines: number;
}

/**
 * Applies one kind's result. Called outside any transaction: a handler writes in batches of its own, each batch
 * idempotent (an upsert, or ledger entries under idempotency keys), because an interrupted apply is run again from
 * the start by the scheduled job. `processed` is how many records it applied, shown on the sync page.
 */
export type BulkResultHandler = (
  db: PrismaClient,
  shop: Shop,
  operation: BulkOperation,
  records: BulkRecords,
) => Promise<{ processed: number }>;

/** Who applies each kind's result. An operation whose kind has no handler yet waits, unapplied, until one is added. */
export const bulkHandlers: Partial<Record<BulkKind, BulkResultHandler>> = {
  customers: applyCustomers,
  products: applyCatalogue,
  orders: applyOrdersResult,
};
