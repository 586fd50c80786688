import type { LoaderFunctionArgs } from "@remix-run/node";
import { isLocalRequest } from "../local/local.server";
import { ajaxCart, previewCart } from "../local/local-cart.server";

// Local mode only: the preview's stand-in for Shopify's `GET /cart.js`.
export const loader = ({ request, context }: LoaderFunctionArgs) => {
  if (!isLocalRequest(context)) throw new Response("Not found", { status: 404 });
  const { cart, setCookie } = previewCart(request);
  return Response.json(ajaxCart(cart), {
    headers: { "Cache-Control": "no-store", ...(setCookie ? { "Set-Cookie": setCookie } : {}) },
  });
};
