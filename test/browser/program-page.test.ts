import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { desktopContext, hasChromium, launchChromium, saveScreenshot } from "../support/browser";
import { startLocalServer, type LocalServer } from "../support/local-server";

// Runs in its own phase of `npm test`, after the other tests, so the dev server compiles with the machine to itself.
describe.skipIf(!hasChromium())("the program page in a real browser (local mode)", () => {
  let server: LocalServer;
  const port = () => server.port;

  beforeAll(async () => {
    server = await startLocalServer();
  }, 120_000);

  afterAll(() => server?.stop());

  // CI installs Debian's Chromium (.ci/run); a machine without it skips this file.
  it("in a real browser, the program page changes the earn rate, saves, and shows the new example", async () => {
    const browser = await launchChromium();
    try {
      const page = await (await desktopContext(browser)).newPage();
      await page.goto(`http://127.0.0.1:${port()}/local/admin?path=/app/program`);
      // The first load compiles the page and pre-bundles its browser dependencies, then may reload once.
      await page.getByText("An order of ¥5,400 earns 54 points.").waitFor({ timeout: 150_000 });
      // Until the page has hydrated (and Vite has finished any first-load reload) typing and clicking change
      // nothing: keep typing until the live example follows, then keep saving until the page says it saved.
      const points = page.getByLabel("Points earned");
      const saved = page.getByText(/Saved as version \d+\./);
      let attempts = 0;
      await expect
        .poll(
          async () => {
            // A first load that raced the dev server's dependency bundling never hydrates: load it again.
            if (++attempts % 20 === 0 && !(await saved.isVisible())) await page.reload().catch(() => undefined);
            if (!(await page.getByText("An order of ¥5,400 earns 108 points.").isVisible())) {
              await points.fill("2", { timeout: 5_000 }).catch(() => undefined);
              return false;
            }
            if (!(await saved.isVisible())) {
              await page
                .getByRole("button", { name: "Save" })
                .click({ timeout: 5_000 })
                .catch(() => undefined);
              await saved.waitFor({ timeout: 5_000 }).catch(() => undefined);
            }
            return saved.isVisible();
          },
          { timeout: 240_000, interval: 1000 },
        )
        .toBe(true);
      await saveScreenshot(page, "program-page");
      await page.reload();
      await page
        .getByText("Shoppers earn 2 points for every ¥100 spent", { exact: false })
        .first()
        .waitFor({ timeout: 120_000 });
    } finally {
      await browser.close();
    }
  }, 360_000);
});
