import { RemixBrowser } from "@remix-run/react";
import { startTransition, StrictMode } from "react";
import { hydrateRoot } from "react-dom/client";
import { I18nextProvider } from "react-i18next";
import { adminLocale } from "./i18n/admin-locale";
import { createAdminI18n } from "./i18n/catalog";

// The same catalogs and language as the server's instance for this URL (entry.server.tsx), ready before hydrating.
const i18n = createAdminI18n(adminLocale(new URL(window.location.href)));

startTransition(() => {
  hydrateRoot(
    document,
    <StrictMode>
      <I18nextProvider i18n={i18n}>
        <RemixBrowser />
      </I18nextProvider>
    </StrictMode>,
  );
});
