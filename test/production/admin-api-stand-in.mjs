// Preloaded into `npm start` by the production test (NODE_OPTIONS=--import): Shopify's Admin API cannot be reached
// from here, so its GraphQL endpoint is answered in the shapes of the 2026-07 schema. Every call and answer is
// appended to $TSUMIKI_ADMIN_API_LOG, and the test checks each against Shopify's schema. Nothing else is touched.
import { appendFileSync } from "node:fs";

const ADMIN_URL = /^https:\/\/[a-z0-9-]+\.myshopify\.com\/admin\/api\/[^/]+\/graphql\.json$/;
let nextId = 5000;

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
    case "TsumikiCataloguePage":
      return { products: { nodes: [], pageInfo: { hasNextPage: false, endCursor: null } } };
    default:
      return null;
  }
}

const realFetch = globalThis.fetch;
globalThis.fetch = async (input, init) => {
  const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
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
