/**
 * The cart page's points API through the app proxy (`/apps/tsumiki/cart-points`, served by
 * `app/routes/proxy.cart-points.tsx`). Types only, shared with the cart script in `widget/src/cart/`.
 * Money is in the shop currency's minor units.
 */

export type CartPointsRefusal =
  | "disabled"
  | "invalid"
  | "below_minimum"
  | "insufficient_balance"
  | "over_maximum"
  | "not_logged_in"
  | "blocked"
  | "invalid_request"
  | "not_installed"
  | "shopify_unavailable"
  | "unavailable";

/** The points held for this cart; the storefront puts `nonce` on the cart as the attribute `attribute`. */
export interface CartReservation {
  points: number;
  amountMinor: number;
  nonce: string;
  expiresAt: string;
}

/** GET /apps/tsumiki/cart-points: what the shopper may spend and what is held now. */
export interface CartPointsState {
  enabled: boolean;
  loggedIn: boolean;
  /** Spendable here: the free balance plus what the current reservation holds. */
  balance: number;
  currency: string;
  pointValueMinor: number;
  minPoints: number;
  step: number;
  maxShareBasisPoints: number;
  reservation: CartReservation | null;
  /** The cart attribute the discount Function reads the nonce from. */
  attribute: string;
}

/** POST /apps/tsumiki/cart-points with JSON `{ points, subtotalMinor }`. */
export interface CartPointsRequest {
  points: number;
  subtotalMinor: number;
}

/** POST /apps/tsumiki/cart-points with `{ release: true }` (or DELETE): lets the held points go. */
export interface CartPointsRelease {
  release: true;
}

/** The answer to POST (a reservation, or none after a release) and DELETE (none). */
export interface CartPointsResult {
  reservation: CartReservation | null;
  balance: number;
  attribute: string;
}

export interface CartPointsError {
  error: string;
  code: CartPointsRefusal;
}
