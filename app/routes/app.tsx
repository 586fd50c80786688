import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Link, Outlet, useLoaderData, useLocation, useRouteError } from "@remix-run/react";
import { boundary } from "@shopify/shopify-app-remix/server";
import { AppProvider } from "@shopify/shopify-app-remix/react";
import { NavMenu } from "@shopify/app-bridge-react";
import { Frame, Navigation } from "@shopify/polaris";
import { AppsIcon } from "@shopify/polaris-icons";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import { useTranslation } from "react-i18next";
import { adminLocale, embeddedHref } from "../i18n/admin-locale";
import { AdminI18nProvider } from "../i18n/provider";
import { localMode } from "../local/local.server";
import { authenticate } from "../shopify.server";

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  await authenticate.admin(request);
  // Local mode has no Shopify admin around the app to draw App Bridge's navigation: the page draws its own.
  return { apiKey: process.env.SHOPIFY_API_KEY ?? "", locale: adminLocale(request), local: localMode() };
};

/** The app's pages under its home (/app), in the order the admin lists them. */
const PAGES = [
  "customers",
  "insights",
  "review",
  "detection",
  "program",
  "bonuses",
  "notifications",
  "activity",
  "import",
  "export",
  "privacy",
  "webhooks",
  "integrations/webhooks",
  "audit",
  "sync",
  "history",
  "permissions",
  "api-keys",
] as const;

function useNavLabels() {
  const { t } = useTranslation();
  const label: Record<(typeof PAGES)[number], string> = {
    customers: t("nav.customers"),
    insights: t("insights.nav"),
    review: t("review.nav"),
    detection: t("detection.nav"),
    program: t("nav.program"),
    bonuses: t("nav.bonuses"),
    notifications: t("notifications.nav"),
    activity: t("nav.activity"),
    import: t("nav.import"),
    export: t("nav.export"),
    privacy: t("nav.privacy"),
    webhooks: t("webhookHealth.nav"),
    "integrations/webhooks": t("webhooks_out.nav"),
    audit: t("nav.audit"),
    sync: t("sync.nav"),
    history: t("history.nav"),
    permissions: t("permissions.nav"),
    "api-keys": t("apiKeys.nav"),
  };
  return { home: t("app.name"), label };
}

/** In the Shopify admin: App Bridge puts these links in the admin's own navigation. */
function AdminNavMenu() {
  const { home, label } = useNavLabels();
  return (
    <NavMenu>
      <Link to="/app" rel="home">
        {home}
      </Link>
      {PAGES.map((page) => (
        <Link key={page} to={`/app/${page}`}>
          {label[page]}
        </Link>
      ))}
    </NavMenu>
  );
}

/**
 * Local mode: the admin's navigation drawn with Polaris, as Shopify draws an app's pages in its sidebar (the app
 * with its pages below it), the current one highlighted; links keep the embedded query so each page stays signed in.
 */
function LocalSidebar() {
  const { home, label } = useNavLabels();
  const { pathname, search } = useLocation();
  const params = new URLSearchParams(search);
  const current = pathname.replace(/\/+$/, "");
  const under = (path: string) => current === path || current.startsWith(`${path}/`);
  return (
    <Navigation location={pathname}>
      <Navigation.Section
        items={[
          {
            url: embeddedHref("/app", params),
            label: home,
            icon: AppsIcon,
            matches: current === "/app",
            subNavigationItems: PAGES.map((page) => ({
              url: embeddedHref(`/app/${page}`, params),
              label: label[page],
              matches: under(`/app/${page}`),
            })),
          },
        ]}
      />
    </Navigation>
  );
}

export default function App() {
  const { apiKey, locale, local } = useLoaderData<typeof loader>();
  return (
    <AppProvider isEmbeddedApp apiKey={apiKey}>
      <AdminI18nProvider locale={locale}>
        {local ? (
          <Frame navigation={<LocalSidebar />}>
            <Outlet />
          </Frame>
        ) : (
          <>
            <AdminNavMenu />
            <Outlet />
          </>
        )}
      </AdminI18nProvider>
    </AppProvider>
  );
}

// Shopify needs Remix to catch some thrown responses so their headers reach the browser.
export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
