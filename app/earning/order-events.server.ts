import { awardOrder, cancelOrder, recordRefund, type Outcome } from "./orders.server";
import { markRewardCodesUsed } from "../redemption/reward-codes.server";
import { ensureShop, shopWithProgram } from "../shops/shops.server";
import type { Tx } from "../db/transaction.server";
import {
  customerTags,
  timestamp,
  toEarnableOrder,
  toProfile,
  toRedemption,
  toRefundLines,
  type OrderPayload,
  type RefundPayload,
} from "../webhooks/payloads";

/*
 * What an order's payment, refund or cancellation does, whoever reports it: the webhooks (orders/paid,
 * refunds/create, orders/cancelled) and reconciliation, which rebuilds the same payloads from the Admin API. One
 * path, the same idempotency keys, so an event reported twice by different means is applied once.
 */

/** orders/paid: reward codes the order used are marked used, then the order is settled and awarded. */
export async function applyPaidOrder(tx: Tx, shopDomain: string, payload: OrderPayload): Promise<Outcome> {
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
    customer: payload.customer ? { ...toProfile(payload.customer), locale: payload.customer_locale ?? null } : null,
    customerTags: customerTags(payload),
    placedAt: timestamp(payload.processed_at, payload.created_at),
    order: toEarnableOrder(payload),
    redemption: toRedemption(payload),
  });
}

/** refunds/create: the refund is kept once and its share reversed when the order's award exists. */
export async function applyRefund(tx: Tx, shopDomain: string, payload: RefundPayload): Promise<Outcome> {
  const shop = await ensureShop(tx, shopDomain);
  return recordRefund(tx, shop, {
    refundId: payload.id,
    orderId: payload.order_id,
    lines: toRefundLines(payload, shop.currency),
  });
}

/** orders/cancelled: a cancelled order keeps none of its points. */
export async function applyCancellation(tx: Tx, shopDomain: string, payload: OrderPayload): Promise<Outcome> {
  const shop = await ensureShop(tx, shopDomain, payload.currency);
  return cancelOrder(tx, shop, payload.id, timestamp(payload.cancelled_at));
}
