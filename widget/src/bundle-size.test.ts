import { expect, it } from "vitest";
import { widgetSizes } from "../size";

it("keeps the storefront widget within its budgets: loader ≤ 10,000 bytes as shipped, panel and CSS gzipped", async () => {
  const sizes = await widgetSizes();
  console.log(`tsumiki-widget: ${JSON.stringify(sizes)}`);
  expect(sizes.loaderRaw).toBeGreaterThan(sizes.loaderGzip);
  expect(sizes.panelRaw).toBeGreaterThan(sizes.panelGzip);
  // The script the theme blocks load: Shopify's theme check (AssetSizeAppBlockJavaScript) refuses more than
  // 10,000 bytes as shipped, and every page of the shop downloads it.
  expect(sizes.loaderRaw).toBeLessThanOrEqual(10_000);
  expect(sizes.loaderGzip).toBeLessThanOrEqual(3 * 1024);
  // What opening the launcher (or a page block) adds: Preact and the whole panel, the one-script widget's old budget.
  expect(sizes.panelGzip).toBeLessThanOrEqual(10 * 1024);
  expect(sizes.cssGzip).toBeLessThanOrEqual(4 * 1024);
  // The cart block's script, loaded only on the cart page: an app block's script, so the same 10,000-byte limit.
  expect(sizes.cartRaw).toBeLessThanOrEqual(10_000);
  expect(sizes.cartGzip).toBeLessThanOrEqual(4 * 1024);
});
