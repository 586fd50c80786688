import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { isLocalRequest, previewCustomer } from "../local/local.server";
import { cartPageHtml, choosePreviewCustomer } from "../local/local-cart-page.server";
import { previewCart } from "../local/local-cart.server";

// Local mode only: the storefront preview's cart page, with the "Pay with points" block.
export const loader = ({ request, context }: LoaderFunctionArgs) => {
  if (!isLocalRequest(context)) throw new Response("Not found", { status: 404 });
  const locale = new URL(request.url).searchParams.get("locale") === "en" ? "en" : "ja";
  const { cart, setCookie } = previewCart(request);
  return new Response(cartPageHtml(cart, previewCustomer(request), locale), {
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Cache-Control": "no-store",
      ...(setCookie ? { "Set-Cookie": setCookie } : {}),
    },
  });
};

export const action = ({ request, context }: ActionFunctionArgs) => {
  if (!isLocalRequest(context)) throw new Response("Not found", { status: 404 });
  return choosePreviewCustomer(request);
};
