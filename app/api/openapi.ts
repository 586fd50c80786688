/**
 * The public API described as OpenAPI 3.1: every route, parameter, body, answer and problem. Served at
 * /api/v1/openapi.json; the API tests check each answer they get against it.
 */
type Schema = { [key: string]: unknown };

interface Operation {
  operationId: string;
  summary: string;
  tags: string[];
  parameters?: Array<{ $ref: string } | Schema>;
  requestBody?: { required: true; content: { "application/json": { schema: Schema } } };
  responses: Record<
    string,
    { $ref: string } | { description: string; content?: Record<string, { schema: Schema }>; headers?: Schema }
  >;
  security?: Array<Record<string, string[]>>;
}

export interface OpenApiDocument {
  openapi: "3.1.0";
  info: { title: string; version: string; description: string };
  servers: Array<{ url: string }>;
  security: Array<Record<string, string[]>>;
  paths: Record<string, Record<string, Operation | Schema[]>>;
  components: {
    securitySchemes: Record<string, Schema>;
    schemas: Record<string, Schema>;
    parameters: Record<string, Schema>;
    responses: Record<string, Schema>;
    headers: Record<string, Schema>;
  };
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const nullable = (type: string, extra: Schema = {}) => ({ type: [type, "null"], ...extra });
const integer = { type: "integer" };
const dateTime = { type: "string", format: "date-time" };
const object = (properties: Record<string, Schema>, required = Object.keys(properties)): Schema => ({
  type: "object",
  properties,
  required,
  additionalProperties: false,
});
const json = (schema: Schema) => ({ "application/json": { schema } });
const ok = (description: string, schema: Schema, status = "200") => ({
  [status]: {
    description,
    content: json(schema),
    headers: { "Idempotent-Replayed": { $ref: "#/components/headers/IdempotentReplayed" } },
  },
});
const problems = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((status) => [String(status), { $ref: `#/components/responses/Problem${status}` }]));
const body = (schema: Schema) => ({ required: true as const, content: json(schema) });

const PROBLEM_TEXT: Record<number, string> = {
  400: "Bad request: no Idempotency-Key on a write, or a body that is not JSON.",
  401: "Missing, unknown or revoked API key.",
  403: "The key lacks the scope this needs.",
  404: "No such member in this shop (a member of another shop is not found either).",
  409: "Refused by the program: too few points, already awarded, or the same Idempotency-Key still being served.",
  413: "Request body too large.",
  422: "Invalid query or body (`errors` names each field), or an Idempotency-Key reused for another request.",
  429: "Rate limit reached; retry after `Retry-After` seconds.",
  502: "Shopify refused to create the discount code; no points were spent.",
  503: "The same redemption is still being issued; retry in a moment.",
};

const READ_PROBLEMS = [401, 403, 429];
const WRITE_PROBLEMS = [400, 401, 403, 404, 409, 413, 422, 429];

const memberPath = (operation: Operation) => ({
  parameters: [{ $ref: "#/components/parameters/MemberId" }],
  ...("requestBody" in operation ? { post: operation } : { get: operation }),
});

const write = (
  operationId: string,
  summary: string,
  request: Schema,
  answer: Schema,
  extra: number[] = [],
): Operation => ({
  operationId,
  summary,
  tags: ["members"],
  security: [{ bearer: ["write"] }],
  parameters: [{ $ref: "#/components/parameters/IdempotencyKey" }],
  requestBody: body(request),
  responses: {
    ...ok("Done (or replayed: see Idempotent-Replayed).", answer, "201"),
    ...problems(...WRITE_PROBLEMS, ...extra),
  },
});

