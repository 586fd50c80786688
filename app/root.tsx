import { Links, Meta, Outlet, Scripts, ScrollRestoration } from "@remix-run/react";
import { useTranslation } from "react-i18next";

export default function App() {
  // The request's language (entry.server.tsx / entry.client.tsx): Japanese pages get Japanese glyphs and fonts.
  const { i18n } = useTranslation();
  return (
    <html lang={i18n.language}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <link rel="preconnect" href="https://cdn.shopify.com/" />
        <Meta />
        <Links />
      </head>
      <body>
        <Outlet />
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}
