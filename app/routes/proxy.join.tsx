import type { ActionFunctionArgs } from "@remix-run/node";
import { orUnavailable } from "../db/unavailable.server";
import prisma from "../db.server";
import { BODY_LIMITS } from "../http/body-limits";
import { readJsonWithin } from "../http/body.server";
import { joinProgram, MembershipRefused } from "../members/membership.server";
import { authenticateProxy, proxyJson } from "../storefront/proxy.server";

// POST /apps/tsumiki/join {"termsVersion": "…"}: the logged-in shopper accepts the program terms and joins. The
// email and its verification come from the member's Shopify profile (synced), never from the storefront.
export const action = ({ request }: ActionFunctionArgs) =>
  orUnavailable(async () => {
    const { shopDomain, customerId } = await authenticateProxy(request);
    if (request.method !== "POST") return proxyJson({ error: "use POST" }, 405);
    if (!customerId) return proxyJson({ error: "log in to join the program" }, 401);
    const body = (await readJsonWithin(request, BODY_LIMITS.storefront)) as { termsVersion?: unknown } | null;
    if (typeof body?.termsVersion !== "string")
      return proxyJson({ error: 'send {"termsVersion": "<the version you accept>"}' }, 400);
    try {
      return proxyJson(
        await joinProgram(prisma, shopDomain, customerId, { termsVersion: body.termsVersion, channel: "storefront" }),
      );
    } catch (error) {
      if (error instanceof MembershipRefused) return proxyJson({ error: error.message }, 409);
      throw error;
    }
  });
