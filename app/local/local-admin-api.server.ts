import { LOCAL_SHOP, localMode } from "./local.server";

/**
 * Local mode has no Shopify to call: this stands in for the demo shop's Admin API, answering the operations the
 * app makes in the shapes Shopify's 2026-07 schema defines (test/local-admin-api.test.ts checks them against
 * it). Reward codes live in memory, unused, so the storefront preview's redeem loop works end to end. Bulk queries
 * (the sync page) complete at once with a JSONL file of the demo customers or catalogue, served at the URL the
 * operation reports.
 */
const codes = new Map<string, { id: string; used: number }>();
let nextId = 1000;
/**
 * Metafields the app wrote, by owner, namespace and key (JSON values): the reservation the discount Function reads,
 * so the storefront preview's stand-in checkout can run the real Function on what Shopify would hold.
 */
const metafields = new Map<string, string>();
const metafieldKey = (ownerId: string, namespace: string, key: string) => `${ownerId} ${namespace} ${key}`;

/** A metafield's JSON value as the stand-in holds it, or null when none was written (or it was deleted). */
export function localMetafield(ownerId: string, namespace: string, key: string): unknown {
  const value = metafields.get(metafieldKey(ownerId, namespace, key));
  return value === undefined ? null : (JSON.parse(value) as unknown);
}

type Variables = Record<string, unknown>;

/** The demo shop's customers and catalogue, as the bulk queries of app/sync/ read them (2026-07 shapes). */
const DEMO_CUSTOMERS = [
  { id: 1001, firstName: "Hanako", lastName: "Yamada", tags: ["VIP"], marketingState: "SUBSCRIBED" },
  { id: 1002, firstName: "Taro", lastName: "Suzuki", tags: [], marketingState: "NOT_SUBSCRIBED" },
  { id: 1003, firstName: "Yui", lastName: "Tanaka", tags: ["wholesale"], marketingState: "UNSUBSCRIBED" },
];
const DEMO_PRODUCTS = [
  { id: 7001, vendor: "Kyoto Tea", productType: "Tea", tags: ["green", "organic"], collections: [500] },
  { id: 7002, vendor: "Arita", productType: "Mug", tags: ["ceramic"], collections: [500, 501] },
  { id: 7003, vendor: "Tsumiki", productType: "Gift card", tags: [], collections: [] },
];

function demoCustomersJsonl(): string[] {
  return DEMO_CUSTOMERS.map((customer) =>
    JSON.stringify({
      id: `gid://shopify/Customer/${customer.id}`,
      firstName: customer.firstName,
      lastName: customer.lastName,
      tags: customer.tags,
      state: "ENABLED",
      verifiedEmail: true,
      locale: "ja",
      updatedAt: "2026-11-01T00:00:00Z",
      defaultEmailAddress: {
        emailAddress: `${customer.firstName.toLowerCase()}@example.jp`,
        marketingState: customer.marketingState,
      },
    }),
  );
}

function demoProductsJsonl(): string[] {
  return DEMO_PRODUCTS.flatMap((product) => [
    JSON.stringify({
      id: `gid://shopify/Product/${product.id}`,
      vendor: product.vendor,
      productType: product.productType,
      tags: product.tags,
    }),
    // Nested connections' objects come on lines of their own, naming their parent.
    ...product.collections.map((collection) =>
      JSON.stringify({
        id: `gid://shopify/Collection/${collection}`,
        __parentId: `gid://shopify/Product/${product.id}`,
      }),
    ),
  ]);
}

/**
 * The demo shop's orders from before the install (the order-history page reads them), as the bulk query of
 * app/sync/order-history.ts returns them: each order, then its line items naming it in __parentId.
 */
