// Exact money arithmetic for the Function. It runs in Shopify's JavaScript runtime, which has no Intl, so
// the ISO 4217 exponents it needs are listed here; everything is BigInt, nothing is a float.

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

export function isCurrencyCode(code: unknown): code is string {
  return typeof code === "string" && /^[A-Z]{3}$/.test(code);
}

export function currencyExponent(currency: string): number {
  if (NO_MINOR_UNIT.has(currency)) return 0;
  if (THREE_DECIMALS.has(currency)) return 3;
  return 2;
}

/** A decimal string ("10000.0", "1.2345") as an exact fraction. */
export interface Exact {
  units: bigint;
  scale: bigint;
}

export function parseDecimal(text: string): Exact | null {
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!match) return null;
  const [, sign, whole, fraction = ""] = match;
  const units = BigInt(whole + fraction) * (sign ? -1n : 1n);
  return { units, scale: 10n ** BigInt(fraction.length) };
}

/** A decimal amount in a currency's minor units, rounded down. */
export function toMinorDown(amount: Exact, currency: string): bigint {
  return (amount.units * 10n ** BigInt(currencyExponent(currency))) / amount.scale;
}

/**
 * Converts shop-currency minor units to presentment-currency minor units at Shopify's rate, rounded down,
 * so the discount never exceeds what the points are worth.
 */
export function convertDown(shopMinor: bigint, shopCurrency: string, rate: Exact, presentmentCurrency: string): bigint {
  const numerator = shopMinor * rate.units * 10n ** BigInt(currencyExponent(presentmentCurrency));
  const denominator = rate.scale * 10n ** BigInt(currencyExponent(shopCurrency));
  return numerator / denominator;
}

/** Minor units back to the Decimal string Shopify expects ("500", "5.00", "1.250"). */
export function formatDecimal(minor: bigint, currency: string): string {
  const exponent = currencyExponent(currency);
  if (exponent === 0) return minor.toString();
  const digits = minor.toString().padStart(exponent + 1, "0");
  return `${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}

/** 1234567 → "1,234,567", without Intl. */
export function groupThousands(value: number): string {
  return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}
