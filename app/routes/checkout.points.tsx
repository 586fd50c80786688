import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { authenticateCheckout } from "../redemption/checkout-auth.server";
import { isDatabaseUnavailable, unavailableResponse } from "../db/unavailable.server";
import { BODY_LIMITS } from "../http/body-limits";
import { readJsonWithin } from "../http/body.server";
import {
  pointsForCheckout,
  RedemptionRefused,
  releaseForCheckout,
  reserveForCheckout,
  ShopNotInstalled,
} from "../redemption/checkout.server";
import { AdminApiError } from "../shopify/admin-api.server";

// The checkout UI extension's API: GET the shopper's points, POST to hold some for this checkout, DELETE to let go.

const reserveBody = z.object({
  points: z.number().int().positive(),
  subtotalMinor: z.number().int().nonnegative(),
});

const refusals: Record<string, string> = {
  disabled: "Points cannot be used at checkout in this shop.",
  invalid: "Choose a whole number of points in the allowed steps.",
  below_minimum: "That is fewer points than the minimum.",
  insufficient_balance: "You do not have that many points.",
  over_maximum: "That is more points than this order allows.",
  not_logged_in: "Log in to use your points.",
  blocked: "Your points account is on hold. Please contact the shop.",
};

function failure(error: unknown): Response {
  // The extension then says points are temporarily unavailable; the purchase itself never waits on the app.
  if (isDatabaseUnavailable(error)) return unavailableResponse();
  if (error instanceof RedemptionRefused)
    return Response.json({ error: refusals[error.code], code: error.code }, { status: 422 });
  if (error instanceof ShopNotInstalled)
    return Response.json({ error: "Tsumiki is not installed on this shop.", code: "not_installed" }, { status: 404 });
  if (error instanceof AdminApiError) {
    return Response.json(
      { error: "Shopify did not accept the reservation; try again.", code: "shopify_unavailable" },
      { status: 502 },
    );
  }
  throw error;
}

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shopDomain, customerId, cors } = await authenticateCheckout(request);
  return cors(await pointsForCheckout(shopDomain, customerId).then((state) => Response.json(state), failure));
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shopDomain, customerId, cors } = await authenticateCheckout(request);
  if (request.method !== "POST" && request.method !== "DELETE") {
    return cors(Response.json({ error: "use GET, POST or DELETE", code: "invalid" }, { status: 405 }));
  }
  if (!customerId)
    return cors(Response.json({ error: refusals.not_logged_in, code: "not_logged_in" }, { status: 401 }));
  if (request.method === "DELETE") {
    return cors(
      await releaseForCheckout(shopDomain, customerId).then(
        (result) => Response.json({ reservation: null, ...result }),
        failure,
      ),
    );
  }
  const parsed = reserveBody.safeParse(await readJsonWithin(request, BODY_LIMITS.storefront, cors));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return cors(
      Response.json({ error: `${issue.path.join(".") || "body"}: ${issue.message}`, code: "invalid" }, { status: 400 }),
    );
  }
  const { points, subtotalMinor } = parsed.data;
  return cors(
    await reserveForCheckout(shopDomain, customerId, points, subtotalMinor).then(
      (result) => Response.json(result),
      failure,
    ),
  );
};
