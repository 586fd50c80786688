import type { LoaderFunctionArgs } from "@remix-run/node";
import { orUnavailable } from "../db/unavailable.server";
import prisma from "../db.server";
import { authenticateProxy, proxyJson } from "../storefront/proxy.server";
import { findStorefrontMember, memberHistory } from "../storefront/storefront.server";

// GET /apps/tsumiki/history?before=<id>: older pages of the logged-in shopper's points history.
export const loader = ({ request }: LoaderFunctionArgs) =>
  orUnavailable(async () => {
    const { shopDomain, customerId } = await authenticateProxy(request);
    if (!customerId) return proxyJson({ error: "log in to see your points history", code: "not_logged_in" }, 401);
    const before = new URL(request.url).searchParams.get("before");
    if (before !== null && !/^\d{1,18}$/.test(before)) {
      return proxyJson({ error: "before must be an entry id from the previous page", code: "invalid_request" }, 400);
    }
    const page = await prisma.$transaction(async (tx) => {
      const { shop, member } = await findStorefrontMember(tx, shopDomain, customerId);
      if (!shop) return null;
      return member
        ? memberHistory(tx, member.id, before === null ? null : BigInt(before))
        : { entries: [], next: null };
    });
    if (!page) return proxyJson({ error: "this shop has not installed Tsumiki" }, 404);
    return proxyJson(page);
  });
