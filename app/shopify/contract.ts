// What the app, the discount Function and the checkout extension agree on. Plain constants: importable
// anywhere without loading the Shopify app.

/** Namespace reserved to this app: only Tsumiki can write it, and the Function can read it. */
export const APP_NAMESPACE = "$app:tsumiki";
/** Customer metafield holding the active reservation (see extensions/points-discount). */
export const RESERVATION_KEY = "reservation";
/** Discount metafield holding the Function's configuration. */
export const FUNCTION_CONFIGURATION_KEY = "function-configuration";
export const POINTS_FUNCTION_HANDLE = "points-discount";
export const POINTS_DISCOUNT_TITLE = "Tsumiki points";
/** The cart attribute the checkout extension sets to the reservation's nonce. */
export const RESERVATION_ATTRIBUTE = "_tsumiki_reservation";