export const openApiDocument: OpenApiDocument = {
  openapi: "3.1.0",
  info: {
    title: "Tsumiki loyalty points API",
    version: "1.0.0",
    description:
      "A shop's members, their points, ledger entries and lots, and the program. Points are integers; money is an integer amount in the currency's minor units with its ISO 4217 code; dates are ISO 8601. Every write needs an Idempotency-Key; errors are RFC 9457 problem details.",
  },
  servers: [{ url: "/api/v1" }],
  security: [{ bearer: ["read"] }],
  paths: {
    "/members": {
      get: {
        operationId: "findMembers",
        summary:
          "Find members by Shopify customer id, by email, or by a search of names and emails (one of the three).",
        tags: ["members"],
        parameters: [
          { name: "customer_id", in: "query", schema: { type: "string" }, description: "Numeric id or customer GID." },
          { name: "email", in: "query", schema: { type: "string", format: "email" } },
          { name: "query", in: "query", schema: { type: "string" }, description: "Words in the name or email." },
        ],
        responses: {
          ...ok("Matching members (up to 50).", object({ members: { type: "array", items: ref("Member") } })),
          ...problems(...READ_PROBLEMS, 422),
        },
      },
    },
    "/members/{id}": memberPath({
      operationId: "getMember",
      summary: "A member and their balance.",
      tags: ["members"],
      responses: { ...ok("The member.", object({ member: ref("Member") })), ...problems(...READ_PROBLEMS, 404) },
    }),
    "/members/{id}/entries": {
      parameters: [{ $ref: "#/components/parameters/MemberId" }],
      get: {
        operationId: "listEntries",
        summary: "The member's ledger entries (passbook), newest first, 50 a page.",
        tags: ["members"],
        parameters: [
          {
            name: "cursor",
            in: "query",
            schema: { type: "string", pattern: "^[0-9]{1,18}$" },
            description: "`next_cursor` of the previous page.",
          },
        ],
        responses: {
          ...ok(
            "One page of entries.",
            object({ entries: { type: "array", items: ref("LedgerEntry") }, next_cursor: nullable("string") }),
          ),
          ...problems(...READ_PROBLEMS, 404, 422),
        },
      },
    },
    "/members/{id}/lots": memberPath({
      operationId: "listLots",
      summary: "The member's lots still holding points, nearest expiry first.",
      tags: ["members"],
      responses: {
        ...ok("The lots.", object({ lots: { type: "array", items: ref("Lot") } })),
        ...problems(...READ_PROBLEMS, 404),
      },
    }),
    "/members/{id}/adjustments": memberPath(
      write(
        "adjustPoints",
        "Add (positive) or remove (negative) points, with a reason the passbook shows. A credit may be held for fraud review.",
        object({
          points: { type: "integer", not: { const: 0 } },
          reason: { type: "string", minLength: 3, maxLength: 500 },
        }),
        object({
          held_for_review: nullable("string", { description: "The review case holding the points, if held." }),
          member: ref("Member"),
        }),
      ),
    ),
    "/members/{id}/events": memberPath(
      write(
        "recordEvent",
        "The member did one of the program's custom actions: earn its bonus.",
        object({ action_id: { type: "string", minLength: 1 } }),
        object({ action_id: { type: "string" }, points: integer, member: ref("Member") }),
      ),
    ),
    "/members/{id}/redemptions": memberPath(
      write(
        "redeemReward",
        "Turn points into a single-use discount code for the member.",
        object({ reward_id: { type: "string", minLength: 1 } }),
        object({ code: ref("RewardCode"), member: ref("Member") }),
        [502, 503],
      ),
    ),
    "/tiers": {
      get: {
        operationId: "listTiers",
        summary: "The program's tiers, lowest threshold first.",
        tags: ["program"],
        responses: {
          ...ok(
            "The tiers.",
            object({
              basis: { enum: ["spend", "points"] },
              period: { enum: ["rolling12", "calendarYear", "lifetime"] },
              currency: { type: "string" },
              tiers: { type: "array", items: ref("Tier") },
            }),
          ),
          ...problems(...READ_PROBLEMS),
        },
      },
    },
    "/program": {
      get: {
        operationId: "getProgram",
        summary: "The program version in force.",
        tags: ["program"],
        responses: { ...ok("The program.", ref("Program")), ...problems(...READ_PROBLEMS) },
      },
    },
    "/openapi.json": {
      get: {
        operationId: "getOpenApi",
        summary: "This document.",
        tags: ["meta"],
        security: [],
        responses: { "200": { description: "The OpenAPI document.", content: json({ type: "object" }) } },
      },
    },
  },
  components: {
    securitySchemes: {
      bearer: {
        type: "http",
        scheme: "bearer",
        description: "An API key made on the app's API keys page: `Authorization: Bearer tsumiki_…`.",
      },
    },
    parameters: {
      MemberId: { name: "id", in: "path", required: true, schema: { type: "string" }, description: "The member's id." },
      IdempotencyKey: {
        name: "Idempotency-Key",
        in: "header",
        required: true,
        schema: { type: "string", pattern: "^[\\x21-\\x7e]{1,200}$" },
        description:
          "New per operation; a retry with the same key and body gets the first answer and has no second effect.",
      },
    },
    headers: {
      IdempotentReplayed: {
        description: "`true` when this is the stored answer to an earlier request.",
        schema: { const: "true" },
      },
      RetryAfter: { description: "Seconds to wait.", schema: { type: "string", pattern: "^[0-9]+$" } },
    },
    responses: Object.fromEntries(
      Object.entries(PROBLEM_TEXT).map(([status, description]) => [
        `Problem${status}`,
        {
          description,
          content: { "application/problem+json": { schema: ref("Problem") } },
          ...(status === "429" || status === "503" || status === "409"
            ? { headers: { "Retry-After": { $ref: "#/components/headers/RetryAfter" } } }
            : {}),
        },
      ]),
    ),
    schemas: {
      Money: object({ amount_minor: integer, currency: { type: "string", pattern: "^[A-Z]{3}$" } }),
      Problem: object(
        {
          type: { type: "string", format: "uri" },
          title: { type: "string" },
          status: { type: "integer", minimum: 400, maximum: 599 },
          detail: { type: "string" },
          errors: { type: "array", items: object({ field: { type: "string" }, message: { type: "string" } }) },
        },
        ["type", "title", "status"],
      ),
      Member: object({
        id: { type: "string" },
        customer_id: { type: "string" },
        email: nullable("string"),
        first_name: nullable("string"),
        last_name: nullable("string"),
        points: object({ available: integer, pending: integer, reserved: integer, debt: integer }),
        tier_id: nullable("string"),
        tier_since: nullable("string", { format: "date-time" }),
        joined_at: dateTime,
        last_activity_at: nullable("string", { format: "date-time" }),
        blocked: { type: "boolean" },
      }),
      LedgerEntry: object({
        id: { type: "string" },
        occurred_at: dateTime,
        kind: { enum: ["earn", "activate", "redeem", "reverse", "adjust", "expire", "reserve", "release"] },
        points: integer,
        pending_points: integer,
        reserved_points: integer,
        balance_after: integer,
        description: { type: "string" },
        order_id: nullable("string"),
      }),
      Lot: object({
        id: { type: "string" },
        amount: integer,
        remaining: integer,
        pending: { type: "boolean" },
        earned_at: dateTime,
        available_at: dateTime,
        expires_at: nullable("string", { format: "date-time" }),
        order_id: nullable("string"),
      }),
      RewardCode: object({
        code: { type: "string" },
        reward_id: { type: "string" },
        reward_name: { type: "string" },
        points: integer,
        value: ref("Money"),
        expires_at: dateTime,
      }),
      Tier: object({
        id: { type: "string" },
        name: { type: "string" },
        threshold: integer,
        earn_extra_percent: { type: "number" },
        reach_bonus: integer,
      }),
      Program: object({
        version: integer,
        saved_at: dateTime,
        currency: { type: "string" },
        earn_rate: object({ points: integer, per: ref("Money") }),
        point_value: ref("Money"),
        rounding: { type: "string" },
        pending_days: integer,
        expiry: object({ days: nullable("integer"), mode: { enum: ["lot", "inactivity"] } }),
        signup_bonus: integer,
        birthday_bonus: integer,
        redemption: object({
          enabled: { type: "boolean" },
          min_points: integer,
          step: integer,
          max_share_basis_points: integer,
        }),
        rewards: {
          type: "array",
          items: object({
            id: { type: "string" },
            name: { type: "string" },
            points: integer,
            value: ref("Money"),
            minimum_subtotal: ref("Money"),
          }),
        },
        reward_code_days: integer,
        actions: {
          type: "array",
          items: object({
            id: { type: "string" },
            name: { type: "string" },
            points: integer,
            repeatable: { type: "boolean" },
          }),
        },
        membership: { enum: ["all", "join"] },
      }),
    },
  },
};
