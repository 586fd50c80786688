/** Number, money and date formatting in the shopper's locale and the shop's currency. */
export interface Format {
  num(n: number): string;
  /** Minor units of the shop currency, e.g. 320000 JPY minor → ¥320,000; 500 USD minor → $5.00. */
  money(minor: number): string;
  date(iso: string): string;
  /**
   * The day that ends at this instant. Points expire at the end of a shop-local day, which the API gives as the
   * instant the next day begins: shown as the day before it, the last day they can be spent.
   */
  lastDay(iso: string): string;
}

/** Decimal places of a currency's minor unit: JPY 0, USD 2, KWD 3. */
export function minorExponent(currency: string): number {
  return new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits!;
}

export function createFormat(locale: string, currency: string): Format {
  const scale = 10 ** minorExponent(currency);
  const money = new Intl.NumberFormat(locale, { style: "currency", currency });
  const num = new Intl.NumberFormat(locale);
  const date = new Intl.DateTimeFormat(locale, { dateStyle: "medium" });
  return {
    num: (n) => num.format(n),
    money: (minor) => money.format(minor / scale),
    date: (iso) => date.format(new Date(iso)),
    lastDay: (iso) => date.format(new Date(Date.parse(iso) - 1)),
  };
}
