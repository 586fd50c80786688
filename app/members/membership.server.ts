import { createHash } from "node:crypto";
import type { Member, PrismaClient, Shop } from "../generated/prisma/client";
import { adjust, earn } from "../ledger/ledger.server";
import type { ProgramSettings } from "../program/program";
import { currentProgram, findInstalledShop } from "../shops/shops.server";
import type { Tx } from "../db/transaction.server";
import { recordWebhookEvent } from "../outgoing-webhooks/record.server";
import { checkSignupBonus, holdSignupBonus } from "../fraud/signup.server";
import { normalizeEmail } from "./email-identity";
import { isMember } from "./membership";
import { lockMember, lockMemberById } from "./members.server";

/**
 * Joining and leaving the program (who is a member: ./membership.ts). In an "all" program every customer is a
 * member, as before this capability existed: joining only records consent (the signup bonus is paid on
 * customers/create), and leaving is refused (the merchant enrols everyone; a shopper who wants out asks for their
 * data to be erased).
 */
export type MembershipChannel = "customer-account" | "storefront" | "admin";

export interface MembershipStatus {
  mode: "all" | "join";
  member: boolean;
  joinedAt: string | null;
  /** The program's current terms version: what joining consents to. */
  termsVersion: string;
  /** The version the customer consented to, if any; older than termsVersion when the terms changed since. */
  consentedVersion: string | null;
  leftAt: string | null;
  signupBonusPaid: boolean;
}

/** Bad input or not allowed: the route answers 4xx with the message, which is written for the shopper. */
export class MembershipRefused extends Error {}

const CHANNELS: readonly MembershipChannel[] = ["customer-account", "storefront", "admin"];

/**
 * The ledger key of a join bonus: one per normalised email in the shop, under the ledger's unique constraint.
 * Hashed, because ledger entries outlive privacy erasure and must not hold an address.
 */
export function signupEmailKey(normalizedEmail: string): string {
  return `signup:email:${createHash("sha256").update(normalizedEmail).digest("hex")}`;
}

async function requireShop(tx: Tx, shopDomain: string): Promise<Shop> {
  const shop = await findInstalledShop(tx, shopDomain);
  if (!shop) throw new MembershipRefused("this shop has not installed Tsumiki");
  return shop;
}

async function bonusPaid(tx: Tx, memberId: string | undefined): Promise<boolean> {
  if (!memberId) return false;
  return (await tx.ledgerEntry.count({ where: { memberId, sourceType: "signup" } })) > 0;
}

async function statusOf(tx: Tx, settings: ProgramSettings, member: Member | null): Promise<MembershipStatus> {
  const { mode, termsVersion } = settings.membership;
  // In an "all" program the customer has been a member since their record was created.
  const joinedAt = member?.joinedAt ?? (mode === "all" ? (member?.createdAt ?? null) : null);
  return {
    mode,
    member: isMember(mode, member),
    joinedAt: joinedAt?.toISOString() ?? null,
    termsVersion,
    consentedVersion: member?.consentTermsVersion ?? null,
    leftAt: member?.leftAt?.toISOString() ?? null,
    signupBonusPaid: await bonusPaid(tx, member?.id),
  };
}

function findMember(tx: Tx, shopId: string, customerId: string): Promise<Member | null> {
  return tx.member.findUnique({ where: { shopId_customerId: { shopId, customerId } } });
}

export async function membershipStatus(
  db: PrismaClient,
  shopDomain: string,
  customerId: string,
): Promise<MembershipStatus> {
  return db.$transaction(async (tx) => {
    const shop = await requireShop(tx, shopDomain);
    const { settings } = await currentProgram(tx, shop);
    return statusOf(tx, settings, await findMember(tx, shop.id, customerId));
  });
}

/**
 * Joins (or re-consents to new terms). The signup bonus is paid here and only here in a "join" program, once per
 * customer and once per person (normalised email), and only to a verified email: an unverified member joins
 * without it and gets it by joining again once Shopify has verified the address.
 */