function demoHistoryJsonl(): string[] {
  const monthsAgo = (months: number) => {
    const date = new Date();
    date.setUTCMonth(date.getUTCMonth() - months);
    return date.toISOString();
  };
  const money = (amount: number) => ({ shopMoney: { amount: String(amount), currencyCode: "JPY" } });
  const orders = [
    { id: 9001, customer: DEMO_CUSTOMERS[0], months: 5, price: 5400, quantity: 1, product: 7001, refunded: 0 },
    { id: 9002, customer: DEMO_CUSTOMERS[0], months: 3, price: 3300, quantity: 2, product: 7002, refunded: 3300 },
    { id: 9003, customer: DEMO_CUSTOMERS[1], months: 2, price: 12000, quantity: 1, product: 7001, refunded: 0 },
    { id: 9004, customer: DEMO_CUSTOMERS[2], months: 1, price: 2400, quantity: 3, product: 7002, refunded: 0 },
  ];
  return orders.flatMap((order) => {
    const at = monthsAgo(order.months);
    const subtotal = order.price * order.quantity;
    const gid = `gid://shopify/Order/${order.id}`;
    return [
      JSON.stringify({
        id: gid,
        name: `#${order.id}`,
        test: false,
        currencyCode: "JPY",
        taxesIncluded: true,
        processedAt: at,
        createdAt: at,
        cancelledAt: null,
        updatedAt: at,
        displayFinancialStatus: order.refunded > 0 ? "PARTIALLY_REFUNDED" : "PAID",
        subtotalPriceSet: money(subtotal),
        currentSubtotalPriceSet: money(subtotal - order.refunded),
        customer: {
          id: `gid://shopify/Customer/${order.customer.id}`,
          tags: order.customer.tags,
          firstName: order.customer.firstName,
          lastName: order.customer.lastName,
          defaultEmailAddress: { emailAddress: `${order.customer.firstName.toLowerCase()}@example.jp` },
        },
        customAttributes: [],
        discountCodes: [],
        // The demo's refunds are not for awarding: the stand-in has no refund to read back.
        refunds: [],
      }),
      JSON.stringify({
        id: `gid://shopify/LineItem/${order.id}01`,
        quantity: order.quantity,
        vendor: DEMO_PRODUCTS.find((p) => p.id === order.product)?.vendor ?? null,
        isGiftCard: false,
        product: { id: `gid://shopify/Product/${order.product}` },
        originalUnitPriceSet: money(order.price),
        discountAllocations: [],
        taxLines: [],
        __parentId: gid,
      }),
    ];
  });
}

/** Bulk operations the stand-in ran, and the result files it hands out for them, by URL. */
const bulkOperations = new Map<string, Record<string, unknown>>();
const bulkFiles = new Map<string, string>();
const BULK_URL = "https://storage.googleapis.com/tsumiki-local-bulk/";

/** The result file the stand-in serves at a URL it reported, if any. */
export const localBulkResult = (url: string): string | undefined => bulkFiles.get(url);

