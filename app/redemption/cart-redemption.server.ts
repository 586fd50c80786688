import { RESERVATION_ATTRIBUTE } from "../shopify/contract";
import type { CartPointsResult, CartPointsState } from "../storefront/cart-points-api";
import { pointsForCheckout, releaseForCheckout, reserveForCheckout } from "./checkout.server";

/**
 * Paying with points from the cart page, on every Shopify plan: the checkout UI extension that holds points at
 * checkout renders only on Plus, but the discount Function runs everywhere and reads the same two things (the
 * reservation metafield and the nonce in the cart attribute). So the cart path is the checkout path behind another
 * door: the same reservation (one active per member, under the member's lock, never over the balance), the same
 * limits, the same metafield write, and `orders/paid` settles it by the nonce exactly as for checkout.
 */

export async function pointsForCart(shopDomain: string, customerId: string | null): Promise<CartPointsState> {
  return { ...(await pointsForCheckout(shopDomain, customerId)), attribute: RESERVATION_ATTRIBUTE };
}

/**
 * Holds `points` against a cart of `subtotalMinor`. The subtotal comes from the storefront's `/cart.js` and is the
 * shopper's to change: it only chooses which limit message they see, because the Function clamps the discount to
 * the program's share of the real subtotal at checkout.
 */
export async function reserveForCart(
  shopDomain: string,
  customerId: string,
  points: number,
  subtotalMinor: number,
): Promise<CartPointsResult> {
  const { reservation, balance } = await reserveForCheckout(shopDomain, customerId, points, subtotalMinor);
  return { reservation, balance, attribute: RESERVATION_ATTRIBUTE };
}

export async function releaseForCart(shopDomain: string, customerId: string): Promise<CartPointsResult> {
  const { balance } = await releaseForCheckout(shopDomain, customerId);
  return { reservation: null, balance, attribute: RESERVATION_ATTRIBUTE };
}
