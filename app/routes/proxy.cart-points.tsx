import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { orUnavailable } from "../db/unavailable.server";
import { BODY_LIMITS } from "../http/body-limits";
import { readJsonWithin } from "../http/body.server";
import { pointsForCart, releaseForCart, reserveForCart } from "../redemption/cart-redemption.server";
import { RedemptionRefused, ShopNotInstalled } from "../redemption/checkout.server";
import { AdminApiError } from "../shopify/admin-api.server";
import type { CartPointsError, CartPointsRefusal } from "../storefront/cart-points-api";
import { authenticateProxy, proxyJson } from "../storefront/proxy.server";

// The cart page's "Pay with points" (every plan): GET what the shopper may spend, POST to hold points for this
// cart, DELETE (or POST `{release: true}`) to let go. The storefront then sets or clears the nonce in the cart
// attribute. The storefront script releases with POST: Shopify's app proxy is only documented for GET and POST.

const CartBody = z.union([
  z.object({ points: z.number().int().positive(), subtotalMinor: z.number().int().nonnegative() }),
  z.object({ release: z.literal(true) }),
]);

const REASONS: Record<CartPointsRefusal, string> = {
  disabled: "Points cannot be used at checkout in this shop.",
  invalid: "Choose a whole number of points in the allowed steps.",
  below_minimum: "That is fewer points than the minimum.",
  insufficient_balance: "You do not have that many points.",
  over_maximum: "That is more points than this order allows.",
  not_logged_in: "Log in to use your points.",
  blocked: "Your points account is on hold. Please contact the shop.",
  invalid_request: "Invalid request.",
  not_installed: "Tsumiki is not installed on this shop.",
  shopify_unavailable: "Shopify did not accept the reservation; try again.",
  unavailable: "Points are temporarily unavailable; try again in a minute.",
};

const refused = (code: CartPointsRefusal, status: number, error = REASONS[code]) =>
  proxyJson({ error, code } satisfies CartPointsError, status);

function failure(error: unknown): Response {
  if (error instanceof RedemptionRefused) return refused(error.code, 422);
  if (error instanceof ShopNotInstalled) return refused("not_installed", 404);
  if (error instanceof AdminApiError) return refused("shopify_unavailable", 502);
  throw error;
}

export const loader = ({ request }: LoaderFunctionArgs) =>
  orUnavailable(async () => {
    const { shopDomain, customerId } = await authenticateProxy(request);
    return pointsForCart(shopDomain, customerId).then((state) => proxyJson(state), failure);
  });

export const action = ({ request }: ActionFunctionArgs) =>
  orUnavailable(async () => {
    const { shopDomain, customerId } = await authenticateProxy(request);
    if (request.method !== "POST" && request.method !== "DELETE") {
      return refused("invalid_request", 405, "use GET, POST or DELETE");
    }
    if (!customerId) return refused("not_logged_in", 401);
    const release = () => releaseForCart(shopDomain, customerId).then((result) => proxyJson(result), failure);
    if (request.method === "DELETE") return release();
    const parsed = CartBody.safeParse(await readJsonWithin(request, BODY_LIMITS.storefront));
    if (!parsed.success) {
      return refused("invalid_request", 400, "invalid request: send {points, subtotalMinor} or {release: true}");
    }
    if ("release" in parsed.data) return release();
    const { points, subtotalMinor } = parsed.data;
    return reserveForCart(shopDomain, customerId, points, subtotalMinor).then((result) => proxyJson(result), failure);
  });
