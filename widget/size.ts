import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "vite";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** Bytes of each built file as shipped (raw, what Shopify's theme check measures) and gzipped (level 9). */
export interface WidgetSizes {
  /** `tsumiki-widget.js`, the script the theme blocks load on every page. Shopify's limit: 10,000 raw bytes. */
  loaderRaw: number;
  loaderGzip: number;
  /** `tsumiki-widget.panel.js`, loaded after it when the launcher is opened (at once for the page block). */
  panelRaw: number;
  panelGzip: number;
  /** `tsumiki-cart.js`, the "Pay with points" cart block's script, loaded only on the cart page. Limit 10,000 raw bytes. */
  cartRaw: number;
  cartGzip: number;
  /** `tsumiki-widget.css`, loaded by the theme blocks beside the loader. */
  cssRaw: number;
  cssGzip: number;
}

const FILES = {
  loader: "tsumiki-widget.js",
  panel: "tsumiki-widget.panel.js",
  cart: "tsumiki-cart.js",
  css: "tsumiki-widget.css",
} as const;

/** Builds the widget with its Vite config (into a temporary folder) and measures what a shopper downloads. */
export async function widgetSizes(): Promise<WidgetSizes> {
  // Into a folder of its own: `npm run local` may be building into the theme extension's assets meanwhile.
  const outDir = mkdtempSync(join(tmpdir(), "tsumiki-widget-"));
  try {
    await build({ configFile: here("vite.config.ts"), logLevel: "warn", build: { outDir, emptyOutDir: true } });
    const size = (file: string) => {
      const bytes = readFileSync(join(outDir, file));
      return [bytes.length, gzipSync(bytes, { level: 9 }).length];
    };
    const [loaderRaw, loaderGzip] = size(FILES.loader);
    const [panelRaw, panelGzip] = size(FILES.panel);
    const [cartRaw, cartGzip] = size(FILES.cart);
    const [cssRaw, cssGzip] = size(FILES.css);
    return { loaderRaw, loaderGzip, panelRaw, panelGzip, cartRaw, cartGzip, cssRaw, cssGzip };
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}