/** A bulk query finishes at once here: the demo data is small. The scheduled job (or the sync page) applies it. */
function runBulkQuery(query: string): Record<string, unknown> {
  const id = `gid://shopify/BulkOperation/${nextId++}`;
  // Orders: the history query (with line items) gets the demo history; reconciliation's catch-up finds nothing
  // missed, as local mode receives every webhook the simulator sends.
  const lines = /\bcustomers\s*\{/.test(query)
    ? demoCustomersJsonl()
    : /\bproducts\s*\{/.test(query)
      ? demoProductsJsonl()
      : /\borders\s*\(/.test(query) && /\blineItems\b/.test(query)
        ? demoHistoryJsonl()
        : [];
  const url = `${BULK_URL}${id.split("/").pop()}.jsonl`;
  bulkFiles.set(url, lines.map((line) => `${line}\n`).join(""));
  const now = new Date().toISOString();
  const operation = {
    id,
    status: "COMPLETED",
    errorCode: null,
    objectCount: String(lines.length),
    url: lines.length > 0 ? url : null,
    createdAt: now,
    completedAt: now,
  };
  bulkOperations.set(id, operation);
  return operation;
}

export function localAdminAnswer(operation: string, variables: Variables): unknown {
  switch (operation) {
    case "TsumikiWriteReservation":
      for (const m of variables.metafields as Array<Record<string, string>>)
        metafields.set(metafieldKey(m.ownerId, m.namespace, m.key), m.value);
      return { metafieldsSet: { metafields: [{ id: `gid://shopify/Metafield/${nextId++}` }], userErrors: [] } };
    case "TsumikiDeleteReservation":
      for (const m of variables.metafields as Array<Record<string, string>>)
        metafields.delete(metafieldKey(m.ownerId, m.namespace, m.key));
      return {
        metafieldsDelete: {
          deletedMetafields: (variables.metafields as Array<Record<string, string>>).map((m) => ({
            ownerId: m.ownerId,
            namespace: m.namespace,
            key: m.key,
          })),
          userErrors: [],
        },
      };
    case "TsumikiFindPointsDiscount":
      return { discountNodes: { nodes: [] } };
    case "TsumikiCreatePointsDiscount":
      return {
        discountAutomaticAppCreate: {
          automaticAppDiscount: {
            discountId: `gid://shopify/DiscountAutomaticNode/${nextId++}`,
            title: "Tsumiki points",
          },
          userErrors: [],
        },
      };
    case "TsumikiShopSettings":
      return { shop: { currencyCode: "JPY", ianaTimezone: "Asia/Tokyo" } };
    case "TsumikiCollectionProducts":
      return { collection: null };
    case "TsumikiRunBulkQuery":
      return { bulkOperationRunQuery: { bulkOperation: runBulkQuery(String(variables.query)), userErrors: [] } };
    case "TsumikiBulkOperation":
      return { bulkOperation: bulkOperations.get(String(variables.id)) ?? null };
    // Reconciliation: Shopify here knows no order beyond those whose webhooks the simulator sent.
    case "TsumikiReconcileOrders":
      return { orders: { nodes: [], pageInfo: { hasNextPage: false, endCursor: null } } };
    case "TsumikiReconcileOrder":
      return { order: null };
    case "TsumikiReconcileRefund":
      return { refund: null };
    case "TsumikiCreateRewardCode": {
      const discount = variables.discount as { code: string };
      const id = `gid://shopify/DiscountCodeNode/${nextId++}`;
      codes.set(discount.code, { id, used: 0 });
      return { discountCodeBasicCreate: { codeDiscountNode: { id }, userErrors: [] } };
    }
    case "TsumikiRewardCodeUsage": {
      const code = codes.get(variables.code as string);
      return {
        codeDiscountNodeByCode: code
          ? { id: code.id, codeDiscount: { __typename: "DiscountCodeBasic", asyncUsageCount: code.used } }
          : null,
      };
    }
    case "TsumikiDeleteRewardCode":
      for (const [code, entry] of codes) if (entry.id === variables.id) codes.delete(code);
      return { discountCodeDelete: { deletedCodeDiscountId: variables.id, userErrors: [] } };
    default:
      return null;
  }
}

const ADMIN_URL = new RegExp(`^https://${LOCAL_SHOP.replace(/\./g, "\\.")}/admin/api/[^/]+/graphql\\.json$`);

/**
 * Routes the demo shop's Admin API calls, and downloads of the bulk results it made, to the stand-in; every other
 * request goes out as usual.
 */
export function installLocalAdminApi(): void {
  const realFetch = globalThis.fetch;
  globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    if (url.startsWith(BULK_URL)) {
      const file = bulkFiles.get(url);
      return file === undefined ? new Response("AccessDenied", { status: 403 }) : new Response(file);
    }
    if (!ADMIN_URL.test(url)) return realFetch(input, init);
    const body = (await new Request(input, init).json()) as { query: string; variables?: Variables };
    const operation = /(?:query|mutation)\s+(\w+)/.exec(body.query)?.[1] ?? "";
    const data = localAdminAnswer(operation, body.variables ?? {});
    if (data === null) return Response.json({ errors: [{ message: `local mode cannot answer ${operation}` }] });
    return Response.json({ data });
  };
}

// Installed on import, in local mode only (see app/shopify.server.ts for why the order matters).
if (localMode()) installLocalAdminApi();
