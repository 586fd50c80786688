import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "vite";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * Builds the widget with its Vite config (into the theme extension's assets) and measures what a shopper
 * downloads: raw and gzip (level 9) bytes of the script and the stylesheet.
 */
export async function widgetSizes(): Promise<{ jsGzip: number; cssGzip: number; jsRaw: number; cssRaw: number }> {
  await build({ configFile: here("vite.config.ts"), logLevel: "warn" });
  const [js, css] = ["js", "css"].map((ext) =>
    readFileSync(here(`../extensions/theme-extension/assets/tsumiki-widget.${ext}`)),
  );
  return {
    jsRaw: js.length,
    cssRaw: css.length,
    jsGzip: gzipSync(js, { level: 9 }).length,
    cssGzip: gzipSync(css, { level: 9 }).length,
  };
}
