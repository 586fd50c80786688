import { readConfig } from "../config.server";
import { authenticate } from "../shopify.server";

export interface CheckoutShopper {
  shopDomain: string;
  /** Shopify's numeric customer id from the token's `sub`, or null for a guest checkout. */
  customerId: string | null;
  cors: (response: Response) => Response;
}

/**
 * Verifies a checkout extension's session token (HS256 under the app secret, unexpired, issued for this
 * app) and names the shop from `dest` and the shopper from `sub`, never from anything the browser sends.
 */
export async function authenticateCheckout(request: Request): Promise<CheckoutShopper> {
  let context: Awaited<ReturnType<typeof authenticate.public.checkout>>;
  try {
    context = await authenticate.public.checkout(request);
  } catch (error) {
    if (error instanceof Response && error.status === 401) {
      throw Response.json(
        { error: "missing or invalid session token", code: "unauthorized" },
        { status: 401, headers: error.headers },
      );
    }
    throw error;
  }
  const { sessionToken, cors } = context;
  if (sessionToken.aud !== readConfig().apiKey) {
    throw cors(Response.json({ error: "session token issued for another app", code: "unauthorized" }, { status: 401 }));
  }
  const sub = typeof sessionToken.sub === "string" ? sessionToken.sub : "";
  const customer = /^gid:\/\/shopify\/Customer\/(\d+)$/.exec(sub);
  return { shopDomain: new URL(sessionToken.dest).hostname, customerId: customer ? customer[1] : null, cors };
}
