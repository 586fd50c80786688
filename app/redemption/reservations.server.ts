import { randomBytes } from "node:crypto";
import type { ProgramSettings } from "../program/program";
import { pointsValue, refuseRedemption, type RedemptionRefusal } from "./redemption";
import type { Member, Reservation, Shop } from "../generated/prisma/client";
import { hold, unhold } from "../ledger/ledger.server";
import { lockMember, lockMemberById } from "../members/members.server";
import type { Tx } from "../db/transaction.server";

export class RedemptionRefused extends Error {
  constructor(readonly code: RedemptionRefusal | "not_logged_in" | "blocked") {
    super(code);
  }
}

export interface ReservationView {
  points: number;
  amountMinor: number;
  nonce: string;
  expiresAt: string;
}

/** What the checkout extension shows a shopper. */
export interface CheckoutPoints {
  enabled: boolean;
  loggedIn: boolean;
  balance: number;
  currency: string;
  pointValueMinor: number;
  minPoints: number;
  step: number;
  maxShareBasisPoints: number;
  reservation: ReservationView | null;
}

export function viewOf(reservation: Reservation | null): ReservationView | null {
  return reservation
    ? {
        points: reservation.points,
        amountMinor: reservation.amountMinor,
        nonce: reservation.nonce,
        expiresAt: reservation.expiresAt.toISOString(),
      }
    : null;
}

export function checkoutPoints(
  program: ProgramSettings,
  member: Member | null,
  loggedIn: boolean,
  active: Reservation | null,
): CheckoutPoints {
  const { redemption } = program;
  return {
    enabled: redemption.enabled,
    loggedIn,
    // What the shopper can spend here: the free balance plus what this checkout already holds.
    balance: (member?.pointsAvailable ?? 0) + (active?.points ?? 0),
    currency: program.currency,
    pointValueMinor: program.pointValueMinor,
    minPoints: redemption.minPoints,
    step: redemption.step,
    maxShareBasisPoints: redemption.maxShareBasisPoints,
    reservation: viewOf(active),
  };
}

/** The member's active reservation, if it has not run out. */
export async function activeReservation(tx: Tx, memberId: string, now: Date): Promise<Reservation | null> {
  return tx.reservation.findFirst({ where: { memberId, status: "active", expiresAt: { gt: now } } });
}

/** Ends a reservation and gives its points back. The member must be locked. */
export async function endReservation(
  tx: Tx,
  member: Member,
  reservation: Reservation,
  status: "released" | "expired",
  now: Date,
): Promise<void> {
  await tx.reservation.update({ where: { id: reservation.id }, data: { status, endedAt: now } });
  await unhold(tx, member, reservation.points, {
    reason: status === "expired" ? "Checkout reservation expired" : "Checkout reservation released",
    sourceType: "reservation",
    sourceId: reservation.id,
    idempotencyKey: `reservation:${reservation.id}:end`,
    occurredAt: now,
  });
}

/**
 * Reserves `points` for the customer's checkout, replacing any reservation the customer already has.
 * Runs under the member's row lock, so concurrent checkouts on one balance can never hold more than it.
 * Throws RedemptionRefused (and the transaction rolls back, keeping the previous reservation) when not allowed.
 */
export async function reservePoints(
  tx: Tx,
  shop: Shop,
  program: ProgramSettings,
  customerId: string,
  points: number,
  subtotalMinor: number,
  now: Date,
): Promise<{ reservation: Reservation; balance: number }> {
  const member = await lockMember(tx, shop.id, { customerId });
  if (member.blockedAt) throw new RedemptionRefused("blocked");
  const previous = await tx.reservation.findFirst({ where: { memberId: member.id, status: "active" } });
  let balance = member.pointsAvailable;
  if (previous) {
    await endReservation(tx, member, previous, previous.expiresAt > now ? "released" : "expired", now);
    balance += previous.points;
  }
  const refusal = refuseRedemption(points, balance, subtotalMinor, program);
  if (refusal) throw new RedemptionRefused(refusal);

  const reservation = await tx.reservation.create({
    data: {
      shopId: shop.id,
      memberId: member.id,
      nonce: randomBytes(16).toString("base64url"),
      points,
      amountMinor: pointsValue(points, program),
      currency: program.currency,
      expiresAt: new Date(now.getTime() + program.redemption.reservationMinutes * 60_000),
    },
  });
  const current = await lockMemberById(tx, member.id);
  await hold(tx, current, points, {
    reason: `Held for checkout (${points} points)`,
    sourceType: "reservation",
    sourceId: reservation.id,
    idempotencyKey: `reservation:${reservation.id}:hold`,
    occurredAt: now,
  });
  return { reservation, balance: balance };
}

/** Releases the customer's active reservation, if any. Returns it, or null when there was none. */
export async function releasePoints(tx: Tx, shop: Shop, customerId: string, now: Date): Promise<Reservation | null> {
  const existing = await tx.member.findUnique({ where: { shopId_customerId: { shopId: shop.id, customerId } } });
  if (!existing) return null;
  const member = await lockMemberById(tx, existing.id);
  const active = await tx.reservation.findFirst({ where: { memberId: member.id, status: "active" } });
  if (!active) return null;
  await endReservation(tx, member, active, active.expiresAt > now ? "released" : "expired", now);
  return active;
}

/**
 * Ends reservations whose time ran out, a batch at a time, each under its member's lock. Returns what was
 * ended so the caller can delete the metafields the Function reads.
 */
export async function expireReservations(
  transaction: <T>(work: (tx: Tx) => Promise<T>) => Promise<T>,
  now: Date,
  batch = 100,
): Promise<Array<{ shopDomain: string; customerId: string }>> {
  return transaction(async (tx) => {
    const due = await tx.reservation.findMany({
      where: { status: "active", expiresAt: { lte: now } },
      include: { shop: true, member: true },
      take: batch,
      orderBy: { expiresAt: "asc" },
    });
    const ended: Array<{ shopDomain: string; customerId: string }> = [];
    for (const reservation of due) {
      const member = await lockMemberById(tx, reservation.memberId);
      const fresh = await tx.reservation.findUniqueOrThrow({ where: { id: reservation.id } });
      if (fresh.status !== "active") continue;
      await endReservation(tx, member, fresh, "expired", now);
      ended.push({ shopDomain: reservation.shop.domain, customerId: reservation.member.customerId });
    }
    return ended;
  });
}
