import { recordMessage } from "../notifications/outbox.server";
import type { Tx } from "../db/transaction.server";
import { expiryInstant } from "../shared/calendar";
import { withDefaults, type ProgramSettings } from "../program/program";
import type { PrismaClient } from "../generated/prisma/client";
import { activate, expire } from "./ledger.server";
import { lockMemberById } from "../members/members.server";

/**
 * The scheduled work on lots: pending lots become spendable when their return window ends, and lots expire
 * when their day ends. Each run takes a batch per transaction, locks each member, re-reads each lot under
 * that lock and keys each entry by the lot's state, so a crash resumes where it stopped and no lot is
 * activated or expired twice.
 */

/**
 * An order's points became spendable: the member is told once per order (an order with a campaign lot activates
 * two lots; the unique event key keeps it to one message, with the order's whole earn). Also when staff approve a
 * held earn whose return window is already over (app/fraud/review.server.ts).
 */
export async function announceOrderPoints(tx: Tx, shopId: string, memberId: string, orderId: string) {
  const order = await tx.order.findUnique({
    where: { shopId_orderId: { shopId, orderId } },
    select: { pointsEarned: true, name: true, status: true },
  });
  if (!order || order.status !== "awarded" || order.pointsEarned <= 0) return;
  await recordMessage(tx, {
    shopId,
    memberId,
    kind: "points_earned",
    eventKey: `earned:order:${orderId}`,
    data: { points: order.pointsEarned, orderName: order.name },
  });
}

export async function activateDueLots(prisma: PrismaClient, now = new Date(), batch = 500): Promise<number> {
  let total = 0;
  for (;;) {
    const done = await prisma.$transaction(
      async (tx) => {
        const due = await tx.lot.findMany({
          // Lots a review case holds wait for its decision (app/fraud/review.server.ts).
          where: { activatedAt: null, availableAt: { lte: now }, heldByCaseId: null },
          orderBy: { availableAt: "asc" },
          take: batch,
          select: { id: true, memberId: true },
        });
        for (const { id, memberId } of due) {
          const member = await lockMemberById(tx, memberId);
          const lot = await tx.lot.findUniqueOrThrow({ where: { id } });
          if (lot.activatedAt) continue;
          await activate(tx, member, lot, now);
          if (lot.orderId) await announceOrderPoints(tx, lot.shopId, member.id, lot.orderId);
        }
        return due.length;
      },
      { timeout: 120_000 },
    );
    total += done;
    if (done < batch) return total;
  }
}

/**
 * Expires due lots. Members with no points held by a checkout are swept set-wise, a batch of lots per
 * statement (entry, allocation, lot and balance written together, exactly what the per-lot path writes);
 * members with a hold go lot by lot, so only what is available expires. Returns the lots expired.
 */
export async function expireDueLots(prisma: PrismaClient, now = new Date(), batch = 5000): Promise<number> {
  let total = 0;
  // A cursor over lot ids keeps each batch's scan from re-reading the lots already swept.
  let after = "";
  for (;;) {
    const { swept, last } = await prisma.$transaction(
      async (tx) => {
        const rows = await tx.$queryRaw<Array<{ expired: number; last: string | null }>>`
          WITH due AS (
            SELECT l.id, l."memberId", l."shopId", l.remaining, l."orderId"
            FROM "Lot" l JOIN "Member" m ON m.id = l."memberId"
            WHERE l.id > ${after} AND l."expiresAt" <= ${now} AND l.remaining > 0 AND l."activatedAt" IS NOT NULL
              AND m."pointsReserved" = 0
            ORDER BY l.id
            LIMIT ${batch}
            FOR UPDATE OF l, m
          ), entries AS (
            INSERT INTO "LedgerEntry" ("shopId", "memberId", kind, points, reason, "sourceType", "sourceId", "orderId",
                                       "idempotencyKey", "occurredAt")
            SELECT "shopId", "memberId", 'expire', -remaining, 'Points expired', 'job', id, "orderId",
                   'lot:' || id || ':expire:' || remaining, ${now}
            FROM due
            RETURNING id, "sourceId", points
          ), allocations AS (
            INSERT INTO "LotAllocation" ("entryId", "lotId", points) SELECT id, "sourceId", points FROM entries
          ), lots AS (
            UPDATE "Lot" l SET remaining = 0 FROM due WHERE l.id = due.id
          ), balances AS (
            UPDATE "Member" m SET "pointsAvailable" = m."pointsAvailable" - s.total, "updatedAt" = now()
            FROM (SELECT "memberId", SUM(remaining) AS total FROM due GROUP BY "memberId") s
            WHERE m.id = s."memberId"
          )
          SELECT (SELECT count(*)::int FROM entries) AS expired, (SELECT max(id) FROM due) AS last`;
        return { swept: rows[0].expired, last: rows[0].last };
      },
      { timeout: 300_000 },
    );
    total += swept;
    if (swept < batch || !last) break;
    after = last;
  }
  return total + (await expireHeldLots(prisma, now));
}

