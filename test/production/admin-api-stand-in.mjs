// Preloaded into `npm start` by the production test (NODE_OPTIONS=--import): Shopify's Admin API cannot be reached
// from here, so its GraphQL endpoint is answered in the shapes of the 2026-07 schema. Every call and answer is
// appended to $TSUMIKI_ADMIN_API_LOG, and the test checks each against Shopify's schema. Nothing else is touched.
import { appendFileSync } from "node:fs";

const TOKEN_EXCHANGE_URL = /^https:\/\/[a-z0-9-]+\.myshopify\.com\/admin\/oauth\/access_token$/;
const ADMIN_URL = /^https:\/\/[a-z0-9-]+\.myshopify\.com\/admin\/api\/[^/]+\/graphql\.json$/;
let nextId = 5000;

// Bulk queries (the sync): an operation runs until the app asks about it, then reports a completed JSONL result
// served at a storage.googleapis.com URL, as Shopify hands them out. The shop's customers and catalogue:
const CUSTOMERS = [
  { id: 1301, firstName: "Haruto", lastName: "Kato", tags: ["VIP"], state: "ENABLED", marketing: "SUBSCRIBED" },
  { id: 1302, firstName: "Mei", lastName: "Ito", tags: [], state: "ENABLED", marketing: "NOT_SUBSCRIBED" },
  {
    id: 1303,
    firstName: "Sota",
    lastName: "Nakamura",
    tags: ["wholesale"],
    state: "DISABLED",
    marketing: "UNSUBSCRIBED",
  },
];
const customerLines = () =>
  CUSTOMERS.map((c) =>
    JSON.stringify({
      id: `gid://shopify/Customer/${c.id}`,
      firstName: c.firstName,
      lastName: c.lastName,
      tags: c.tags,
      state: c.state,
      verifiedEmail: true,
      locale: "ja",
      updatedAt: "2026-11-01T00:00:00Z",
      defaultEmailAddress: { emailAddress: `${c.firstName.toLowerCase()}@example.jp`, marketingState: c.marketing },
    }),
  );
const productLines = () => [
  JSON.stringify({ id: "gid://shopify/Product/9301", vendor: "Kyoto Tea", productType: "Tea", tags: ["green"] }),
  JSON.stringify({ id: "gid://shopify/Collection/930", __parentId: "gid://shopify/Product/9301" }),
];
const money = (amount) => ({ shopMoney: { amount: String(amount), currencyCode: "JPY" } });
const customer = (c) => ({
  id: `gid://shopify/Customer/${c.id}`,
  tags: c.tags,
  firstName: c.firstName,
  lastName: c.lastName,
  defaultEmailAddress: { emailAddress: `${c.firstName.toLowerCase()}@example.jp` },
});
const ORDER_FIELDS = {
  test: false,
  currencyCode: "JPY",
  taxesIncluded: true,
  cancelledAt: null,
  customAttributes: [],
  discountCodes: [],
};
// The order history (months before the install): one order of Mei's, ¥8,800, two months ago.
const historyLines = () => {
  const at = new Date(Date.now() - 60 * 86_400_000).toISOString();
  return [
    JSON.stringify({
      ...ORDER_FIELDS,
      id: "gid://shopify/Order/93001",
      name: "#93001",
      processedAt: at,
      createdAt: at,
      updatedAt: at,
      displayFinancialStatus: "PAID",
      subtotalPriceSet: money(8800),
      currentSubtotalPriceSet: money(8800),
      customer: customer(CUSTOMERS[1]),
      refunds: [],
    }),
    JSON.stringify({
      id: "gid://shopify/LineItem/9300101",
      quantity: 1,
      vendor: "Kyoto Tea",
      isGiftCard: false,
      product: { id: "gid://shopify/Product/9301" },
      originalUnitPriceSet: money(8800),
      discountAllocations: [],
      taxLines: [],
      __parentId: "gid://shopify/Order/93001",
    }),
  ];
};
// An order paid after the install whose orders/paid webhook never arrived: Haruto's ¥5,400, reported from the first
// time the app asks (so it is always paid after the install).
let missedAt = null;
const missedOrder = () => {
  missedAt ??= new Date().toISOString();
  return {
    ...ORDER_FIELDS,
    id: "gid://shopify/Order/93002",
    name: "#93002",
    processedAt: missedAt,
    createdAt: missedAt,
    subtotalPriceSet: money(5400),
    customer: customer(CUSTOMERS[0]),
    discountApplications: { nodes: [] },
    lineItems: {
      nodes: [
        {
          id: "gid://shopify/LineItem/9300201",
          quantity: 1,
          vendor: "Kyoto Tea",
          isGiftCard: false,
          product: { id: "gid://shopify/Product/9301" },
          originalUnitPriceSet: money(5400),
          discountAllocations: [],
          taxLines: [],
        },
      ],
      pageInfo: { hasNextPage: false, endCursor: null },
    },
  };
};
const STORAGE = "https://storage.googleapis.com/tsumiki-production-stand-in/";
const bulkOperations = new Map();
const bulkFiles = new Map();

