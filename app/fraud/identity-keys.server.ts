import { createHmac } from "node:crypto";
import { readConfig } from "../config.server";
import { normalizeAddress, normalizePhone } from "./identity";

/**
 * What a member keeps of a customer's phone and default shipping address: not the values, but an HMAC-SHA256 of
 * their normalised form keyed with the app secret, so two members with one phone or one address have one key (the
 * signup-farming rule groups them) while the database holds nothing that reads back as a phone or an address.
 * Changing the app secret changes every key: members keyed before and after then no longer match.
 */

export interface ShippingAddress {
  zip?: string | null;
  province?: string | null;
  city?: string | null;
  address1?: string | null;
  address2?: string | null;
}

/** `undefined`: the event did not say (the member keeps its key); null: Shopify has none (the key is cleared). */
export interface IdentityKeys {
  phoneKey?: string | null;
  addressKey?: string | null;
}

/** A postal code as its digits and letters: 〒150-0041, １５００００４１ and "150 0041" are one. */
const postalCode = (zip: string | null | undefined) =>
  (zip ?? "")
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[^0-9a-z]/g, "");

/**
 * A default shipping address as one normalised line: postal code, prefecture, city and lines, as `normalizeAddress`
 * folds them. Null without the lines (a postal code and a city are a neighbourhood, not an address).
 */
export function addressLine(address: ShippingAddress | null | undefined): string | null {
  if (!address || (!address.address1?.trim() && !address.address2?.trim())) return null;
  // Joined by a dash, which normalizeAddress folds into the dash that 丁目/番/号 end a line with (神南1丁目2番3号 then
  // the building, or 神南 1-2-3 then the building, are one).
  const line = normalizeAddress(
    [address.province, address.city, address.address1, address.address2].filter(Boolean).join("-"),
  );
  if (!line) return null;
  const zip = postalCode(address.zip);
  return zip ? `${zip}|${line}` : line;
}

function keyed(kind: "phone" | "address", normal: string, secret: string): string {
  return createHmac("sha256", secret).update(`tsumiki:${kind}:${normal}`).digest("hex");
}

/** The phone's key: null when it is no phone (`normalizePhone`). */
export function phoneKey(phone: string | null | undefined, secret = readConfig().apiSecret): string | null {
  const normal = normalizePhone(phone);
  return normal ? keyed("phone", normal, secret) : null;
}

/** The default shipping address's key: null when there is no usable address (`addressLine`). */
export function addressKey(
  address: ShippingAddress | null | undefined,
  secret = readConfig().apiSecret,
): string | null {
  const line = addressLine(address);
  return line ? keyed("address", line, secret) : null;
}

/**
 * The keys of a customers/create or customers/update payload. A field the payload leaves out is `undefined` (kept):
 * a payload without the customer's protected data, or an older shape, erases nothing. `default_address` absent
 * with an `addresses` list present means the customer has no address.
 */
export function identityKeysOf(payload: {
  phone?: string | null;
  default_address?: ShippingAddress | null;
  addresses?: unknown[] | null;
}): IdentityKeys {
  const secret = readConfig().apiSecret;
  const address =
    payload.default_address !== undefined
      ? payload.default_address
      : Array.isArray(payload.addresses)
        ? null
        : undefined;
  return {
    phoneKey: payload.phone === undefined ? undefined : phoneKey(payload.phone, secret),
    addressKey: address === undefined ? undefined : addressKey(address, secret),
  };
}
