/**
 * Money is an integer count of the currency's minor unit (cents for USD, yen for JPY, fils for KWD).
 * The exponent comes from ISO 4217 through Intl, so ¥5,400 is 5400 and $54.00 is 5400.
 */
export interface Money {
  minor: number;
  currency: string;
}

const exponents = new Map<string, number>();

export class MoneyError extends Error {}

let known: Set<string> | undefined;

export function isCurrencyCode(code: string): boolean {
  known ??= new Set(Intl.supportedValuesOf("currency"));
  return known.has(code);
}

export function currencyExponent(currency: string): number {
  const cached = exponents.get(currency);
  if (cached !== undefined) return cached;
  if (!isCurrencyCode(currency)) throw new MoneyError(`"${currency}" is not an ISO 4217 currency code`);
  const exponent = new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits;
  if (exponent === undefined) throw new MoneyError(`no minor unit known for ${currency}`);
  exponents.set(currency, exponent);
  return exponent;
}

/**
 * Parses a decimal amount ("5400", "5400.00", "12.34", 12.34) into minor units.
 * Rounding policy: digits beyond the currency's exponent are rounded half away from zero
 * ("10.5" JPY is 11 yen); Shopify's own amounts never carry such digits.
 */
export function parseMoney(amount: string | number, currency: string): number {
  const exponent = currencyExponent(currency);
  const text = typeof amount === "number" ? numberToPlain(amount) : amount.trim();
  const match = /^(-)?(\d+)(?:\.(\d*))?$/.exec(text);
  if (!match) throw new MoneyError(`"${String(amount)}" is not a decimal amount`);
  const [, sign, whole, fraction = ""] = match;
  const kept = fraction.slice(0, exponent).padEnd(exponent, "0");
  const roundUp = (fraction[exponent] ?? "0") >= "5";
  const minor = Number(whole + kept) + (roundUp ? 1 : 0);
  if (!Number.isSafeInteger(minor)) throw new MoneyError(`"${String(amount)}" is too large`);
  return sign && minor !== 0 ? -minor : minor;
}

function numberToPlain(value: number): string {
  if (!Number.isFinite(value)) throw new MoneyError(`${value} is not an amount`);
  // Avoid exponent notation: 1e21 and 1e-7 are not amounts a shop sends.
  return value.toFixed(10).replace(/\.?0+$/, "");
}

/** One major unit (¥1, $1, KD1) in minor units. */
export function majorUnit(currency: string): number {
  return 10 ** currencyExponent(currency);
}

export function formatMoney(money: Money, locale = "en"): string {
  const exponent = currencyExponent(money.currency);
  return new Intl.NumberFormat(locale, { style: "currency", currency: money.currency }).format(
    money.minor / 10 ** exponent,
  );
}

/** Minor units as the plain decimal string Shopify's Decimal scalar takes: 5400 JPY is "5400", 1234 USD is "12.34". */
export function toDecimal(money: Money): string {
  const exponent = currencyExponent(money.currency);
  if (!Number.isSafeInteger(money.minor)) throw new MoneyError(`${money.minor} is not a whole number of minor units`);
  const digits = Math.abs(money.minor)
    .toString()
    .padStart(exponent + 1, "0");
  const whole = digits.slice(0, digits.length - exponent);
  const fraction = exponent > 0 ? `.${digits.slice(-exponent)}` : "";
  return `${money.minor < 0 ? "-" : ""}${whole}${fraction}`;
}
