import { lookup } from "node:dns/promises";
import { deleteInBatches } from "../db/batches.server";
import type { PrismaClient, WebhookDelivery } from "../generated/prisma/client";
import { ipVersion, isPublicAddress } from "./addresses";
import { allowLoopbackHttp } from "./subscriptions.server";
import { accepted, CLAIM_MS, nextAttemptAfter, TIMEOUT_MS } from "./retry";
import { signature } from "./sign";

export interface WebhookDeliveryReport {
  delivered: number;
  retrying: number;
  failed: number;
}

/**
 * Takes due deliveries: pending ones whose time has come, and ones a sender claimed and never finished. A delivery
 * waits while an earlier one of the same member to the same subscription is not yet delivered (pending or being
 * sent), so each member's events reach a receiver in the order they happened; a failed one no longer holds the
 * others back. SKIP LOCKED lets several workers share the table.
 */
async function claim(prisma: PrismaClient, now: Date, batch: number): Promise<WebhookDelivery[]> {
  return prisma.$queryRaw<WebhookDelivery[]>`
    UPDATE "WebhookDelivery" SET status = 'sending', "lockedUntil" = ${new Date(now.getTime() + CLAIM_MS)}
    WHERE id IN (
      SELECT d.id FROM "WebhookDelivery" d
      WHERE ((d.status = 'pending' AND d."nextAttemptAt" <= ${now}) OR (d.status = 'sending' AND d."lockedUntil" < ${now}))
        AND NOT EXISTS (SELECT 1 FROM "WebhookDelivery" e
                        WHERE e."subscriptionId" = d."subscriptionId" AND e."memberId" = d."memberId"
                          AND e.status IN ('pending', 'sending') AND e.id < d.id)
      ORDER BY d.id LIMIT ${batch}
      FOR UPDATE SKIP LOCKED)
    RETURNING *`;
}

type Outcome = { status: number | null; error: string | null; durationMs: number };

/**
 * Why a URL may not be called now: its name resolves to an address that is not public (a name pointed inward after
 * it was subscribed). Plain http to this machine is the tests' and local mode's own receiver, allowed there only.
 * Between this lookup and fetch's own a name could still change; redirects are not followed, so one check per
 * delivery is what a receiver that rebinds its name can get around, and nothing less.
 */
async function refusedAddress(target: URL): Promise<string | null> {
  if (target.protocol === "http:" && allowLoopbackHttp()) return null;
  const host = target.hostname.replace(/^\[(.*)\]$/, "$1");
  const addresses = ipVersion(host) ? [host] : (await lookup(host, { all: true })).map((a) => a.address);
  const inward = addresses.find((address) => !isPublicAddress(address));
  return inward ? `refused: ${target.hostname} is a private address (${inward})` : null;
}

/** One POST of the delivery's payload, signed; never throws. */
async function post(url: string, secret: string, delivery: WebhookDelivery, sentAt: Date): Promise<Outcome> {
  const body = JSON.stringify(delivery.payload);
  const timestamp = Math.floor(sentAt.getTime() / 1000);
  const started = performance.now();
  const took = () => Math.round(performance.now() - started);
  try {
    const refused = await refusedAddress(new URL(url));
    if (refused) return { status: null, error: refused, durationMs: took() };
    const response = await fetch(url, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        "User-Agent": "Tsumiki-Webhooks/1",
        "Tsumiki-Webhook-Id": delivery.id,
        "Tsumiki-Webhook-Timestamp": String(timestamp),
        "Tsumiki-Webhook-Signature": signature(secret, timestamp, body),
        "Tsumiki-Event": delivery.event,
      },
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    // The answer's body is not read: only its status counts.
    await response.body?.cancel().catch(() => undefined);
    return {
      status: response.status,
      error: accepted(response.status) ? null : `HTTP ${response.status}`,
      durationMs: took(),
    };
  } catch (error) {
    const timedOut = error instanceof Error && error.name === "TimeoutError";
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const message = timedOut
      ? `no answer within ${TIMEOUT_MS / 1000} s`
      : (cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error)));
    return { status: null, error: message.slice(0, 500), durationMs: took() };
  }
}

