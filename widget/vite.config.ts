import { fileURLToPath } from "node:url";
import { build, defineConfig, type Plugin, type Rollup, type UserConfig } from "vite";
import { CART_FILE } from "./src/cart/cart-loader";
import { PANEL_FILE, PANEL_GLOBAL } from "./src/config";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// Both scripts: the same JSX, the same defines, the same output target.
const shared: UserConfig = {
  root: here("."),
  publicDir: false,
  // Classic JSX, h(type, props, ...children), in the bundles: about 190 bytes less gzipped in the panel than the
  // automatic runtime's jsx(type, {children: [...]}) and its own vnode factory, the same vnodes for Preact. (The
  // sources keep the automatic runtime's @jsxImportSource pragma, which vitest compiles them with.)
  esbuild: {
    jsx: "transform",
    jsxFactory: "h",
    jsxFragment: "Fragment",
    jsxInject: `import { h, Fragment } from "preact"`,
  },
  // Library mode leaves process.env alone; nothing in the bundle should ask for it.
  define: { "process.env.NODE_ENV": JSON.stringify("production") },
};

/**
 * A script built as an IIFE of its own and added to the loader's build output beside it: the panel script
 * (`src/panel-script.tsx`: Preact, the open launcher's dialog and the page block, defining `window[PANEL_GLOBAL]`) and
 * the cart script (`src/cart/cart-script.ts`: "Pay with points", loaded only on the cart page). An IIFE cannot be
 * split into chunks, hence a build each rather than dynamic imports.
 */
function separateScript(entry: string, name: string, file: string): Plugin {
  return {
    name: `tsumiki-widget-${file}`,
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
          // Terser, two passes: about 90 bytes less gzipped in the panel than esbuild's minifier, at a second of build.
          minify: "terser",
          terserOptions: { compress: { passes: 2 }, ecma: 2020 },
          // Optional chaining and ?? as written (every browser Shopify's themes support has them since 2020): the
          // panel is loaded on demand and has a byte budget. The loader, on every page, stays es2019.
          target: "es2020",
          reportCompressedSize: false,
          lib: {
            entry: here(entry),
            formats: ["iife"],
            name,
            fileName: () => file,
          },
          // No Symbol.toStringTag "Module" on the IIFE's exports: nothing reads it, and it costs bytes in every script.
          rollupOptions: { output: { inlineDynamicImports: true, generatedCode: { symbols: false } } },
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
  plugins: [
    separateScript("src/panel-script.tsx", PANEL_GLOBAL, PANEL_FILE),
    // Defines nothing the loader reads (it sets `window.TsumikiCart` itself); the IIFE needs a name all the same.
    separateScript("src/cart/cart-script.ts", "TsumikiCartScript", CART_FILE),
  ],
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
