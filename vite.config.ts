import { vitePlugin as remix } from "@remix-run/dev";
import { installGlobals } from "@remix-run/node";
import { defineConfig } from "vite";
import tsconfigPaths from "vite-tsconfig-paths";

installGlobals({ nativeFetch: true });

const port = Number(process.env.PORT ?? 3000);

export default defineConfig({
  server: {
    host: process.env.HOST ?? "127.0.0.1",
    port,
    strictPort: true,
    fs: { allow: ["app", "node_modules"] },
  },
  plugins: [
    remix({
      ignoredRouteFiles: ["**/.*", "**/*.test.*"],
      future: {
        v3_fetcherPersist: true,
        v3_relativeSplatPath: true,
        v3_throwAbortReason: true,
        v3_lazyRouteDiscovery: true,
        v3_singleFetch: false,
        v3_routeConfig: false,
      },
    }),
    tsconfigPaths(),
  ],
  build: { assetsInlineLimit: 0 },
  // Browser dependencies are pre-bundled when the dev server starts, and server-only ones (reached only
  // through *.server modules, which never ship to the browser) are left out: otherwise the first page load
  // discovers them, re-optimizes and reloads, and the reloaded page can end up with two copies of React.
  optimizeDeps: {
    exclude: [
      // Imported by route modules for their loaders and actions only (or by resource routes, which never reach the
      // browser); discovered in the browser's graph they would re-optimize and reload a cold dev server's pages.
      "@remix-run/node",
      "busboy",
      "csv-parse",
      "csv-parse/sync",
      "zod",
      "@shopify/shopify-app-remix/adapters/node",
      "@shopify/shopify-app-session-storage-prisma",
      "@electric-sql/pglite",
      "@prisma/adapter-pg",
      "@prisma/client",
      "pglite-prisma-adapter",
      "pg",
      // The notifications' mailer and Liquid templates: the Notifications page's loader and action use them.
      "nodemailer",
      "liquidjs",
    ],
    include: [
      "@shopify/shopify-app-remix/server",
      "@shopify/app-bridge-react",
      "@shopify/polaris",
      "@shopify/polaris-icons",
      "@shopify/polaris-viz",
      "@shopify/shopify-app-remix/react",
      "@remix-run/react",
      "react",
      "react-dom",
      "react-dom/client",
      "i18next",
      "react-i18next",
      "react/jsx-runtime",
      "react/jsx-dev-runtime",
    ],
  },
});
