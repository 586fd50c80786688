import type { Member, Message, PrismaClient, Shop } from "../generated/prisma/client";
import { Prisma } from "../generated/prisma/client";
import { buildEmail, messageIdFor } from "./compose.server";
import { loadShopMessaging, senderOf, type ShopMessaging } from "./context.server";
import { decideDelivery } from "./delivery-rules";
import { isMarketing, isMessageKind, MARKETING_KINDS, messageLocale, type MessageKind } from "./kinds";
import type { Mailer } from "./mailer.server";
import { CLAIM_MS, nextAttemptAfter } from "./retry";
import type { ExpiryReminderData, RewardData } from "./variables";
import { statementFacts } from "./statement.server";

export interface DeliveryReport {
  sent: number;
  skipped: number;
  waiting: number;
  retrying: number;
  failed: number;
}

/**
 * Takes due email messages for this sender: pending ones whose time has come, and ones another sender claimed and
 * never finished (it crashed or hung past CLAIM_MS). SKIP LOCKED lets several workers share the outbox.
 */
async function claim(prisma: PrismaClient, now: Date, batch: number): Promise<Message[]> {
  return prisma.$queryRaw<Message[]>`
    UPDATE "Message" SET status = 'sending', "lockedUntil" = ${new Date(now.getTime() + CLAIM_MS)}
    WHERE id IN (
      SELECT id FROM "Message"
      WHERE channel = 'email'
        AND ((status = 'pending' AND "nextAttemptAt" <= ${now}) OR (status = 'sending' AND "lockedUntil" < ${now}))
      ORDER BY "nextAttemptAt" LIMIT ${batch}
      FOR UPDATE SKIP LOCKED)
    RETURNING *`;
}

/** The mail server's verdict on a failure: 5xx (no such mailbox, refused) will not change by retrying. */
function permanent(error: unknown): boolean {
  const code = (error as { responseCode?: unknown }).responseCode;
  return typeof code === "number" && code >= 500 && code < 600;
}

function describe(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 500);
}

/**
 * For a reminder, what is still to expire on that date (points spent since the reminder was planned are not
 * counted); for a reward code reminder, whether the code is still unused. Null: nothing left to remind of.
 */
async function currentFacts(
  prisma: PrismaClient,
  message: Message,
  kind: MessageKind,
  timezone: string,
): Promise<unknown> {
  if (kind === "monthly_statement" || kind === "statement") {
    const { year, month } = message.data as unknown as { year: number; month: number };
    return statementFacts(prisma, message.memberId!, timezone, year, month);
  }
  if (kind === "expiry_reminder") {
    const data = message.data as unknown as ExpiryReminderData & { mode?: "inactivity"; lastActivityAt?: string };
    if (data.mode === "inactivity") {
      // Activity since the reminder was planned moved the expiry: this reminder is about a date that will not come.
      const member = await prisma.member.findUnique({
        where: { id: message.memberId! },
        select: { pointsAvailable: true, lastActivityAt: true },
      });
      const moved = member?.lastActivityAt?.toISOString() !== data.lastActivityAt;
      return moved || !member || member.pointsAvailable <= 0 ? null : { ...data, points: member.pointsAvailable };
    }
    const left = await prisma.lot.aggregate({
      where: { memberId: message.memberId!, expiresAt: new Date(data.expiresAt), remaining: { gt: 0 } },
      _sum: { remaining: true },
    });
    const points = left._sum.remaining ?? 0;
    return points > 0 ? { ...data, points } : null;
  }
  if (kind === "reward_expiring") {
    const data = message.data as unknown as RewardData;
    const code = await prisma.rewardCode.findUnique({
      where: { shopId_code: { shopId: message.shopId, code: data.code } },
      select: { status: true },
    });
    return code?.status === "active" ? data : null;
  }
  return message.data;
}

/**
 * Delivers due email messages through `mailer`, a batch at a time until none is due. Each member's messages go
 * in order (their daily cap is counted as they go); members in parallel. A message is marked sent only after
 * the SMTP server accepted it; a crash before that leaves it claimed, and it is sent once the claim lapses.
 */
