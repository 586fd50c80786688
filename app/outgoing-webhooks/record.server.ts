import type { Tx } from "../db/transaction.server";
import { ledgerData, ledgerEvent, type WebhookEvent } from "./events";

/**
 * Whether a shop has an active subscription, remembered for a few seconds: most shops have none, and their ledger
 * writes should not pay a query each for it. A subscription created or disabled in this process is seen at once
 * (`forgetSubscriptions`); another process sees it within CACHE_MS.
 */
const CACHE_MS = 10_000;
const subscribed = new Map<string, { has: boolean; until: number }>();

export function forgetSubscriptions(shopId: string): void {
  subscribed.delete(shopId);
}

async function hasSubscriptions(tx: Tx, shopId: string): Promise<boolean> {
  const cached = subscribed.get(shopId);
  if (cached && cached.until > Date.now()) return cached.has;
  const found = await tx.webhookSubscription.findFirst({
    where: { shopId, disabledAt: null },
    select: { id: true },
  });
  subscribed.set(shopId, { has: found !== null, until: Date.now() + CACHE_MS });
  return found !== null;
}

export interface WebhookEventRecord {
  shopId: string;
  memberId: string;
  event: WebhookEvent;
  // Names the event: recording it again (a retried webhook, a job run twice) finds the delivery already there.
  eventKey: string;
  occurredAt: Date;
  data: Record<string, unknown>;
}

/**
 * Records one delivery per active subscription of the shop that wants this event, in the caller's transaction: the
 * delivery exists if and only if the event does. One statement; nothing for a shop without subscriptions.
 * The id begins with the clock in microseconds, so a member's deliveries sort in the order their events happened
 * (two events in one transaction share `createdAt`). Returns how many deliveries were recorded.
 */
export async function recordWebhookEvent(tx: Tx, record: WebhookEventRecord): Promise<number> {
  if (!(await hasSubscriptions(tx, record.shopId))) return 0;
  return tx.$executeRaw`
    INSERT INTO "WebhookDelivery" (id, "subscriptionId", "shopId", event, "eventKey", "memberId", payload)
    SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYYMMDDHH24MISSUS') || '-' || substr(md5(random()::text || w.id), 1, 10),
           w.id, w."shopId", ${record.event}, ${record.eventKey}, ${record.memberId},
           jsonb_build_object('id', ${record.eventKey}::text, 'event', ${record.event}::text,
                              'occurredAt', ${record.occurredAt.toISOString()}::text, 'shop', s.domain,
                              'member', jsonb_build_object('id', m.id, 'customerId', m."customerId"),
                              'data', ${JSON.stringify(record.data)}::jsonb)
    FROM "WebhookSubscription" w
    JOIN "Shop" s ON s.id = w."shopId"
    JOIN "Member" m ON m.id = ${record.memberId}
    WHERE w."shopId" = ${record.shopId} AND w."disabledAt" IS NULL AND ${record.event} = ANY(w.events)
    ON CONFLICT ("subscriptionId", "eventKey") DO NOTHING`;
}

/** A ledger entry, told as its event (earned, redeemed, expired, adjusted) when it is one. */
export async function recordLedgerEvent(
  tx: Tx,
  entry: {
    id: bigint;
    shopId: string;
    memberId: string;
    kind: string;
    points: number;
    reason: string;
    sourceType: string;
    sourceId: string | null;
    orderId: string | null;
    idempotencyKey: string;
    occurredAt: Date;
  },
): Promise<number> {
  const event = ledgerEvent(entry.kind);
  if (!event) return 0;
  return recordWebhookEvent(tx, {
    shopId: entry.shopId,
    memberId: entry.memberId,
    event,
    eventKey: `ledger:${entry.idempotencyKey}`,
    occurredAt: entry.occurredAt,
    data: ledgerData(entry),
  });
}
