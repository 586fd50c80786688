import { normalizeEmail } from "../members/email-identity";

/**
 * Pattern keys for spotting one operator behind several new accounts. Looser than `normalizeEmail` (which decides
 * who is one person for the bonus): these only group accounts for a human to look at.
 */

/**
 * The email's stem: the provider-normalised address with any "+tag", dots, dashes and underscores dropped from the
 * local part and trailing digits removed, so hanako.sato01@… and hanako.sato02@… share "hanakosato@…". Null when
 * the stem is too short (4 characters) to be anyone's pattern rather than a common word.
 */
export function emailStem(email: string | null | undefined): string | null {
  const normal = normalizeEmail(email);
  if (!normal) return null;
  const at = normal.lastIndexOf("@");
  const stem = normal.slice(0, at).replace(/\+.*$/, "").replace(/[._-]/g, "").replace(/\d+$/, "");
  return stem.length >= 4 ? `${stem}${normal.slice(at)}` : null;
}

/**
 * A Japanese phone number as its national digits: full-width digits folded, separators dropped, +81 / 0081 / 81
 * replaced by the trunk 0 (090-1234-5678, +81 90 1234 5678 and ０９０１２３４５６７８ are one number). Null below 10 digits.
 */
export function normalizePhone(phone: string | null | undefined): string | null {
  const raw = (phone ?? "").normalize("NFKC").trim();
  let digits = raw.replace(/\D/g, "");
  if (digits.startsWith("0081")) digits = `0${digits.slice(4).replace(/^0/, "")}`;
  // A national number starts with the trunk 0, so a leading 81 is the country code, with or without the "+".
  else if (digits.startsWith("81") && (raw.startsWith("+") || digits.length === 11 || digits.length === 12)) {
    digits = `0${digits.slice(2).replace(/^0/, "")}`; // "+81 (0)90…" writes the trunk 0 too
  }
  return digits.length >= 10 ? digits : null;
}

/**
 * A shipping address as one string: NFKC (full-width to half-width), lower case, every dash-like character and
 * 丁目/番地/番/号 as "-", spaces and punctuation dropped. 東京都渋谷区神南１丁目２番３号 and 東京都渋谷区神南 1-2-3 are one.
 */
export function normalizeAddress(address: string | null | undefined): string | null {
  const a = (address ?? "")
    .normalize("NFKC")
    .toLowerCase()
    .replace(/丁目|番地|番|号/g, "-")
    .replace(/[‐‑‒–—―−ー－-]/g, "-")
    .replace(/[\s,.、。・#〒]/g, "")
    .replace(/-+/g, "-")
    .replace(/^-|-$/g, "");
  return a.length >= 6 ? a : null;
}
