import type { ActionFunctionArgs } from "@remix-run/node";
import { awardOrder } from "../earning/orders.server";
import { markRewardCodesUsed } from "../redemption/reward-codes.server";
import { shopWithProgram } from "../shops/shops.server";
import { handleWebhook } from "../webhooks/handle.server";
import { customerTags, orderPayload, timestamp, toEarnableOrder, toProfile, toRedemption } from "../webhooks/payloads";

export const action = ({ request }: ActionFunctionArgs) =>
  handleWebhook(request, {
    topic: "orders/paid",
    schema: orderPayload,
    apply: async (tx, { shopDomain, payload }) => {
      const { shop, ...program } = await shopWithProgram(tx, shopDomain, payload.currency);
      await markRewardCodesUsed(
        tx,
        shop.id,
        payload.discount_codes.map((discount) => discount.code),
      );
      return awardOrder(tx, shop, program, {
        orderId: payload.id,
        name: payload.name,
        test: payload.test,
        customer: payload.customer ? toProfile(payload.customer) : null,
        customerTags: customerTags(payload),
        placedAt: timestamp(payload.processed_at, payload.created_at),
        order: toEarnableOrder(payload),
        redemption: toRedemption(payload),
      });
    },
  });
