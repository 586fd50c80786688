import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { buildClientSchema, execute, parse, validate, type GraphQLSchema, type IntrospectionQuery } from "graphql";

/**
 * Calls to Shopify's Admin API are the one thing tests intercept. Each intercepted operation is checked
 * against Shopify's real Admin schema (2026-07, as published in @shopify/dev-mcp): the document must
 * validate, and the canned response must have exactly the shape the schema gives that document.
 */
let schema: GraphQLSchema | undefined;
export function adminSchema(): GraphQLSchema {
  schema ??= buildClientSchema(
    (
      JSON.parse(
        gunzipSync(readFileSync("test/support/shopify/admin-2026-07.introspection.json.gz")).toString("utf8"),
      ) as { data: IntrospectionQuery }
    ).data,
  );
  return schema;
}

export interface AdminCall {
  shop: string;
  operation: string;
  query: string;
  variables: Record<string, unknown>;
}

export type AdminResponder = (call: AdminCall) => unknown;

interface Interceptor {
  calls: AdminCall[];
  respond: AdminResponder | null;
  /** When set, every Admin call fails at the HTTP level with this status. */
  failWith: number | null;
  /** The next this-many calls are answered THROTTLED, as Shopify answers when the shop's cost bucket is empty. */
  throttleNext: number;
  /** The bucket every answer reports in `extensions.cost.throttleStatus`. */
  bucket: { maximumAvailable: number; currentlyAvailable: number; restoreRate: number };
}

const FULL_BUCKET = { maximumAvailable: 2000, currentlyAvailable: 2000, restoreRate: 100 };

export const adminApi: Interceptor = {
  calls: [],
  respond: null,
  failWith: null,
  throttleNext: 0,
  bucket: { ...FULL_BUCKET },
};

export function resetAdminApi(respond: AdminResponder | null = null) {
  adminApi.calls = [];
  adminApi.respond = respond;
  adminApi.failWith = null;
  adminApi.throttleNext = 0;
  adminApi.bucket = { ...FULL_BUCKET };
}

/** The document must validate against Shopify's Admin schema. */
export function checkDocument(query: string): void {
  const errors = validate(adminSchema(), parse(query));
  if (errors.length > 0)
    throw new Error(`Admin API document does not validate: ${errors.map((e) => e.message).join("; ")}`);
}

export function checkAgainstSchema(query: string, variables: Record<string, unknown>, data: unknown): void {
  checkDocument(query);
  const document = parse(query);
  const result = execute({
    schema: adminSchema(),
    document,
    rootValue: data,
    variableValues: variables,
    fieldResolver: (source, _args, _context, info) => (source as Record<string, unknown>)?.[info.path.key as string],
    typeResolver: (value) => (value as { __typename?: string }).__typename,
  });
  if ("errors" in result && result.errors?.length) {
    throw new Error(
      `canned Admin API response does not fit the schema: ${result.errors.map((e) => e.message).join("; ")}`,
    );
  }
}

const ADMIN_URL = /^https:\/\/([^/]+)\/admin\/api\/[^/]+\/graphql\.json$/;

/** Installed before any module captures `fetch`: routes Admin API calls here, everything else to the network. */
export function installAdminApiInterceptor({ validate = true } = {}): void {
  const realFetch = globalThis.fetch;
  globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const match = ADMIN_URL.exec(url);
    if (!match) return realFetch(input, init);
    const request = new Request(input, init);
    const body = (await request.json()) as { query: string; variables?: Record<string, unknown> };
    const operation = /(?:query|mutation)\s+(\w+)/.exec(body.query)?.[1] ?? "(anonymous)";
    const call = { shop: match[1], operation, query: body.query, variables: body.variables ?? {} };
    adminApi.calls.push(call);
    if (adminApi.failWith) return new Response("Service unavailable", { status: adminApi.failWith });
    if (validate) checkDocument(body.query);
    if (adminApi.throttleNext > 0) {
      adminApi.throttleNext -= 1;
      // Shopify's answer when the bucket cannot pay for the query: HTTP 200, no data, a THROTTLED error.
      return Response.json({
        errors: [
          {
            message: "Throttled",
            extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" },
          },
        ],
        extensions: {
          cost: {
            requestedQueryCost: 10,
            actualQueryCost: null,
            throttleStatus: { ...adminApi.bucket, currentlyAvailable: 0 },
          },
        },
      });
    }
    if (!adminApi.respond) throw new Error(`unexpected Admin API call ${operation} to ${match[1]}`);
    const data = adminApi.respond(call);
    if (validate) checkAgainstSchema(body.query, call.variables, data);
    return Response.json({
      data,
      extensions: { cost: { requestedQueryCost: 10, actualQueryCost: 10, throttleStatus: { ...adminApi.bucket } } },
    });
  };
}

