import type { LoaderFunctionArgs } from "@remix-run/node";
import prisma from "../db.server";
import { authenticateProxy } from "../proxy.server";
import { memberSummary } from "../services/summary.server";

// GET /apps/tsumiki/summary on the storefront, forwarded here by Shopify's app proxy.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shopDomain, customerId } = await authenticateProxy(request);
  const summary = await prisma.$transaction((tx) => memberSummary(tx, shopDomain, customerId));
  if (!summary) return Response.json({ error: "this shop has not installed Tsumiki" }, { status: 404 });
  return Response.json(summary, { headers: { "Cache-Control": "private, no-store" } });
};
