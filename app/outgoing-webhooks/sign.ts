import { createHmac, timingSafeEqual } from "node:crypto";

/** The header a delivery's signature is sent in: `v1=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>`. */
export const SIGNATURE_HEADER = "Tsumiki-Webhook-Signature";

/** The signature of a body sent at `timestamp` (unix seconds), as the receiver recomputes it (README.md). */
export function signature(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

/**
 * A receiver's check: the signature matches and the timestamp is within `toleranceSeconds` of `nowSeconds` (a
 * replayed old delivery is refused). Compared in constant time.
 */
export function verifySignature(
  secret: string,
  header: { timestamp: string | null; signature: string | null },
  body: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): boolean {
  const timestamp = Number(header.timestamp);
  if (!Number.isInteger(timestamp) || !header.signature) return false;
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(signature(secret, timestamp, body));
  const given = Buffer.from(header.signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