export async function joinProgram(
  db: PrismaClient,
  shopDomain: string,
  customerId: string,
  input: { termsVersion: string; channel: MembershipChannel; email?: string | null; verifiedEmail?: boolean },
): Promise<MembershipStatus> {
  if (!CHANNELS.includes(input.channel)) throw new MembershipRefused("unknown channel");
  if (typeof input.termsVersion !== "string") throw new MembershipRefused("say which terms version you accept");
  return db.$transaction(async (tx) => {
    const shop = await requireShop(tx, shopDomain);
    const { settings, version } = await currentProgram(tx, shop);
    const { mode, termsVersion } = settings.membership;
    if (input.termsVersion !== termsVersion) {
      throw new MembershipRefused(
        `The program terms are now version ${termsVersion}; read them and accept that version to join.`,
      );
    }
    let member = await lockMember(tx, shop.id, { customerId, email: input.email ?? null });
    if (member.redactedAt) throw new MembershipRefused("this customer's data was erased");
    const now = new Date();
    const already = member.joinedAt !== null && member.leftAt === null;
    const normalizedEmail = normalizeEmail(input.email ?? member.email);
    member = await tx.member.update({
      where: { id: member.id },
      data: {
        joinedAt: already ? member.joinedAt : now,
        leftAt: null,
        consentTermsVersion: termsVersion,
        consentedAt: now,
        consentChannel: input.channel,
        normalizedEmail,
      },
    });
    // Told before the signup bonus it may bring, so a receiver sees the join first.
    if (!already) {
      await recordWebhookEvent(tx, {
        shopId: shop.id,
        memberId: member.id,
        event: "member.joined",
        eventKey: `member:${member.id}:joined:${now.toISOString()}`,
        occurredAt: now,
        data: { channel: input.channel, termsVersion },
      });
    }
    const verified = input.verifiedEmail ?? member.verifiedEmail === true;
    const bonus = settings.signupBonus;
    let paid = false;
    // An "all" program pays the bonus on customers/create (enrolment.server.ts); a blocked member earns nothing.
    if (mode === "join" && bonus > 0 && verified && normalizedEmail && !member.blockedAt) {
      const key = signupEmailKey(normalizedEmail);
      // Two customers with one address joining at once: the second waits here, then finds the first's entry.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${key}))`;
      const paidBefore = await bonusPaid(tx, member.id);
      const paidToPerson = await tx.ledgerEntry.findUnique({
        where: { shopId_idempotencyKey: { shopId: shop.id, idempotencyKey: key } },
      });
      if (!paidBefore && !paidToPerson) {
        // Checked as it is paid (a burst of new accounts sharing an email pattern): spendable at once, the bonus
        // would be gone by the daily scan. Held, it is earned pending (a day ahead of the clock), then made due at
        // the join, so approving the case makes it spendable at once.
        const check = await checkSignupBonus(tx, shop.id, member.id, now);
        const held = check?.decision.hold === true;
        const pendingDays = held ? 1 : 0;
        const { lotId } = await earn(
          tx,
          await lockMemberById(tx, member.id),
          bonus,
          { ...settings, pendingDays },
          shop.timezone,
          {
            reason: "Signup bonus",
            sourceType: "signup",
            sourceId: customerId,
            programVersionId: version.id,
            idempotencyKey: key,
            occurredAt: now,
          },
        );
        if (held) {
          await tx.lot.update({ where: { id: lotId }, data: { availableAt: now } });
          await holdSignupBonus(tx, shop, { memberId: member.id, check, lotId });
        }
        paid = true;
      }
    }
    await tx.auditLog.create({
      data: {
        shopId: shop.id,
        actor: `${input.channel}:customer ${customerId}`,
        action: "member.joined",
        subject: `customer ${customerId}`,
        after: { termsVersion, channel: input.channel, signupBonus: paid ? bonus : 0, verifiedEmail: verified },
      },
    });
    return statusOf(tx, settings, member);
  });
}

/**
 * Leaves a "join" program. Without `confirm: true` nothing happens and the refusal says what would become of the
 * balance. Forfeiting takes the available points out with an "adjust" entry; pending points (still in their return
 * window), points held by a checkout and debt are left as they are.
 */
export async function leaveProgram(
  db: PrismaClient,
  shopDomain: string,
  customerId: string,
  input: { channel: MembershipChannel; confirm: boolean },
): Promise<{ status: MembershipStatus; balance: { available: number; forfeited: boolean } }> {
  if (!CHANNELS.includes(input.channel)) throw new MembershipRefused("unknown channel");
  return db.$transaction(async (tx) => {
    const shop = await requireShop(tx, shopDomain);
    const { settings, version } = await currentProgram(tx, shop);
    const { mode, onLeave } = settings.membership;
    if (mode === "all") {
      throw new MembershipRefused("Every customer of this shop is a member; there is no membership to leave.");
    }
    const found = await findMember(tx, shop.id, customerId);
    if (!found || !isMember(mode, found)) throw new MembershipRefused("You are not a member of the program.");
    let member = await lockMemberById(tx, found.id);
    const available = member.pointsAvailable;
    if (input.confirm !== true) {
      throw new MembershipRefused(
        onLeave === "forfeit"
          ? `Leaving forfeits your ${available} points; confirm to leave.`
          : `Your ${available} points stay in your account and are yours again if you rejoin; confirm to leave.`,
      );
    }
    const now = new Date();
    const forfeit = onLeave === "forfeit" && available > 0;
    if (forfeit) {
      await adjust(tx, member, -available, settings, shop.timezone, {
        reason: "Points forfeited on leaving the program",
        sourceType: "membership",
        sourceId: customerId,
        programVersionId: version.id,
        idempotencyKey: `leave:${member.id}:${now.toISOString()}`,
        occurredAt: now,
      });
    }
    member = await tx.member.update({ where: { id: member.id }, data: { leftAt: now } });
    await recordWebhookEvent(tx, {
      shopId: shop.id,
      memberId: member.id,
      event: "member.left",
      eventKey: `member:${member.id}:left:${now.toISOString()}`,
      occurredAt: now,
      data: { channel: input.channel, forfeited: forfeit ? available : 0 },
    });
    await tx.auditLog.create({
      data: {
        shopId: shop.id,
        actor: `${input.channel}:customer ${customerId}`,
        action: "member.left",
        subject: `customer ${customerId}`,
        before: { available },
        after: { onLeave, forfeited: forfeit ? available : 0, available: member.pointsAvailable },
      },
    });
    return {
      status: await statusOf(tx, settings, member),
      balance: { available: member.pointsAvailable, forfeited: onLeave === "forfeit" },
    };
  });
}
