import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import prisma from "../db.server";
import { authenticateCustomerAccount } from "../members/customer-account-auth.server";
import { orderPoints } from "../members/customer-account.server";
import { accountFailure, orderIdOf } from "../members/customer-account-http.server";

// GET /customer-account/orders/:id (Shopify's numeric order id or its GID): the points earned and spent on an order.
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { shopDomain, customerId, cors } = await authenticateCustomerAccount(request);
  const orderId = orderIdOf(params.id);
  if (!orderId) return cors(Response.json({ error: "id must be an order id", code: "invalid" }, { status: 400 }));
  return cors(await orderPoints(prisma, shopDomain, customerId, orderId).then((o) => Response.json(o), accountFailure));
};

// The browser's CORS preflight (OPTIONS) comes here and is answered by the authentication; other methods are refused.
export const action = async ({ request }: ActionFunctionArgs) => {
  const { cors } = await authenticateCustomerAccount(request);
  return cors(Response.json({ error: "use GET", code: "invalid" }, { status: 405 }));
};