function startBulk(query) {
  const id = `gid://shopify/BulkOperation/${nextId++}`;
  const lines = /\bcustomers\s*\{/.test(query)
    ? customerLines()
    : /\bproducts\s*\{/.test(query)
      ? productLines()
      : /\borders\s*\(/.test(query) && /\blineItems\b/.test(query)
        ? historyLines()
        : [];
  const url = `${STORAGE}${nextId}.jsonl`;
  bulkFiles.set(url, lines.map((line) => `${line}\n`).join(""));
  const createdAt = new Date().toISOString();
  const operation = {
    id,
    status: "CREATED",
    errorCode: null,
    objectCount: "0",
    url: null,
    createdAt,
    completedAt: null,
  };
  bulkOperations.set(id, { operation, done: { status: "COMPLETED", objectCount: String(lines.length), url } });
  return operation;
}

function bulkState(id) {
  const entry = bulkOperations.get(id);
  if (!entry) return null;
  entry.operation = {
    ...entry.operation,
    ...entry.done,
    completedAt: entry.operation.completedAt ?? new Date().toISOString(),
  };
  return entry.operation;
}

function answer(operation, variables) {
  switch (operation) {
    case "TsumikiWriteReservation":
      return { metafieldsSet: { metafields: [{ id: `gid://shopify/Metafield/${nextId++}` }], userErrors: [] } };
    case "TsumikiDeleteReservation":
      return {
        metafieldsDelete: {
          deletedMetafields: variables.metafields.map((m) => ({
            ownerId: m.ownerId,
            namespace: m.namespace,
            key: m.key,
          })),
          userErrors: [],
        },
      };
    case "TsumikiCreateRewardCode":
      return {
        discountCodeBasicCreate: {
          codeDiscountNode: { id: `gid://shopify/DiscountCodeNode/${nextId++}` },
          userErrors: [],
        },
      };
    case "TsumikiCreateMemberMetafieldDefinition":
      return {
        metafieldDefinitionCreate: {
          createdDefinition: { id: `gid://shopify/MetafieldDefinition/${nextId++}` },
          userErrors: [],
        },
      };
    case "TsumikiFlowTrigger":
      return { flowTriggerReceive: { userErrors: [] } };
    case "TsumikiWriteMemberMetafields":
      return {
        metafieldsSet: {
          metafields: variables.metafields.map(() => ({ id: `gid://shopify/Metafield/${nextId++}` })),
          userErrors: [],
        },
      };
    case "TsumikiDeleteMemberMetafields":
      return {
        metafieldsDelete: {
          deletedMetafields: variables.metafields.map((m) => ({
            ownerId: m.ownerId,
            namespace: m.namespace,
            key: m.key,
          })),
          userErrors: [],
        },
      };
    case "TsumikiRewardCodeUsage":
      return { codeDiscountNodeByCode: null };
    case "TsumikiDeleteRewardCode":
      return { discountCodeDelete: { deletedCodeDiscountId: variables.id, userErrors: [] } };
    case "TsumikiShopSettings":
      return { shop: { currencyCode: "JPY", ianaTimezone: "Asia/Tokyo" } };
    case "TsumikiFindPointsDiscount":
      return { discountNodes: { nodes: [] } };
    case "TsumikiCollectionProducts":
      return { collection: null };
    case "TsumikiRunBulkQuery":
      return { bulkOperationRunQuery: { bulkOperation: startBulk(variables.query), userErrors: [] } };
    case "TsumikiBulkOperation":
      return { bulkOperation: bulkState(variables.id) };
    case "TsumikiReconcileOrders": {
      const order = missedOrder();
      return {
        orders: {
          nodes: [
            {
              id: order.id,
              updatedAt: order.processedAt,
              processedAt: order.processedAt,
              cancelledAt: null,
              displayFinancialStatus: "PAID",
              refunds: [],
            },
          ],
          pageInfo: { hasNextPage: false, endCursor: null },
        },
      };
    }
    case "TsumikiReconcileOrder":
      return { order: variables.id === "gid://shopify/Order/93002" ? missedOrder() : null };
    case "TsumikiReconcileRefund":
      return { refund: null };
    default:
      return null;
  }
}

const realFetch = globalThis.fetch;
globalThis.fetch = async (input, init) => {
  const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
  if (url.startsWith(STORAGE)) {
    const file = bulkFiles.get(url);
    return file === undefined ? new Response("AccessDenied", { status: 403 }) : new Response(file);
  }
  if (TOKEN_EXCHANGE_URL.test(url)) {
    // Token exchange for an online token: the production test's staff member (42) owns the shop.
    const { subject_token: token = "" } = await new Request(input, init).json();
    const sub = String(
      JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8") || "{}").sub ?? "",
    );
    return Response.json({
      access_token: `online-${sub}`,
      scope: "read_customers",
      expires_in: 86399,
      associated_user_scope: "read_customers",
      associated_user: {
        id: Number(sub),
        first_name: "Staff",
        last_name: sub,
        email: `staff${sub}@example.jp`,
        email_verified: true,
        account_owner: sub === "42",
        locale: "ja",
        collaborator: false,
      },
    });
  }
  if (!ADMIN_URL.test(url)) return realFetch(input, init);
  const body = await new Request(input, init).json();
  const operation = /(?:query|mutation)\s+(\w+)/.exec(body.query)?.[1] ?? "";
  const data = answer(operation, body.variables ?? {});
  if (process.env.TSUMIKI_ADMIN_API_LOG) {
    appendFileSync(
      process.env.TSUMIKI_ADMIN_API_LOG,
      JSON.stringify({ operation, query: body.query, variables: body.variables ?? {}, data }) + "\n",
    );
  }
  if (data === null) return Response.json({ errors: [{ message: `no stand-in answer for ${operation}` }] });
  return Response.json({ data });
};
