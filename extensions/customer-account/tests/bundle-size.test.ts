import { expect, it } from "vitest";
import { bundleSizes } from "./bundle";

it("each target ships well under Shopify's 64 KB compressed limit for UI extensions", async () => {
  for (const [target, { bytes, gzipBytes }] of Object.entries(await bundleSizes())) {
    console.log(`${target}: ${bytes} bytes, ${gzipBytes} bytes gzipped`);
    expect(gzipBytes).toBeLessThan(32 * 1024);
  }
});
