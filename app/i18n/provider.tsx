import { useContext, useMemo, type ReactNode } from "react";
import { I18nContext, I18nextProvider } from "react-i18next";
import type { AdminLocale } from "./admin-locale";
import { createAdminI18n } from "./catalog";

/**
 * The admin pages speak the language their loader read from the URL. The request's instance (entry.server.tsx,
 * entry.client.tsx) already speaks it, so the first render and hydration use that very instance; a client-side
 * navigation to a URL in another language gets an instance of its own, synchronously, so no text flashes.
 */
export function AdminI18nProvider({ locale, children }: { locale: AdminLocale; children: ReactNode }) {
  const request = useContext(I18nContext)?.i18n;
  const i18n = useMemo(
    () => (request && request.language === locale ? request : createAdminI18n(locale)),
    [request, locale],
  );
  return <I18nextProvider i18n={i18n}>{children}</I18nextProvider>;
}
