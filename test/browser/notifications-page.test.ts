import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { desktopContext, hasChromium, launchChromium, saveScreenshot } from "../support/browser";
import { startLocalServer, type LocalServer } from "../support/local-server";

// The merchant's loop on the Notifications page, in Chromium against `npm run local`: a template with a typo is
// refused with its line, the corrected one previews live, a test send lands in the local mailbox.
describe.skipIf(!hasChromium())("the Notifications page in a real browser (local mode)", () => {
  let server: LocalServer;

  beforeAll(async () => {
    server = await startLocalServer();
  }, 120_000);

  afterAll(() => server?.stop());

  it("refuses a template naming an unknown variable, previews the fixed one, and sends a test to the mailbox", async () => {
    const browser = await launchChromium();
    try {
      const page = await (await desktopContext(browser)).newPage();
      const base = `http://127.0.0.1:${server.port}`;
      await page.goto(`${base}/local/admin?path=/app/notifications`);
      await page.getByText("Templates", { exact: true }).first().waitFor({ timeout: 150_000 });
      const subject = page.getByLabel("Subject", { exact: true });
      const refusal = page.getByText("Not saved: the template in use stays as it was.");
      // Until the page has hydrated, typing and clicking change nothing: keep at it until the refusal shows.
      let attempts = 0;
      await expect
        .poll(
          async () => {
            if (++attempts % 20 === 0) await page.reload().catch(() => undefined);
            await subject.fill("Points for {{ member.nmae }}", { timeout: 5_000 }).catch(() => undefined);
            await page
              .getByRole("button", { name: "Save template" })
              .click({ timeout: 5_000 })
              .catch(() => undefined);
            await refusal.waitFor({ timeout: 5_000 }).catch(() => undefined);
            return refusal.isVisible();
          },
          { timeout: 240_000, interval: 1000 },
        )
        .toBe(true);
      // The refusal names the line and the reason (the live preview says the same beside it).
      expect(
        await page.getByText(/line 1, column \d+: member\.nmae is not a variable of this message/).count(),
      ).toBeGreaterThan(0);

      // The dev server may still reload the page once (a late dependency optimisation), which resets the draft:
      // type the fix again until its preview shows.
      const fixedPreview = page.getByText(/^Subject: Points for (Hanako|花子)$/);
      await expect
        .poll(
          async () => {
            if (!(await fixedPreview.isVisible())) {
              await subject.fill("Points for {{ member.first_name }}", { timeout: 5_000 }).catch(() => undefined);
              await fixedPreview.waitFor({ timeout: 10_000 }).catch(() => undefined);
            }
            return fixedPreview.isVisible();
          },
          { timeout: 120_000, interval: 1000 },
        )
        .toBe(true);
      await page.getByLabel("Send a test to").fill("staff@tsumiki.test");
      await page.getByRole("button", { name: "Send test" }).click();
      await page.getByText("Test email sent to staff@tsumiki.test.").waitFor({ timeout: 30_000 });
      await saveScreenshot(page, "notifications-page");

      await page.goto(`${base}/local/mailbox`);
      await page
        .getByText(/Points for (Hanako|花子)/)
        .first()
        .waitFor({ timeout: 30_000 });
      expect(await page.getByText("staff@tsumiki.test").first().isVisible()).toBe(true);
    } finally {
      await browser.close();
    }
  }, 360_000);
});
