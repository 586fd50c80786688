import { expect, it } from "vitest";
import { widgetSizes } from "../size";

it("keeps the storefront widget within its budgets: JS ≤ 10 KB and CSS ≤ 4 KB gzipped", async () => {
  const sizes = await widgetSizes();
  console.log(`tsumiki-widget: ${JSON.stringify(sizes)}`);
  expect(sizes.jsRaw).toBeGreaterThan(sizes.jsGzip);
  expect(sizes.jsGzip).toBeLessThanOrEqual(10 * 1024);
  expect(sizes.cssGzip).toBeLessThanOrEqual(4 * 1024);
});
