/** The events a merchant can subscribe a URL to, as the payload's `event` and the Tsumiki-Event header name them. */
export const WEBHOOK_EVENTS = [
  "points.earned",
  "points.redeemed",
  "points.expired",
  "points.adjusted",
  "tier.changed",
  "member.joined",
  "member.left",
  "review_case.opened",
] as const;

export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export function isWebhookEvent(value: unknown): value is WebhookEvent {
  return typeof value === "string" && (WEBHOOK_EVENTS as readonly string[]).includes(value);
}

/**
 * The event a ledger entry of this kind is told as. Activations, holds and releases move points between a member's
 * own buckets and are not told; a reversal (a refund taking earned points back, or giving spent points back) is an
 * adjustment, with the entry's kind in the payload.
 */
export function ledgerEvent(kind: string): WebhookEvent | null {
  switch (kind) {
    case "earn":
      return "points.earned";
    case "redeem":
      return "points.redeemed";
    case "expire":
      return "points.expired";
    case "adjust":
    case "reverse":
      return "points.adjusted";
    default:
      return null;
  }
}

/**
 * What a receiver gets, as JSON: `id` names the event (the same for every subscription, and for a redelivery), so a
 * receiver can ignore one it has already seen; `data` is the event's own facts.
 */
export interface WebhookPayload {
  id: string;
  event: WebhookEvent;
  occurredAt: string;
  shop: string;
  member: { id: string; customerId: string } | null;
  data: Record<string, unknown>;
}

/** The facts of a ledger event: the entry as the passbook shows it. */
export function ledgerData(entry: {
  id: bigint | number | string;
  kind: string;
  points: number;
  reason: string;
  sourceType: string;
  sourceId: string | null;
  orderId: string | null;
}): Record<string, unknown> {
  return {
    entryId: String(entry.id),
    kind: entry.kind,
    points: entry.points,
    reason: entry.reason,
    source: { type: entry.sourceType, id: entry.sourceId },
    orderId: entry.orderId,
  };
}
