import { localDate } from "../shared/calendar";
import prisma from "../db.server";
import { AdminApiError, deleteReservationMetafield, writeReservationMetafield } from "../shopify/admin-api.server";
import {
  activeReservation,
  checkoutPoints,
  expireReservations,
  RedemptionRefused,
  releasePoints,
  reservePoints,
  viewOf,
  type CheckoutPoints,
  type ReservationView,
} from "./reservations.server";
import { findInstalledShop, requireInstalledShop, ShopNotInstalled, shopWithProgram } from "../shops/shops.server";

export { ShopNotInstalled };

export async function pointsForCheckout(
  shopDomain: string,
  customerId: string | null,
  now = new Date(),
): Promise<CheckoutPoints> {
  await requireInstalledShop(prisma, shopDomain);
  return prisma.$transaction(async (tx) => {
    const { settings } = await shopWithProgram(tx, shopDomain);
    const shop = (await findInstalledShop(tx, shopDomain))!;
    const member = customerId
      ? await tx.member.findUnique({ where: { shopId_customerId: { shopId: shop.id, customerId } } })
      : null;
    const active = member ? await activeReservation(tx, member.id, now) : null;
    return checkoutPoints(settings, member, customerId !== null, active);
  });
}

/**
 * Holds points for this checkout and writes the reservation where the discount Function reads it (an
 * app-owned customer metafield). If Shopify refuses the write, the hold is released: no points are held
 * for a discount that cannot apply.
 */
export async function reserveForCheckout(
  shopDomain: string,
  customerId: string,
  points: number,
  subtotalMinor: number,
  now = new Date(),
): Promise<{ reservation: ReservationView; balance: number }> {
  await requireInstalledShop(prisma, shopDomain);
  const { reservation, balance, timezone } = await prisma.$transaction(async (tx) => {
    const { shop, settings } = await shopWithProgram(tx, shopDomain);
    return {
      ...(await reservePoints(tx, shop, settings, customerId, points, subtotalMinor, now)),
      timezone: shop.timezone,
    };
  });
  try {
    await writeReservationMetafield(shopDomain, customerId, {
      v: 1,
      nonce: reservation.nonce,
      points: reservation.points,
      amountMinor: reservation.amountMinor,
      currency: reservation.currency,
      expiresOn: localDate(reservation.expiresAt, timezone),
    });
  } catch (error) {
    await prisma.$transaction(async (tx) =>
      releasePoints(tx, (await findInstalledShop(tx, shopDomain))!, customerId, new Date()),
    );
    throw error;
  }
  return { reservation: viewOf(reservation)!, balance };
}

/** Releases the shopper's hold and removes the reservation the Function reads. */
export async function releaseForCheckout(
  shopDomain: string,
  customerId: string,
  now = new Date(),
): Promise<{ balance: number }> {
  await requireInstalledShop(prisma, shopDomain);
  const released = await prisma.$transaction(async (tx) =>
    releasePoints(tx, (await findInstalledShop(tx, shopDomain))!, customerId, now),
  );
  if (released) await deleteReservationMetafield(shopDomain, customerId);
  const state = await pointsForCheckout(shopDomain, customerId, now);
  return { balance: state.balance };
}

/**
 * The reservation sweep: ends reservations whose time ran out and deletes their metafields. A metafield
 * Shopify fails to delete is harmless to the ledger: an order that still uses it is charged and flagged.
 */
export async function expireDueReservations(now = new Date()): Promise<number> {
  let total = 0;
  for (;;) {
    const ended = await expireReservations((work) => prisma.$transaction(work), now);
    for (const { shopDomain, customerId } of ended) {
      await deleteReservationMetafield(shopDomain, customerId).catch((error: unknown) => {
        if (!(error instanceof AdminApiError)) throw error;
        console.warn(`reservation sweep: ${error.message}`);
      });
    }
    total += ended.length;
    if (ended.length === 0) return total;
  }
}

export { RedemptionRefused };
