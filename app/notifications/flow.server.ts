import type { PrismaClient } from "../generated/prisma/client";
import { adminGraphql, NoOfflineSession, type UserError } from "../shopify/graphql.server";
import { localDate } from "../shared/calendar";
import type { MessageKind } from "./kinds";
import { CLAIM_MS, nextAttemptAfter } from "./retry";
import { withNotificationDefaults } from "./settings";
import type { ExpiryReminderData, PointsEarnedData, RewardData, TierChangedData } from "./variables";

/** What a trigger's payload is built from: the event's facts, the member as they are now, the shop's calendar. */
interface FlowContext {
  data: unknown;
  customerId: number;
  pointsAvailable: number;
  timezone: string;
}

type FlowPayload = Record<string, string | number | boolean>;

/**
 * The last day an instant-bounded validity covers, in the shop's calendar. Lots expire at the first instant of the
 * day after their last day (app/shared/calendar.ts expiryInstant), so the instant's own date would be one too late.
 */
const lastDay = (iso: string, timezone: string) => localDate(new Date(new Date(iso).getTime() - 1), timezone);

/**
 * Each Flow kind's trigger: the handle of its extension (extensions/flow-*) and its payload. The payload's keys are
 * the extension's field keys, and `customer_id` is the key Flow gives a `customer_reference` field: the customer's
 * numeric id.
 */
export const FLOW_TRIGGERS = {
  points_earned: {
    handle: "points-earned",
    payload: ({ data, customerId, pointsAvailable }: FlowContext): FlowPayload => {
      const earned = data as PointsEarnedData;
      return {
        customer_id: customerId,
        "Points earned": earned.points,
        "Points balance": pointsAvailable,
        "Order name": earned.orderName ?? "",
      };
    },
  },
  expiry_reminder: {
    handle: "points-expiring",
    payload: ({ data, customerId, pointsAvailable, timezone }: FlowContext): FlowPayload => {
      const expiring = data as ExpiryReminderData;
      return {
        customer_id: customerId,
        "Points expiring": expiring.points,
        "Expiry date": lastDay(expiring.expiresAt, timezone),
        "Days left": expiring.days,
        "Points balance": pointsAvailable,
      };
    },
  },
  tier_changed: {
    handle: "tier-changed",
    payload: ({ data, customerId }: FlowContext): FlowPayload => {
      const tier = data as TierChangedData;
      return {
        customer_id: customerId,
        "Previous tier": tier.from ?? "",
        "New tier": tier.to ?? "",
        "Moved up": tier.direction === "up",
      };
    },
  },
  reward_issued: {
    handle: "reward-issued",
    payload: ({ data, customerId, timezone }: FlowContext): FlowPayload => {
      const reward = data as RewardData;
      return {
        customer_id: customerId,
        "Reward name": reward.name,
        "Discount code": reward.code,
        "Points spent": reward.points,
        "Code expiry date": lastDay(reward.expiresAt, timezone),
      };
    },
  },
} satisfies Partial<Record<MessageKind, { handle: string; payload: (context: FlowContext) => FlowPayload }>>;

type FlowKind = keyof typeof FLOW_TRIGGERS;
const isFlowKind = (kind: string): kind is FlowKind => Object.hasOwn(FLOW_TRIGGERS, kind);

export const FLOW_TRIGGER_MUTATION = `#graphql
  mutation TsumikiFlowTrigger($handle: String!, $payload: JSON!) {
    flowTriggerReceive(handle: $handle, payload: $payload) {
      userErrors { field message }
    }
  }`;

interface ClaimedMessage {
  id: string;
  shopId: string;
  memberId: string | null;
  kind: string;
  data: unknown;
  attempts: number;
}

type Outcome = { status: "sent" } | { status: "skipped"; reason: string } | { status: "retry"; error: string };

/**
 * Delivers due Flow messages: claims up to `batch` of them (a sender that died leaves its claim to expire, then
 * another takes the messages), fires each one's trigger and records the outcome. A trigger Shopify refuses, or a
 * call that fails, is tried again with the outbox's backoff and marked failed after the last attempt; a message that
 * cannot be sent on purpose (Flow turned off, the member erased, the app uninstalled) is skipped, a final status.
 */
