import { z } from "zod";
import type { EarnableOrder } from "../earning/earning";
import { isCurrencyCode, parseMoney } from "../shared/money";
import type { CustomerProfile } from "../members/members.server";
import type { OrderRedemption } from "../redemption/settlement.server";
import { POINTS_DISCOUNT_TITLE, RESERVATION_ATTRIBUTE } from "../shopify/contract";

// Only the fields the app reads are declared; Shopify adds fields freely, so the rest pass through.

const id = z
  .union([z.string().regex(/^\d+$/, "must be a numeric id"), z.number().int().nonnegative()])
  .transform(String);
const amount = z.union([z.string().regex(/^\s*-?\d+(\.\d+)?\s*$/, "must be a decimal amount"), z.number().finite()]);
const moneySet = z.object({ shop_money: z.object({ amount, currency_code: z.string() }) });
const currency = z.string().refine(isCurrencyCode, { message: "must be an ISO 4217 currency code" });

const customer = z.object({
  id,
  tags: z.string().nullish(),
  email: z.string().nullish(),
  first_name: z.string().nullish(),
  last_name: z.string().nullish(),
});

const lineItem = z.object({
  id,
  product_id: id.nullish(),
  vendor: z.string().nullish(),
  quantity: z.number().int().nonnegative(),
  price: amount,
  price_set: moneySet.optional(),
  gift_card: z.boolean().optional().default(false),
  discount_allocations: z
    .array(
      z.object({ amount, amount_set: moneySet.optional(), discount_application_index: z.number().int().optional() }),
    )
    .optional()
    .default([]),
  tax_lines: z
    .array(z.object({ price: amount, price_set: moneySet.optional() }))
    .optional()
    .default([]),
});

export const orderPayload = z.object({
  id,
  name: z.string().optional(),
  test: z.boolean().optional().default(false),
  currency,
  taxes_included: z.boolean().optional().default(false),
  processed_at: z.string().nullish(),
  created_at: z.string().nullish(),
  cancelled_at: z.string().nullish(),
  subtotal_price: amount.optional(),
  subtotal_price_set: moneySet.optional(),
  customer: customer.nullish(),
  // The language the customer shopped in: the language of their messages.
  customer_locale: z.string().nullish(),
  line_items: z.array(lineItem),
  note_attributes: z
    .array(z.object({ name: z.string(), value: z.union([z.string(), z.number(), z.boolean()]).nullish() }))
    .optional()
    .default([]),
  discount_applications: z
    .array(z.object({ type: z.string().optional(), title: z.string().nullish(), description: z.string().nullish() }))
    .optional()
    .default([]),
  discount_codes: z
    .array(z.object({ code: z.string() }))
    .optional()
    .default([]),
});
export type OrderPayload = z.infer<typeof orderPayload>;

const refundLineItem = z.object({
  line_item_id: id,
  quantity: z.number().int().nonnegative(),
  subtotal: amount.optional(),
  subtotal_set: moneySet.optional(),
  total_tax: amount.optional(),
  total_tax_set: moneySet.optional(),
});

export const refundPayload = z.object({
  id,
  order_id: id,
  created_at: z.string().nullish(),
  processed_at: z.string().nullish(),
  refund_line_items: z.array(refundLineItem),
});
export type RefundPayload = z.infer<typeof refundPayload>;

// What customers/create and customers/update say of the customer beyond the order's copy. Since 2025-01 Shopify
// sends tags and email marketing consent on topics of their own; older shapes that carry them are still read.
export const customerPayload = customer.extend({
  created_at: z.string().nullish(),
  updated_at: z.string().nullish(),
  state: z.string().nullish(),
  verified_email: z.boolean().nullish(),
  email_marketing_consent: z.object({ state: z.string().nullish() }).nullish(),
  // Kept only as keys (app/fraud/identity-keys.server.ts). Absent without protected customer data access.
  phone: z.string().nullish(),
  default_address: z
    .object({
      zip: z.string().nullish(),
      province: z.string().nullish(),
      city: z.string().nullish(),
      address1: z.string().nullish(),
      address2: z.string().nullish(),
    })
    .nullish(),
  addresses: z.array(z.unknown()).nullish(),
});
export type CustomerPayload = z.infer<typeof customerPayload>;

/** customer.tags_added and customer.tags_removed: which tags, on which customer (a GID), and when. */
export const customerTagsPayload = z.object({
  customerId: z.string().regex(/^gid:\/\/shopify\/Customer\/\d+$/, "must be a Customer GID"),
  tags: z.array(z.string()),
  occurredAt: z.string().nullish(),
});

/** customers_email_marketing_consent/update: the customer's email marketing consent now. */
export const marketingConsentPayload = z.object({
  customer_id: id,
  email_marketing_consent: z.object({ state: z.string(), consent_updated_at: z.string().nullish() }).nullish(),
});

