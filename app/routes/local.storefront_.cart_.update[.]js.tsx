import type { ActionFunctionArgs } from "@remix-run/node";
import { isLocalRequest } from "../local/local.server";
import { ajaxCart, previewCart, updateAttributes } from "../local/local-cart.server";

// Local mode only: the preview's stand-in for Shopify's `POST /cart/update.js` (its `attributes`; a blank value removes one).
export const action = async ({ request, context }: ActionFunctionArgs) => {
  if (!isLocalRequest(context)) throw new Response("Not found", { status: 404 });
  const { cart, setCookie } = previewCart(request);
  const body = (await request.json().catch(() => null)) as { attributes?: unknown } | null;
  updateAttributes(cart, body?.attributes);
  return Response.json(ajaxCart(cart), {
    headers: { "Cache-Control": "no-store", ...(setCookie ? { "Set-Cookie": setCookie } : {}) },
  });
};
