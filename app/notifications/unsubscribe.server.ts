import type { PrismaClient } from "../generated/prisma/client";
import { MARKETING_KINDS, messageLocale, type MessageLocale } from "./kinds";
import { shopName, shopNotificationSettings } from "./context.server";

export interface UnsubscribeSubject {
  memberId: string;
  shop: string;
  locale: MessageLocale;
  unsubscribed: boolean;
}

/** Who an unsubscribe link is for, in their language, or null when the member no longer exists. */
export async function unsubscribeSubject(prisma: PrismaClient, memberId: string): Promise<UnsubscribeSubject | null> {
  const member = await prisma.member.findUnique({ where: { id: memberId }, include: { shop: true } });
  if (!member) return null;
  const settings = await shopNotificationSettings(prisma, member.shop);
  return {
    memberId,
    shop: shopName(member.shop, settings),
    locale: messageLocale(member.locale, settings.defaultLocale),
    unsubscribed: member.emailUnsubscribedAt !== null,
  };
}

/**
 * Honoured at once: the member's marketing email stops, their program-news choice is turned off, and marketing
 * messages already waiting in the outbox are dropped, all in one transaction. Idempotent (the first time is kept).
 */
export async function unsubscribeMember(prisma: PrismaClient, memberId: string, now = new Date()): Promise<void> {
  await prisma.$transaction(async (tx) => {
    await tx.member.updateMany({
      where: { id: memberId, emailUnsubscribedAt: null },
      data: { emailUnsubscribedAt: now, pointsNewsEmails: false },
    });
    await tx.message.updateMany({
      where: { memberId, channel: "email", status: { in: ["pending", "failed"] }, kind: { in: MARKETING_KINDS } },
      data: { status: "skipped", lastError: "unsubscribed", lockedUntil: null },
    });
    const member = await tx.member.findUniqueOrThrow({ where: { id: memberId } });
    await tx.auditLog.create({
      data: {
        shopId: member.shopId,
        actor: "member (unsubscribe link)",
        action: "notifications.unsubscribed",
        subject: `customer ${member.customerId}`,
      },
    });
  });
}
