import { randomUUID } from "node:crypto";
import { BIRTHDAY_CHANGE_ACTION } from "../fraud/birthday.server";
import type { Prisma } from "../generated/prisma/client";
import type { Outcome } from "../earning/orders.server";
import type { Tx } from "../db/transaction.server";

/** customers/data_request: prepare everything held about the customer for the merchant to send on. */
export async function prepareDataExport(tx: Tx, shopDomain: string, customerId: string): Promise<Outcome> {
  const member = await tx.member.findFirst({
    where: { shop: { domain: shopDomain }, customerId },
    include: {
      entries: { orderBy: { id: "asc" } },
      lots: { orderBy: { earnedAt: "asc" } },
      rewardCodes: { orderBy: { createdAt: "asc" } },
      messages: { where: { channel: "email" }, orderBy: { createdAt: "asc" } },
    },
  });
  const data = member
    ? {
        customerId,
        email: member.email,
        firstName: member.firstName,
        lastName: member.lastName,
        tags: member.tags,
        emailMarketingState: member.emailMarketingState,
        verifiedEmail: member.verifiedEmail,
        customerState: member.customerState,
        birthday: member.birthday,
        pointsNewsEmails: member.pointsNewsEmails,
        membership: {
          joinedAt: member.joinedAt?.toISOString() ?? null,
          leftAt: member.leftAt?.toISOString() ?? null,
          termsVersion: member.consentTermsVersion,
          consentedAt: member.consentedAt?.toISOString() ?? null,
        },
        balance: { available: member.pointsAvailable, pending: member.pointsPending, debt: member.pointsDebt },
        ledger: member.entries.map((entry) => ({
          at: entry.occurredAt.toISOString(),
          kind: entry.kind,
          points: entry.points,
          reason: entry.reason,
          orderId: entry.orderId,
        })),
        lots: member.lots.map((lot) => ({
          amount: lot.amount,
          remaining: lot.remaining,
          earnedAt: lot.earnedAt.toISOString(),
          expiresAt: lot.expiresAt?.toISOString() ?? null,
        })),
        rewardCodes: member.rewardCodes.map((code) => ({
          code: code.code,
          points: code.points,
          status: code.status,
          createdAt: code.createdAt.toISOString(),
          expiresAt: code.expiresAt.toISOString(),
        })),
        language: member.locale,
        unsubscribedAt: member.emailUnsubscribedAt?.toISOString() ?? null,
        messages: member.messages.map((message) => ({
          kind: message.kind,
          status: message.status,
          to: message.recipient,
          subject: message.subject,
          sentAt: message.sentAt?.toISOString() ?? null,
        })),
        blocked: member.blockedAt ? { since: member.blockedAt.toISOString(), reason: member.blockedReason } : null,
      }
    : { customerId, held: "no loyalty data is held for this customer" };
  await tx.privacyRequest.create({
    data: { shopDomain, customerId, export: data as Prisma.InputJsonValue },
  });
  return { outcome: "recorded", detail: member ? "export prepared" : "no data held; empty export recorded" };
}

/**
 * customers/redact: erase who the member is, keep what happened. The ledger stays whole for the
 * program's totals; the member is detached from the Shopify customer and loses name and email.
 */
export async function redactCustomer(tx: Tx, shopDomain: string, customerId: string): Promise<Outcome> {
  const erasedExports = await tx.privacyRequest.deleteMany({ where: { shopDomain, customerId } });
  const member = await tx.member.findFirst({ where: { shop: { domain: shopDomain }, customerId } });
  if (!member) {
    return { outcome: "recorded", detail: `no member held; ${erasedExports.count} exports erased` };
  }
  await tx.member.update({
    where: { id: member.id },
    data: {
      customerId: `redacted:${randomUUID()}`,
      email: null,
      normalizedEmail: null,
      phoneKey: null,
      addressKey: null,
      firstName: null,
      lastName: null,
      birthday: null,
      blockedReason: null,
      tags: [],
      emailMarketingState: null,
      verifiedEmail: null,
      customerState: null,
      locale: null,
      redactedAt: new Date(),
    },
  });
  // Messages kept their address and subject (a subject can carry a name or a code): erased; unsent ones never go.
  await tx.message.updateMany({
    where: { memberId: member.id, status: { in: ["pending", "sending", "failed"] } },
    data: { status: "skipped", lastError: "customer redacted", lockedUntil: null },
  });
  await tx.message.updateMany({ where: { memberId: member.id }, data: { recipient: null, subject: null } });
  // Imported rows named the customer by id or email; staff actions named them in the audit log.
  await tx.importRow.updateMany({ where: { memberId: member.id }, data: { customer: "redacted", note: null } });
  await tx.auditLog.updateMany({
    where: { shopId: member.shopId, subject: `customer ${customerId}` },
    data: { subject: "customer (redacted)" },
  });
  // Birthday changes kept the dates (app/fraud/birthday.server.ts): the change stays, the dates go.
  await tx.auditLog.updateMany({
    where: { shopId: member.shopId, action: BIRTHDAY_CHANGE_ACTION, subject: member.id },
    data: { before: { birthday: "redacted" }, after: { birthday: "redacted" } },
  });
  // Joining and leaving name the customer as the actor too (membership.server.ts).
  for (const channel of ["customer-account", "storefront", "admin"]) {
    await tx.auditLog.updateMany({
      where: { shopId: member.shopId, actor: `${channel}:customer ${customerId}` },
      data: { actor: `${channel}:customer (redacted)` },
    });
  }
  return { outcome: "applied", detail: "personal data erased; ledger kept anonymously" };
}

/** shop/redact (48 hours after uninstall): delete everything the app holds for the shop. */
export async function eraseShop(tx: Tx, shopDomain: string): Promise<Outcome> {
  const shops = await tx.shop.deleteMany({ where: { domain: shopDomain } });
  await tx.session.deleteMany({ where: { shop: shopDomain } });
  await tx.privacyRequest.deleteMany({ where: { shopDomain } });
  await tx.delivery.deleteMany({ where: { shopDomain, topic: { not: "shop/redact" } } });
  return {
    outcome: shops.count ? "applied" : "recorded",
    detail: shops.count ? "shop data deleted" : "no shop data held",
  };
}
