import type { AdminCall } from "./admin-api";
import type { orderPayload, refundPayload } from "./payloads";

type OrderJson = ReturnType<typeof orderPayload>;
type RefundJson = ReturnType<typeof refundPayload>;

interface Money {
  shop_money: { amount: string; currency_code: string };
}

interface Stored {
  order: OrderJson;
  paid: boolean;
  refunds: RefundJson[];
  cancelledAt: string | null;
  updatedAt: string;
}

const gid = (type: string, id: number | string) => `gid://shopify/${type}/${id}`;
const shopMoney = (set: Money | undefined, amount: string | number, currency: string) => ({
  shopMoney: {
    amount: String(set?.shop_money.amount ?? amount),
    currencyCode: set?.shop_money.currency_code ?? currency,
  },
});

/**
 * The orders of a shop as Shopify's Admin API would report them, built from the same webhook payloads the tests
 * deliver: what reconciliation reads when a webhook was lost. Answers TsumikiReconcileOrders (the updated_at
 * window search), TsumikiReconcileOrder and TsumikiReconcileRefund in the 2026-07 schema's shapes (the interceptor
 * checks every answer against the schema).
 */
export class ShopifyOrderBook {
  private orders = new Map<string, Stored>();
  private refunds = new Map<string, { refund: RefundJson; orderId: string }>();

  pay(order: OrderJson, at = order.processed_at) {
    this.orders.set(String(order.id), { order, paid: true, refunds: [], cancelledAt: null, updatedAt: at });
  }

  refund(refund: RefundJson, at = refund.created_at) {
    const stored = this.orders.get(String(refund.order_id))!;
    stored.refunds.push(refund);
    stored.updatedAt = at;
    this.refunds.set(String(refund.id), { refund, orderId: String(refund.order_id) });
  }

  cancel(orderId: number | string, at: string) {
    const stored = this.orders.get(String(orderId))!;
    stored.cancelledAt = at;
    stored.order = { ...stored.order, cancelled_at: at };
    stored.updatedAt = at;
  }

  /** The orders/cancelled payload Shopify would send now. */
  cancelledPayload(orderId: number | string): OrderJson {
    return this.orders.get(String(orderId))!.order;
  }

  respond = (call: AdminCall): unknown => {
    switch (call.operation) {
      case "TsumikiReconcileOrders":
        return this.search(String(call.variables.query), (call.variables.after as string | null) ?? null);
      case "TsumikiReconcileOrder":
        return { order: this.orderNode(String(call.variables.id)) };
      case "TsumikiReconcileRefund":
        return { refund: this.refundNode(String(call.variables.id)) };
      default:
        return undefined;
    }
  };

