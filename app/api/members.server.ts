import prisma from "../db.server";
import type { Member } from "../generated/prisma/client";
import { passbook } from "../members/passbook.server";
import { searchMembers } from "../members/search.server";

/** A member as the API shows it: points as integers, dates as ISO strings. */
export function memberJson(member: Member) {
  return {
    id: member.id,
    customer_id: member.customerId,
    email: member.email,
    first_name: member.firstName,
    last_name: member.lastName,
    points: {
      available: member.pointsAvailable,
      pending: member.pointsPending,
      reserved: member.pointsReserved,
      debt: member.pointsDebt,
    },
    tier_id: member.tierId,
    tier_since: member.tierSince?.toISOString() ?? null,
    joined_at: member.createdAt.toISOString(),
    last_activity_at: member.lastActivityAt?.toISOString() ?? null,
    blocked: member.blockedAt !== null,
  };
}

/** A member of this shop (an erased one is gone); null for another shop's member, as for none. */
export function findMember(shopId: string, id: string): Promise<Member | null> {
  return prisma.member.findFirst({ where: { id, shopId, redactedAt: null } });
}

export const LOOKUP_LIMIT = 50;

export type Lookup = { customer_id: string } | { email: string } | { query: string };

/** Members by Shopify customer id (numeric or GID), by email (any case), or a search of names and emails. */
export async function lookupMembers(shopId: string, lookup: Lookup): Promise<Member[]> {
  const where = { shopId, redactedAt: null };
  if ("customer_id" in lookup) {
    const customerId = lookup.customer_id.replace(/^gid:\/\/shopify\/Customer\//, "");
    return prisma.member.findMany({ where: { ...where, customerId } });
  }
  if ("email" in lookup) {
    return prisma.member.findMany({
      where: { ...where, email: { equals: lookup.email, mode: "insensitive" } },
      orderBy: { createdAt: "asc" },
      take: LOOKUP_LIMIT,
    });
  }
  const page = await searchMembers(prisma, shopId, {
    search: lookup.query,
    tier: null,
    minBalance: null,
    maxBalance: null,
    activeWithinDays: null,
    sort: "name",
    direction: "asc",
    page: 1,
    pageSize: LOOKUP_LIMIT,
  });
  const members = await prisma.member.findMany({ where: { id: { in: page.rows.map((row) => row.id) } } });
  const byId = new Map(members.map((member) => [member.id, member]));
  return page.rows.flatMap((row) => byId.get(row.id) ?? []);
}

/** One page of the member's passbook, newest first, with the cursor of the next (older) page. */
export async function memberEntries(shopId: string, memberId: string, cursor: bigint | null) {
  const book = await passbook(prisma, shopId, memberId, cursor);
  if (!book) return null;
  return {
    entries: book.lines.map((line) => ({
      id: line.id,
      occurred_at: line.at,
      kind: line.kind,
      points: line.points,
      pending_points: line.pendingPoints,
      reserved_points: line.reservedPoints,
      balance_after: line.balance,
      description: line.description,
      order_id: line.orderId,
    })),
    next_cursor: book.next,
  };
}

/** The member's lots still holding points, nearest expiry first (the order they are spent and expire in). */
export async function memberLots(memberId: string) {
  const lots = await prisma.lot.findMany({
    where: { memberId, remaining: { gt: 0 } },
    orderBy: [{ expiresAt: { sort: "asc", nulls: "last" } }, { earnedAt: "asc" }],
  });
  return lots.map((lot) => ({
    id: lot.id,
    amount: lot.amount,
    remaining: lot.remaining,
    pending: lot.activatedAt === null,
    earned_at: lot.earnedAt.toISOString(),
    available_at: lot.availableAt.toISOString(),
    expires_at: lot.expiresAt?.toISOString() ?? null,
    order_id: lot.orderId,
  }));
}
