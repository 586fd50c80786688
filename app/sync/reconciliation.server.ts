import { randomUUID } from "node:crypto";
import type { PrismaClient, Shop } from "../generated/prisma/client";
import { applyCancellation, applyPaidOrder, applyRefund } from "../earning/order-events.server";
import type { Outcome } from "../earning/orders.server";
import { requireInstalledShop } from "../shops/shops.server";
import type { Tx } from "../db/transaction.server";
import { orderPayload, refundPayload } from "../webhooks/payloads";
import {
  restId,
  toOrderWebhookPayload,
  toRefundWebhookPayload,
  wasPaid,
  type GraphqlOrderSummary,
} from "./order-payload";
import { fetchOrder, fetchRefund, fetchUpdatedOrders } from "./shopify-orders.server";
import type { BulkRecords } from "./bulk-handlers.server";
import { startBulkOperation } from "./bulk-operations.server";
import { catchUpBulkQuery } from "./order-history";

/** How often the scheduled check runs per shop. */
export const RECONCILE_EVERY_MS = 10 * 60_000;
/** Each window re-reads the tail of the last one: Shopify's order search can lag an update by a few minutes. */
export const OVERLAP_MS = 10 * 60_000;
/** The newest minutes are left to the webhooks, which normally arrive within seconds. */
export const SETTLE_MS = 2 * 60_000;
/**
 * A window longer than this (the app was down, or the shop was just installed long ago) is caught up through a
 * bulk operation instead of paging: Shopify reads the orders on its side, and nothing is throttled.
 */
export const BULK_AFTER_MS = 6 * 3_600_000;
/** Up to this many days can be checked again on request. */
export const MAX_CHECK_DAYS = 60;

export type ReconcileMode = "window" | "bulk" | "manual";

export interface ReconcileSummary {
  runId: string;
  ordersChecked: number;
  eventsRecovered: number;
}

export class ReconcileRefused extends Error {}

/**
 * Applies one reported event in its own transaction, exactly as its webhook would, and records it as recovered
 * unless the app had already applied it (the webhook came first, or another run did).
 */
async function recover(
  db: PrismaClient,
  shop: Shop,
  runId: string | null,
  event: { orderId: string; topic: string; key: string },
  apply: (tx: Tx) => Promise<Outcome>,
): Promise<boolean> {
  return db.$transaction(
    async (tx) => {
      await requireInstalledShop(tx, shop.domain);
      const outcome = await apply(tx);
      if (outcome.outcome === "duplicate") return false;
      await tx.$executeRaw`
        INSERT INTO "RecoveredEvent" (id, "shopId", "runId", "orderId", topic, "eventKey", outcome, detail)
        VALUES (${randomUUID()}, ${shop.id}, ${runId}, ${event.orderId}, ${event.topic}, ${`${event.topic}:${event.key}`},
                ${outcome.outcome}, ${outcome.detail})
        ON CONFLICT ("shopId", "eventKey") DO NOTHING`;
      return true;
    },
    { maxWait: 15_000, timeout: 15_000 },
  );
}

/** What the app has applied of an order: its row (status, cancellation) and the refunds it recorded. */
export interface AppliedState {
  known: { status: string; cancelledAt: Date | null } | null;
  recordedRefunds: Set<string>;
}

/** The applied state of a page of orders, in two queries. */
async function appliedState(
  db: PrismaClient,
  shop: Shop,
  summaries: GraphqlOrderSummary[],
): Promise<Map<string, AppliedState>> {
  const ids = summaries.map((summary) => restId(summary.id));
  const [orders, refunds] = await Promise.all([
    db.order.findMany({
      where: { shopId: shop.id, orderId: { in: ids } },
      select: { orderId: true, status: true, cancelledAt: true },
    }),
    db.refund.findMany({ where: { shopId: shop.id, orderId: { in: ids } }, select: { orderId: true, refundId: true } }),
  ]);
  const state = new Map<string, AppliedState>(ids.map((id) => [id, { known: null, recordedRefunds: new Set() }]));
  for (const order of orders) state.get(order.orderId)!.known = order;
  for (const refund of refunds) state.get(refund.orderId)?.recordedRefunds.add(refund.refundId);
  return state;
}

/** Orders of one page reconciled at once: each is independent, and a member's orders serialise on its row lock. */
const PAGE_CONCURRENCY = 4;

/**
 * Brings one order up to date with what Shopify reports: its payment (if it was paid after the app was
 * installed: orders/paid is never sent for earlier payments), each refund the app has not recorded, oldest first,
 * then its cancellation. Only what is missing is read in full. Returns how many events were recovered.
 */