export async function deliverFlowMessages(
  prisma: PrismaClient,
  now = new Date(),
  batch = 100,
): Promise<{ sent: number; failed: number; skipped: number }> {
  const lockedUntil = new Date(now.getTime() + CLAIM_MS);
  // One statement claims and returns: two senders running at once never take the same message (SKIP LOCKED).
  const claimed = await prisma.$queryRaw<ClaimedMessage[]>`
    UPDATE "Message" SET status = 'sending', "lockedUntil" = ${lockedUntil}
    WHERE id IN (
      SELECT id FROM "Message"
      WHERE channel = 'flow'
        AND ((status = 'pending' AND "nextAttemptAt" <= ${now}) OR (status = 'sending' AND "lockedUntil" < ${now}))
      ORDER BY "nextAttemptAt"
      LIMIT ${batch}
      FOR UPDATE SKIP LOCKED)
    RETURNING id, "shopId", "memberId", kind, data, attempts`;
  const counts = { sent: 0, failed: 0, skipped: 0 };
  if (claimed.length === 0) return counts;

  const shopIds = [...new Set(claimed.map((message) => message.shopId))];
  const memberIds = [...new Set(claimed.flatMap((message) => (message.memberId ? [message.memberId] : [])))];
  const [shops, settingsRows, members] = await Promise.all([
    prisma.shop.findMany({
      where: { id: { in: shopIds } },
      select: { id: true, domain: true, timezone: true, uninstalledAt: true },
    }),
    prisma.notificationSettings.findMany({ where: { shopId: { in: shopIds } } }),
    prisma.member.findMany({
      where: { id: { in: memberIds } },
      select: { id: true, customerId: true, redactedAt: true, pointsAvailable: true },
    }),
  ]);
  const shopById = new Map(shops.map((shop) => [shop.id, shop]));
  const flowOn = new Map(settingsRows.map((row) => [row.shopId, withNotificationDefaults(row.settings).flow]));
  const memberById = new Map(members.map((member) => [member.id, member]));
  // A shop found without its offline session is not asked again in this run: each of its messages would fail alike.
  const noSession = new Set<string>();

  for (const message of claimed) {
    const outcome = await deliverOne(message);
    if (outcome.status === "sent") {
      await prisma.message.updateMany({
        where: { id: message.id, status: "sending" },
        data: { status: "sent", sentAt: now, providerId: null, lockedUntil: null, lastError: null },
      });
      counts.sent += 1;
    } else if (outcome.status === "skipped") {
      await prisma.message.updateMany({
        where: { id: message.id, status: "sending" },
        data: { status: "skipped", lockedUntil: null, lastError: outcome.reason },
      });
      counts.skipped += 1;
    } else {
      const attempts = message.attempts + 1;
      const next = nextAttemptAfter(attempts, now);
      await prisma.message.updateMany({
        where: { id: message.id, status: "sending" },
        data: next
          ? { status: "pending", attempts, nextAttemptAt: next, lockedUntil: null, lastError: outcome.error }
          : { status: "failed", attempts, lockedUntil: null, lastError: outcome.error },
      });
      if (!next) counts.failed += 1;
    }
  }
  return counts;

  async function deliverOne(message: ClaimedMessage): Promise<Outcome> {
    const shop = shopById.get(message.shopId);
    if (!shop || shop.uninstalledAt) return { status: "skipped", reason: "the app is not installed on the shop" };
    if (flowOn.get(shop.id) === false) return { status: "skipped", reason: "Flow triggers are turned off" };
    if (!isFlowKind(message.kind)) return { status: "skipped", reason: `no Flow trigger for ${message.kind}` };
    const member = message.memberId ? memberById.get(message.memberId) : undefined;
    if (!member || member.redactedAt) return { status: "skipped", reason: "the member's personal data was erased" };
    // A redacted member's customer id is replaced by an opaque value; anything but a numeric id names no customer.
    if (!/^\d+$/.test(member.customerId)) return { status: "skipped", reason: "the member has no Shopify customer" };
    if (noSession.has(shop.id)) return { status: "skipped", reason: "the shop has no offline session" };

    const trigger = FLOW_TRIGGERS[message.kind];
    const payload = trigger.payload({
      data: message.data,
      customerId: Number(member.customerId),
      pointsAvailable: member.pointsAvailable,
      timezone: shop.timezone,
    });
    try {
      const result = await adminGraphql<{ flowTriggerReceive: { userErrors: UserError[] } }>(
        shop.domain,
        FLOW_TRIGGER_MUTATION,
        { handle: trigger.handle, payload },
      );
      const errors = result.flowTriggerReceive.userErrors;
      if (errors.length > 0) return { status: "retry", error: errors.map((error) => error.message).join("; ") };
      return { status: "sent" };
    } catch (error) {
      if (error instanceof NoOfflineSession) {
        // Uninstalled (or never finished installing): retrying cannot help until a reinstall, and a reinstall does
        // not make an old event worth firing.
        noSession.add(shop.id);
        return { status: "skipped", reason: "the shop has no offline session" };
      }
      return { status: "retry", error: (error as Error).message };
    }
  }
}
