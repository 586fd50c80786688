/**
 * The largest request body each kind of POST may send. The server refuses a larger declared
 * Content-Length before reading a byte, and the routes stop reading a chunked body once it passes
 * the same limit, so no request can make the app buffer more than this.
 */
export const BODY_LIMITS = {
  // Shopify's largest payloads are orders: a 250-line order with every field is a few hundred KB, so 5 MB leaves
  // room for the largest real order while a 25 MB body is refused unread.
  webhook: 5 * 1024 * 1024,
  // The widget and checkout extension send a handful of small fields; so does a mail client's one-click unsubscribe.
  storefront: 16 * 1024,
  // The balance import (a migration from another loyalty app): streamed to the database row by row, never held,
  // so the ceiling is about how long one upload may take, not memory. A million-row export with expiry lots, tiers
  // and history is a few hundred MB; 512 MB is the documented ceiling (MAX_IMPORT_BYTES), plus multipart framing.
  import: 512 * 1024 * 1024 + 64 * 1024,
  // Every other admin form.
  admin: 1024 * 1024,
} as const;

/** What every route and the server answer, with a 413, for a body over the limit. */
export function bodyTooLargeBody(limit: number) {
  return { error: `request body is larger than ${limit} bytes`, code: "body_too_large" } as const;
}

/** The body limit for a request path, as the server and the routes both apply it. */
export function bodyLimitFor(pathname: string): number {
  if (pathname.startsWith("/webhooks/")) return BODY_LIMITS.webhook;
  if (["/proxy/", "/checkout/", "/customer-account/", "/notifications/"].some((prefix) => pathname.startsWith(prefix)))
    return BODY_LIMITS.storefront;
  if (pathname === "/app/import") return BODY_LIMITS.import;
  return BODY_LIMITS.admin;
}
