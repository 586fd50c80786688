import { adminGraphql } from "../shopify/graphql.server";
import type { GraphqlLineItem, GraphqlOrder, GraphqlOrderSummary, GraphqlRefund } from "./order-payload";

interface PageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
}

/** Shopify's search syntax for orders updated in [since, until). */
export function updatedBetween(since: Date, until: Date): string {
  return `updated_at:>='${since.toISOString()}' AND updated_at:<'${until.toISOString()}'`;
}

/**
 * One page of orders updated in the window, oldest update first, with just what tells whether the app applied
 * them: payment status, cancellation and refund ids. Cheap (no line items), so the window pages quickly.
 */
export async function fetchUpdatedOrders(
  shop: string,
  since: Date,
  until: Date,
  after: string | null,
): Promise<{ orders: GraphqlOrderSummary[]; next: string | null }> {
  const data = await adminGraphql<{ orders: { nodes: GraphqlOrderSummary[]; pageInfo: PageInfo } }>(
    shop,
    `#graphql
    query TsumikiReconcileOrders($query: String!, $after: String) {
      orders(first: 100, after: $after, query: $query, sortKey: UPDATED_AT) {
        nodes { id updatedAt processedAt cancelledAt displayFinancialStatus refunds { id createdAt } }
        pageInfo { hasNextPage endCursor }
      }
    }`,
    { query: updatedBetween(since, until), after },
  );
  return {
    orders: data.orders.nodes,
    next: data.orders.pageInfo.hasNextPage ? data.orders.pageInfo.endCursor : null,
  };
}

type OrderNode = Omit<GraphqlOrder, "discountApplications" | "lineItems"> & {
  discountApplications: { nodes: GraphqlOrder["discountApplications"] };
  lineItems: { nodes: GraphqlLineItem[]; pageInfo: PageInfo };
};

/** One order in full, as the earn rules need it (every line item, page by page); null when Shopify has none. */
export async function fetchOrder(shop: string, orderGid: string): Promise<GraphqlOrder | null> {
  let order: GraphqlOrder | undefined;
  const lineItems: GraphqlLineItem[] = [];
  let after: string | null = null;
  do {
    const data: { order: OrderNode | null } = await adminGraphql(
      shop,
      `#graphql
      query TsumikiReconcileOrder($id: ID!, $after: String) {
        order(id: $id) {
          id name test currencyCode taxesIncluded processedAt createdAt cancelledAt
          subtotalPriceSet { shopMoney { amount currencyCode } }
          customer { id tags firstName lastName defaultEmailAddress { emailAddress } }
          customAttributes { key value }
          discountCodes
          discountApplications(first: 50) {
            nodes {
              __typename
              index
              ... on AutomaticDiscountApplication { title }
              ... on ManualDiscountApplication { title description }
              ... on ScriptDiscountApplication { title }
              ... on DiscountCodeApplication { code }
            }
          }
          lineItems(first: 100, after: $after) {
            nodes {
              id quantity vendor isGiftCard
              product { id }
              originalUnitPriceSet { shopMoney { amount currencyCode } }
              discountAllocations {
                allocatedAmountSet { shopMoney { amount currencyCode } }
                discountApplication { index }
              }
              taxLines { priceSet { shopMoney { amount currencyCode } } }
            }
            pageInfo { hasNextPage endCursor }
          }
        }
      }`,
      { id: orderGid, after },
    );
    if (!data.order) return null;
    const { lineItems: page, discountApplications, ...rest } = data.order;
    order ??= { ...rest, discountApplications: discountApplications.nodes, lineItems };
    lineItems.push(...page.nodes);
    after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
  } while (after);
  return order ?? null;
}

type RefundNode = Omit<GraphqlRefund, "orderId" | "refundLineItems"> & {
  order: { id: string };
  refundLineItems: { nodes: GraphqlRefund["refundLineItems"]; pageInfo: PageInfo };
};

/** One refund with every refunded line, page by page; null when Shopify has none. */
export async function fetchRefund(shop: string, refundGid: string): Promise<GraphqlRefund | null> {
  let refund: GraphqlRefund | undefined;
  const refundLineItems: GraphqlRefund["refundLineItems"] = [];
  let after: string | null = null;
  do {
    const data: { refund: RefundNode | null } = await adminGraphql(
      shop,
      `#graphql
      query TsumikiReconcileRefund($id: ID!, $after: String) {
        refund(id: $id) {
          id createdAt
          order { id }
          refundLineItems(first: 100, after: $after) {
            nodes {
              quantity
              lineItem { id }
              subtotalSet { shopMoney { amount currencyCode } }
              totalTaxSet { shopMoney { amount currencyCode } }
            }
            pageInfo { hasNextPage endCursor }
          }
        }
      }`,
      { id: refundGid, after },
    );
    if (!data.refund) return null;
    const { order, refundLineItems: page, ...rest } = data.refund;
    refund ??= { ...rest, orderId: order.id, refundLineItems };
    refundLineItems.push(...page.nodes);
    after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
  } while (after);
  return refund ?? null;
}
