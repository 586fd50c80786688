import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import prisma from "../db.server";
import { authenticateCustomerAccount } from "../members/customer-account-auth.server";
import { accountPoints } from "../members/customer-account.server";
import { accountFailure } from "../members/customer-account-http.server";

// GET /customer-account/points: the customer account's "Points" page, in one request.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shopDomain, customerId, cors } = await authenticateCustomerAccount(request);
  return cors(
    await accountPoints(prisma, shopDomain, customerId).then((points) => Response.json(points), accountFailure),
  );
};

// The browser's CORS preflight (OPTIONS) comes here and is answered by the authentication; other methods are refused.
export const action = async ({ request }: ActionFunctionArgs) => {
  const { cors } = await authenticateCustomerAccount(request);
  return cors(Response.json({ error: "use GET", code: "invalid" }, { status: 405 }));
};
