import { gzipSync } from "node:zlib";
import { build } from "esbuild";

export interface ModuleSize {
  bytes: number;
  gzipBytes: number;
}

/**
 * Bundles one extension module as the Shopify CLI ships it (one minified ES module, Preact and the ui-extensions
 * runtime included) and measures what a shopper downloads. Shopify's limit is 64 KB compressed.
 */
export async function bundleModuleSize(entryPoint: string): Promise<ModuleSize> {
  const result = await build({
    entryPoints: [entryPoint],
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

/** The checkout extension's module. */
export const bundleSize = () => bundleModuleSize("extensions/checkout-points/src/index.tsx");
