import type { ActionFunctionArgs } from "@remix-run/node";
import { orUnavailable } from "../db/unavailable.server";
import prisma from "../db.server";
import { BODY_LIMITS } from "../http/body-limits";
import { readJsonWithin } from "../http/body.server";
import { authenticateProxy } from "../storefront/proxy.server";
import { BonusRefused, setBirthday } from "../program/bonuses.server";
import { findInstalledShop } from "../shops/shops.server";

// POST /apps/tsumiki/birthday {"birthday":"MM-DD"}: the logged-in shopper's birthday, for the birthday bonus.
export const action = ({ request }: ActionFunctionArgs) =>
  orUnavailable(async () => {
    const { shopDomain, customerId } = await authenticateProxy(request);
    if (!customerId) return Response.json({ error: "log in to save your birthday" }, { status: 401 });
    const body = (await readJsonWithin(request, BODY_LIMITS.storefront)) as { birthday?: unknown } | null;
    if (typeof body?.birthday !== "string")
      return Response.json({ error: 'send {"birthday": "MM-DD"}' }, { status: 400 });
    const birthday = body.birthday;
    try {
      await prisma.$transaction(async (tx) => {
        const shop = await findInstalledShop(tx, shopDomain);
        if (!shop) throw new BonusRefused("this shop has not installed Tsumiki");
        await setBirthday(tx, shop, customerId, birthday);
      });
    } catch (error) {
      if (error instanceof BonusRefused) return Response.json({ error: error.message }, { status: 400 });
      throw error;
    }
    return Response.json({ birthday });
  });
