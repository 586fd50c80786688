import { randomUUID } from "node:crypto";
import type { Tx } from "../db/transaction.server";

export interface DeliveryHeaders {
  shopDomain: string;
  topic: string;
  webhookId: string;
  eventId?: string | null;
}

/**
 * Claims a webhook delivery. Returns the claim's id, or null when this webhook id (or this topic's event
 * id) was already processed. A concurrent duplicate waits on the unique index until the first commits.
 */
export async function claimDelivery(tx: Tx, delivery: DeliveryHeaders): Promise<string | null> {
  const id = randomUUID();
  const inserted = await tx.$executeRaw`
    INSERT INTO "Delivery" (id, "shopDomain", topic, "webhookId", "eventId", outcome)
    VALUES (${id}, ${delivery.shopDomain}, ${delivery.topic}, ${delivery.webhookId}, ${delivery.eventId ?? null}, 'processing')
    ON CONFLICT DO NOTHING`;
  return inserted === 1 ? id : null;
}

export async function recordOutcome(tx: Tx, id: string, outcome: string, detail: string): Promise<void> {
  await tx.$executeRaw`UPDATE "Delivery" SET outcome = ${outcome}, detail = ${detail} WHERE id = ${id}`;
}
