import { readFileSync } from "node:fs";

export type Language = "en" | "ja";
type Catalog = { [key: string]: string | Catalog };

const catalogs: Record<Language, Catalog> = {
  en: JSON.parse(readFileSync("extensions/customer-account/locales/en.default.json", "utf8")),
  ja: JSON.parse(readFileSync("extensions/customer-account/locales/ja.json", "utf8")),
};

interface I18nLike {
  translate: unknown;
  formatNumber: unknown;
  formatCurrency: unknown;
  formatDate: unknown;
}

/**
 * Makes the mocked `shopify.i18n` speak a language as Shopify does: the extension's own catalog with `{{name}}`
 * interpolation (a missing key throws, so a typo cannot pass), numbers, money and dates from Intl. Returns the same
 * `t` for the test's expectations.
 */
export function speak(i18n: I18nLike, language: Language) {
  const locale = language === "ja" ? "ja-JP" : "en-US";
  const t = (key: string, options: Record<string, string | number> = {}): string => {
    const template = key
      .split(".")
      .reduce<string | Catalog | undefined>(
        (node, part) => (typeof node === "object" ? node[part] : undefined),
        catalogs[language],
      );
    if (typeof template !== "string") throw new Error(`no ${language} words for ${key}`);
    return template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
      if (!(name in options)) throw new Error(`${key} needs {{${name}}}`);
      return String(options[name]);
    });
  };
  const number = (n: number) => new Intl.NumberFormat(locale).format(n);
  const currency = (n: number, options: { currency?: string } = {}) =>
    new Intl.NumberFormat(locale, { style: "currency", currency: options.currency ?? "JPY" }).format(n);
  const date = (d: Date, options?: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat(locale, options).format(d);
  Object.assign(i18n, { translate: t, formatNumber: number, formatCurrency: currency, formatDate: date });
  return { t, number, currency, date };
}

/** Every key of one catalog is in the other. */
export function keysOf(catalog: Catalog, prefix = ""): string[] {
  return Object.entries(catalog).flatMap(([key, value]) =>
    typeof value === "string" ? [`${prefix}${key}`] : keysOf(value, `${prefix}${key}.`),
  );
}
export { catalogs };
