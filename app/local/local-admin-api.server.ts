import { LOCAL_SHOP, localMode } from "./local.server";

/**
 * Local mode has no Shopify to call: this stands in for the demo shop's Admin API, answering the operations the
 * app makes in the shapes Shopify's 2026-07 schema defines (test/local-admin-api.test.ts checks them against
 * it). Reward codes live in memory, unused, so the storefront preview's redeem loop works end to end.
 */
const codes = new Map<string, { id: string; used: number }>();
let nextId = 1000;

type Variables = Record<string, unknown>;

export function localAdminAnswer(operation: string, variables: Variables): unknown {
  switch (operation) {
    case "TsumikiWriteReservation":
      return { metafieldsSet: { metafields: [{ id: `gid://shopify/Metafield/${nextId++}` }], userErrors: [] } };
    case "TsumikiDeleteReservation":
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
    case "TsumikiCataloguePage":
      return { products: { nodes: [], pageInfo: { hasNextPage: false, endCursor: null } } };
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

/** Routes the demo shop's Admin API calls to the stand-in; every other request goes out as usual. */
export function installLocalAdminApi(): void {
  const realFetch = globalThis.fetch;
  globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
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
