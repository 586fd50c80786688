import type { BulkOperation, Prisma, PrismaClient } from "../generated/prisma/client";
import { AdminApiError, adminGraphql, NoOfflineSession, type UserError } from "../shopify/graphql.server";
import { requireInstalledShop } from "../shops/shops.server";
import { ACTIVE_STATUSES, isBusy, type BulkKind, type BulkStatus } from "./bulk-state";

/** The operation as Shopify reports it (BulkOperation in the Admin schema). */
export interface RemoteBulkOperation {
  id: string;
  status: BulkStatus;
  errorCode: string | null;
  /** UnsignedInt64: Shopify sends it as a string. */
  objectCount: string | number;
  url: string | null;
  createdAt: string;
  completedAt: string | null;
}

/**
 * Asks Shopify to run a bulk query. `groupObjects: false`: Shopify writes nested objects on lines of their own with
 * `__parentId` (grouping is slower and more likely to time out), and the handlers do not rely on their order.
 */
async function runBulkQuery(
  shopDomain: string,
  query: string,
): Promise<{ operation: RemoteBulkOperation | null; userErrors: Array<UserError & { code?: string | null }> }> {
  const data = await adminGraphql<{
    bulkOperationRunQuery: {
      bulkOperation: RemoteBulkOperation | null;
      userErrors: Array<UserError & { code?: string | null }>;
    };
  }>(
    shopDomain,
    `#graphql
    mutation TsumikiRunBulkQuery($query: String!) {
      bulkOperationRunQuery(query: $query, groupObjects: false) {
        bulkOperation { id status errorCode objectCount url createdAt completedAt }
        userErrors { field message code }
      }
    }`,
    { query },
  );
  return {
    operation: data.bulkOperationRunQuery.bulkOperation,
    userErrors: data.bulkOperationRunQuery.userErrors,
  };
}

/** The operation's state now: the finish webhook carries neither the result's URL nor its object count. */
export async function fetchBulkOperation(shopDomain: string, operationId: string): Promise<RemoteBulkOperation | null> {
  const data = await adminGraphql<{ bulkOperation: RemoteBulkOperation | null }>(
    shopDomain,
    `#graphql
    query TsumikiBulkOperation($id: ID!) {
      bulkOperation(id: $id) { id status errorCode objectCount url createdAt completedAt }
    }`,
    { id: operationId },
  );
  return data.bulkOperation;
}

type Db = PrismaClient | Prisma.TransactionClient;

/** Writes what Shopify reported into the operation's row; a row already holding a final state keeps it. */
export async function recordRemoteState(
  db: Db,
  row: BulkOperation,
  remote: RemoteBulkOperation,
): Promise<BulkOperation> {
  return db.bulkOperation.update({
    where: { id: row.id },
    data: {
      operationId: remote.id,
      status: remote.status,
      errorCode: remote.errorCode,
      objectCount: Number(remote.objectCount),
      url: remote.url,
      completedAt: remote.completedAt ? new Date(remote.completedAt) : null,
    },
  });
}

export interface StartResult {
  /** started: Shopify runs it; queued: Shopify runs as many as it allows, it starts when one ends; busy: one of the
   * same kind is still under way and this request was not added; rejected: Shopify refused the query. */
  outcome: "started" | "queued" | "busy" | "rejected";
  operation: BulkOperation;
}

/** Codes with which Shopify says the shop already runs as many bulk queries as it allows (one before 2026-01). */
const LIMIT_CODES = new Set(["OPERATION_IN_PROGRESS", "LIMIT_REACHED"]);

/**
 * Starts a bulk query for a shop, one per kind at a time: while an operation of the kind is queued, running or being
 * applied, another request returns it ("busy") instead of adding a second. The row is written before Shopify is
 * asked, so a crash in between leaves a queued operation the scheduled job starts, never one Shopify runs unknown.
 */
