import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Link, Outlet, useLoaderData, useRouteError } from "@remix-run/react";
import { boundary } from "@shopify/shopify-app-remix/server";
import { AppProvider } from "@shopify/shopify-app-remix/react";
import { NavMenu } from "@shopify/app-bridge-react";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import { adminLocale } from "../i18n/admin-locale";
import { authenticate } from "../shopify.server";

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  await authenticate.admin(request);
  return { apiKey: process.env.SHOPIFY_API_KEY ?? "", locale: adminLocale(request) };
};

const NAV = {
  en: {
    customers: "Customers",
    program: "Program",
    activity: "Activity",
    import: "Import",
    export: "Export",
    audit: "Audit log",
  },
  ja: {
    customers: "顧客",
    program: "プログラム",
    activity: "付与の内訳",
    import: "インポート",
    export: "エクスポート",
    audit: "監査ログ",
  },
};

export default function App() {
  const { apiKey, locale } = useLoaderData<typeof loader>();
  const t = NAV[locale];
  return (
    <AppProvider isEmbeddedApp apiKey={apiKey}>
      <NavMenu>
        <Link to="/app" rel="home">
          Tsumiki
        </Link>
        {Object.entries(t).map(([path, label]) => (
          <Link key={path} to={`/app/${path}`}>
            {label}
          </Link>
        ))}
      </NavMenu>
      <Outlet />
    </AppProvider>
  );
}

// Shopify needs Remix to catch some thrown responses so their headers reach the browser.
export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
