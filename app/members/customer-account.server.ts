// What a customer sees of the program in their Shopify customer account: the "Points" page, the profile block and
// an order's points. Reads and the profile's changes; the routes authenticate and answer.
import type { Member, PrismaClient, Shop } from "../generated/prisma/client";
import { historyKind } from "../storefront/history-kind";
import type { Tx } from "../db/transaction.server";
import type { Calculation } from "../earning/earning";
import { shopperExplanation } from "../earning/explanation";
import { BonusRefused, setBirthday } from "../program/bonuses.server";
import { currentProgram, findInstalledShop } from "../shops/shops.server";
import { storefrontSummary } from "../storefront/storefront.server";
import { lockMember } from "./members.server";
import { passbook } from "./passbook.server";
import { joinProgram, leaveProgram, membershipStatus, type MembershipStatus } from "./membership.server";
import type {
  AccountPoints,
  AccountProfile,
  EarnExplanation,
  MembershipView,
  OrderPoints,
  PassbookLine,
  ProfileChange,
} from "./customer-account-api";

/** A change the app refuses: the route answers 4xx with `message` and writes nothing. */
export class AccountRefused extends Error {
  constructor(
    readonly code: "not_installed" | "not_member" | "birthday_set" | "invalid",
    message: string,
    readonly status: 400 | 404 | 409 = 400,
  ) {
    super(message);
  }
}

const notInstalled = () => new AccountRefused("not_installed", "Tsumiki is not installed on this shop.", 404);

function membershipView(status: MembershipStatus): MembershipView {
  return { mode: status.mode, member: status.member, joinedAt: status.joinedAt, termsVersion: status.termsVersion };
}

type Tiers = Array<{ name: string; earnExtraPercent: number }>;

function explanation(calculation: unknown, tiers: Tiers = []): EarnExplanation | null {
  const value = calculation as Calculation | null;
  return value && Array.isArray(value.lines) && value.rate ? shopperExplanation(value, tiers) : null;
}

/** The tier levels of each program version that earned, to name a tier's boost as the shopper knows it. */
async function tiersOf(tx: Tx, versionIds: Array<string | null>): Promise<Map<string, Tiers>> {
  const ids = [...new Set(versionIds.filter((id): id is string => id !== null))];
  if (ids.length === 0) return new Map();
  const versions = await tx.programVersion.findMany({
    where: { id: { in: ids } },
    select: { id: true, settings: true },
  });
  return new Map(
    versions.map((version) => {
      const settings = version.settings as { tiers?: { levels?: Tiers } } | null;
      return [version.id, settings?.tiers?.levels ?? []];
    }),
  );
}

/** The newest passbook lines with the running balance, each in the shopper's terms; an order's earn explained. */
async function shopperPassbook(tx: Tx, shopId: string, memberId: string): Promise<PassbookLine[]> {
  const book = await passbook(tx, shopId, memberId);
  if (!book) return [];
  const ids = book.lines.map((line) => BigInt(line.id));
  const details = new Map(
    (
      await tx.ledgerEntry.findMany({
        where: { id: { in: ids } },
        select: {
          id: true,
          sourceType: true,
          calculation: true,
          programVersionId: true,
          lot: { select: { activatedAt: true } },
        },
      })
    ).map((row) => [row.id.toString(), row]),
  );
  const tiers = await tiersOf(
    tx,
    [...details.values()].map((row) => row.programVersionId),
  );
  return book.lines.flatMap((line) => {
    const detail = details.get(line.id);
    const kind = detail ? historyKind(line.kind, detail.sourceType) : null;
    if (!kind || !detail) return [];
    return [
      {
        id: line.id,
        at: line.at,
        kind,
        points: line.points,
        balance: line.balance,
        pending: line.kind === "earn" && detail.lot !== null && detail.lot.activatedAt === null,
        orderName: line.orderName,
        explanation:
          kind === "earn" && !line.campaign
            ? explanation(detail.calculation, tiers.get(detail.programVersionId ?? "") ?? [])
            : null,
        campaign: line.campaign?.name ?? null,
      },
    ];
  });
}

async function memberOf(tx: Tx, shop: Shop, customerId: string): Promise<Member | null> {
  const member = await tx.member.findUnique({ where: { shopId_customerId: { shopId: shop.id, customerId } } });
  return member && !member.redactedAt ? member : null;
}

/** The "Points" page: balance, pending, expiring, tier, passbook, rewards and codes; null member for a non-member. */
export async function accountPoints(db: PrismaClient, shopDomain: string, customerId: string): Promise<AccountPoints> {
  const status = await membershipStatus(db, shopDomain, customerId);
  return db.$transaction(async (tx) => {
    const shop = await findInstalledShop(tx, shopDomain);
    const summary = shop ? await storefrontSummary(tx, shopDomain, customerId) : null;
    if (!shop || !summary) throw notInstalled();
    const member = status.member ? await memberOf(tx, shop, customerId) : null;
    const tierId = summary.member?.tier?.id;
    return {
      program: summary.program,
      membership: membershipView(status),
      member: status.member ? summary.member : null,
      tierExtraPercent: tierId ? (summary.program.tiers.find((t) => t.id === tierId)?.earnExtraPercent ?? null) : null,
      passbook: member ? await shopperPassbook(tx, shop.id, member.id) : [],
      rewards: summary.rewards,
      codes: status.member ? summary.codes : [],
    };
  });
}

