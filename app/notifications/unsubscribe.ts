import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * The unsubscribe link's token: the member, signed with the app's secret, so a link works without a login and
 * cannot be forged for another member. It never expires: an old email's link must still work (RFC 8058).
 */
function signature(secret: string, memberId: string): Buffer {
  return createHmac("sha256", secret).update(`unsubscribe:${memberId}`).digest().subarray(0, 16);
}

export function unsubscribeToken(secret: string, memberId: string): string {
  return `${Buffer.from(memberId).toString("base64url")}.${signature(secret, memberId).toString("base64url")}`;
}

/** The member a token names, or null for anything malformed or not signed by this app. */
export function verifyUnsubscribeToken(secret: string, token: string | null | undefined): string | null {
  const [encoded, signed, extra] = (token ?? "").split(".");
  if (!encoded || !signed || extra !== undefined) return null;
  const memberId = Buffer.from(encoded, "base64url").toString("utf8");
  const given = Buffer.from(signed, "base64url");
  const expected = signature(secret, memberId);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  return memberId;
}

export function unsubscribeUrl(appUrl: string, secret: string, memberId: string): string {
  return `${appUrl}/notifications/unsubscribe?token=${unsubscribeToken(secret, memberId)}`;
}
