import type { LoaderFunctionArgs } from "@remix-run/node";
import { orUnavailable } from "../db/unavailable.server";
import prisma from "../db.server";
import { authenticateProxy, proxyJson } from "../storefront/proxy.server";
import { storefrontSummary } from "../storefront/storefront.server";

// GET /apps/tsumiki/summary: everything the widget shows when it opens, in one request.
export const loader = ({ request }: LoaderFunctionArgs) =>
  orUnavailable(async () => {
    const { shopDomain, customerId } = await authenticateProxy(request);
    const summary = await prisma.$transaction((tx) => storefrontSummary(tx, shopDomain, customerId));
    if (!summary) return proxyJson({ error: "this shop has not installed Tsumiki" }, 404);
    return proxyJson(summary);
  });
