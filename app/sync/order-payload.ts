/*
 * Reconciliation reads orders and refunds from the Admin API (GraphQL) but applies them through the webhook path,
 * so it rebuilds what the webhook would have carried: the REST payload fields the app reads (see
 * app/webhooks/payloads.ts), in the REST names and formats. The same zod schemas then parse both.
 */

interface ShopMoney {
  shopMoney: { amount: string; currencyCode: string };
}

export interface GraphqlOrderSummary {
  id: string;
  updatedAt: string;
  processedAt: string;
  cancelledAt: string | null;
  displayFinancialStatus: string | null;
  refunds: Array<{ id: string; createdAt: string | null }>;
}

export interface GraphqlLineItem {
  id: string;
  quantity: number;
  vendor: string | null;
  isGiftCard: boolean;
  product: { id: string } | null;
  originalUnitPriceSet: ShopMoney;
  discountAllocations: Array<{ allocatedAmountSet: ShopMoney; discountApplication: { index: number } }>;
  taxLines: Array<{ priceSet: ShopMoney }>;
}

export interface GraphqlDiscountApplication {
  __typename: string;
  index: number;
  title?: string;
  description?: string | null;
  code?: string;
}

export interface GraphqlOrder {
  id: string;
  name: string;
  test: boolean;
  currencyCode: string;
  taxesIncluded: boolean;
  processedAt: string;
  createdAt: string;
  cancelledAt: string | null;
  subtotalPriceSet: ShopMoney | null;
  customer: {
    id: string;
    tags: string[];
    firstName: string | null;
    lastName: string | null;
    defaultEmailAddress: { emailAddress: string } | null;
  } | null;
  customAttributes: Array<{ key: string; value: string | null }>;
  discountCodes: string[];
  discountApplications: GraphqlDiscountApplication[];
  lineItems: GraphqlLineItem[];
}

export interface GraphqlRefund {
  id: string;
  createdAt: string | null;
  orderId: string;
  refundLineItems: Array<{
    quantity: number;
    lineItem: { id: string };
    subtotalSet: ShopMoney;
    totalTaxSet: ShopMoney;
  }>;
}

/** The numeric id at the end of a GID, as REST payloads carry it. */
export const restId = (gid: string) => gid.slice(gid.lastIndexOf("/") + 1);

const moneySet = (money: ShopMoney) => ({
  shop_money: { amount: money.shopMoney.amount, currency_code: money.shopMoney.currencyCode },
});

/** What orders/paid is sent for: an order that was paid in full (refunded later or not). */
export function wasPaid(summary: Pick<GraphqlOrderSummary, "displayFinancialStatus">): boolean {
  return ["PAID", "PARTIALLY_REFUNDED", "REFUNDED"].includes(summary.displayFinancialStatus ?? "");
}

const DISCOUNT_TYPES: Record<string, string> = {
  AutomaticDiscountApplication: "automatic",
  DiscountCodeApplication: "discount_code",
  ManualDiscountApplication: "manual",
  ScriptDiscountApplication: "script",
};

/** The order as orders/paid and orders/cancelled would carry it. */
export function toOrderWebhookPayload(order: GraphqlOrder): Record<string, unknown> {
  // REST lists discount applications by position, and allocations point at that position.
  const applications = [...order.discountApplications].sort((a, b) => a.index - b.index);
  return {
    id: restId(order.id),
    name: order.name,
    test: order.test,
    currency: order.currencyCode,
    taxes_included: order.taxesIncluded,
    processed_at: order.processedAt,
    created_at: order.createdAt,
    cancelled_at: order.cancelledAt,
    ...(order.subtotalPriceSet
      ? {
          subtotal_price: order.subtotalPriceSet.shopMoney.amount,
          subtotal_price_set: moneySet(order.subtotalPriceSet),
        }
      : {}),
    customer: order.customer
      ? {
          id: restId(order.customer.id),
          tags: order.customer.tags.join(", "),
          email: order.customer.defaultEmailAddress?.emailAddress ?? null,
          first_name: order.customer.firstName,
          last_name: order.customer.lastName,
        }
      : null,
    line_items: order.lineItems.map((line) => ({
      id: restId(line.id),
      product_id: line.product ? restId(line.product.id) : null,
      vendor: line.vendor,
      quantity: line.quantity,
      price: line.originalUnitPriceSet.shopMoney.amount,
      price_set: moneySet(line.originalUnitPriceSet),
      gift_card: line.isGiftCard,
      discount_allocations: line.discountAllocations.map((allocation) => ({
        amount: allocation.allocatedAmountSet.shopMoney.amount,
        amount_set: moneySet(allocation.allocatedAmountSet),
        discount_application_index: applications.findIndex((a) => a.index === allocation.discountApplication.index),
      })),
      tax_lines: line.taxLines.map((tax) => ({
        price: tax.priceSet.shopMoney.amount,
        price_set: moneySet(tax.priceSet),
      })),
    })),
    note_attributes: order.customAttributes.map((attribute) => ({ name: attribute.key, value: attribute.value })),
    discount_applications: applications.map((application) => ({
      type: DISCOUNT_TYPES[application.__typename] ?? "manual",
      title: application.title ?? application.code ?? null,
      description: application.description ?? null,
    })),
    discount_codes: order.discountCodes.map((code) => ({ code })),
  };
}

/** The refund as refunds/create would carry it. */
export function toRefundWebhookPayload(refund: GraphqlRefund): Record<string, unknown> {
  return {
    id: restId(refund.id),
    order_id: restId(refund.orderId),
    created_at: refund.createdAt,
    refund_line_items: refund.refundLineItems.map((line) => ({
      line_item_id: restId(line.lineItem.id),
      quantity: line.quantity,
      subtotal: line.subtotalSet.shopMoney.amount,
      subtotal_set: moneySet(line.subtotalSet),
      total_tax: line.totalTaxSet.shopMoney.amount,
      total_tax_set: moneySet(line.totalTaxSet),
    })),
  };
}
