import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * The storefront widget as one IIFE script and one stylesheet, written straight into the theme app extension's
 * assets: `npx vite build --config widget/vite.config.ts`.
 */
export default defineConfig({
  root: here("."),
  publicDir: false,
  logLevel: "info",
  // jsxDev off even when NODE_ENV is not "production" (widgetSizes() builds from inside vitest).
  esbuild: { jsx: "automatic", jsxImportSource: "preact", jsxDev: false },
  // Library mode leaves process.env alone; nothing in the bundle should ask for it.
  define: { "process.env.NODE_ENV": JSON.stringify("production") },
  build: {
    outDir: here("../extensions/theme-extension/assets"),
    emptyOutDir: false,
    cssCodeSplit: false,
    minify: true,
    target: "es2019",
    reportCompressedSize: true,
    lib: {
      entry: here("src/main.tsx"),
      formats: ["iife"],
      name: "TsumikiWidget",
      fileName: () => "tsumiki-widget.js",
      cssFileName: "tsumiki-widget",
    },
    rollupOptions: {
      output: { inlineDynamicImports: true, assetFileNames: "tsumiki-widget[extname]" },
    },
  },
});