export async function deliverDueMessages(
  prisma: PrismaClient,
  mailer: Mailer,
  options: { now?: Date; batch?: number; env?: Record<string, string | undefined>; concurrency?: number } = {},
): Promise<DeliveryReport> {
  const now = options.now ?? new Date();
  const batch = options.batch ?? 200;
  const report: DeliveryReport = { sent: 0, skipped: 0, waiting: 0, retrying: 0, failed: 0 };
  const shops = new Map<string, ShopMessaging>();
  for (;;) {
    const claimed = await claim(prisma, now, batch);
    if (claimed.length === 0) return report;
    const memberIds = [...new Set(claimed.flatMap((m) => (m.memberId ? [m.memberId] : [])))];
    const [members, recent] = await Promise.all([
      prisma.member.findMany({ where: { id: { in: memberIds } } }),
      prisma.message.findMany({
        where: {
          memberId: { in: memberIds },
          channel: "email",
          status: "sent",
          kind: { in: MARKETING_KINDS },
          sentAt: { gt: new Date(now.getTime() - 86_400_000) },
        },
        select: { memberId: true, sentAt: true },
      }),
    ]);
    const memberById = new Map(members.map((m) => [m.id, m]));
    const recentByMember = new Map<string, Date[]>();
    for (const row of recent) {
      if (row.memberId && row.sentAt)
        recentByMember.set(row.memberId, [...(recentByMember.get(row.memberId) ?? []), row.sentAt]);
    }
    for (const shopId of new Set(claimed.map((m) => m.shopId))) {
      if (!shops.has(shopId)) {
        const shop = await prisma.shop.findUnique({ where: { id: shopId } });
        if (shop) shops.set(shopId, await loadShopMessaging(prisma, shop));
      }
    }
    const byMember = new Map<string, Message[]>();
    for (const message of claimed) {
      const key = message.memberId ?? message.id;
      byMember.set(key, [...(byMember.get(key) ?? []), message]);
    }
    const queues = [...byMember.values()];
    const workers = Array.from({ length: Math.min(options.concurrency ?? 8, queues.length) }, async () => {
      for (let queue = queues.shift(); queue; queue = queues.shift()) {
        for (const message of queue) {
          const member = message.memberId ? memberById.get(message.memberId) : undefined;
          const outcome = await deliverOne(prisma, mailer, message, member, shops.get(message.shopId), {
            now,
            recent: recentByMember,
            env: options.env,
          });
          report[outcome] += 1;
        }
      }
    });
    await Promise.all(workers);
    if (claimed.length < batch) return report;
  }
}

async function settle(prisma: PrismaClient, id: string, data: Prisma.MessageUpdateInput) {
  await prisma.message.update({ where: { id }, data: { ...data, lockedUntil: null } });
}

async function deliverOne(
  prisma: PrismaClient,
  mailer: Mailer,
  message: Message,
  member: Member | undefined,
  messaging: ShopMessaging | undefined,
  context: { now: Date; recent: Map<string, Date[]>; env?: Record<string, string | undefined> },
): Promise<keyof DeliveryReport> {
  const { now } = context;
  if (!member || !messaging || !isMessageKind(message.kind) || messaging.shop.uninstalledAt) {
    await settle(prisma, message.id, { status: "skipped", lastError: "member, shop or kind no longer exists" });
    return "skipped";
  }
  const kind = message.kind;
  const data = await currentFacts(prisma, message, kind, messaging.shop.timezone);
  if (data === null) {
    await settle(prisma, message.id, { status: "skipped", lastError: "nothing left to remind of" });
    return "skipped";
  }
  const staleAt =
    kind === "expiry_reminder" || kind === "reward_expiring"
      ? new Date((data as { expiresAt: string }).expiresAt)
      : null;
  const decision = decideDelivery({
    kind,
    recipient: member,
    settings: messaging.settings,
    timezone: messaging.shop.timezone,
    now,
    recentMarketing: context.recent.get(member.id) ?? [],
    staleAt,
  });
  if (decision.action === "skip") {
    await settle(prisma, message.id, { status: "skipped", lastError: decision.reason });
    return "skipped";
  }
  if (decision.action === "wait") {
    await settle(prisma, message.id, { status: "pending", nextAttemptAt: decision.until, lastError: decision.reason });
    return "waiting";
  }
  const sender = senderOf(messaging, context.env);
  const locale = messageLocale(member.locale, messaging.settings.defaultLocale);
  let subject: string | null = null;
  try {
    if (!sender) throw new Error("No sender address: set one on the Notifications page or MAIL_FROM");
    const email = buildEmail({ messaging, member, kind, data, messageId: messageIdFor(message.id), sender });
    subject = email.subject;
    const info = await mailer.sendMail(email);
    await settle(prisma, message.id, {
      status: "sent",
      // The delivery's clock, the one the daily cap counts with.
      sentAt: now,
      attempts: { increment: 1 },
      recipient: member.email,
      subject,
      locale,
      providerId: info.messageId ?? email.messageId,
      lastError: null,
    });
    if (isMarketing(kind)) context.recent.set(member.id, [...(context.recent.get(member.id) ?? []), now]);
    return "sent";
  } catch (error) {
    const attempts = message.attempts + 1;
    const next = permanent(error) ? null : nextAttemptAfter(attempts, now);
    await settle(prisma, message.id, {
      status: next ? "pending" : "failed",
      attempts,
      nextAttemptAt: next ?? now,
      lastError: describe(error),
      recipient: member.email,
      subject,
      locale,
    });
    return next ? "retrying" : "failed";
  }
}

/** Staff retry of failed messages (one, or all of a shop's): they go again at the next delivery, attempts reset. */
export async function retryFailedMessages(
  prisma: PrismaClient,
  shop: Pick<Shop, "id">,
  messageId?: string,
  now = new Date(),
): Promise<number> {
  const result = await prisma.message.updateMany({
    where: { shopId: shop.id, status: "failed", ...(messageId ? { id: messageId } : {}) },
    data: { status: "pending", attempts: 0, nextAttemptAt: now, lastError: null },
  });
  return result.count;
}
