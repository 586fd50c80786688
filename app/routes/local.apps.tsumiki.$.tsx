import type { ActionFunctionArgs, AppLoadContext, LoaderFunctionArgs } from "@remix-run/node";
import { isLocalRequest, LOCAL_SHOP, previewCustomer, signedProxyQuery } from "../local/local.server";
import * as cartPoints from "./proxy.cart-points";
import * as history from "./proxy.history";
import * as join from "./proxy.join";
import * as redeem from "./proxy.redeem";
import * as rewards from "./proxy.rewards";
import * as summary from "./proxy.summary";

const routes: Record<string, { loader?: typeof summary.loader; action?: typeof redeem.action }> = {
  summary,
  history,
  rewards,
  redeem,
  "cart-points": cartPoints,
  join,
};

/**
 * Local mode only: plays Shopify's app proxy for the storefront preview. `/local/apps/tsumiki/<name>` is
 * signed for the demo shop and the previewed customer, then handed to `/proxy/<name>` as Shopify would.
 */
async function forward(request: Request, context: AppLoadContext, name: string): Promise<Response> {
  if (!isLocalRequest(context)) throw new Response("Not found", { status: 404 });
  const route = routes[name];
  if (!route) return Response.json({ error: `no proxy route ${name}` }, { status: 404 });
  const own = new URL(request.url).searchParams;
  const query = signedProxyQuery({
    ...Object.fromEntries(own),
    shop: LOCAL_SHOP,
    logged_in_customer_id: previewCustomer(request) ?? "",
    path_prefix: "/apps/tsumiki",
    timestamp: String(Math.floor(Date.now() / 1000)),
  });
  const url = new URL(`/proxy/${name}?${query.toString()}`, request.url);
  const body = request.method === "GET" ? undefined : await request.text();
  const headers = new Headers(request.headers);
  headers.delete("Content-Length");
  const forwarded = new Request(url, { method: request.method, headers, body });
  const args = { request: forwarded, params: {}, context: {} } as never;
  try {
    const handler = request.method === "GET" ? route.loader : route.action;
    if (!handler) return Response.json({ error: "method not allowed" }, { status: 405 });
    return (await handler(args)) as Response;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

export const loader = ({ request, params, context }: LoaderFunctionArgs) =>
  forward(request, context, params["*"] ?? "");
export const action = ({ request, params, context }: ActionFunctionArgs) =>
  forward(request, context, params["*"] ?? "");
