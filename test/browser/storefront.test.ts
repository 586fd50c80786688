import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { desktopContext, hasChromium, launchChromium, saveScreenshot } from "../support/browser";
import { startLocalServer, type LocalServer } from "../support/local-server";
import { orderPayload } from "../support/payloads";
import { webhookRequest } from "../support/shopify";

/** Sums layout shifts not caused by input, as Core Web Vitals' CLS counts them. */
const CLS_OBSERVER = `
  window.__cls = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__cls += entry.value;
  }).observe({ type: "layout-shift", buffered: true });
`;

// The storefront preview of `npm run local`: the built widget embedded as the theme app embed does.
describe.skipIf(!hasChromium())("the storefront widget in a real browser (local preview)", () => {
  let server: LocalServer;

  beforeAll(async () => {
    server = await startLocalServer();
    const options = { shop: "tsumiki-demo.myshopify.com", secret: server.secret, baseUrl: server.baseUrl };
    const paid = await fetch(
      webhookRequest("orders/paid", orderPayload({ customerId: 1002, total: "64000" }), options),
    );
    expect(paid.status).toBe(200); // 640 points for the demo customer #1002
  }, 120_000);

  afterAll(() => server?.stop());

  it("a logged-in shopper opens the launcher, reads the balance, redeems a reward and sees the code", async () => {
    const browser = await launchChromium();
    try {
      const context = await desktopContext(browser);
      const page = await context.newPage();
      await page.goto(`${server.baseUrl}/local/storefront?locale=en`);
      await page.getByLabel("Logged in as").selectOption("1002"); // the picker logs the preview in and reloads
      await page.waitForURL(/locale=en/);
      await page.waitForLoadState("networkidle");

      // Measured on a fresh load: what the widget costs a shopper. The blocks load the loader and the stylesheet;
      // the panel script comes from beside the loader only when the launcher is opened. Read from the page's own
      // resource timing, so only this document's requests count: `decodedBodySize` is the file as shipped (what
      // Shopify's theme check measures), `encodedBodySize` what was transferred (gzipped).
      await page.addInitScript(CLS_OBSERVER);
      await page.reload({ waitUntil: "networkidle" });
      const resources = () =>
        page.evaluate(() =>
          (performance.getEntriesByType("resource") as PerformanceResourceTiming[]).map((e) => ({
            path: new URL(e.name).pathname,
            shipped: e.decodedBodySize,
            transferred: e.encodedBodySize,
          })),
        );
      const file = async (name: string) => (await resources()).find((r) => r.path == `/local/assets/${name}`);
      const dataRequests = async () => (await resources()).filter((r) => r.path.startsWith("/local/apps/tsumiki/"));

      const launcher = page.getByRole("button", { name: /^Rewards/ });
      await page.getByRole("button", { name: "Rewards 640 points" }).waitFor({ timeout: 60_000 });
      expect(await dataRequests()).toHaveLength(1); // one summary request on load, nothing more
      const loader = (await file("tsumiki-widget.js"))!;
      const css = (await file("tsumiki-widget.css"))!;
      expect(loader.shipped).toBeLessThanOrEqual(10_000);
      expect(loader.transferred).toBeLessThanOrEqual(3 * 1024);
      expect(css.transferred).toBeLessThanOrEqual(4 * 1024);
      expect(await file("tsumiki-widget.panel.js")).toBeUndefined(); // not before the launcher is opened
      const cls = await page.evaluate(() => (window as unknown as { __cls: number }).__cls);
      expect(cls).toBeLessThan(0.01);

      await launcher.click();
      const dialog = page.getByRole("dialog", { name: "Rewards" });
      await dialog.waitFor();
      const panel = (await file("tsumiki-widget.panel.js"))!;
      expect(panel.transferred).toBeLessThanOrEqual(10 * 1024);
      expect(await dataRequests()).toHaveLength(1); // the panel shows the summary the loader fetched
      const sizes = (r: { shipped: number; transferred: number }) => `${r.shipped} B (${r.transferred} B transferred)`;
      console.log(
        `storefront widget: loader ${sizes(loader)}, css ${sizes(css)}; on opening, panel ${sizes(panel)}; ` +
          `CLS ${cls.toFixed(4)}`,
      );
      await expect.poll(() => dialog.evaluate((el) => el.contains(document.activeElement))).toBe(true);
      await expect.poll(() => dialog.getByText("640", { exact: false }).first().isVisible()).toBe(true);
      await saveScreenshot(page, "storefront-panel", { fullPage: false });

      await dialog.getByRole("button", { name: "Redeem: ¥500" }).click();
      await dialog.getByRole("button", { name: "Redeem", exact: true }).click();
      const code = dialog.getByText(/TSUMIKI-[A-Z2-9]{10}/).first();
      await code.waitFor({ timeout: 30_000 });
      // Readable: dark text on the white panel (the theme's or the launcher's colours never leak in).
      expect(await code.evaluate((el) => getComputedStyle(el).color)).not.toBe("rgb(255, 255, 255)");
      expect(await page.locator(".tsumiki-launcher").count()).toBe(1);
      await expect.poll(() => launcher.textContent()).toContain("140 points");
      await saveScreenshot(page, "storefront-redeemed", { fullPage: false });

      await page.keyboard.press("Escape");
      await expect.poll(() => dialog.isHidden()).toBe(true);
      await expect.poll(() => launcher.evaluate((el) => el === document.activeElement)).toBe(true);
    } finally {
      await browser.close();
    }
  }, 240_000);

  it("an anonymous visitor's page makes no data request and loads no panel until the launcher is opened", async () => {
    const browser = await launchChromium();
    try {
      const page = await (await desktopContext(browser)).newPage();
      const dataRequests: string[] = [];
      page.on("request", (request) => {
        if (request.url().includes("/local/apps/tsumiki/")) dataRequests.push(request.url());
      });
      const panelRequests: string[] = [];
      page.on("request", (request) => {
        if (request.url().endsWith("/tsumiki-widget.panel.js")) panelRequests.push(request.url());
      });
      await page.goto(`${server.baseUrl}/local/storefront?locale=ja`, { waitUntil: "networkidle" });
      const launcher = page.getByRole("button", { name: /ポイント/ });
      await launcher.waitFor({ timeout: 60_000 });
      expect(dataRequests).toHaveLength(0);
      expect(panelRequests).toHaveLength(0);
      await launcher.click();
      await page.getByRole("link", { name: "ログイン" }).waitFor({ timeout: 30_000 });
      expect(dataRequests).toHaveLength(1);
      expect(panelRequests).toEqual([`${server.baseUrl}/local/assets/tsumiki-widget.panel.js`]);
      await saveScreenshot(page, "storefront-anonymous-ja", { fullPage: false });
    } finally {
      await browser.close();
    }
  }, 120_000);
});