  private search(query: string, after: string | null, first = 100) {
    const since = /updated_at:>='([^']+)'/.exec(query)?.[1];
    const until = /updated_at:<'([^']+)'/.exec(query)?.[1];
    const matching = [...this.orders.values()]
      .filter((s) => (!since || s.updatedAt >= since) && (!until || s.updatedAt < until))
      .sort((a, b) => a.updatedAt.localeCompare(b.updatedAt));
    const start = after ? Number(after) : 0;
    const page = matching.slice(start, start + first);
    const end = start + page.length;
    return {
      orders: {
        nodes: page.map((s) => ({
          id: gid("Order", s.order.id),
          updatedAt: s.updatedAt,
          processedAt: s.order.processed_at,
          cancelledAt: s.cancelledAt,
          displayFinancialStatus: this.financialStatus(s),
          refunds: s.refunds.map((r) => ({ id: gid("Refund", r.id), createdAt: r.created_at })),
        })),
        pageInfo: { hasNextPage: end < matching.length, endCursor: page.length ? String(end) : null },
      },
    };
  }

  /**
   * The result of the order-history bulk query (app/sync/order-history.ts) over every order: each order's line,
   * then its discount applications and line items as lines of their own naming it in __parentId, as Shopify writes
   * nested connections.
   */
  historyJsonl(): string {
    const lines: unknown[] = [];
    for (const stored of this.orders.values()) {
      const node = this.orderNode(String(stored.order.id))!;
      const { lineItems, discountApplications, ...order } = node;
      lines.push({
        ...order,
        updatedAt: stored.updatedAt,
        displayFinancialStatus: this.financialStatus(stored),
        currentSubtotalPriceSet: {
          shopMoney: {
            amount: String(
              Number(order.subtotalPriceSet.shopMoney.amount) -
                stored.refunds.reduce(
                  (sum, r) => sum + r.refund_line_items.reduce((s2, line) => s2 + Number(line.subtotal), 0),
                  0,
                ),
            ),
            currencyCode: order.currencyCode,
          },
        },
        refunds: stored.refunds.map((r) => ({ id: gid("Refund", r.id), createdAt: r.created_at })),
      });
      for (const application of discountApplications.nodes) lines.push({ ...application, __parentId: node.id });
      for (const line of lineItems.nodes) lines.push({ ...line, __parentId: node.id });
    }
    return lines.map((line) => `${JSON.stringify(line)}\n`).join("");
  }

  /** The result of reconciliation's catch-up bulk query: the orders updated in the window, one line each. */
  catchUpJsonl(query: string): string {
    return this.search(query, null, Number.MAX_SAFE_INTEGER)
      .orders.nodes.map((node) => `${JSON.stringify(node)}\n`)
      .join("");
  }

  private financialStatus(s: Stored): string {
    if (!s.paid) return "PENDING";
    return s.refunds.length > 0 ? "PARTIALLY_REFUNDED" : "PAID";
  }

  private orderNode(id: string) {
    const stored = this.orders.get(id.split("/").pop()!);
    if (!stored) return null;
    const { order } = stored;
    const currency = order.currency;
    // Fields the documented example carries but the fixture's type does not name.
    const extra = order as unknown as Record<string, unknown>;
    const applications = (extra.discount_applications as Array<Record<string, unknown>> | undefined) ?? [];
    return {
      id: gid("Order", order.id),
      name: order.name,
      test: order.test,
      currencyCode: currency,
      taxesIncluded: order.taxes_included,
      processedAt: order.processed_at,
      createdAt: order.created_at,
      cancelledAt: stored.cancelledAt,
      subtotalPriceSet: shopMoney(order.subtotal_price_set, order.subtotal_price, currency),
      customer: order.customer
        ? {
            id: gid("Customer", order.customer.id),
            tags: String((order.customer as { tags?: string }).tags ?? "")
              .split(",")
              .map((t) => t.trim())
              .filter(Boolean),
            firstName: order.customer.first_name,
            lastName: order.customer.last_name,
            defaultEmailAddress: order.customer.email ? { emailAddress: order.customer.email } : null,
          }
        : null,
      customAttributes: ((extra.note_attributes as Array<{ name: string; value: string }> | undefined) ?? []).map(
        (a) => ({ key: a.name, value: a.value }),
      ),
      discountCodes: ((extra.discount_codes as Array<{ code: string }> | undefined) ?? []).map((d) => d.code),
      discountApplications: {
        nodes: applications.map((a, index) =>
          a.type === "discount_code"
            ? { __typename: "DiscountCodeApplication", index, code: String(a.code ?? a.title) }
            : a.type === "automatic"
              ? { __typename: "AutomaticDiscountApplication", index, title: String(a.title) }
              : {
                  __typename: "ManualDiscountApplication",
                  index,
                  title: String(a.title),
                  description: (a.description as string | null) ?? null,
                },
        ),
      },
      lineItems: {
        nodes: order.line_items.map((line) => ({
          id: gid("LineItem", line.id),
          quantity: line.quantity,
          vendor: line.vendor,
          isGiftCard: line.gift_card,
          product: line.product_id ? { id: gid("Product", line.product_id) } : null,
          originalUnitPriceSet: shopMoney(line.price_set, line.price, currency),
          discountAllocations: (
            line.discount_allocations as Array<{
              amount: string;
              amount_set?: Money;
              discount_application_index?: number;
            }>
          ).map((allocation) => ({
            allocatedAmountSet: shopMoney(allocation.amount_set, allocation.amount, currency),
            discountApplication: {
              __typename: "ManualDiscountApplication",
              index: allocation.discount_application_index ?? 0,
            },
          })),
          taxLines: (line.tax_lines as Array<{ price: string; price_set?: Money }>).map((tax) => ({
            priceSet: shopMoney(tax.price_set, tax.price, currency),
          })),
        })),
        pageInfo: { hasNextPage: false, endCursor: null },
      },
    };
  }

  private refundNode(id: string) {
    const found = this.refunds.get(id.split("/").pop()!);
    if (!found) return null;
    const { refund, orderId } = found;
    const currency = this.orders.get(orderId)!.order.currency;
    return {
      id: gid("Refund", refund.id),
      createdAt: refund.created_at,
      order: { id: gid("Order", orderId) },
      refundLineItems: {
        nodes: refund.refund_line_items.map((line) => ({
          quantity: line.quantity,
          lineItem: { id: gid("LineItem", line.line_item_id) },
          subtotalSet: shopMoney(line.subtotal_set, line.subtotal, currency),
          totalTaxSet: shopMoney(line.total_tax_set, line.total_tax, currency),
        })),
        pageInfo: { hasNextPage: false, endCursor: null },
      },
    };
  }
}
