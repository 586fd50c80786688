import type { LedgerKind } from "../generated/prisma/client";
import type { Tx } from "../db/transaction.server";
import { campaignLotsOf } from "../ledger/campaign-lots.server";
import { localDate } from "../shared/calendar";

export const PASSBOOK_PAGE_SIZE = 50;

export interface PassbookLine {
  id: string;
  at: string;
  kind: LedgerKind;
  description: string;
  orderId: string | null;
  orderName: string | null;
  /** Points in (+) or out (−) of the member's net balance (available + pending − debt). */
  points: number;
  /** The net balance after this line, like a bank book's running balance. */
  balance: number;
  /** Points moved into (+) or out of (−) pending or a hold, which change what is spendable but not the net. */
  pendingPoints: number;
  reservedPoints: number;
  /**
   * On the earn of a campaign bonus kept in a lot of its own, and on that lot's expiry: the campaign and when
   * the bonus expires (the end of a shop-local day). Null on every other line.
   */
  campaign: { id: string; name: string; expiresAt: string; expiresOn: string } | null;
}

export interface Passbook {
  member: {
    id: string;
    customerId: string;
    name: string;
    email: string | null;
    available: number;
    pending: number;
    reserved: number;
    debt: number;
    tierId: string | null;
    tierSince: string | null;
    joinedAt: string;
    lastActivityAt: string | null;
    blockedAt: string | null;
    blockedReason: string | null;
  };
  lines: PassbookLine[];
  /** Pass as `?before=` for older lines; null on the last page. */
  next: string | null;
  lots: Array<{
    id: string;
    earnedAt: string;
    amount: number;
    remaining: number;
    pending: boolean;
    availableAt: string;
    expiresAt: string | null;
    /**
     * The shop-local day at whose end the lot expires ("2026-03-31"; `expiresAt` is the instant the next day
     * begins): the day to show.
     */
    expiresOn: string | null;
    /** The order the lot's points were earned on, if any. */
    orderId: string | null;
    orderName: string | null;
    /** A campaign's bonus with an expiry of its own (sooner than the order's points); null for other lots. */
    campaign: { id: string; name: string } | null;
  }>;
  tierHistory: Array<{ at: string; from: string | null; to: string | null; reason: string; value: number }>;
  reservations: Array<{ at: string; points: number; status: string; expiresAt: string; orderId: string | null }>;
  rewardCodes: Array<{ at: string; code: string; points: number; status: string; expiresAt: string }>;
}

