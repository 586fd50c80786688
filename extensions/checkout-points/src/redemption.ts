// The shopper-side arithmetic of spending points; the app checks the same rules again.

// The app's answer, typed from the app itself so the two cannot drift apart (a type-only import: nothing
// of the app is bundled).
import type { CheckoutPoints, ReservationView } from "../../../app/redemption/reservations.server";

export type PointsState = CheckoutPoints;
export type { ReservationView };

/** A currency's real exponent (¥ none, $ two), from the browser's Intl. */
export function currencyExponent(currency: string): number {
  return new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/** A checkout amount (a number of major units) in minor units. */
export function toMinor(amount: number, currency: string): number {
  return Math.round(amount * 10 ** currencyExponent(currency));
}

/** The money value of points, as a number of major units for formatting. */
export function pointsWorth(points: number, state: PointsState): number {
  return (points * state.pointValueMinor) / 10 ** currencyExponent(state.currency);
}

/** The most points this cart can take: balance, the program's share of the subtotal, whole steps. */
export function maxPoints(state: PointsState, subtotalMinor: number): number {
  if (!state.enabled || subtotalMinor <= 0) return 0;
  const byShare = Math.floor((subtotalMinor * state.maxShareBasisPoints) / (10_000 * state.pointValueMinor));
  const limit = Math.min(state.balance, byShare);
  const stepped = limit - (limit % state.step);
  return stepped >= state.minPoints ? stepped : 0;
}

/** Brings a typed number into range: a whole step, at least the minimum, at most the maximum. */
export function clampPoints(wanted: number, state: PointsState, max: number): number {
  if (max <= 0 || !Number.isFinite(wanted)) return 0;
  const stepped = Math.floor(wanted / state.step) * state.step;
  return Math.min(max, Math.max(state.minPoints, stepped));
}

export type Unavailable = "loggedOut" | "disabled" | "belowMinimum" | "cartTooSmall" | "currency";

/** Why this shopper cannot use points on this cart, or null. */
export function unavailableReason(state: PointsState, cartCurrency: string, subtotalMinor: number): Unavailable | null {
  if (!state.loggedIn) return "loggedOut";
  if (!state.enabled) return "disabled";
  if (cartCurrency !== state.currency) return "currency";
  if (state.balance < state.minPoints) return "belowMinimum";
  if (maxPoints(state, subtotalMinor) === 0) return "cartTooSmall";
  return null;
}
