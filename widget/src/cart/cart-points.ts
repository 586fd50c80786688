import type { CartPointsState } from "../../../app/storefront/cart-points-api";

/**
 * The most points this cart may use: the balance and the program's share of the subtotal, in whole steps; 0 below
 * the minimum. The same rule as app/redemption/redemption.ts (which the server applies again), so the field offers
 * only what the app will accept.
 */
export function maxCartPoints(state: CartPointsState, subtotalMinor: number): number {
  if (!state.enabled || state.balance <= 0 || subtotalMinor <= 0 || state.pointValueMinor <= 0) return 0;
  const byShare = Math.floor((subtotalMinor * state.maxShareBasisPoints) / (10_000 * state.pointValueMinor));
  const limit = Math.min(state.balance, byShare);
  const stepped = limit - (limit % state.step);
  return stepped >= state.minPoints ? stepped : 0;
}

/**
 * The cart's subtotal in minor units of its currency. The Cart AJAX API gives every amount in hundredths of the
 * currency's main unit whatever its exponent (¥1,000 is 100000), so a yen cart is divided by 100.
 */
export function cartSubtotalMinor(cart: { items_subtotal_price?: number; total_price?: number }, exponent: number) {
  const hundredths = cart.items_subtotal_price ?? cart.total_price ?? 0;
  return Math.round((hundredths * 10 ** exponent) / 100);
}
