import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import prisma from "../db.server";
import { isLocalRequest, LOCAL_SHOP, previewCustomer } from "../local/local.server";
import { checkoutPageHtml, choosePreviewCustomer } from "../local/local-cart-page.server";
import { previewCart, previewCheckout } from "../local/local-cart.server";
import { shopWithProgram } from "../shops/shops.server";

// Local mode only: a stand-in checkout whose total comes from running the real discount Function on the preview cart.
export const loader = async ({ request, context }: LoaderFunctionArgs) => {
  if (!isLocalRequest(context)) throw new Response("Not found", { status: 404 });
  const locale = new URL(request.url).searchParams.get("locale") === "en" ? "en" : "ja";
  const { shop, settings } = await prisma.$transaction((tx) => shopWithProgram(tx, LOCAL_SHOP));
  const { cart, setCookie } = previewCart(request);
  const customer = previewCustomer(request);
  const checkout = previewCheckout(cart, customer, {
    maxShareBasisPoints: settings.redemption.maxShareBasisPoints,
    timezone: shop.timezone,
    locale,
  });
  return new Response(checkoutPageHtml(cart, checkout, customer, locale), {
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
