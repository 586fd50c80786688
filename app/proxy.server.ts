import { authenticate } from "./shopify.server";

export interface ProxyShopper {
  shopDomain: string;
  /** Shopify's numeric customer id, or null for an anonymous visitor. */
  customerId: string | null;
}

/**
 * Verifies an app proxy request as Shopify signs it (signature over the sorted query, timestamp within
 * 90 seconds) and names the shop and the shopper from the signed parameters only.
 */
export async function authenticateProxy(request: Request): Promise<ProxyShopper> {
  try {
    await authenticate.public.appProxy(request);
  } catch (error) {
    if (error instanceof Response) {
      throw Response.json({ error: "invalid or expired app proxy signature" }, { status: 400 });
    }
    throw error;
  }
  const url = new URL(request.url);
  return {
    shopDomain: url.searchParams.get("shop")!,
    customerId: url.searchParams.get("logged_in_customer_id") || null,
  };
}

/** Proxy answers are per shopper: never cached by Shopify's proxy or the browser. */
export function proxyJson(body: unknown, status = 200): Response {
  return Response.json(body, { status, headers: { "Cache-Control": "private, no-store" } });
}