export async function startBulkOperation(
  db: PrismaClient,
  shopDomain: string,
  kind: BulkKind,
  query: string,
  options: { meta?: Prisma.InputJsonValue; requestedBy?: string } = {},
): Promise<StartResult> {
  const queued = await db.$transaction(async (tx) => {
    const shop = await requireInstalledShop(tx, shopDomain);
    // One request per shop at a time decides: two clicks at once add one operation.
    await tx.$executeRaw`SELECT id FROM "Shop" WHERE id = ${shop.id} FOR UPDATE`;
    const latest = await tx.bulkOperation.findFirst({
      where: { shopId: shop.id, kind },
      orderBy: { createdAt: "desc" },
    });
    if (latest && isBusy(latest)) return { busy: latest };
    return {
      busy: null,
      row: await tx.bulkOperation.create({
        data: { shopId: shop.id, kind, query, meta: options.meta, requestedBy: options.requestedBy ?? null },
      }),
    };
  });
  if (queued.busy) return { outcome: "busy", operation: queued.busy };
  return submitQueued(db, shopDomain, queued.row!);
}

/** Asks Shopify to run a queued operation; it stays queued when Shopify is at its limit or cannot be reached. */
export async function submitQueued(db: PrismaClient, shopDomain: string, row: BulkOperation): Promise<StartResult> {
  let answer: Awaited<ReturnType<typeof runBulkQuery>>;
  try {
    answer = await runBulkQuery(shopDomain, row.query);
  } catch (error) {
    if (error instanceof NoOfflineSession) {
      const failed = await db.bulkOperation.update({
        where: { id: row.id },
        data: { status: "FAILED", error: "rejected", errorDetail: { message: error.message } },
      });
      return { outcome: "rejected", operation: failed };
    }
    if (error instanceof AdminApiError) return { outcome: "queued", operation: row };
    throw error;
  }
  if (answer.operation) {
    return { outcome: "started", operation: await recordRemoteState(db, row, answer.operation) };
  }
  if (answer.userErrors.some((e) => e.code && LIMIT_CODES.has(e.code))) return { outcome: "queued", operation: row };
  const rejected = await db.bulkOperation.update({
    where: { id: row.id },
    data: {
      status: "FAILED",
      error: "rejected",
      errorDetail: { message: answer.userErrors.map((e) => e.message).join("; ") || "no operation returned" },
    },
  });
  return { outcome: "rejected", operation: rejected };
}

/**
 * The scheduled job's part before applying results: queued operations are offered to Shopify again (oldest first,
 * one shop's refusal does not hold up the others), and operations still running are asked about, so a sync finishes
 * even when its bulk_operations/finish webhook never arrives (and in local mode, which receives none).
 */
export async function advanceOperations(db: PrismaClient): Promise<{ submitted: number; refreshed: number }> {
  let submitted = 0;
  let refreshed = 0;
  const queued = await db.bulkOperation.findMany({
    where: { status: "QUEUED", shop: { uninstalledAt: null } },
    include: { shop: true },
    orderBy: { createdAt: "asc" },
    take: 50,
  });
  const refusedShops = new Set<string>();
  for (const row of queued) {
    if (refusedShops.has(row.shopId)) continue;
    const result = await submitQueued(db, row.shop.domain, row);
    if (result.outcome === "started") submitted += 1;
    if (result.outcome === "queued") refusedShops.add(row.shopId);
  }
  const running = await db.bulkOperation.findMany({
    where: {
      status: { in: ACTIVE_STATUSES.filter((status) => status !== "QUEUED") },
      operationId: { not: null },
      shop: { uninstalledAt: null },
    },
    include: { shop: true },
    orderBy: { createdAt: "asc" },
    take: 50,
  });
  for (const row of running) {
    try {
      const remote = await fetchBulkOperation(row.shop.domain, row.operationId!);
      if (remote && remote.status !== row.status) {
        await recordRemoteState(db, row, remote);
        refreshed += 1;
      }
    } catch (error) {
      // One shop's unreachable Admin API does not stop the others; the next pass asks again.
      if (!(error instanceof AdminApiError)) throw error;
    }
  }
  return { submitted, refreshed };
}
