import { defineConfig } from "vitest/config";

const env = {
  NODE_ENV: "test" as const,
  SHOPIFY_API_KEY: "tsumiki-test-key",
  SHOPIFY_API_SECRET: "tsumiki-test-secret",
  SHOPIFY_APP_URL: "https://tsumiki.test",
  SCOPES: "read_customers,read_orders,write_customers,write_discounts",
};

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: [
      {
        // The loyalty core and other pure modules: plain data in, decisions out.
        test: { name: "unit", include: ["app/**/*.test.ts"], env },
      },
      {
        // The app: route tests drive the real route modules with requests signed as Shopify signs them,
        // each test file on a database of its own.
        test: {
          name: "app",
          include: ["test/**/*.test.ts"],
          exclude: ["test/browser/**", "test/production/**"],
          setupFiles: ["test/support/setup.ts"],
          pool: "forks",
          testTimeout: 60_000,
          hookTimeout: 60_000,
          env,
        },
      },
      {
        // `npm start` on the production build (`npm run build` first), driven over HTTP: a phase of its own.
        test: {
          name: "production",
          include: ["test/production/**/*.test.ts"],
          testTimeout: 60_000,
          hookTimeout: 180_000,
          env,
        },
      },
      {
        // Real Chromium against `npm run local`: a phase of its own (see the test script), alone on the machine.
        test: {
          name: "browser",
          include: ["test/browser/**/*.test.ts"],
          setupFiles: ["test/support/setup.ts"],
          pool: "forks",
          testTimeout: 360_000,
          hookTimeout: 120_000,
          env,
        },
      },
      {
        // Shopify extensions and the storefront widget: pure functions and components, no database.
        test: {
          name: "extensions",
          // The UI extensions tester imports the extension's module itself: let Vite transform that import.
          server: { deps: { inline: ["@shopify/ui-extensions-tester"] } },
          include: ["extensions/**/*.test.{ts,tsx}", "widget/**/*.test.{ts,tsx}"],
          testTimeout: 60_000,
          env,
        },
      },
    ],
  },
});
