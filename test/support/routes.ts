import * as checkoutPoints from "../../app/routes/checkout.points";
import * as appScopesUpdate from "../../app/routes/webhooks.app.scopes_update";
import * as appUninstalled from "../../app/routes/webhooks.app.uninstalled";
import * as bulkOperationsFinish from "../../app/routes/webhooks.bulk_operations.finish";
import * as collectionsCreate from "../../app/routes/webhooks.collections.create";
import * as collectionsDelete from "../../app/routes/webhooks.collections.delete";
import * as collectionsUpdate from "../../app/routes/webhooks.collections.update";
import * as customersCreate from "../../app/routes/webhooks.customers.create";
import * as customerTagsAdded from "../../app/routes/webhooks.customer.tags_added";
import * as customerTagsRemoved from "../../app/routes/webhooks.customer.tags_removed";
import * as marketingConsentUpdate from "../../app/routes/webhooks.customers_email_marketing_consent.update";
import * as customersDataRequest from "../../app/routes/webhooks.customers.data_request";
import * as customersRedact from "../../app/routes/webhooks.customers.redact";
import * as customersUpdate from "../../app/routes/webhooks.customers.update";
import * as ordersCancelled from "../../app/routes/webhooks.orders.cancelled";
import * as ordersPaid from "../../app/routes/webhooks.orders.paid";
import * as productsCreate from "../../app/routes/webhooks.products.create";
import * as productsDelete from "../../app/routes/webhooks.products.delete";
import * as productsUpdate from "../../app/routes/webhooks.products.update";
import * as proxyHistory from "../../app/routes/proxy.history";
import * as proxyRedeem from "../../app/routes/proxy.redeem";
import * as proxyRewards from "../../app/routes/proxy.rewards";
import * as proxySummary from "../../app/routes/proxy.summary";
import * as refundsCreate from "../../app/routes/webhooks.refunds.create";
import * as shopRedact from "../../app/routes/webhooks.shop.redact";
import { checkoutRequest, proxyRequest, webhookRequest, type ProxyOptions, type WebhookOptions } from "./shopify";

/** The webhook routes by topic: the same modules Remix serves at /webhooks/<topic>. */
export const webhookRoutes = {
  "orders/paid": ordersPaid,
  "orders/cancelled": ordersCancelled,
  "refunds/create": refundsCreate,
  "customers/create": customersCreate,
  "customers/update": customersUpdate,
  "customers/data_request": customersDataRequest,
  "customers/redact": customersRedact,
  "shop/redact": shopRedact,
  "app/uninstalled": appUninstalled,
  "app/scopes_update": appScopesUpdate,
  "products/create": productsCreate,
  "products/update": productsUpdate,
  "products/delete": productsDelete,
  "collections/create": collectionsCreate,
  "collections/update": collectionsUpdate,
  "collections/delete": collectionsDelete,
  "bulk_operations/finish": bulkOperationsFinish,
  "customer.tags_added": customerTagsAdded,
  "customer.tags_removed": customerTagsRemoved,
  "customers_email_marketing_consent/update": marketingConsentUpdate,
} as const;

export type Topic = keyof typeof webhookRoutes;

export async function callAction(
  request: Request,
  route: { action: (args: never) => Promise<Response> },
): Promise<Response> {
  try {
    return await route.action({ request, params: {}, context: {} } as never);
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

/** Sends a signed webhook through its real route. */
export function deliver(topic: Topic, payload: unknown, options: WebhookOptions = {}): Promise<Response> {
  return callAction(webhookRequest(topic, payload, options), webhookRoutes[topic]);
}

/** Sends the very same request again (same ids, same body), as Shopify's retries do. */
export function redeliver(request: Request, topic: Topic): Promise<Response> {
  return callAction(request.clone(), webhookRoutes[topic]);
}

const proxyRoutes = {
  summary: proxySummary.loader,
  history: proxyHistory.loader,
  rewards: proxyRewards.loader,
  redeem: proxyRedeem.action,
};

/** Calls an app proxy route as Shopify forwards a storefront request to it; `path` may carry its own query. */
export async function proxy(path: string, options: ProxyOptions = {}): Promise<Response> {
  const route = path.split("?")[0] as keyof typeof proxyRoutes;
  const request = proxyRequest(path, options);
  try {
    return await proxyRoutes[route]({ request, params: {}, context: {} } as never);
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

export function getSummary(options: ProxyOptions = {}): Promise<Response> {
  return proxy("summary", options);
}

/** Redeems a reward the way the widget does. */
export function redeem(customerId: string, body: unknown, options: ProxyOptions = {}): Promise<Response> {
  return proxy("redeem", { customerId, method: "POST", body, ...options });
}

/** Calls the checkout points API the way the checkout extension does. */
export async function checkout(
  method: "GET" | "POST" | "DELETE" | "PUT",
  token: string | null,
  body?: unknown,
): Promise<Response> {
  const request = checkoutRequest(method, "checkout/points", token, body);
  const args = { request, params: {}, context: {} } as never;
  try {
    return method === "GET" ? await checkoutPoints.loader(args) : await checkoutPoints.action(args);
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

type RouteModule = {
  loader?: (args: never) => unknown;
  action?: (args: never) => unknown;
};

/** Calls an admin route's loader or action; a thrown Response is returned like a returned one. */
export async function callRoute(
  route: RouteModule,
  handler: "loader" | "action",
  request: Request,
  params: Record<string, string> = {},
): Promise<unknown> {
  try {
    return await route[handler]!({ request, params, context: {} } as never);
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}
