import { existsSync, mkdirSync } from "node:fs";
import { chromium, type Browser, type Page } from "playwright-core";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const ARTIFACTS = "test-artifacts";

/** Debian's Chromium, headless, with nothing that reaches out to the network on its own. */
export async function launchChromium(): Promise<Browser> {
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

export const hasChromium = () => existsSync(CHROMIUM);

/** Headless Chrome announces itself as a bot, and Shopify's auth helpers turn bots away: look like a person. */
export const DESKTOP_CHROME =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36";

/**
 * A screenshot kept as a test artifact. Animations are stopped first: polaris-viz charts animate and
 * resize with the viewport, and a full-page capture of a page that keeps changing can wait forever.
 */
export async function saveScreenshot(page: Page, name: string, options: { fullPage?: boolean } = {}) {
  await page.screenshot({
    path: `${ARTIFACTS}/${name}.png`,
    fullPage: options.fullPage ?? true,
    animations: "disabled",
    caret: "hide",
    timeout: 120_000,
  });
}

/**
 * A desktop browser's page. Navigations may wait long: in local mode Vite compiles a route the first time it is
 * visited, and on CI's two cores that has taken over 30 seconds (Playwright's default).
 */
export async function desktopContext(browser: Browser) {
  const context = await browser.newContext({ userAgent: DESKTOP_CHROME });
  context.setDefaultNavigationTimeout(150_000);
  return context;
}