/** The profile block: membership, birthday and the program's emails. */
export async function accountProfile(
  db: PrismaClient,
  shopDomain: string,
  customerId: string,
): Promise<AccountProfile> {
  const status = await membershipStatus(db, shopDomain, customerId);
  return db.$transaction(async (tx) => {
    const shop = await findInstalledShop(tx, shopDomain);
    if (!shop) throw notInstalled();
    const member = await memberOf(tx, shop, customerId);
    const { settings } = await currentProgram(tx, shop);
    return {
      membership: membershipView(status),
      birthday: member?.birthday ?? null,
      pointsNewsEmails: member?.pointsNewsEmails ?? false,
      birthdayBonus: settings.birthdayBonus,
      onLeave: settings.membership.onLeave,
      available: member?.pointsAvailable ?? 0,
    };
  });
}

/**
 * One change from the profile block. Joining and leaving go through the membership rules; a birthday is given once
 * (the birthday bonus must not be had twice a year by moving it); the email choice needs a membership.
 */
export async function changeProfile(
  db: PrismaClient,
  shopDomain: string,
  customerId: string,
  change: ProfileChange,
): Promise<AccountProfile> {
  if (change.action === "join") {
    await joinProgram(db, shopDomain, customerId, { termsVersion: change.termsVersion, channel: "customer-account" });
  } else if (change.action === "leave") {
    await leaveProgram(db, shopDomain, customerId, { channel: "customer-account", confirm: change.confirm });
  } else {
    const status = await membershipStatus(db, shopDomain, customerId);
    if (!status.member) throw new AccountRefused("not_member", "Join the program first.", 409);
    await db.$transaction(async (tx) => {
      const shop = await findInstalledShop(tx, shopDomain);
      if (!shop) throw notInstalled();
      if (change.action === "birthday") {
        // Under the member's lock, so two requests at once cannot both find no birthday.
        const member = await lockMember(tx, shop.id, { customerId });
        if (member.birthday) throw new AccountRefused("birthday_set", "Your birthday is already saved.", 409);
        try {
          await setBirthday(tx, shop, customerId, change.birthday, { channel: "customer-account" });
        } catch (error) {
          if (error instanceof BonusRefused) throw new AccountRefused("invalid", error.message);
          throw error;
        }
      } else {
        // A customer of an "every customer" program may have no row yet: the choice makes it, as a birthday does.
        const member = await lockMember(tx, shop.id, { customerId });
        await tx.member.update({ where: { id: member.id }, data: { pointsNewsEmails: change.pointsNewsEmails } });
      }
    });
  }
  return accountProfile(db, shopDomain, customerId);
}

/**
 * One order's points for its customer: earned (and how many still pending) and spent, from the ledger. An order the
 * app has not seen yet, or one of another customer, is "processing" with nothing: it never tells one customer about
 * another's order.
 */
export async function orderPoints(
  db: PrismaClient,
  shopDomain: string,
  customerId: string,
  orderId: string,
): Promise<OrderPoints> {
  return db.$transaction(async (tx) => {
    const shop = await findInstalledShop(tx, shopDomain);
    if (!shop) throw notInstalled();
    const nothing: OrderPoints = {
      status: "processing",
      orderName: null,
      earned: 0,
      pending: 0,
      spent: 0,
      explanation: null,
    };
    const member = await memberOf(tx, shop, customerId);
    const order = await tx.order.findUnique({ where: { shopId_orderId: { shopId: shop.id, orderId } } });
    // The order's customer is the member who earned on it and whose reserved points its discount spent.
    if (!member || !order || order.memberId !== member.id) return nothing;
    const entries = await tx.ledgerEntry.findMany({
      where: { shopId: shop.id, memberId: member.id, orderId },
      orderBy: { id: "asc" },
      select: { kind: true, points: true, pendingPoints: true, calculation: true, programVersionId: true },
    });
    // Earns, less what refunds took back (reversals below zero); reversals above zero give spent points back.
    let earned = 0;
    let pending = 0;
    let explained: EarnExplanation | null = null;
    const firstEarn = entries.find((entry) => entry.kind === "earn");
    if (firstEarn) {
      const tiers = await tiersOf(tx, [firstEarn.programVersionId]);
      explained = explanation(firstEarn.calculation, tiers.get(firstEarn.programVersionId ?? "") ?? []);
    }
    for (const entry of entries) {
      pending += entry.pendingPoints;
      if (entry.kind === "earn" || (entry.kind === "reverse" && entry.points < 0)) earned += entry.points;
    }
    return {
      status: "recorded",
      orderName: order.name,
      earned,
      pending: Math.max(0, pending),
      spent: Math.max(0, order.pointsRedeemed - order.pointsReturned),
      explanation: explained,
    };
  });
}
