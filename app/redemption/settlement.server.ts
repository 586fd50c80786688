import type { ProgramSettings } from "../program/program";
import type { Member, Shop } from "../generated/prisma/client";
import { spend } from "../ledger/ledger.server";
import { lockMemberById } from "../members/members.server";
import type { Tx } from "../db/transaction.server";

/** What an order says about points spent on it. */
export interface OrderRedemption {
  /** The reservation nonce the cart carried (cart attribute `_tsumiki_reservation`). */
  nonce: string | null;
  /** The points discount Shopify actually applied, shop currency minor units. */
  appliedMinor: number;
}

export interface SettledRedemption {
  points: number;
  flag: string | null;
  redeemEntryId: bigint | null;
}

/**
 * Turns the order's reservation into a redeem entry, once, for the discount Shopify actually applied:
 * the points that paid for it are spent and the rest of the hold comes back. An order that got the points
 * discount without a valid reservation (expired, released, already used, another customer's, unknown) is
 * charged all the same and flagged, never ignored. The member must be locked by the caller.
 */
export async function settleRedemption(
  tx: Tx,
  shop: Shop,
  program: ProgramSettings,
  member: Member,
  orderId: string,
  label: string,
  redemption: OrderRedemption,
  now: Date,
): Promise<SettledRedemption> {
  const reservation = redemption.nonce
    ? await tx.reservation.findFirst({ where: { shopId: shop.id, nonce: redemption.nonce } })
    : null;
  const pointsForDiscount = Math.ceil(redemption.appliedMinor / program.pointValueMinor);
  const valid = reservation && reservation.memberId === member.id && reservation.status === "active";

  if (valid) {
    const points = Math.min(pointsForDiscount, reservation.points);
    await tx.reservation.update({ where: { id: reservation.id }, data: { status: "settled", endedAt: now, orderId } });
    const entry = await spend(tx, member, points, reservation.points, {
      reason: points > 0 ? `Spent on order ${label}` : `Reservation for order ${label} not used by the discount`,
      sourceType: "order",
      sourceId: reservation.id,
      orderId,
      idempotencyKey: `order:${orderId}:redeem`,
      occurredAt: now,
    });
    return { points, flag: null, redeemEntryId: entry.id };
  }

  if (pointsForDiscount === 0) {
    return {
      points: 0,
      flag: reservation ? null : redemption.nonce ? "unknown reservation on an order without points discount" : null,
      redeemEntryId: null,
    };
  }
  const flag = !reservation
    ? "points discount applied without a known reservation"
    : reservation.memberId !== member.id
      ? "points discount applied with another customer's reservation"
      : `points discount applied with a ${reservation.status} reservation`;
  const current = await lockMemberById(tx, member.id);
  const entry = await spend(tx, current, pointsForDiscount, 0, {
    reason: `Spent on order ${label} (${flag})`,
    sourceType: "order",
    sourceId: reservation?.id,
    orderId,
    idempotencyKey: `order:${orderId}:redeem`,
    occurredAt: now,
  });
  return { points: pointsForDiscount, flag, redeemEntryId: entry.id };
}