/** Sends one claimed delivery and records the attempt and its outcome (only while the claim is still ours). */
async function send(prisma: PrismaClient, delivery: WebhookDelivery, now: Date): Promise<keyof WebhookDeliveryReport> {
  const subscription = await prisma.webhookSubscription.findUnique({ where: { id: delivery.subscriptionId } });
  if (!subscription || subscription.disabledAt) {
    await prisma.webhookDelivery.updateMany({
      where: { id: delivery.id, status: "sending" },
      data: { status: "failed", lockedUntil: null, lastError: "subscription disabled" },
    });
    return "failed";
  }
  const outcome = await post(subscription.url, subscription.secret, delivery, now);
  const attempts = delivery.attempts + 1;
  const ok = outcome.status !== null && accepted(outcome.status);
  const retryAt = ok ? null : nextAttemptAfter({ attempts, createdAt: delivery.createdAt, now });
  await prisma.$transaction([
    prisma.webhookAttempt.create({
      data: {
        deliveryId: delivery.id,
        at: now,
        status: outcome.status,
        error: outcome.error,
        durationMs: outcome.durationMs,
      },
    }),
    prisma.webhookDelivery.updateMany({
      where: { id: delivery.id, status: "sending" },
      data: {
        status: ok ? "delivered" : retryAt ? "pending" : "failed",
        attempts,
        lockedUntil: null,
        lastStatus: outcome.status,
        lastError: outcome.error,
        ...(ok ? { deliveredAt: now } : retryAt ? { nextAttemptAt: retryAt } : {}),
      },
    }),
  ]);
  return ok ? "delivered" : retryAt ? "retrying" : "failed";
}

/**
 * Delivers due outgoing webhooks, a batch at a time until none is due: each claimed delivery is the oldest waiting
 * one of its member and subscription, so a batch is sent in parallel (`concurrency` at a time) without reordering
 * anyone's events. 2xx is delivered; another status, a refused connection or 10 s without an answer is retried
 * with backoff (30 s doubling, at most an hour) for 24 hours after the event, then failed. `now` is the clock the
 * schedule is read and written with (tests move it instead of sleeping).
 */
export async function deliverDueWebhooks(
  prisma: PrismaClient,
  options: { now?: Date; batch?: number; concurrency?: number } = {},
): Promise<WebhookDeliveryReport> {
  const now = options.now ?? new Date();
  const batch = options.batch ?? 100;
  const concurrency = options.concurrency ?? 8;
  const report: WebhookDeliveryReport = { delivered: 0, retrying: 0, failed: 0 };
  for (;;) {
    const claimed = await claim(prisma, now, batch);
    if (claimed.length === 0) return report;
    let next = 0;
    const worker = async () => {
      while (next < claimed.length) {
        const delivery = claimed[next++];
        report[await send(prisma, delivery, options.now ?? new Date())] += 1;
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, claimed.length) }, worker));
  }
}

/** A failed delivery, sent again as soon as the deliveries run (its attempts so far are kept). */
export async function redeliver(
  prisma: PrismaClient,
  shopId: string,
  deliveryId: string,
  now = new Date(),
): Promise<boolean> {
  const reset = await prisma.webhookDelivery.updateMany({
    where: { id: deliveryId, shopId, status: "failed" },
    data: { status: "pending", nextAttemptAt: now, lockedUntil: null },
  });
  return reset.count === 1;
}

/**
 * Deliveries (and their attempts) are kept 30 days after the event: the deliveries page's history, and a month for
 * staff to send a failed one again. Pending and sending ones are never pruned.
 */
const KEEP_MS = 30 * 86_400_000;

export async function pruneWebhookDeliveries(prisma: PrismaClient, now = new Date(), batch = 5000): Promise<number> {
  const before = new Date(now.getTime() - KEEP_MS);
  return deleteInBatches(
    batch,
    (limit) => prisma.$executeRaw`
      DELETE FROM "WebhookDelivery" WHERE id IN (
        SELECT id FROM "WebhookDelivery"
        WHERE "createdAt" < ${before} AND status IN ('delivered', 'failed') LIMIT ${limit})`,
  );
}
