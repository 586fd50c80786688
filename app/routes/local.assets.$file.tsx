import type { LoaderFunctionArgs } from "@remix-run/node";
import { readFile } from "node:fs/promises";
import { gzipSync } from "node:zlib";
import { isLocalRequest } from "../local/local.server";

const TYPES: Record<string, string> = {
  "tsumiki-widget.js": "text/javascript; charset=utf-8",
  "tsumiki-widget.panel.js": "text/javascript; charset=utf-8",
  "tsumiki-cart.js": "text/javascript; charset=utf-8",
  "tsumiki-widget.css": "text/css; charset=utf-8",
};

// Local mode only: the built widget from the theme extension's assets, gzipped as Shopify's CDN serves it.
export const loader = async ({ request, params, context }: LoaderFunctionArgs) => {
  if (!isLocalRequest(context)) throw new Response("Not found", { status: 404 });
  const file = params.file ?? "";
  if (!TYPES[file]) throw new Response("Not found", { status: 404 });
  let body: Buffer;
  try {
    body = await readFile(`extensions/theme-extension/assets/${file}`);
  } catch {
    return new Response("The widget is not built: run `npm run build:widget`.", { status: 404 });
  }
  const gzip = (request.headers.get("Accept-Encoding") ?? "").includes("gzip");
  return new Response(new Uint8Array(gzip ? gzipSync(body, { level: 9 }) : body), {
    headers: {
      "Content-Type": TYPES[file],
      ...(gzip ? { "Content-Encoding": "gzip" } : {}),
      "Cache-Control": "no-cache",
    },
  });
};
