// The shopper-side arithmetic of spending points; the app checks the same rules again.

export interface ReservationView {
  points: number;
  amountMinor: number;
  nonce: string;
  expiresAt: string;
}

export interface PointsState {
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

const NO_MINOR_UNIT = new Set([
  "BIF",
  "CLP",
  "DJF",
  "GNF",
  "ISK",
  "JPY",
  "KMF",
  "KRW",
  "PYG",
  "RWF",
  "UGX",
  "UYI",
  "VND",
  "VUV",
  "XAF",
  "XOF",
  "XPF",
]);
const THREE_DECIMALS = new Set(["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"]);

export function currencyExponent(currency: string): number {
  return NO_MINOR_UNIT.has(currency) ? 0 : THREE_DECIMALS.has(currency) ? 3 : 2;
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
