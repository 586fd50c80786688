import { fileURLToPath } from "node:url";
import { build, defineConfig, type Plugin, type Rollup, type UserConfig } from "vite";
import { PANEL_FILE, PANEL_GLOBAL } from "./src/config";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// Both scripts: the same JSX, the same defines, the same output target.
const shared: UserConfig = {
  root: here("."),
  publicDir: false,
  // jsxDev off even when NODE_ENV is not "production" (widgetSizes() builds from inside vitest).
  esbuild: { jsx: "automatic", jsxImportSource: "preact", jsxDev: false },
  // Library mode leaves process.env alone; nothing in the bundle should ask for it.
  define: { "process.env.NODE_ENV": JSON.stringify("production") },
};

/**
 * The panel script (`src/panel-script.tsx`: Preact, the open launcher's dialog and the page block), built as an IIFE of its
 * own that defines `window[PANEL_GLOBAL]`, and added to the loader's build output beside it. An IIFE cannot be split
 * into chunks, hence a second build rather than a dynamic import.
 */
function panelScript(): Plugin {
  return {
    name: "tsumiki-widget-panel-script",
    apply: "build",
    async generateBundle() {
      const result = await build({
        ...shared,
        configFile: false,
        logLevel: "warn",
        build: {
          write: false,
          emptyOutDir: false,
          copyPublicDir: false,
          minify: true,
          target: "es2019",
          reportCompressedSize: false,
          lib: {
            entry: here("src/panel-script.tsx"),
            formats: ["iife"],
            name: PANEL_GLOBAL,
            fileName: () => PANEL_FILE,
          },
          rollupOptions: { output: { inlineDynamicImports: true } },
        },
      });
      for (const output of [result].flat() as Rollup.RollupOutput[]) {
        for (const file of output.output) {
          // A prebuilt chunk: written as built, and listed with its gzip size like the loader.
          if (file.type == "chunk") this.emitFile({ type: "prebuilt-chunk", fileName: file.fileName, code: file.code });
          else this.emitFile({ type: "asset", fileName: file.fileName, source: file.source });
        }
      }
    },
  };
}

/**
 * The storefront widget, written straight into the theme app extension's assets
 * (`npx vite build --config widget/vite.config.ts`): the loader `tsumiki-widget.js` that the theme blocks load (an
 * IIFE without Preact, at most 10,000 bytes as Shopify's theme check requires), the panel script
 * `tsumiki-widget.panel.js` it loads from beside itself, and one stylesheet `tsumiki-widget.css`.
 */
export default defineConfig({
  ...shared,
  logLevel: "info",
  plugins: [panelScript()],
  build: {
    outDir: here("../extensions/theme-extension/assets"),
    emptyOutDir: false,
    cssCodeSplit: false,
    minify: true,
    target: "es2019",
    reportCompressedSize: true,
    lib: {
      entry: here("src/main.ts"),
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