/** bulk_operations/finish: which operation ended and how; its result's URL is read back from the Admin API. */
export const bulkOperationFinishPayload = z.object({
  admin_graphql_api_id: z.string().regex(/^gid:\/\/shopify\/BulkOperation\/\d+$/, "must be a BulkOperation GID"),
  status: z.string(),
  error_code: z.string().nullish(),
  type: z.string().nullish(),
  created_at: z.string().nullish(),
  completed_at: z.string().nullish(),
});

export const customersDataRequestPayload = z.object({
  shop_domain: z.string(),
  customer: z.object({ id }),
  orders_requested: z.array(id).optional().default([]),
});

export const customersRedactPayload = z.object({
  shop_domain: z.string(),
  customer: z.object({ id }),
  orders_to_redact: z.array(id).optional().default([]),
});

export const shopRedactPayload = z.object({ shop_domain: z.string() });

export const appUninstalledPayload = z.object({}).passthrough();

export const scopesUpdatePayload = z.object({ current: z.array(z.string()) });

/** A Shopify timestamp, or now when Shopify left it out; never an invalid date. */
export function timestamp(...candidates: Array<string | null | undefined>): Date {
  for (const value of candidates) {
    if (!value) continue;
    const date = new Date(value);
    if (!Number.isNaN(date.getTime())) return date;
  }
  return new Date();
}

function shopAmount(plain: string | number, set: z.infer<typeof moneySet> | undefined, shopCurrency: string): number {
  return parseMoney(set?.shop_money.amount ?? plain, shopCurrency);
}

/** The order as the earning core sees it: shop-currency amounts in minor units. */
export function toEarnableOrder(order: OrderPayload): EarnableOrder {
  return {
    currency: order.currency,
    taxesIncluded: order.taxes_included,
    subtotalMinor:
      order.subtotal_price === undefined && order.subtotal_price_set === undefined
        ? undefined
        : shopAmount(order.subtotal_price ?? 0, order.subtotal_price_set, order.currency),
    lines: order.line_items.map((line) => ({
      id: line.id,
      quantity: line.quantity,
      unitPriceMinor: shopAmount(line.price, line.price_set, order.currency),
      discountMinor: line.discount_allocations.reduce(
        (sum, allocation) => sum + shopAmount(allocation.amount, allocation.amount_set, order.currency),
        0,
      ),
      taxMinor: line.tax_lines.reduce((sum, tax) => sum + shopAmount(tax.price, tax.price_set, order.currency), 0),
      giftCard: line.gift_card,
      product: { productId: line.product_id ?? null, vendor: line.vendor ?? null },
    })),
  };
}

export function toProfile(payload: z.infer<typeof customer>): CustomerProfile {
  return {
    customerId: payload.id,
    email: payload.email ?? null,
    firstName: payload.first_name ?? null,
    lastName: payload.last_name ?? null,
  };
}

/** Refund lines as stored: shop-currency minor units, measured against the earn when applied. */
export interface StoredRefundLine {
  lineItemId: string;
  quantity: number;
  subtotalMinor: number;
  taxMinor: number;
}

export function toRefundLines(refund: RefundPayload, shopCurrency: string): StoredRefundLine[] {
  return refund.refund_line_items.map((line) => ({
    lineItemId: line.line_item_id,
    quantity: line.quantity,
    subtotalMinor: shopAmount(line.subtotal ?? 0, line.subtotal_set, shopCurrency),
    taxMinor: shopAmount(line.total_tax ?? 0, line.total_tax_set, shopCurrency),
  }));
}

/** How the points discount shows on an order: the discount's title, or the Function's message. */
function isPointsDiscount(application: OrderPayload["discount_applications"][number]): boolean {
  const names = [application.title, application.description].filter((name): name is string => Boolean(name));
  return (
    application.type === "automatic" &&
    names.some(
      (name) =>
        name === POINTS_DISCOUNT_TITLE || name.startsWith("Points redemption") || name.startsWith("ポイント利用"),
    )
  );
}

/** The reservation the order carried and the points discount Shopify actually applied to it. */
export function toRedemption(order: OrderPayload): OrderRedemption {
  const attribute = order.note_attributes.find((note) => note.name === RESERVATION_ATTRIBUTE);
  const indexes = new Set(
    order.discount_applications.flatMap((application, index) => (isPointsDiscount(application) ? [index] : [])),
  );
  const appliedMinor = order.line_items
    .flatMap((line) => line.discount_allocations)
    .filter(
      (allocation) =>
        allocation.discount_application_index !== undefined && indexes.has(allocation.discount_application_index),
    )
    .reduce((sum, allocation) => sum + shopAmount(allocation.amount, allocation.amount_set, order.currency), 0);
  return { nonce: attribute?.value ? String(attribute.value) : null, appliedMinor };
}

/** A customer's tags as Shopify sends them ("VIP, wholesale"). */
export function customerTags(order: OrderPayload): string[] {
  return (order.customer?.tags ?? "")
    .split(",")
    .map((tag) => tag.trim())
    .filter(Boolean);
}

export const productPayload = z.object({
  id,
  vendor: z.string().nullish(),
  product_type: z.string().nullish(),
  tags: z.string().nullish(),
});

export const deletedPayload = z.object({ id });

export const collectionPayload = z.object({ id });
