import { defineConfig } from "vitest/config";

// Route tests import the real route modules and drive them with requests signed as Shopify signs them.
export default defineConfig({
  test: {
    include: ["app/**/*.test.ts", "test/**/*.test.ts"],
    setupFiles: ["test/support/setup.ts"],
    pool: "forks",
    testTimeout: 60_000,
    hookTimeout: 60_000,
    env: {
      NODE_ENV: "test",
      SHOPIFY_API_KEY: "tsumiki-test-key",
      SHOPIFY_API_SECRET: "tsumiki-test-secret",
      SHOPIFY_APP_URL: "https://tsumiki.test",
      SCOPES: "read_customers,read_orders,write_discounts",
    },
  },
});
