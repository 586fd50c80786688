import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import prisma from "../db.server";
import { accountFailure, orderIdOf } from "../members/customer-account-http.server";
import { orderPoints } from "../members/customer-account.server";
import { authenticateCheckout } from "../redemption/checkout-auth.server";

// GET /checkout/orders/:id: the thank-you page's points earned and spent on the order just placed.
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { shopDomain, customerId, cors } = await authenticateCheckout(request);
  if (!customerId)
    return cors(Response.json({ error: "log in to earn points", code: "not_logged_in" }, { status: 401 }));
  const orderId = orderIdOf(params.id);
  if (!orderId) return cors(Response.json({ error: "id must be an order id", code: "invalid" }, { status: 400 }));
  return cors(await orderPoints(prisma, shopDomain, customerId, orderId).then((o) => Response.json(o), accountFailure));
};

// The browser's CORS preflight (OPTIONS) comes here and is answered by the authentication; other methods are refused.
export const action = async ({ request }: ActionFunctionArgs) => {
  const { cors } = await authenticateCheckout(request);
  return cors(Response.json({ error: "use GET", code: "invalid" }, { status: 405 }));
};
