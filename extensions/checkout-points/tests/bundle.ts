import { gzipSync } from "node:zlib";
import { build } from "esbuild";

/**
 * Bundles the extension as the Shopify CLI ships it (one minified ES module, Preact and the
 * ui-extensions runtime included) and measures what a shopper downloads. Shopify's limit is 64 KB compressed.
 */
export async function bundleSize(): Promise<{ bytes: number; gzipBytes: number }> {
  const result = await build({
    entryPoints: ["extensions/checkout-points/src/index.tsx"],
    bundle: true,
    minify: true,
    format: "esm",
    write: false,
    jsx: "automatic",
    jsxImportSource: "preact",
    target: "es2020",
    define: { "process.env.TSUMIKI_APP_URL": '"https://tsumiki.example.com"' },
    logLevel: "silent",
  });
  const code = result.outputFiles[0].contents;
  return { bytes: code.byteLength, gzipBytes: gzipSync(code, { level: 9 }).byteLength };
}