/** Canned answers, shaped as the Admin schema defines them. */
export const adminAnswers = {
  metafieldsSet: () => ({ metafieldsSet: { metafields: [{ id: "gid://shopify/Metafield/1" }], userErrors: [] } }),
  metafieldsSetRefused: () => ({
    metafieldsSet: {
      metafields: [],
      userErrors: [{ field: ["metafields", "0", "value"], message: "Value is invalid", code: "INVALID_VALUE" }],
    },
  }),
  metafieldsDelete: (call: AdminCall) => ({
    metafieldsDelete: {
      deletedMetafields: (call.variables.metafields as Array<{ ownerId: string; namespace: string; key: string }>).map(
        (m) => ({ ...m, namespace: "app--1--tsumiki" }),
      ),
      userErrors: [],
    },
  }),
  discountNodes: (nodes: Array<{ id: string; title: string }> = []) => ({
    discountNodes: {
      nodes: nodes.map((n) => ({ id: n.id, discount: { __typename: "DiscountAutomaticApp", title: n.title } })),
    },
  }),
  discountAutomaticAppCreate: (id = "gid://shopify/DiscountAutomaticNode/77") => ({
    discountAutomaticAppCreate: { automaticAppDiscount: { discountId: id, title: "Tsumiki points" }, userErrors: [] },
  }),
  discountCodeBasicCreate: (id = `gid://shopify/DiscountCodeNode/${Math.floor(Math.random() * 1e9)}`) => ({
    discountCodeBasicCreate: { codeDiscountNode: { id }, userErrors: [] },
  }),
  discountCodeBasicCreateRefused: () => ({
    discountCodeBasicCreate: {
      codeDiscountNode: null,
      userErrors: [{ field: ["basicCodeDiscount", "code"], message: "Code must be unique", code: "TAKEN" }],
    },
  }),
  codeDiscountNodeByCode: (usage: { id: string; used: number } | null) => ({
    codeDiscountNodeByCode: usage
      ? { id: usage.id, codeDiscount: { __typename: "DiscountCodeBasic", asyncUsageCount: usage.used } }
      : null,
  }),
  discountCodeDelete: (call: AdminCall) => ({
    discountCodeDelete: { deletedCodeDiscountId: call.variables.id, userErrors: [] },
  }),
};

/** Answers each operation the app makes with its canned happy answer. */
export const happyAdmin: AdminResponder = (call) => {
  switch (call.operation) {
    case "TsumikiWriteReservation":
      return adminAnswers.metafieldsSet();
    case "TsumikiDeleteReservation":
      return adminAnswers.metafieldsDelete(call);
    case "TsumikiFindPointsDiscount":
      return adminAnswers.discountNodes();
    case "TsumikiCreatePointsDiscount":
      return adminAnswers.discountAutomaticAppCreate();
    case "TsumikiShopSettings":
      return { shop: { currencyCode: "JPY", ianaTimezone: "Asia/Tokyo" } };
    case "TsumikiCreateRewardCode":
      return adminAnswers.discountCodeBasicCreate();
    case "TsumikiRewardCodeUsage":
      return adminAnswers.codeDiscountNodeByCode(null);
    case "TsumikiDeleteRewardCode":
      return adminAnswers.discountCodeDelete(call);
    case "TsumikiCataloguePage":
      return { products: { nodes: [], pageInfo: { hasNextPage: false, endCursor: null } } };
    default:
      throw new Error(`no canned answer for ${call.operation}`);
  }
};
