import type { ActionFunctionArgs } from "@remix-run/node";
import { orUnavailable } from "../db/unavailable.server";
import { z } from "zod";
import prisma from "../db.server";
import { BODY_LIMITS } from "../http/body-limits";
import { readJsonWithin } from "../http/body.server";
import { authenticateProxy, proxyJson } from "../storefront/proxy.server";
import { redeemReward, RewardRefused } from "../redemption/reward-codes.server";
import type { RedeemRefusal } from "../storefront/storefront-api";

const RedeemBody = z.object({
  rewardId: z.string().min(1).max(100),
  key: z.string().regex(/^[\w-]{8,100}$/, "key must be 8 to 100 letters, digits, - or _"),
});

const STATUS: Record<RedeemRefusal, number> = {
  not_logged_in: 401,
  unknown_reward: 404,
  insufficient_balance: 409,
  blocked: 403,
  shopify_refused: 502,
  in_progress: 503,
  invalid_request: 400,
};

// POST /apps/tsumiki/redeem {rewardId, key}: points into a single-use discount code for this shopper.
export const action = ({ request }: ActionFunctionArgs) =>
  orUnavailable(async () => {
    const { shopDomain, customerId } = await authenticateProxy(request);
    if (request.method !== "POST") return proxyJson({ error: "use POST", code: "invalid_request" }, 405);
    if (!customerId) return proxyJson({ error: "log in to redeem points", code: "not_logged_in" }, 401);
    const parsed = RedeemBody.safeParse(await readJsonWithin(request, BODY_LIMITS.storefront));
    if (!parsed.success) {
      const reason = parsed.error.issues
        .map((issue) => `${issue.path.join(".") || "body"}: ${issue.message}`)
        .join("; ");
      return proxyJson({ error: `invalid request: ${reason}`, code: "invalid_request" }, 400);
    }
    try {
      const result = await redeemReward(prisma, shopDomain, customerId, parsed.data.rewardId, parsed.data.key);
      return proxyJson(result);
    } catch (error) {
      if (error instanceof RewardRefused)
        return proxyJson({ error: error.message, code: error.code }, STATUS[error.code]);
      throw error;
    }
  });
