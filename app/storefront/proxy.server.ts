import { authenticate } from "../shopify.server";

export interface ProxyShopper {
  shopDomain: string;
  /** Shopify's numeric customer id, or null for an anonymous visitor. */
  customerId: string | null;
}

const IDENTITY_PARAMS = ["shop", "logged_in_customer_id", "path_prefix", "timestamp", "signature"];

/**
 * Verifies an app proxy request as Shopify signs it (signature over the sorted query, timestamp within
 * 90 seconds) and names the shop and the shopper from the signed parameters only.
 */
export async function authenticateProxy(request: Request): Promise<ProxyShopper> {
  const url = new URL(request.url);
  // Shopify's signature joins a repeated parameter's values with commas, so `?id=A&id=B` signs like `?id=A,B`
  // while the route would read A: a parameter that names the shop or the shopper must appear exactly once.
  const repeated = IDENTITY_PARAMS.filter((name) => url.searchParams.getAll(name).length > 1);
  if (repeated.length > 0) {
    throw proxyJson({ error: `app proxy parameter repeated: ${repeated.join(", ")}`, code: "invalid_request" }, 400);
  }
  try {
    await authenticate.public.appProxy(request);
  } catch (error) {
    if (error instanceof Response) {
      throw proxyJson({ error: "invalid or expired app proxy signature" }, 400);
    }
    throw error;
  }
  return {
    shopDomain: url.searchParams.get("shop")!,
    customerId: url.searchParams.get("logged_in_customer_id") || null,
  };
}

/** Proxy answers are per shopper: never cached by Shopify's proxy or the browser. */
export function proxyJson(body: unknown, status = 200): Response {
  return Response.json(body, { status, headers: { "Cache-Control": "private, no-store" } });
}