export async function reconcileOrder(
  db: PrismaClient,
  shop: Shop,
  summary: GraphqlOrderSummary,
  runId: string | null,
  state?: AppliedState,
): Promise<number> {
  const orderId = restId(summary.id);
  const { known, recordedRefunds } = state ?? (await appliedState(db, shop, [summary])).get(orderId)!;
  const needsPayment =
    wasPaid(summary) && new Date(summary.processedAt) >= shop.installedAt && (!known || known.status === "unpaid");
  const missingRefunds = summary.refunds
    .filter((refund) => !recordedRefunds.has(restId(refund.id)))
    .sort((a, b) => (a.createdAt ?? "").localeCompare(b.createdAt ?? ""));
  const needsCancellation = summary.cancelledAt !== null && !known?.cancelledAt;
  if (!needsPayment && missingRefunds.length === 0 && !needsCancellation) return 0;

  let recovered = 0;
  const order = needsPayment || needsCancellation ? await fetchOrder(shop.domain, summary.id) : null;
  const payload = order ? orderPayload.parse(toOrderWebhookPayload(order)) : null;
  if (needsPayment && payload) {
    const event = { orderId, topic: "orders/paid", key: orderId };
    if (await recover(db, shop, runId, event, (tx) => applyPaidOrder(tx, shop.domain, payload))) recovered++;
  }
  for (const missing of missingRefunds) {
    const refund = await fetchRefund(shop.domain, missing.id);
    if (!refund) continue;
    const parsed = refundPayload.parse(toRefundWebhookPayload(refund));
    const event = { orderId, topic: "refunds/create", key: parsed.id };
    if (await recover(db, shop, runId, event, (tx) => applyRefund(tx, shop.domain, parsed))) recovered++;
  }
  if (needsCancellation && payload) {
    const event = { orderId, topic: "orders/cancelled", key: orderId };
    if (await recover(db, shop, runId, event, (tx) => applyCancellation(tx, shop.domain, payload))) recovered++;
  }
  return recovered;
}

/** Reconciles a page of orders (from the Admin API or a bulk result); returns the events recovered. */
export async function reconcilePage(
  db: PrismaClient,
  shop: Shop,
  summaries: GraphqlOrderSummary[],
  runId: string | null,
): Promise<number> {
  const state = await appliedState(db, shop, summaries);
  let recovered = 0;
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(PAGE_CONCURRENCY, summaries.length) }, async () => {
      while (next < summaries.length) {
        const summary = summaries[next++];
        // Read after the await: `recovered += await …` would add to a total another worker has since changed.
        const count = await reconcileOrder(db, shop, summary, runId, state.get(restId(summary.id)));
        recovered += count;
      }
    }),
  );
  return recovered;
}

export async function startRun(
  db: PrismaClient,
  shop: Shop,
  window: { mode: ReconcileMode; since: Date; until: Date; requestedBy?: string; status?: string },
): Promise<string> {
  const run = await db.reconciliationRun.create({
    data: {
      shopId: shop.id,
      mode: window.mode,
      since: window.since,
      until: window.until,
      requestedBy: window.requestedBy ?? null,
      status: window.status ?? "running",
    },
  });
  return run.id;
}

/**
 * Ends a run. A completed scheduled or catch-up run moves the shop's watermark to its end (never backwards); a
 * failed run leaves it, so the next run covers the same orders again (every step is idempotent).
 */
export async function finishRun(
  db: PrismaClient,
  runId: string,
  result: { ordersChecked: number; eventsRecovered: number; error?: string },
): Promise<void> {
  const run = await db.reconciliationRun.update({
    where: { id: runId },
    data: {
      status: result.error ? "failed" : "completed",
      error: result.error ?? null,
      ordersChecked: result.ordersChecked,
      eventsRecovered: result.eventsRecovered,
      finishedAt: new Date(),
    },
  });
  if (!result.error && run.mode !== "manual") {
    await db.$executeRaw`
      UPDATE "Shop" SET "reconciledThrough" = GREATEST(COALESCE("reconciledThrough", ${run.until}), ${run.until})
      WHERE id = ${run.shopId}`;
  }
}

/** Checks every order Shopify reports updated in [since, until), page by page, through the Admin API. */
export async function reconcileWindow(
  db: PrismaClient,
  shop: Shop,
  window: { mode: ReconcileMode; since: Date; until: Date; requestedBy?: string },
): Promise<ReconcileSummary> {
  const runId = await startRun(db, shop, window);
  let ordersChecked = 0;
  let eventsRecovered = 0;
  try {
    let after: string | null = null;
    do {
      const page = await fetchUpdatedOrders(shop.domain, window.since, window.until, after);
      eventsRecovered += await reconcilePage(db, shop, page.orders, runId);
      ordersChecked += page.orders.length;
      after = page.next;
    } while (after);
  } catch (error) {
    await finishRun(db, runId, { ordersChecked, eventsRecovered, error: (error as Error).message });
    throw error;
  }
  await finishRun(db, runId, { ordersChecked, eventsRecovered });
  return { runId, ordersChecked, eventsRecovered };
}

