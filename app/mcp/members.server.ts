import { createHash } from "node:crypto";
import type { Member, Shop } from "../generated/prisma/client";
import type { Tx } from "../db/transaction.server";
import prisma from "../db.server";
import type { Calculation } from "../earning/earning";
import { explainCalculation } from "../earning/explanation";
import { lockMemberById } from "../members/members.server";
import { searchMembers } from "../members/search.server";
import { passbook } from "../members/passbook.server";
import { requestAdjustment, type Adjustment } from "../members/staff-actions.server";
import { recordMessage } from "../notifications/outbox.server";
import { deliverDueMessages } from "../notifications/sender.server";
import { mailerFromEnv } from "../notifications/mailer.server";
import { localDate } from "../shared/calendar";
import { currentProgram } from "../shops/shops.server";
import { staffRules } from "../staff/staff.server";

/**
 * What the MCP tools read and do, for one shop: plain data in, plain data out (the tools turn it into JSON text).
 * A customer is named by Shopify's numeric id or its GID; a redacted member is not found.
 */

export function customerIdOf(value: string): string | null {
  const digits = value.trim().replace(/^gid:\/\/shopify\/Customer\//, "");
  return /^\d{1,20}$/.test(digits) ? digits : null;
}

export function orderIdOf(value: string): string | null {
  const digits = value.trim().replace(/^gid:\/\/shopify\/Order\//, "");
  return /^\d{1,20}$/.test(digits) ? digits : null;
}

export async function findMember(tx: Tx, shopId: string, customerId: string): Promise<Member | null> {
  const id = customerIdOf(customerId);
  if (!id) return null;
  const member = await tx.member.findUnique({ where: { shopId_customerId: { shopId, customerId: id } } });
  return member && !member.redactedAt ? member : null;
}

const nameOf = (member: Pick<Member, "firstName" | "lastName">) =>
  [member.lastName, member.firstName].filter(Boolean).join(" ");

/** Members by Shopify customer id, email or name (every word must match), best balance first; at most `limit`. */
export async function findMembers(tx: Tx, shopId: string, query: string, limit: number) {
  const page = await searchMembers(tx, shopId, {
    search: query,
    tier: null,
    minBalance: null,
    maxBalance: null,
    activeWithinDays: null,
    sort: "balance",
    direction: "desc",
    page: 1,
    pageSize: limit,
  });
  return {
    total: page.total,
    members: page.rows.map((row) => ({
      customerId: row.customerId,
      name: row.name,
      email: row.email,
      available: row.available,
      pending: row.pending,
      lastActivityAt: row.lastActivityAt,
      blocked: row.blocked,
    })),
  };
}

/** A member's balance: spendable, pending (inside the return window), held by a checkout, owed; the next expiry. */
export async function balanceOf(tx: Tx, shop: Shop, member: Member) {
  const [next, tier] = await Promise.all([
    tx.lot.findFirst({
      where: { memberId: member.id, remaining: { gt: 0 }, expiresAt: { not: null } },
      orderBy: { expiresAt: "asc" },
      select: { expiresAt: true },
    }),
    member.tierId
      ? currentProgram(tx, shop).then((p) => p.settings.tiers.levels.find((l) => l.id === member.tierId))
      : null,
  ]);
  const expiring = next?.expiresAt
    ? await tx.lot.aggregate({
        where: { memberId: member.id, remaining: { gt: 0 }, expiresAt: next.expiresAt },
        _sum: { remaining: true },
      })
    : null;
  return {
    customerId: member.customerId,
    name: nameOf(member),
    email: member.email,
    available: member.pointsAvailable,
    pending: member.pointsPending,
    reserved: member.pointsReserved,
    debt: member.pointsDebt,
    tier: tier ? tier.name : null,
    blocked: member.blockedAt !== null,
    nextExpiry:
      next?.expiresAt && expiring
        ? {
            // The last shop-local day the points can be spent: they expire as the next day begins.
            lastDay: localDate(new Date(next.expiresAt.getTime() - 1), shop.timezone),
            points: expiring._sum.remaining ?? 0,
          }
        : null,
  };
}

/** The member's most recent passbook lines, newest first, with the running balance after each. */
export async function recentPassbook(tx: Tx, shop: Shop, member: Member, limit: number) {
  const book = await passbook(tx, shop.id, member.id);
  return {
    customerId: member.customerId,
    available: member.pointsAvailable,
    pending: member.pointsPending,
    lines: (book?.lines ?? []).slice(0, limit).map((line) => ({
      at: line.at,
      kind: line.kind,
      description: line.description,
      points: line.points,
      balance: line.balance,
      order: line.orderName ?? line.orderId,
      ...(line.pendingPoints ? { pendingPoints: line.pendingPoints } : {}),
    })),
  };
}

/**
 * How an order earned its points: the stored calculation of its first earn, as sentences in English and Japanese,
 * and what refunds took back. `memberId` limits it to that member's orders (a shopper's own); null for staff.
 */
export async function explainOrder(tx: Tx, shop: Shop, orderIdInput: string, memberId: string | null) {
  const orderId = orderIdOf(orderIdInput);
  const order = orderId
    ? await tx.order.findUnique({ where: { shopId_orderId: { shopId: shop.id, orderId } } })
    : await tx.order.findFirst({ where: { shopId: shop.id, name: orderIdInput.trim() } });
  if (!order || (memberId !== null && order.memberId !== memberId)) return null;
  const entries = await tx.ledgerEntry.findMany({
    where: { shopId: shop.id, orderId: order.orderId },
    orderBy: { id: "asc" },
    select: { kind: true, points: true, pendingPoints: true, calculation: true, occurredAt: true, reason: true },
  });
  const earn = entries.find((entry) => entry.kind === "earn" && entry.calculation);
  const calculation = earn?.calculation as unknown as Calculation | undefined;
  const member = order.memberId ? await tx.member.findUnique({ where: { id: order.memberId } }) : null;
  return {
    orderId: order.orderId,
    name: order.name,
    customerId: member?.customerId ?? null,
    status: order.status,
    skipReason: order.skipReason,
    placedAt: order.placedAt?.toISOString() ?? null,
    pointsEarned: order.pointsEarned,
    pointsReversed: order.pointsReversed,
    pointsRedeemed: order.pointsRedeemed,
    pointsReturned: order.pointsReturned,
    calculation: calculation
      ? {
          baseMinor: calculation.baseMinor,
          currency: calculation.currency,
          rate: calculation.rate,
          rounding: calculation.rounding,
          points: calculation.points,
          explanation: { en: explainCalculation(calculation, "en"), ja: explainCalculation(calculation, "ja") },
        }
      : null,
    entries: entries.map((entry) => ({
      at: entry.occurredAt.toISOString(),
      kind: entry.kind,
      points: entry.points,
      reason: entry.reason,
    })),
  };
}

/** The program in force, as a member or an assistant needs it: how points are earned, spent and expire. */
export async function programSummary(tx: Tx, shop: Shop, now = new Date()) {
  const { version, settings } = await currentProgram(tx, shop);
  return {
    version: version.version,
    currency: settings.currency,
    earnRate: settings.earnRate,
    rounding: settings.rounding,
    pointValueMinor: settings.pointValueMinor,
    pendingDays: settings.pendingDays,
    expiryDays: settings.expiryDays,
    expiryMode: settings.expiryMode,
    redemption: settings.redemption,
    signupBonus: settings.signupBonus,
    birthdayBonus: settings.birthdayBonus,
    membership: settings.membership.mode,
    tiers: settings.tiers.levels.map((level) => ({
      name: level.name,
      threshold: level.threshold,
      basis: settings.tiers.basis,
      earnExtraPercent: level.earnExtraPercent,
    })),
    campaigns: settings.campaigns
      .filter((campaign) => new Date(campaign.endsAt) > now)
      .map((campaign) => ({
        name: campaign.name,
        startsAt: campaign.startsAt,
        endsAt: campaign.endsAt,
        extraPercent: campaign.extraPercent ?? 0,
        bonusPoints: campaign.bonusPoints ?? 0,
      })),
    rewards: settings.rewards.map((reward) => ({
      name: reward.name,
      points: reward.points,
      amountMinor: reward.amountMinor,
    })),
  };
}

/** The adjustment key of a confirmed call: the same token always applies the same, once. */
export function adjustmentKeyOf(token: string): string {
  return `mcp-${createHash("sha256").update(token).digest("base64url").slice(0, 40)}`;
}

/** Applies a confirmed adjustment under the shop's staff rules (above the limit it waits for a second person). */
export async function applyAdjustment(shop: Shop, member: Member, adjustment: Adjustment, actor: string) {
  const rules = await staffRules(shop.id);
  return prisma.$transaction((tx) => requestAdjustment(tx, shop, member.id, adjustment, actor, rules));
}

/** A statement asked for again within this window is the same message: an agent in a loop sends one email. */
const STATEMENT_WINDOW_MS = 10 * 60_000;

export type StatementOutcome =
  | { status: "sent" | "queued" | "already_requested"; recipient: string; month: string; messageId: string }
  | { status: "not_sent"; reason: string };

/**
 * Emails the member their statement (ポイント明細) of a shop-local month through the outbox, then delivers due
 * messages at once rather than at the next job run. The lines are read from the ledger when the email is built.
 */
export async function sendStatement(
  shop: Shop,
  member: Member,
  month: string | undefined,
  now = new Date(),
): Promise<StatementOutcome> {
  if (!member.email) return { status: "not_sent", reason: "the customer has no email address" };
  const label = month ?? localDate(now, shop.timezone).slice(0, 7);
  const [year, monthNumber] = label.split("-").map(Number);
  const prefix = `statement-asked:${label}:${member.id}:`;
  const asked = await prisma.$transaction(async (tx) => {
    // Locked: two calls at once see each other, and one of them records the message.
    await lockMemberById(tx, member.id);
    const recent = await tx.message.findFirst({
      where: {
        shopId: shop.id,
        memberId: member.id,
        channel: "email",
        eventKey: { startsWith: prefix },
        createdAt: { gt: new Date(now.getTime() - STATEMENT_WINDOW_MS) },
      },
      orderBy: { createdAt: "desc" },
    });
    if (recent) return { message: recent, recorded: false };
    const eventKey = `${prefix}${now.getTime()}`;
    await recordMessage(tx, {
      shopId: shop.id,
      memberId: member.id,
      kind: "statement",
      eventKey,
      data: { year, month: monthNumber },
    });
    const message = await tx.message.findUnique({
      where: { shopId_channel_eventKey: { shopId: shop.id, channel: "email", eventKey } },
    });
    return { message, recorded: true };
  });
  const { message } = asked;
  if (!message) return { status: "not_sent", reason: "the shop has turned statement emails off" };
  if (!asked.recorded)
    return { status: "already_requested", recipient: member.email, month: label, messageId: message.id };
  await deliverPromptly();
  const after = await prisma.message.findUnique({ where: { id: message.id }, select: { status: true } });
  return {
    status: after?.status === "sent" ? "sent" : "queued",
    recipient: member.email,
    month: label,
    messageId: message.id,
  };
}

/**
 * Delivers what is due now, waiting at most a few seconds (a slow mail server leaves the rest to the job). Without
 * SMTP configured, messages wait in the outbox.
 */
async function deliverPromptly(): Promise<void> {
  const mailer = mailerFromEnv();
  if (!mailer) return;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, 10_000)));
  // The message is in the outbox whatever happens here: the job delivers it if this attempt fails.
  const delivery = deliverDueMessages(prisma, mailer).catch((error: unknown) =>
    console.error("prompt delivery of a statement failed", error),
  );
  await Promise.race([delivery, timeout]);
  clearTimeout(timer);
}
