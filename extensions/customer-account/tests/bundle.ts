import { gzipSync } from "node:zlib";
import { build } from "esbuild";

export const TARGET_MODULES = {
  "customer-account.page.render": "page.tsx",
  "customer-account.profile.block.render": "profile.tsx",
  "customer-account.order-status.block.render": "order-status.tsx",
} as const;

export interface ModuleSize {
  bytes: number;
  gzipBytes: number;
}

/**
 * Bundles each target's module as the Shopify CLI ships it (one minified ES module, Preact and the ui-extensions
 * runtime included) and measures what a customer downloads. Shopify's limit is 64 KB compressed.
 */
export async function bundleSizes(): Promise<Record<keyof typeof TARGET_MODULES, ModuleSize>> {
  const sizes = await Promise.all(
    Object.entries(TARGET_MODULES).map(async ([target, file]) => {
      const result = await build({
        entryPoints: [`extensions/customer-account/src/${file}`],
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
      return [target, { bytes: code.byteLength, gzipBytes: gzipSync(code, { level: 9 }).byteLength }] as const;
    }),
  );
  return Object.fromEntries(sizes) as Record<keyof typeof TARGET_MODULES, ModuleSize>;
}
