import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "vite";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * Builds the widget with its Vite config (into a temporary folder) and measures what a shopper
 * downloads: raw and gzip (level 9) bytes of the script and the stylesheet.
 */
export async function widgetSizes(): Promise<{ jsGzip: number; cssGzip: number; jsRaw: number; cssRaw: number }> {
  // Into a folder of its own: `npm run local` may be building into the theme extension's assets meanwhile.
  const outDir = mkdtempSync(join(tmpdir(), "tsumiki-widget-"));
  try {
    await build({ configFile: here("vite.config.ts"), logLevel: "warn", build: { outDir, emptyOutDir: true } });
    const [js, css] = ["js", "css"].map((ext) => readFileSync(join(outDir, `tsumiki-widget.${ext}`)));
    return {
      jsRaw: js.length,
      cssRaw: css.length,
      jsGzip: gzipSync(js, { level: 9 }).length,
      cssGzip: gzipSync(css, { level: 9 }).length,
    };
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}
