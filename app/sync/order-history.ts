import type { GraphqlDiscountApplication, GraphqlLineItem, GraphqlOrder, GraphqlOrderSummary } from "./order-payload";

/** How far back the merchant can read: Shopify keeps every order, but older history rarely moves a tier. */
export const MAX_HISTORY_MONTHS = 24;

export class HistoryRefused extends Error {}

export function checkMonths(value: unknown): number {
  const months = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  if (typeof months !== "number" || !Number.isInteger(months) || months < 1 || months > MAX_HISTORY_MONTHS) {
    throw new HistoryRefused(`months must be a whole number from 1 to ${MAX_HISTORY_MONTHS}`);
  }
  return months;
}

/** The window read: `months` calendar months before the install, up to the install (after it, webhooks count). */
export function historyWindow(installedAt: Date, months: number): { since: Date; until: Date } {
  const since = new Date(installedAt);
  since.setUTCMonth(since.getUTCMonth() - months);
  return { since, until: installedAt };
}

const MONEY = "shopMoney { amount currencyCode }";

/** The fields of an order that rebuild its orders/paid payload (see order-payload.ts), in bulk-query form. */
const ORDER_FIELDS = `
  id name test currencyCode taxesIncluded processedAt createdAt cancelledAt updatedAt displayFinancialStatus
  subtotalPriceSet { ${MONEY} }
  currentSubtotalPriceSet { ${MONEY} }
  customer { id tags firstName lastName defaultEmailAddress { emailAddress } }
  customAttributes { key value }
  discountCodes
  refunds { id createdAt }
  discountApplications {
    edges {
      node {
        __typename
        index
        ... on AutomaticDiscountApplication { title }
        ... on ManualDiscountApplication { title description }
        ... on ScriptDiscountApplication { title }
        ... on DiscountCodeApplication { code }
      }
    }
  }
  lineItems {
    edges {
      node {
        id quantity vendor isGiftCard
        product { id }
        originalUnitPriceSet { ${MONEY} }
        discountAllocations { allocatedAmountSet { ${MONEY} } discountApplication { index } }
        taxLines { priceSet { ${MONEY} } }
      }
    }
  }`;

/** The bulk query for the orders paid in [since, until). */
export function historyBulkQuery(since: Date, until: Date): string {
  const search = `processed_at:>='${since.toISOString()}' AND processed_at:<'${until.toISOString()}'`;
  return `{ orders(query: ${JSON.stringify(search)}, sortKey: PROCESSED_AT) { edges { node { ${ORDER_FIELDS} } } } }`;
}

/**
 * The bulk query for reconciliation's catch-up after a long gap: orders updated in [since, until), with what tells
 * whether the app applied them (the same fields as the paged check, app/sync/shopify-orders.server.ts).
 */
export function catchUpBulkQuery(since: Date, until: Date): string {
  const search = `updated_at:>='${since.toISOString()}' AND updated_at:<'${until.toISOString()}'`;
  return `{ orders(query: ${JSON.stringify(search)}, sortKey: UPDATED_AT) { edges { node {
    id updatedAt processedAt cancelledAt displayFinancialStatus refunds { id createdAt } } } } }`;
}

export type HistoryRecord = Readonly<Record<string, unknown>>;

export interface HistoryOrder extends GraphqlOrder {
  displayFinancialStatus: string | null;
  currentSubtotalPriceSet: GraphqlOrder["subtotalPriceSet"];
  refunds: GraphqlOrderSummary["refunds"];
  updatedAt: string;
}

/** What a line of the result is: an order, one of its line items or discount applications, or something else. */
export function recordKind(record: HistoryRecord): "order" | "lineItem" | "discountApplication" | null {
  const id = typeof record.id === "string" ? record.id : "";
  if (id.startsWith("gid://shopify/Order/") && record.__parentId === undefined) return "order";
  if (id.startsWith("gid://shopify/LineItem/")) return "lineItem";
  if (typeof record.__typename === "string" && record.__typename.endsWith("DiscountApplication")) {
    return "discountApplication";
  }
  return null;
}

/** An order put back together from its line and its children's lines, as the Admin API returns it. */
export function assembleOrder(order: HistoryRecord, children: HistoryRecord[]): HistoryOrder {
  const strip = <T>(record: HistoryRecord): T => {
    const { __parentId: _parent, ...rest } = record;
    return rest as T;
  };
  return {
    ...(order as unknown as HistoryOrder),
    lineItems: children.filter((c) => recordKind(c) === "lineItem").map((c) => strip<GraphqlLineItem>(c)),
    discountApplications: children
      .filter((c) => recordKind(c) === "discountApplication")
      .map((c) => strip<GraphqlDiscountApplication>(c)),
  };
}
