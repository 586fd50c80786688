/**
 * One person, one signup bonus: the email address reduced to what its mail provider actually delivers to.
 *
 * The rule is deliberately conservative: two addresses are folded together only where the provider documents
 * that they reach the same mailbox. Folding too much would refuse a real second person their bonus; folding too
 * little only lets a determined shopper open one more account, which staff can still see and adjust.
 *
 * - Every address: trimmed and lower-cased. The local part is case-sensitive in theory (RFC 5321), but no
 *   consumer provider treats it so, and Shopify itself matches customer emails without case.
 * - gmail.com and googlemail.com (one Google account, either domain): dots in the local part are ignored and
 *   everything from the first "+" is a tag ("Gmail doesn't recognize dots", Google Account Help; "+" aliases,
 *   Gmail Help). Both domains fold to gmail.com.
 * - outlook.com, hotmail.com, live.com, msn.com (Microsoft "plus addressing"), icloud.com, me.com, mac.com
 *   (Apple "plus addressing" for iCloud Mail), fastmail.com, protonmail.com, proton.me, pm.me: "+tag" is dropped;
 *   dots are kept, because they are significant there.
 * - Every other domain (company domains, Yahoo, Japanese carriers such as docomo.ne.jp, where "+" and dots are
 *   ordinary characters of distinct addresses): only case is folded.
 */
const GOOGLE_DOMAINS = new Set(["gmail.com", "googlemail.com"]);
const PLUS_TAG_DOMAINS = new Set([
  "outlook.com",
  "hotmail.com",
  "live.com",
  "msn.com",
  "icloud.com",
  "me.com",
  "mac.com",
  "fastmail.com",
  "protonmail.com",
  "proton.me",
  "pm.me",
]);

/** The address as one person's identity, or null when it is not an address (empty, no "@", empty parts). */
export function normalizeEmail(email: string | null | undefined): string | null {
  const trimmed = (email ?? "").trim().toLowerCase();
  const at = trimmed.lastIndexOf("@");
  if (at <= 0 || at === trimmed.length - 1) return null;
  let local = trimmed.slice(0, at);
  let domain = trimmed.slice(at + 1).replace(/\.$/, "");
  if (GOOGLE_DOMAINS.has(domain)) {
    local = withoutTag(local).replace(/\./g, "");
    domain = "gmail.com";
  } else if (PLUS_TAG_DOMAINS.has(domain)) {
    local = withoutTag(local);
  }
  return local ? `${local}@${domain}` : null;
}

const withoutTag = (local: string): string => {
  const plus = local.indexOf("+");
  return plus === -1 ? local : local.slice(0, plus);
};
