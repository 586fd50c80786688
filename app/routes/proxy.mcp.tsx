import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { orUnavailable } from "../db/unavailable.server";
import prisma from "../db.server";
import { limitRateOf, SHOPPER_MCP_PER_MINUTE } from "../api/rate-limiter.server";
import { answerMcp } from "../mcp/http.server";
import { findInstalledShop } from "../shops/shops.server";
import { authenticateProxy, proxyJson } from "../storefront/proxy.server";

// POST /apps/tsumiki/mcp: the MCP server for a logged-in shopper, who is named only by the proxy's signed
// logged_in_customer_id; the tools answer about them alone.
async function serve(request: Request): Promise<Response> {
  const { shopDomain, customerId } = await authenticateProxy(request);
  if (!customerId) return proxyJson({ error: "log in to ask about your points", code: "not_logged_in" }, 401);
  const shop = await findInstalledShop(prisma, shopDomain);
  if (!shop) return proxyJson({ error: "this shop has not installed Tsumiki" }, 404);
  // Per shopper: a storefront chat may ask often, but one customer cannot make the shop's server answer without end.
  const wait = limitRateOf(`shopper:${shop.id}:${customerId}`, SHOPPER_MCP_PER_MINUTE);
  if (wait !== null) {
    const limited = proxyJson({ error: `too many requests; retry in ${wait} s`, code: "rate_limited" }, 429);
    limited.headers.set("Retry-After", String(wait));
    return limited;
  }
  return answerMcp(request, { kind: "shopper", shop, actor: `storefront:customer ${customerId}`, customerId });
}

export const loader = ({ request }: LoaderFunctionArgs) => orUnavailable(() => serve(request));
export const action = ({ request }: ActionFunctionArgs) => orUnavailable(() => serve(request));
