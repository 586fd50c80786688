import { readConfig } from "../config.server";
import { authenticate } from "../shopify.server";

export interface AccountCustomer {
  shopDomain: string;
  /** Shopify's numeric customer id, from the token's `sub`. */
  customerId: string;
  cors: (response: Response) => Response;
}

const unauthorized = (error: string, headers?: HeadersInit) =>
  Response.json({ error, code: "unauthorized" }, { status: 401, headers });

/**
 * Verifies a customer account extension's session token (HS256 under the app secret, unexpired, issued for this app,
 * as `authenticate.public.customerAccount` checks it, with its CORS headers) and names the shop from `dest` and the
 * customer from `sub`, never from anything the browser sends. A customer account is always a logged-in customer.
 */
export async function authenticateCustomerAccount(request: Request): Promise<AccountCustomer> {
  let context: Awaited<ReturnType<typeof authenticate.public.customerAccount>>;
  try {
    context = await authenticate.public.customerAccount(request);
  } catch (error) {
    if (error instanceof Response && error.status === 401) {
      throw unauthorized("missing or invalid session token", error.headers);
    }
    throw error;
  }
  const { sessionToken, cors } = context;
  if (sessionToken.aud !== readConfig().apiKey) throw cors(unauthorized("session token issued for another app"));
  const customer = /^gid:\/\/shopify\/Customer\/(\d+)$/.exec(
    typeof sessionToken.sub === "string" ? sessionToken.sub : "",
  );
  if (!customer) throw cors(unauthorized("the session token names no customer"));
  const dest = sessionToken.dest;
  const shopDomain = dest.includes("://") ? new URL(dest).hostname : dest;
  return { shopDomain, customerId: customer[1], cors };
}
