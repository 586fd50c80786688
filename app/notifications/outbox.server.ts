import type { Tx } from "../db/transaction.server";
import type { MessageKind } from "./kinds";
import { deleteInBatches } from "../db/batches.server";

/** Kinds that also fire a Shopify Flow trigger (extensions/flow-*), recorded as a message on the "flow" channel. */
export const FLOW_KINDS: ReadonlySet<MessageKind> = new Set([
  "points_earned",
  "expiry_reminder",
  "tier_changed",
  "reward_issued",
]);

export interface MessageEvent {
  shopId: string;
  memberId: string;
  kind: MessageKind;
  // Names the event for this member: recording the same event again (a retried webhook, a job run twice, a
  // crash and a restart) finds the unique key taken and records nothing.
  eventKey: string;
  data: unknown;
  // When the message becomes due: the event's time where the caller has its own clock (a job's `now`); otherwise
  // the moment it is recorded.
  at?: Date;
}

/**
 * Records a message in the outbox, in the caller's transaction: the message exists if and only if the event does.
 * A kind the merchant turned off is not recorded (the check is inside the same statement: no extra round trip).
 * Returns how many messages were recorded (email and, for Flow kinds, the Flow trigger).
 */
export async function recordMessage(tx: Tx, event: MessageEvent): Promise<number> {
  const data = JSON.stringify(event.data);
  const at = event.at ?? new Date();
  let recorded = await tx.$executeRaw`
    INSERT INTO "Message" (id, "shopId", "memberId", kind, channel, "eventKey", data, "nextAttemptAt")
    SELECT gen_random_uuid()::text, ${event.shopId}, ${event.memberId}, ${event.kind}, 'email', ${event.eventKey}, ${data}::jsonb, ${at}
    WHERE NOT EXISTS (SELECT 1 FROM "NotificationSettings" s
                      WHERE s."shopId" = ${event.shopId} AND s.settings->'enabled'->>${event.kind} = 'false')
    ON CONFLICT ("shopId", channel, "eventKey") DO NOTHING`;
  if (FLOW_KINDS.has(event.kind)) {
    recorded += await tx.$executeRaw`
      INSERT INTO "Message" (id, "shopId", "memberId", kind, channel, "eventKey", data, "nextAttemptAt")
      SELECT gen_random_uuid()::text, ${event.shopId}, ${event.memberId}, ${event.kind}, 'flow', ${event.eventKey}, ${data}::jsonb, ${at}
      WHERE NOT EXISTS (SELECT 1 FROM "NotificationSettings" s
                        WHERE s."shopId" = ${event.shopId} AND s.settings->>'flow' = 'false')
      ON CONFLICT ("shopId", channel, "eventKey") DO NOTHING`;
  }
  return recorded;
}

/**
 * Records one message per member of a shop for one event (a program change), set-wise in one statement: a shop of
 * 100,000 members records its notice in the transaction that saves the program. It goes to members who hold points
 * or joined the program; not to those without an email, redacted or who left. The event key gets the member's id.
 */
export async function recordForAllMembers(
  tx: Tx,
  event: { shopId: string; kind: MessageKind; eventKey: string; data: unknown },
): Promise<number> {
  return tx.$executeRaw`
    INSERT INTO "Message" (id, "shopId", "memberId", kind, channel, "eventKey", data)
    SELECT gen_random_uuid()::text, m."shopId", m.id, ${event.kind}, 'email', ${event.eventKey} || ':' || m.id,
           ${JSON.stringify(event.data)}::jsonb
    FROM "Member" m
    WHERE m."shopId" = ${event.shopId} AND m."redactedAt" IS NULL AND m.email IS NOT NULL AND m."leftAt" IS NULL
      AND (m."pointsAvailable" + m."pointsPending" > 0 OR m."joinedAt" IS NOT NULL)
      AND NOT EXISTS (SELECT 1 FROM "NotificationSettings" s
                      WHERE s."shopId" = ${event.shopId} AND s.settings->'enabled'->>${event.kind} = 'false')
    ON CONFLICT ("shopId", channel, "eventKey") DO NOTHING`;
}

/** Messages are kept 13 months: a year of passbook history and a month's grace; older settled ones are deleted. */
const KEEP_MS = 400 * 86_400_000;

/** Deletes settled messages (sent, skipped, failed) older than the retention, a batch per statement. */
export async function pruneMessages(db: Tx, now = new Date(), batch = 5000): Promise<number> {
  const before = new Date(now.getTime() - KEEP_MS);
  return deleteInBatches(
    batch,
    (limit) => db.$executeRaw`
      DELETE FROM "Message" WHERE id IN (
        SELECT id FROM "Message" WHERE "createdAt" < ${before} AND status IN ('sent', 'skipped', 'failed') LIMIT ${limit})`,
  );
}
