import { expect } from "vitest";
import { createApiKey } from "../../app/api/keys.server";
import type { ApiScope } from "../../app/api/keys";
import prisma from "../../app/db.server";
import { saveProgram } from "../../app/program/programs.server";
import type { ProgramSettings } from "../../app/program/program";
import { currentProgram } from "../../app/shops/shops.server";
import * as adjustments from "../../app/routes/api.v1.members.$id.adjustments";
import * as entries from "../../app/routes/api.v1.members.$id.entries";
import * as events from "../../app/routes/api.v1.members.$id.events";
import * as lots from "../../app/routes/api.v1.members.$id.lots";
import * as member from "../../app/routes/api.v1.members.$id._index";
import * as redemptions from "../../app/routes/api.v1.members.$id.redemptions";
import * as members from "../../app/routes/api.v1.members._index";
import * as openapi from "../../app/routes/api.v1.openapi[.]json";
import * as program from "../../app/routes/api.v1.program";
import * as tiers from "../../app/routes/api.v1.tiers";
import { installShop } from "../support/fixtures";
import { SHOP } from "../support/shopify";
import { checkAgainstDocument } from "./openapi-check";

type Handler = (args: never) => Promise<Response> | Response;

/** Every API route: its module's handler, method and path as the OpenAPI document names it. */
export const API_ROUTES = {
  members: { handler: members.loader, method: "GET", path: "/members" },
  member: { handler: member.loader, method: "GET", path: "/members/{id}" },
  entries: { handler: entries.loader, method: "GET", path: "/members/{id}/entries" },
  lots: { handler: lots.loader, method: "GET", path: "/members/{id}/lots" },
  tiers: { handler: tiers.loader, method: "GET", path: "/tiers" },
  program: { handler: program.loader, method: "GET", path: "/program" },
  adjustments: { handler: adjustments.action, method: "POST", path: "/members/{id}/adjustments" },
  events: { handler: events.action, method: "POST", path: "/members/{id}/events" },
  redemptions: { handler: redemptions.action, method: "POST", path: "/members/{id}/redemptions" },
  openapi: { handler: openapi.loader, method: "GET", path: "/openapi.json" },
} satisfies Record<string, { handler: Handler; method: "GET" | "POST"; path: string }>;

export type RouteName = keyof typeof API_ROUTES;

export interface Call {
  key?: string | null;
  /** The member id for `{id}`. */
  id?: string;
  query?: Record<string, string>;
  body?: unknown;
  /** Sent as Idempotency-Key; null sends none. A fresh one by default. */
  idempotencyKey?: string | null;
}

export interface Answer {
  status: number;
  headers: Headers;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

let sequence = 0;

/**
 * Calls an API route module with a real Request, as Remix would at /api/v1/…, and checks the answer against the
 * OpenAPI document (path, method, status, content type, body schema): every answer a test gets is checked.
 */
export async function api(name: RouteName, call: Call = {}): Promise<Answer> {
  const route = API_ROUTES[name];
  const path = route.path.replace("{id}", encodeURIComponent(call.id ?? ""));
  const url = new URL(`https://tsumiki.test/api/v1${path}`);
  for (const [field, value] of Object.entries(call.query ?? {})) url.searchParams.set(field, value);
  const headers = new Headers({ Accept: "application/json" });
  if (call.key) headers.set("Authorization", `Bearer ${call.key}`);
  const init: RequestInit = { method: route.method, headers };
  if (route.method === "POST") {
    headers.set("Content-Type", "application/json");
    init.body = typeof call.body === "string" ? call.body : JSON.stringify(call.body ?? {});
    const idempotencyKey = call.idempotencyKey === undefined ? `test-${Date.now()}-${++sequence}` : call.idempotencyKey;
    if (idempotencyKey !== null) headers.set("Idempotency-Key", idempotencyKey);
  }
  let response: Response;
  try {
    response = await (route.handler as (args: unknown) => Promise<Response>)({
      request: new Request(url, init),
      params: call.id === undefined ? {} : { id: call.id },
      context: {},
    });
  } catch (thrown) {
    if (!(thrown instanceof Response)) throw thrown;
    response = thrown;
  }
  const body: unknown = await response.json();
  expect(
    checkAgainstDocument(route.path, route.method, response.status, response.headers.get("content-type"), body),
  ).toEqual([]);
  return { status: response.status, headers: response.headers, body };
}

/** A key of the shop made as the admin page makes one; the full key, shown once. */
export async function newKey(
  scopes: ApiScope[] = ["read", "write"],
  options: { domain?: string; rateLimitPerMinute?: number } = {},
): Promise<string> {
  const shop = await installShop(options.domain ?? SHOP);
  const { key } = await prisma.$transaction((tx) =>
    createApiKey(tx, shop.id, {
      name: "test",
      scopes,
      rateLimitPerMinute: options.rateLimitPerMinute,
      createdBy: "staff:1",
    }),
  );
  return key;
}

/** Changes the shop's program (a new version), keeping the rest. */
export async function changeProgram(change: Partial<ProgramSettings>, domain = SHOP): Promise<void> {
  const shop = await installShop(domain);
  await prisma.$transaction(async (tx) => {
    const { settings } = await currentProgram(tx, shop);
    const saved = await saveProgram(tx, shop, { ...settings, ...change }, "staff:1");
    if ("errors" in saved) throw new Error(JSON.stringify(saved.errors));
  });
}

export const memberId = async (customerId: number | string, domain = SHOP) =>
  (await prisma.member.findFirstOrThrow({ where: { shop: { domain }, customerId: String(customerId) } })).id;

export const entryCount = (id: string) => prisma.ledgerEntry.count({ where: { memberId: id } });