/** Due lots of members with a checkout hold, lot by lot under the member's lock. */
async function expireHeldLots(prisma: PrismaClient, now: Date, batch = 500): Promise<number> {
  let total = 0;
  let after = "";
  for (;;) {
    const seen = await prisma.$transaction(
      async (tx) => {
        const due = await tx.lot.findMany({
          where: { expiresAt: { lte: now }, remaining: { gt: 0 }, activatedAt: { not: null }, id: { gt: after } },
          orderBy: { id: "asc" },
          take: batch,
          select: { id: true, memberId: true },
        });
        for (const { id, memberId } of due) {
          const member = await lockMemberById(tx, memberId);
          const lot = await tx.lot.findUniqueOrThrow({ where: { id } });
          if (await expire(tx, member, lot, now)) total += 1;
          after = id;
        }
        return due.length;
      },
      { timeout: 120_000 },
    );
    if (seen < batch) return total;
  }
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Inactivity expiry: in shops whose program expires the whole balance after a quiet period, a member's
 * lots all expire at the end of the shop-local day `expiryDays` after their last earn or spend.
 * Returns the members whose balance expired.
 */
export async function expireInactiveBalances(prisma: PrismaClient, now = new Date(), batch = 500): Promise<number> {
  let members = 0;
  for (const shop of await prisma.shop.findMany()) {
    const version = await prisma.programVersion.findFirst({ where: { shopId: shop.id }, orderBy: { version: "desc" } });
    const settings = version ? withDefaults(version.settings as unknown as ProgramSettings) : null;
    if (!settings || settings.expiryMode !== "inactivity" || settings.expiryDays === null) continue;
    const days = settings.expiryDays;
    let after = "";
    for (;;) {
      // A superset by the clock; the shop-local end of day decides below.
      const candidates = await prisma.member.findMany({
        where: {
          shopId: shop.id,
          id: { gt: after },
          lastActivityAt: { lte: new Date(now.getTime() - days * DAY_MS) },
          pointsAvailable: { gt: 0 },
        },
        orderBy: { id: "asc" },
        take: batch,
        select: { id: true },
      });
      if (candidates.length === 0) break;
      members += await prisma.$transaction(
        async (tx) => {
          let expired = 0;
          for (const { id } of candidates) {
            let member = await lockMemberById(tx, id);
            if (!member.lastActivityAt || expiryInstant(member.lastActivityAt, days, shop.timezone) > now) continue;
            const lots = await tx.lot.findMany({
              where: { memberId: id, remaining: { gt: 0 }, activatedAt: { not: null } },
              orderBy: { id: "asc" },
            });
            for (const lot of lots) {
              await expire(tx, member, lot, now);
              member = await lockMemberById(tx, id);
            }
            expired += 1;
          }
          return expired;
        },
        { timeout: 120_000 },
      );
      after = candidates[candidates.length - 1].id;
    }
  }
  return members;
}
