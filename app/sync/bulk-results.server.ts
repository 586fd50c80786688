import { Prisma, type BulkOperation, type PrismaClient } from "../generated/prisma/client";
import { bulkHandlers, type BulkRecords } from "./bulk-handlers.server";
import { isBulkKind, MAX_APPLY_ATTEMPTS } from "./bulk-state";
import { JsonlError, jsonlRecords, validateJsonl } from "./jsonl";

/** A process applying a result holds it this long; a claim older than this was left by a crash and is taken over. */
const LEASE_MS = 10 * 60_000;

class DownloadError extends Error {
  constructor(readonly status: number) {
    super(`the result file could not be downloaded (HTTP ${status})`);
  }
}

/** The result file's bytes as they arrive, never the whole file. */
async function* download(url: string): AsyncGenerator<Uint8Array> {
  const response = await fetch(url);
  if (!response.ok || !response.body) throw new DownloadError(response.status);
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
    // A handler that stops early (or fails) lets go of the connection.
    await response.body.cancel().catch(() => undefined);
  }
}

/** The result to hand to a handler: empty when Shopify found nothing (it gives no URL then). */
function records(url: string | null, lines: number): BulkRecords {
  return {
    lines,
    [Symbol.asyncIterator]: () => (url ? jsonlRecords(download(url)) : emptyRecords())[Symbol.asyncIterator](),
  };
}

async function* emptyRecords() {}

/** Takes an operation for this process, or null when another holds it or it needs nothing more. */
async function claim(db: PrismaClient, id: string, now: Date): Promise<BulkOperation | null> {
  const taken = await db.bulkOperation.updateMany({
    where: {
      id,
      status: "COMPLETED",
      processedAt: null,
      attempts: { lt: MAX_APPLY_ATTEMPTS },
      OR: [{ claimedAt: null }, { claimedAt: { lt: new Date(now.getTime() - LEASE_MS) } }],
    },
    data: { claimedAt: now, attempts: { increment: 1 } },
  });
  return taken.count === 1 ? db.bulkOperation.findUnique({ where: { id } }) : null;
}

function refusal(error: unknown): { error: string; errorDetail: Prisma.InputJsonValue } {
  if (error instanceof JsonlError) return { error: error.code, errorDetail: error.detail };
  if (error instanceof DownloadError) return { error: "download", errorDetail: { status: error.status } };
  return { error: "apply_failed", errorDetail: { message: (error as Error).message ?? String(error) } };
}

export type ApplyOutcome = "applied" | "refused" | "skipped";

/**
 * Applies one completed operation's result, all or nothing as far as the file goes: the whole file is read and checked
 * first (every line complete JSON, as many lines as Shopify counted), and only a file that passes is read again and
 * handed to its kind's handler. A truncated or corrupt file writes nothing and leaves its reason on the operation.
 */
export async function applyOperation(db: PrismaClient, id: string, now = new Date()): Promise<ApplyOutcome> {
  const operation = await claim(db, id, now);
  if (!operation) return "skipped";
  const handler = isBulkKind(operation.kind) ? bulkHandlers[operation.kind] : undefined;
  if (!handler) {
    await db.bulkOperation.update({ where: { id }, data: { claimedAt: null, attempts: { decrement: 1 } } });
    return "skipped";
  }
  try {
    // Shopify gives no URL for an empty result; a URL missing for a non-empty one is a result we cannot read.
    if (!operation.url && (operation.objectCount ?? 0) > 0) throw new DownloadError(0);
    const lines = operation.url ? await validateJsonl(download(operation.url), operation.objectCount) : 0;
    const shop = await db.shop.findUniqueOrThrow({ where: { id: operation.shopId } });
    const { processed } = await handler(db, shop, operation, records(operation.url, lines));
    await db.bulkOperation.update({
      where: { id },
      data: { processedAt: new Date(), processed, claimedAt: null, error: null, errorDetail: Prisma.DbNull },
    });
    return "applied";
  } catch (error) {
    if (!(error instanceof JsonlError || error instanceof DownloadError)) {
      console.error(`applying bulk operation ${operation.operationId} (${operation.kind}) failed`, error);
    }
    await db.bulkOperation.update({ where: { id }, data: { ...refusal(error), claimedAt: null } });
    return "refused";
  }
}

/**
 * Every completed operation whose result is not applied yet (of one shop, or of all), oldest first: the scheduled
 * job's pass, and what the finish webhook starts once it has answered Shopify.
 */
export async function applyCompletedOperations(
  db: PrismaClient,
  options: { shopDomain?: string; now?: Date } = {},
): Promise<{ applied: number; refused: number }> {
  const now = options.now ?? new Date();
  const waiting = await db.bulkOperation.findMany({
    where: {
      status: "COMPLETED",
      processedAt: null,
      attempts: { lt: MAX_APPLY_ATTEMPTS },
      kind: { in: Object.keys(bulkHandlers) },
      shop: { uninstalledAt: null, ...(options.shopDomain ? { domain: options.shopDomain } : {}) },
    },
    select: { id: true },
    orderBy: { createdAt: "asc" },
  });
  let applied = 0;
  let refused = 0;
  for (const { id } of waiting) {
    const outcome = await applyOperation(db, id, now);
    if (outcome === "applied") applied += 1;
    if (outcome === "refused") refused += 1;
  }
  return { applied, refused };
}

const inFlight = new Set<Promise<unknown>>();

/**
 * Applies a shop's completed results after the webhook that reported them has been answered (Shopify waits 5 s at
 * most); the scheduled job applies whatever this does not finish, e.g. after a restart.
 */
export function applyInBackground(db: PrismaClient, shopDomain: string): void {
  const work: Promise<unknown> = applyCompletedOperations(db, { shopDomain })
    .catch((error: unknown) => console.error(`applying bulk results for ${shopDomain} failed`, error))
    .finally(() => inFlight.delete(work));
  inFlight.add(work);
}

/** Resolves once no background apply is running (tests, and a server shutting down, wait for it). */
export async function backgroundApplies(): Promise<void> {
  while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
}
