import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import prisma from "../db.server";
import { BODY_LIMITS } from "../http/body-limits";
import { readJsonWithin } from "../http/body.server";
import { authenticateCustomerAccount } from "../members/customer-account-auth.server";
import { accountProfile, changeProfile } from "../members/customer-account.server";
import { accountFailure, parseProfileChange } from "../members/customer-account-http.server";

// GET /customer-account/profile: membership, birthday and email choice; POST one change to them.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shopDomain, customerId, cors } = await authenticateCustomerAccount(request);
  return cors(await accountProfile(prisma, shopDomain, customerId).then((p) => Response.json(p), accountFailure));
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shopDomain, customerId, cors } = await authenticateCustomerAccount(request);
  if (request.method !== "POST")
    return cors(Response.json({ error: "use GET or POST", code: "invalid" }, { status: 405 }));
  const change = parseProfileChange(await readJsonWithin(request, BODY_LIMITS.storefront, cors));
  if ("error" in change) return cors(Response.json({ error: change.error, code: "invalid" }, { status: 400 }));
  return cors(
    await changeProfile(prisma, shopDomain, customerId, change).then((p) => Response.json(p), accountFailure),
  );
};
