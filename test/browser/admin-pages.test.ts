import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { desktopContext, hasChromium, launchChromium } from "../support/browser";
import { startLocalServer, type LocalServer } from "../support/local-server";

const PAGES = [
  "/app",
  "/app/customers",
  "/app/insights",
  "/app/insights/report",
  "/app/review",
  "/app/detection",
  "/app/program",
  "/app/bonuses",
  "/app/notifications",
  "/app/activity",
  "/app/import",
  "/app/export",
  "/app/privacy",
  "/app/webhooks",
  "/app/integrations/webhooks",
  "/app/audit",
  "/app/sync",
  "/app/history",
  "/app/permissions",
  "/app/api-keys",
];

// Every admin page in a real browser on `npm run local`: none throws in the browser, and none makes Vite discover a
// dependency late (on CI's cold cache that re-optimizes and reloads the page under a test's feet).
describe.skipIf(!hasChromium())("every admin page in a real browser (local mode)", () => {
  let server: LocalServer;
  beforeAll(async () => {
    server = await startLocalServer();
  }, 120_000);
  afterAll(() => server?.stop());

  it("loads and hydrates with no error in the page and no reload by the dev server", async () => {
    const browser = await launchChromium();
    try {
      const page = await (await desktopContext(browser)).newPage();
      const errors: string[] = [];
      page.on("pageerror", (error) => errors.push(`${page.url()}: ${error.message}`));
      for (const path of PAGES) {
        await page.goto(`${server.baseUrl}/local/admin?path=${path}`);
        await page.locator(".Polaris-Page").first().waitFor({ timeout: 150_000 });
        const hydrated = await page.evaluate(() => Boolean((window as { __remixRouter?: unknown }).__remixRouter));
        expect({ path, hydrated }).toEqual({ path, hydrated: true });
      }
      expect(errors).toEqual([]);
      const reloads = server
        .output()
        .split("\n")
        .filter((line) => /optimized dependencies changed|new dependencies optimized/.test(line));
      expect(reloads).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 600_000);
});