/** A member's bank book: ledger lines newest first with the running balance, lots, tiers and holds. */
export async function passbook(
  tx: Tx,
  shopId: string,
  memberId: string,
  before: bigint | null = null,
): Promise<Passbook | null> {
  const member = await tx.member.findFirst({ where: { id: memberId, shopId }, include: { shop: true } });
  if (!member) return null;
  // The last shop-local day before an expiry instant: points expire at the end of it.
  const lastDay = (at: Date) => localDate(new Date(at.getTime() - 1), member.shop.timezone);
  // The running balance is a window over the whole ledger, so any page shows the true balance after each line.
  const rows = await tx.$queryRaw<
    Array<{
      id: bigint;
      occurredAt: Date;
      kind: LedgerKind;
      sourceType: string;
      sourceId: string | null;
      reason: string;
      orderId: string | null;
      orderName: string | null;
      points: number;
      pendingPoints: number;
      reservedPoints: number;
      balance: bigint;
    }>
  >`
    SELECT l.*, o.name AS "orderName" FROM (
      SELECT id, "occurredAt", kind, "sourceType", "sourceId", reason, "orderId", points, "pendingPoints", "reservedPoints",
             SUM(points) OVER (ORDER BY id) AS balance
      FROM "LedgerEntry" WHERE "memberId" = ${member.id}
    ) l
    LEFT JOIN "Order" o ON o."shopId" = ${shopId} AND o."orderId" = l."orderId"
    WHERE ${before}::bigint IS NULL OR l.id < ${before}::bigint
    ORDER BY l.id DESC
    LIMIT ${PASSBOOK_PAGE_SIZE + 1}`;
  const page = rows.slice(0, PASSBOOK_PAGE_SIZE);
  const [lots, tierChanges, reservations, codes] = await Promise.all([
    // Nearest expiry first, as they are spent and expire (never-expiring last), then oldest first.
    tx.lot.findMany({
      where: { memberId: member.id, remaining: { gt: 0 } },
      orderBy: [{ expiresAt: { sort: "asc", nulls: "last" } }, { earnedAt: "asc" }],
    }),
    tx.tierChange.findMany({ where: { memberId: member.id }, orderBy: { createdAt: "desc" }, take: 50 }),
    tx.reservation.findMany({ where: { memberId: member.id }, orderBy: { createdAt: "desc" }, take: 20 }),
    tx.rewardCode.findMany({ where: { memberId: member.id }, orderBy: { createdAt: "desc" }, take: 20 }),
  ]);
  // Campaign bonuses with an expiry of their own: the lots still holding points, the earns and expiries listed.
  const expiredLot = (row: (typeof page)[number]) =>
    row.kind === "expire" && row.sourceType === "job" && row.sourceId ? [row.sourceId] : [];
  const bonuses = await campaignLotsOf(
    tx,
    [...lots.map((lot) => lot.id), ...page.flatMap(expiredLot)],
    page.filter((row) => row.kind === "earn").map((row) => row.id),
  );
  const bonusByLot = new Map(bonuses.map((bonus) => [bonus.lotId, bonus]));
  const bonusByEntry = new Map(bonuses.map((bonus) => [bonus.earnEntryId.toString(), bonus]));
  const lineBonus = (row: (typeof page)[number]) => {
    const bonus = bonusByEntry.get(row.id.toString()) ?? expiredLot(row).map((id) => bonusByLot.get(id))[0];
    return bonus
      ? {
          id: bonus.campaignId,
          name: bonus.name,
          expiresAt: bonus.expiresAt.toISOString(),
          expiresOn: lastDay(bonus.expiresAt),
        }
      : null;
  };
  const lotBonus = (lotId: string) => {
    const bonus = bonusByLot.get(lotId);
    return bonus ? { id: bonus.campaignId, name: bonus.name } : null;
  };
  const lotOrders = [...new Set(lots.flatMap((lot) => (lot.orderId ? [lot.orderId] : [])))];
  const orderNames = new Map(
    (lotOrders.length
      ? await tx.order.findMany({
          where: { shopId, orderId: { in: lotOrders } },
          select: { orderId: true, name: true },
        })
      : []
    ).map((order) => [order.orderId, order.name]),
  );
  return {
    member: {
      id: member.id,
      customerId: member.customerId,
      name: [member.lastName, member.firstName].filter(Boolean).join(" "),
      email: member.email,
      available: member.pointsAvailable,
      pending: member.pointsPending,
      reserved: member.pointsReserved,
      debt: member.pointsDebt,
      tierId: member.tierId,
      tierSince: member.tierSince?.toISOString() ?? null,
      joinedAt: member.createdAt.toISOString(),
      lastActivityAt: member.lastActivityAt?.toISOString() ?? null,
      blockedAt: member.blockedAt?.toISOString() ?? null,
      blockedReason: member.blockedReason,
    },
    lines: page.map((row) => ({
      id: row.id.toString(),
      at: row.occurredAt.toISOString(),
      kind: row.kind,
      description: row.reason,
      orderId: row.orderId,
      orderName: row.orderName,
      points: row.points,
      balance: Number(row.balance),
      pendingPoints: row.pendingPoints,
      reservedPoints: row.reservedPoints,
      campaign: lineBonus(row),
    })),
    next: rows.length > PASSBOOK_PAGE_SIZE ? page[page.length - 1].id.toString() : null,
    lots: lots.map((lot) => ({
      id: lot.id,
      earnedAt: lot.earnedAt.toISOString(),
      amount: lot.amount,
      remaining: lot.remaining,
      pending: lot.activatedAt === null,
      availableAt: lot.availableAt.toISOString(),
      expiresAt: lot.expiresAt?.toISOString() ?? null,
      expiresOn: lot.expiresAt ? lastDay(lot.expiresAt) : null,
      orderId: lot.orderId,
      orderName: lot.orderId ? (orderNames.get(lot.orderId) ?? null) : null,
      campaign: lotBonus(lot.id),
    })),
    tierHistory: tierChanges.map((change) => ({
      at: change.createdAt.toISOString(),
      from: change.fromTier,
      to: change.toTier,
      reason: change.reason,
      value: change.value,
    })),
    reservations: reservations.map((r) => ({
      at: r.createdAt.toISOString(),
      points: r.points,
      status: r.status,
      expiresAt: r.expiresAt.toISOString(),
      orderId: r.orderId,
    })),
    rewardCodes: codes.map((c) => ({
      at: c.createdAt.toISOString(),
      code: c.code,
      points: c.points,
      status: c.status,
      expiresAt: c.expiresAt.toISOString(),
    })),
  };
}
