import { createInstance, type i18n, type TFunction } from "i18next";
import en from "../locales/en.json";
import ja from "../locales/ja.json";
import type { AdminLocale } from "./admin-locale";

/**
 * The admin's words live in app/locales/{en,ja}.json, one namespace, keys by meaning ("passbook.adjust.reason").
 * Counted words use i18next's plural suffixes (`_one`/`_other` in English, `_other` alone in Japanese) and take
 * `count`; numbers in the text are formatted with `{{value, number}}` (Intl.NumberFormat in the page's language).
 */
export const NAMESPACE = "admin";
export const LANGUAGES: readonly AdminLocale[] = ["en", "ja"];
export const resources = { en: { [NAMESPACE]: en }, ja: { [NAMESPACE]: ja } } as const;

declare module "i18next" {
  interface CustomTypeOptions {
    defaultNS: typeof NAMESPACE;
    // Keys are checked against the English catalog; app/i18n/catalog.test.ts keeps Japanese in step.
    resources: { admin: typeof en };
  }
}

export type AdminT = TFunction<typeof NAMESPACE>;

/**
 * A ready i18next instance in one language, with every catalog loaded synchronously: the server makes one per
 * request and the browser one when it hydrates, from the same resources, so both render the same text.
 */
export function createAdminI18n(locale: AdminLocale): i18n {
  const instance = createInstance();
  void instance.init({
    resources,
    lng: locale,
    supportedLngs: LANGUAGES,
    fallbackLng: "en",
    ns: [NAMESPACE],
    defaultNS: NAMESPACE,
    // React escapes what it renders; escaping here too would show "&amp;" for a file named "A&B.csv".
    interpolation: { escapeValue: false },
    initAsync: false,
  });
  return instance;
}

/** The admin's words in one language, for text a loader or action answers with (an error message). */
export function adminT(locale: AdminLocale): AdminT {
  return createAdminI18n(locale).getFixedT(locale, NAMESPACE);
}