/** The merchant's "check the last N days again": every order updated in those days, now. */
export async function checkAgain(
  db: PrismaClient,
  shopDomain: string,
  days: number,
  requestedBy: string,
  now = new Date(),
): Promise<ReconcileSummary> {
  if (!Number.isInteger(days) || days < 1 || days > MAX_CHECK_DAYS) {
    throw new ReconcileRefused(`days must be a whole number from 1 to ${MAX_CHECK_DAYS}`);
  }
  const shop = await requireInstalledShop(db, shopDomain);
  const since = new Date(now.getTime() - days * 86_400_000);
  return reconcileWindow(db, shop, { mode: "manual", since, until: now, requestedBy });
}

/** Where the next scheduled window starts: a little before the watermark, or at install. */
export function nextWindowStart(shop: Pick<Shop, "reconciledThrough" | "installedAt">): Date {
  return shop.reconciledThrough ? new Date(shop.reconciledThrough.getTime() - OVERLAP_MS) : shop.installedAt;
}

/**
 * The scheduled check, for every installed shop whose last run is older than RECONCILE_EVERY_MS: the orders
 * updated since the watermark. A shop whose Admin API fails is left for the next pass; the others go on.
 */
export async function reconcileDueShops(db: PrismaClient, now = new Date()): Promise<ReconcileSummary[]> {
  const shops = await db.shop.findMany({ where: { uninstalledAt: null } });
  const summaries: ReconcileSummary[] = [];
  for (const shop of shops) {
    const last = await db.reconciliationRun.findFirst({
      where: { shopId: shop.id, mode: { not: "manual" } },
      orderBy: { startedAt: "desc" },
    });
    // A window ends SETTLE_MS before the pass that ran it.
    const lastPass = last ? last.until.getTime() + SETTLE_MS : null;
    if (last?.status === "waiting" || (lastPass !== null && now.getTime() - lastPass < RECONCILE_EVERY_MS)) continue;
    const until = new Date(now.getTime() - SETTLE_MS);
    const since = nextWindowStart(shop);
    if (until <= since) continue;
    try {
      if (until.getTime() - since.getTime() > BULK_AFTER_MS && (await startCatchUp(db, shop, since, until))) continue;
      summaries.push(await reconcileWindow(db, shop, { mode: "window", since, until }));
    } catch (error) {
      console.error(`reconciliation failed for ${shop.domain}`, error);
    }
  }
  return summaries;
}

/**
 * Starts catching up a long window through a bulk operation; the run waits ("waiting") until its result is applied
 * (applyCatchUpResult). False when Shopify is already reading this shop's orders for another request: the window is
 * then paged as usual.
 */
async function startCatchUp(db: PrismaClient, shop: Shop, since: Date, until: Date): Promise<boolean> {
  const runId = await startRun(db, shop, { mode: "bulk", since, until, status: "waiting" });
  const started = await startBulkOperation(db, shop.domain, "orders", catchUpBulkQuery(since, until), {
    meta: { purpose: "reconcile", runId },
  });
  if (started.outcome === "busy") {
    await db.reconciliationRun.delete({ where: { id: runId } });
    return false;
  }
  if (started.outcome === "rejected") await failCatchUp(db, runId, "rejected:");
  return true;
}

/** A catch-up's result: every order it lists reconciled, a page at a time, then the watermark moves to its end. */
export async function applyCatchUpResult(
  db: PrismaClient,
  shop: Shop,
  runId: string,
  records: BulkRecords,
): Promise<{ processed: number }> {
  const run = await db.reconciliationRun.findUniqueOrThrow({ where: { id: runId } });
  if (run.status !== "waiting") return { processed: run.ordersChecked };
  let ordersChecked = 0;
  let eventsRecovered = 0;
  let page: GraphqlOrderSummary[] = [];
  const flush = async () => {
    eventsRecovered += await reconcilePage(db, shop, page, runId);
    ordersChecked += page.length;
    page = [];
  };
  try {
    for await (const record of records) {
      if (record.__parentId !== undefined || typeof record.id !== "string") continue;
      page.push(record as unknown as GraphqlOrderSummary);
      if (page.length >= 100) await flush();
    }
    await flush();
  } catch (error) {
    await finishRun(db, runId, { ordersChecked, eventsRecovered, error: (error as Error).message });
    throw error;
  }
  await finishRun(db, runId, { ordersChecked, eventsRecovered });
  return { processed: ordersChecked };
}

/** A catch-up that cannot finish: failed with its reason; the watermark stays, so the next pass tries again. */
export async function failCatchUp(db: PrismaClient, runId: string, error: string): Promise<void> {
  await db.reconciliationRun.updateMany({
    where: { id: runId, status: "waiting" },
    data: { status: "failed", error, finishedAt: new Date() },
  });
}
