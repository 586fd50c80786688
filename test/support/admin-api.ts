import { createHmac } from "node:crypto";
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
  bulkResults.clear();
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

/**
 * The result files of bulk operations, by the URL the operation reports (Shopify hands out signed
 * storage.googleapis.com links): a string, the bytes, or a stream made afresh for each download. A URL nobody
 * registered answers 403, as an expired or foreign link does.
 */
export const bulkResults = new Map<string, string | Uint8Array | (() => ReadableStream<Uint8Array>)>();
const BULK_RESULT_URL = /^https:\/\/storage\.googleapis\.com\//;

/** Registers a bulk result file and returns its URL, for a canned `bulkOperation` answer to report. */
export function serveBulkResult(
  body: string | Uint8Array | (() => ReadableStream<Uint8Array>),
  name = randomName(),
): string {
  const url = `https://storage.googleapis.com/shopify-tiers-assets-prod-us-east1/bulk-operation-outputs/${name}.jsonl`;
  bulkResults.set(url, body);
  return url;
}
const randomName = () => Math.random().toString(36).slice(2);

function bulkResultResponse(url: string): Response {
  const body = bulkResults.get(url);
  if (body === undefined) return new Response("AccessDenied", { status: 403 });
  const stream = typeof body === "function" ? body() : body;
  return new Response(stream as BodyInit, { headers: { "Content-Type": "application/jsonl" } });
}

const TOKEN_EXCHANGE_URL = /^https:\/\/([^/]+)\/admin\/oauth\/access_token$/;

/** The staff Shopify knows, by user id (the session token's `sub`): 42, whom the admin tests use, owns every shop. */
export const staffUsers = new Map<
  string,
  { accountOwner: boolean; firstName: string; lastName: string; email: string }
>([["42", { accountOwner: true, firstName: "Aiko", lastName: "Owner", email: "owner@example.jp" }]]);
/** Token exchanges answered, for tests that count how often the app asks Shopify who a staff member is. */
export const tokenExchanges: Array<{ shop: string; userId: string; requested: string }> = [];

/**
 * Token exchange as Shopify answers it: the session token (checked as Shopify checks it, under the app secret) for an
 * online access token whose associated_user says who the staff member is and whether they own the shop.
 */
async function tokenExchangeResponse(shop: string, request: Request): Promise<Response> {
  const body = (await request.json()) as Record<string, string>;
  const token = body.subject_token ?? "";
  const [header, claims, signature] = token.split(".");
  const expected = createHmac("sha256", process.env.SHOPIFY_API_SECRET ?? "")
    .update(`${header}.${claims}`)
    .digest("base64url");
  if (!claims || signature !== expected || body.client_secret !== process.env.SHOPIFY_API_SECRET) {
    return Response.json({ error: "invalid_subject_token" }, { status: 400 });
  }
  const sub = String((JSON.parse(Buffer.from(claims, "base64url").toString("utf8")) as { sub?: unknown }).sub ?? "");
  tokenExchanges.push({ shop, userId: sub, requested: body.requested_token_type ?? "" });
  const user = staffUsers.get(sub) ?? {
    accountOwner: false,
    firstName: "Staff",
    lastName: sub,
    email: `staff${sub}@example.jp`,
  };
  return Response.json({
    access_token: `online-${sub}`,
    scope: "read_customers,read_orders,write_customers,write_discounts",
    expires_in: 86399,
    associated_user_scope: "read_customers,read_orders,write_customers,write_discounts",
    associated_user: {
      id: Number(sub),
      first_name: user.firstName,
      last_name: user.lastName,
      email: user.email,
      email_verified: true,
      account_owner: user.accountOwner,
      locale: "ja",
      collaborator: false,
    },
  });
}

/** Installed before any module captures `fetch`: routes Admin API calls here, everything else to the network. */
export function installAdminApiInterceptor({ validate = true } = {}): void {
  const realFetch = globalThis.fetch;
  globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    if (BULK_RESULT_URL.test(url)) return bulkResultResponse(url);
    const exchange = TOKEN_EXCHANGE_URL.exec(url);
    if (exchange) return tokenExchangeResponse(exchange[1]!, new Request(input, init));
    const match = ADMIN_URL.exec(url);
    if (!match) return realFetch(input, init);
    const request = new Request(input, init);
    const body = (await request.json()) as { query: string; variables?: Record<string, unknown> };
    const operation = /(?:query|mutation)\s+(\w+)/.exec(body.query)?.[1] ?? "(anonymous)";
    const call = { shop: match[1], operation, query: body.query, variables: body.variables ?? {} };
    adminApi.calls.push(call);
    if (adminApi.failWith) return new Response("Service unavailable", { status: adminApi.failWith });
    if (validate) checkDocument(body.query);
    // A bulk query is a document of its own, run by Shopify later: it must validate against the schema too.
    if (validate && operation === "TsumikiRunBulkQuery") checkDocument(String(body.variables?.query));
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

/** A bulk operation as the Admin API reports it, by default completed with no objects. */
export function bulkOperation(fields: {
  id: string;
  status?: string;
  errorCode?: string | null;
  objectCount?: number;
  url?: string | null;
  createdAt?: string;
  completedAt?: string | null;
}) {
  const status = fields.status ?? "COMPLETED";
  return {
    id: fields.id,
    status,
    errorCode: fields.errorCode ?? null,
    // UnsignedInt64: Shopify sends a string.
    objectCount: String(fields.objectCount ?? 0),
    url: fields.url ?? null,
    createdAt: fields.createdAt ?? new Date().toISOString(),
    completedAt: fields.completedAt ?? (status === "COMPLETED" ? new Date().toISOString() : null),
  };
}

/** Canned answers, shaped as the Admin schema defines them. */
export const adminAnswers = {
  bulkOperationRunQuery: (id: string) => ({
    bulkOperationRunQuery: { bulkOperation: bulkOperation({ id, status: "CREATED" }), userErrors: [] },
  }),
  bulkOperationRunQueryRefused: (code: "OPERATION_IN_PROGRESS" | "LIMIT_REACHED" | "INVALID", message: string) => ({
    bulkOperationRunQuery: { bulkOperation: null, userErrors: [{ field: ["query"], message, code }] },
  }),
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
    case "TsumikiRunBulkQuery":
      return adminAnswers.bulkOperationRunQuery(`gid://shopify/BulkOperation/${Math.floor(Math.random() * 1e9)}`);
    case "TsumikiBulkOperation":
      return { bulkOperation: bulkOperation({ id: String(call.variables.id) }) };
    case "TsumikiCreateMemberMetafieldDefinition":
      return {
        metafieldDefinitionCreate: {
          createdDefinition: { id: `gid://shopify/MetafieldDefinition/${Math.floor(Math.random() * 1e9)}` },
          userErrors: [],
        },
      };
    case "TsumikiFlowTrigger":
      return { flowTriggerReceive: { userErrors: [] } };
    case "TsumikiWriteMemberMetafields":
      return adminAnswers.metafieldsSet();
    case "TsumikiDeleteMemberMetafields":
      return adminAnswers.metafieldsDelete(call);
    default:
      throw new Error(`no canned answer for ${call.operation}`);
  }
};
