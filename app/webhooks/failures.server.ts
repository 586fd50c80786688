import type { PrismaClient } from "../generated/prisma/client";
import { isDatabaseUnavailable } from "../db/unavailable.server";

export interface FailedDelivery {
  shopDomain: string;
  topic: string;
  webhookId: string;
  status: number;
  reason: string;
  receivedAt: Date;
}

/** How long failures are kept, and at most how many per shop: enough to see the last month, never unbounded. */
export const FAILURES_KEPT_DAYS = 30;
export const FAILURES_KEPT_PER_SHOP = 1_000;
/** Longest reason stored: an exception's message can be long; the page shows a line. */
const REASON_LIMIT = 500;

/**
 * Deliveries refused with 503 because the database could not be reached cannot be written to it: the last of them
 * are kept here, in this process only (lost on restart, not shared between servers), so the health page can still
 * say that an outage refused deliveries. Shopify retries each of them, so nothing is lost by not keeping more.
 */
export const UNREACHABLE_KEPT = 200;
const unreachable: FailedDelivery[] = [];

export function rememberUnreachable(failure: FailedDelivery): void {
  unreachable.push(failure);
  if (unreachable.length > UNREACHABLE_KEPT) unreachable.splice(0, unreachable.length - UNREACHABLE_KEPT);
}

/** This process's deliveries refused while the database was unreachable, for one shop, newest first. */
export function unreachableDeliveries(shopDomain: string): FailedDelivery[] {
  return unreachable.filter((failure) => failure.shopDomain === shopDomain).reverse();
}

/**
 * Records a delivery that failed after its signature was checked, in a statement of its own (the delivery's
 * transaction rolled back). Recording never changes the webhook's answer: if the write fails too, it is logged.
 */
export async function recordFailure(db: PrismaClient, failure: FailedDelivery): Promise<void> {
  try {
    await db.webhookFailure.create({ data: { ...failure, reason: failure.reason.slice(0, REASON_LIMIT) } });
  } catch (error) {
    if (isDatabaseUnavailable(error)) rememberUnreachable({ ...failure, status: 503 });
    console.error(`could not record the failed ${failure.topic} delivery ${failure.webhookId}`, error);
  }
}

/** Deletes failures older than FAILURES_KEPT_DAYS, and beyond the newest FAILURES_KEPT_PER_SHOP of each shop. */
export async function pruneWebhookFailures(db: PrismaClient, now = new Date()): Promise<number> {
  const cutoff = new Date(now.getTime() - FAILURES_KEPT_DAYS * 86_400_000);
  const old = await db.webhookFailure.deleteMany({ where: { receivedAt: { lt: cutoff } } });
  const beyond = await db.$executeRaw`
    DELETE FROM "WebhookFailure" WHERE id IN (
      SELECT id FROM (
        SELECT id, row_number() OVER (PARTITION BY "shopDomain" ORDER BY "receivedAt" DESC, id DESC) AS n
        FROM "WebhookFailure"
      ) ranked WHERE n > ${FAILURES_KEPT_PER_SHOP}
    )`;
  return old.count + beyond;
}
