import type { LoaderFunctionArgs } from "@remix-run/node";
import { orUnavailable } from "../db/unavailable.server";
import prisma from "../db.server";
import { authenticateProxy, proxyJson } from "../storefront/proxy.server";
import { currentProgram } from "../shops/shops.server";
import { findStorefrontMember, issuedCodes, storefrontReward } from "../storefront/storefront.server";
import type { StorefrontRewards } from "../storefront/storefront-api";

// GET /apps/tsumiki/rewards: the rewards on offer and the shopper's unused codes.
export const loader = ({ request }: LoaderFunctionArgs) =>
  orUnavailable(async () => {
    const { shopDomain, customerId } = await authenticateProxy(request);
    const rewards = await prisma.$transaction(async (tx): Promise<StorefrontRewards | null> => {
      const { shop, member } = customerId
        ? await findStorefrontMember(tx, shopDomain, customerId)
        : { shop: await tx.shop.findUnique({ where: { domain: shopDomain } }), member: null };
      if (!shop || shop.uninstalledAt) return null;
      const { settings } = await currentProgram(tx, shop);
      return {
        rewards: settings.rewards.map((reward) => storefrontReward(reward, settings.currency)),
        codes: member ? await issuedCodes(tx, member.id, new Date()) : [],
      };
    });
    if (!rewards) return proxyJson({ error: "this shop has not installed Tsumiki" }, 404);
    return proxyJson(rewards);
  });
