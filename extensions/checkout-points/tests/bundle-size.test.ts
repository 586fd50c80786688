import { expect, it } from "vitest";
import { bundleSize } from "./bundle";

it("ships well under Shopify's 64 KB compressed limit for checkout extensions", async () => {
  const { bytes, gzipBytes } = await bundleSize();
  console.log(`checkout-points bundle: ${bytes} bytes, ${gzipBytes} bytes gzipped`);
  expect(gzipBytes).toBeLessThan(32 * 1024);
});
